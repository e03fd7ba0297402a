// `visibleNames` (the names in scope at an offset, for completion and rules that ask "is `pkgs`
// bound here?") must agree with the scope model that resolves the references of the file. Checked
// both ways on the fixtures, hand-written tricky cases and random programs:
// - every reference the model resolves is listed with the kind (and site) of its definition, and
//   references to builtins, `with`s or nothing are not listed (with the same `with`s around);
// - every listed name, spliced in as a reference at that point, resolves to that definition, and
//   a name not listed resolves through the listed `with`s (or to nothing).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { SourceFile } from 'nixguard';
import { hasMergeEffects } from 'nixguard/out/analysis/attrset-merges';
import { ScopeModel, visibleNames } from 'nixguard/out/analysis/scopes';
import { Kind } from 'nixguard/out/syntax/grammar';
import type { SyntaxTable } from 'nixguard/out/syntax/syntax-table';
import type { Reference } from 'nixguard/out/analysis/scopes';
import { filesUnder } from '../helpers/files';
import { REPOSITORY_ROOT } from '../helpers/paths';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const KEYWORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);
/** Not bound anywhere in the samples: spliced in, it resolves through `with`s or to nothing. */
const UNBOUND = 'zzNotBoundAnywhere';

interface Agreement {
  readonly disagreements: string[];
  /** How many spliced texts were resolved (to show the reverse check ran). */
  readonly splices: number;
}

/**
 * Compares `visibleNames` with the scope model at the references of `text`; the reverse check
 * splices names in at up to `splicePositions` of them (evenly spread).
 */
function agreement(text: string, splicePositions = Infinity): Agreement {
  const source = SourceFile.parse(text);
  const table = source.table;
  const model = ScopeModel.build(table);
  const disagreements: string[] = [];
  const where = (reference: Reference): string => `\`${reference.name}\`@${table.start(reference.node)}`;
  for (const reference of model.references) {
    const offset = table.start(reference.node);
    const visible = visibleNames(table, offset);
    const listed = visible.names.get(reference.name);
    const resolution = reference.resolution;
    if (resolution.kind === 'definition') {
      const definition = resolution.definition;
      if (listed !== definition.kind) disagreements.push(`${where(reference)}: model says ${definition.kind}@${table.start(definition.node)}, visibleNames says ${listed ?? 'not visible'}`);
      else if (visible.definitionNodes.get(reference.name) !== definition.node) {
        disagreements.push(`${where(reference)}: model says ${definition.kind}@${table.start(definition.node)}, visibleNames points at @${table.start(visible.definitionNodes.get(reference.name) ?? -1)}`);
      }
    } else if (listed !== undefined) {
      disagreements.push(`${where(reference)}: model says ${resolution.kind}, visibleNames says ${listed}`);
    } else {
      const modelWiths = resolution.kind === 'with' ? resolution.withs.map((info) => info.node) : [];
      if (resolution.kind !== 'builtin' && modelWiths.join() !== visible.withs.join()) {
        disagreements.push(`${where(reference)}: model says withs [${modelWiths.join()}], visibleNames says [${visible.withs.join()}]`);
      }
    }
  }

  let splices = 0;
  const positions = model.references;
  const step = Math.max(1, Math.ceil(positions.length / splicePositions));
  for (let index = 0; index < positions.length; index += step) {
    const reference = positions[index];
    const start = table.start(reference.node);
    const end = table.end(reference.node);
    const visible = visibleNames(table, start);
    const candidates = [...visible.names.keys()].filter((name) => IDENTIFIER.test(name) && !KEYWORDS.has(name));
    for (const name of [...candidates, UNBOUND]) {
      const spliced = text.slice(0, start) + name + text.slice(end);
      const splicedSource = SourceFile.parse(spliced);
      // Error recovery may build another tree around the new name: then there is nothing to compare.
      if (!sameShape(table, splicedSource.table)) continue;
      const splicedReference = ScopeModel.build(splicedSource.table).references.find((candidate) => splicedSource.table.start(candidate.node) === start);
      if (!splicedReference || splicedReference.name !== name) continue;
      splices++;
      const resolution = splicedReference.resolution;
      const context = `\`${name}\` spliced at ${start} (in place of \`${reference.name}\`)`;
      const expectedKind = visible.names.get(name);
      if (expectedKind !== undefined) {
        const siteOffset = table.start(visible.definitionNodes.get(name) ?? -1);
        const movedSite = siteOffset < start ? siteOffset : siteOffset + name.length - (end - start);
        if (resolution.kind !== 'definition') disagreements.push(`${context}: visibleNames says ${expectedKind}, model says ${resolution.kind}`);
        else if (resolution.definition.kind !== expectedKind || splicedSource.table.start(resolution.definition.node) !== movedSite) {
          disagreements.push(`${context}: visibleNames says ${expectedKind}@${movedSite}, model says ${resolution.definition.kind}@${splicedSource.table.start(resolution.definition.node)}`);
        }
      } else {
        const withOffsets = (resolution.kind === 'with' ? resolution.withs.map((info) => splicedSource.table.start(info.node)) : []).join();
        const expectedWiths = visible.withs.map((node) => table.start(node)).join();
        const expected = visible.withs.length > 0 ? 'with' : 'undefined';
        if (resolution.kind !== expected || withOffsets !== expectedWiths) {
          disagreements.push(`${context}: visibleNames says withs [${expectedWiths}], model says ${resolution.kind} [${withOffsets}]`);
        }
      }
    }
  }
  return { disagreements, splices };
}

/** Same rows of the same kinds: the spliced name changed no scope but by its own name. */
function sameShape(before: SyntaxTable, after: SyntaxTable): boolean {
  if (before.size !== after.size) return false;
  for (let row = 0; row < before.size; row++) if (before.kind(row) !== after.kind(row) || before.parent(row) !== after.parent(row)) return false;
  return true;
}

function assertAgrees(text: string): number {
  const { disagreements, splices } = agreement(text);
  assert.deepStrictEqual(disagreements, [], text);
  return splices;
}

/** Cases where the scopes differ from what nested braces suggest. */
const TRICKY = [
  // Attribute-set merging: repeated first names in let, rec and plain sets.
  'let a.b = 1; a.c = 2; in a',
  'rec { x.y = 1; x.z = x.y; }',
  '{ a = rec { b = 1; }; a.c = b; }',
  '{ a = rec { b = c; }; a.c = 1; }',
  '{ a = (rec { b = 1; }); a.c.d = b; }',
  '{ a = rec { b = 1; }; a.${x} = b; }',
  '{ a = rec { b = rec { z = 1; }; }; a.b.c = z + b; }',
  '{ a.x = 1; a = rec { b = 1; c = b; }; }',
  '{ a = { b = 1; }; a = rec { c = b; }; }',
  '{ a = rec { b = 1; }; a = { c = b; }; }',
  '{ a = rec { b = 1; }; a = rec { c = b; }; }',
  '{ a = rec { b = 1; }; a = { inherit b; c = b; }; }',
  '{ a = rec { b = 1; }; a = rec { inherit b; c = b; }; }',
  '{ a = { x = 1; }; a = rec { ${y} = 1; z = y; }; }',
  'let b = 0; in { a = rec { b = 1; }; a.c = b; d = b; }',
  'let s = { a = rec { b = 1; }; a.c = b; p.q = 2; p = rec { r = m; t = r; }; }; m = 1; in s',
  '{ x = { a = rec { b = 1; }; a.d = 2; }; x.a.c = b + d; }',
  'rec { a = rec { b = 1; }; a.c = b + a; }',
  '{ a = rec { b = 1; }; "a".c = b; ${"a"}.d = c; }',
  '{ "a" = rec { b = 1; }; a.c = b; ab.c = b; }',
  'let a = rec { b = 1; }; a.c = b; in a',
  // Inherits: `inherit a` reads around its let/rec, `inherit (e) a` evaluates `e` inside it.
  'let a = 1; in let inherit a; in a',
  'rec { inherit a; a = 1; }',
  'let b = 1; in rec { a = b; inherit b; }',
  'let a = 1; in { inherit a; b = a; }',
  'let x = { a = 1; }; in let inherit (x) a; y = a; in y',
  'let inherit (x) a; x = { a = 1; }; in a',
  'rec { inherit (x) a; x = { a = 1; }; }',
  'let a = 1; in { inherit "a" ${"a"}; }',
  'let ${"a"} = 1; "b" = a; in b',
  // Formals: `@` names and defaults that read other formals.
  '{ a, b ? a, ... }@args: args.c or b',
  'args@{ a ? args, b ? c, c ? 1 }: a',
  '{ a ? b }: b: a',
  'x: { x ? x }: x',
  'x: y: x y',
  // let, rec and legacy let nested; shadowing.
  'let a = 1; in let a = rec { a = a; }; in a',
  'rec { a = let b = a; in rec { a = b; c = a; }; }',
  'let { body = a; a = rec { b = a; }; }',
  'let a = 1; b = a: a; in b a',
  // `with`: only its body, innermost first, after every lexical scope and the builtins.
  'with x; with y; z',
  'with (with x; y); z',
  'let map = 1; in with x; map',
  'x: with x; [ x y map ]',
  'with x; let y = z; in { inherit y w; }',
  'let a = 1; in with a; { inherit a b; }',
  // Variables inside an `inherit` are ordinary references (invalid Nix, but the tree has them).
  'let a = 1; in let a = 2; inherit ${a}; in a',
  '(rec { a = let inherit ([ let inherit a a; ${a}.a = a; in a a ]) a; in a; })',
];

describe('visibleNames', () => {
  it('lists the names a merged rec set gains and drops those of a set merged into a plain one', () => {
    const names = (text: string, at: string): string[] => [...visibleNames(SourceFile.parse(text).table, text.lastIndexOf(at)).names.keys()].sort();
    assert.deepStrictEqual(names('{ a = rec { b = 1; }; a.c = b; }', 'b'), ['b', 'c']);
    assert.deepStrictEqual(names('{ a.x = 1; a = rec { b = 1; c = b; }; }', 'b'), []);
    assert.deepStrictEqual(names('let a = 1; in let inherit a; b = 2; in b', 'a;'), ['a']);
  });

  it('agrees with the scope model on hand-written tricky cases', () => {
    let splices = 0;
    for (const text of TRICKY) splices += assertAgrees(text);
    assert.ok(splices > 200, `only ${splices} spliced references`);
  });

  it('agrees with the scope model on every fixture', function () {
    this.timeout(120_000);
    const files = filesUnder(path.join(REPOSITORY_ROOT, 'fixtures'), (name) => name.endsWith('.nix'));
    assert.ok(files.length > 100, 'the fixtures are there');
    const failures: string[] = [];
    let splices = 0;
    for (const file of files) {
      const result = agreement(fs.readFileSync(file, 'utf8'), 4);
      splices += result.splices;
      if (result.disagreements.length > 0) failures.push(`${path.relative(REPOSITORY_ROOT, file)}:\n  ${result.disagreements.slice(0, 5).join('\n  ')}`);
    }
    assert.deepStrictEqual(failures, []);
    assert.ok(splices > 1000, `only ${splices} spliced references`);
  });

  it('agrees with the scope model on random programs', function () {
    this.timeout(120_000);
    let withMerging = 0;
    let parsed = 0;
    fc.assert(
      fc.property(programArbitrary, (text) => {
        assert.deepStrictEqual(agreement(text, 8).disagreements, [], text);
        const source = SourceFile.parse(text);
        const table = source.table;
        if (!source.hasSyntaxErrors) parsed++;
        for (let row = 0; row < table.size; row++) {
          if (table.kind(row) === Kind.BindingSet && hasMergeEffects(table, row)) {
            withMerging++;
            break;
          }
        }
      }),
      { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
    );
    // The generator must reach the hard cases: attribute-set merging, in programs Nix would parse.
    assert.ok(withMerging >= PROPERTY_RUNS / 20, `only ${withMerging} of ${PROPERTY_RUNS} programs merge attribute sets`);
    assert.ok(parsed >= PROPERTY_RUNS / 2, `only ${parsed} of ${PROPERTY_RUNS} programs parse`);
  });
});

const PROPERTY_RUNS = Number(process.env.NIXGUARD_PROPERTY_RUNS ?? 200);
const PROPERTY_SEED = process.env.NIXGUARD_PROPERTY_SEED ? Number(process.env.NIXGUARD_PROPERTY_SEED) : undefined;

/** Few names, so that scopes shadow each other and attribute paths share first names. */
const name = fc.constantFrom('a', 'b', 'c', 'x');
const attribute = fc.oneof({ weight: 6, arbitrary: name }, { weight: 1, arbitrary: name.map((n) => `"${n}"`) }, { weight: 1, arbitrary: name.map((n) => `\${${n}}`) });
const attrpath = fc.array(attribute, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const names = fc.array(name, { minLength: 1, maxLength: 2 }).map((list) => list.join(' '));

/** Random Nix programs built from scopes: let, rec and plain sets with paths and inherits, lambdas, formals, `with`. */
const programArbitrary: fc.Arbitrary<string> = fc.letrec<{ expression: string; bindings: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    name,
    fc.tuple(tie('bindings'), tie('expression')).map(([bindings, body]) => `let ${bindings} in ${body}`),
    tie('bindings').map((bindings) => `rec { ${bindings} }`),
    tie('bindings').map((bindings) => `{ ${bindings} }`),
    tie('bindings').map((bindings) => `(rec { ${bindings} })`),
    fc.tuple(name, tie('expression')).map(([argument, body]) => `${argument}: ${body}`),
    fc
      .tuple(fc.array(fc.tuple(name, fc.option(tie('expression'), { nil: undefined })), { maxLength: 3 }), fc.option(name, { nil: undefined }), tie('expression'))
      .map(([formals, at, body]) => `{ ${[...formals.map(([formal, fallback]) => (fallback === undefined ? formal : `${formal} ? ${fallback}`)), '...'].join(', ')} }${at === undefined ? '' : `@${at}`}: ${body}`),
    fc.tuple(tie('expression'), tie('expression')).map(([environment, body]) => `with ${environment}; ${body}`),
    fc.tuple(tie('expression'), tie('expression')).map(([left, right]) => `[ ${left} ${right} ]`),
  ),
  bindings: fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.tuple(attrpath, tie('expression')).map(([path, value]) => `${path} = ${value};`) },
        { weight: 1, arbitrary: names.map((list) => `inherit ${list};`) },
        { weight: 1, arbitrary: fc.tuple(tie('expression'), names).map(([from, list]) => `inherit (${from}) ${list};`) },
        // Two bindings with the same first name, at least one a set: what attribute-set merging acts on.
        {
          weight: 2,
          arbitrary: fc
            .tuple(name, fc.constantFrom('rec ', '', '('), tie('bindings'), fc.oneof(attrpath, fc.constantFrom('= rec', '= ')), tie('expression'), fc.boolean())
            .map(([first, flavour, inner, rest, value, setFirst]) => {
              const set = flavour === '(' ? `(rec { ${inner} })` : `${flavour}{ ${inner} }`;
              const other = rest.startsWith('=') ? `${first} ${rest}{ ${value === first ? '' : `y = ${value};`} };` : `${first}.${rest} = ${value};`;
              return setFirst ? `${first} = ${set}; ${other}` : `${other} ${first} = ${set};`;
            }),
        },
      ),
      { maxLength: 4 },
    )
    .map((bindings) => bindings.join(' ')),
})).expression;

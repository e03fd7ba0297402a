// The scope model: what names resolve to (including Nix's attribute-set merging, which moves
// bindings between scopes), and the property that an incrementally updated model equals one built
// from scratch after any sequence of edits.
import * as assert from 'assert';
import fc from 'fast-check';
import { AnalyzedFile, SourceFile } from 'nixguard';
import type { TextChange } from 'nixguard';
import { ScopeModel } from 'nixguard/out/analysis/scopes';
import type { Reference } from 'nixguard/out/analysis/scopes';
import type { SyntaxTable } from 'nixguard/out/syntax/syntax-table';

/** `name@offset → what` for every reference, e.g. `b@25 → rec b@12`, `x@3 → undefined`. */
function resolutions(text: string): string[] {
  const source = SourceFile.parse(text);
  const model = ScopeModel.build(source.table);
  return model.references.map((reference) => `${reference.name}@${source.table.start(reference.node)} → ${describeResolution(source.table, reference)}`);
}

function describeResolution(table: SyntaxTable, reference: Reference): string {
  const resolution = reference.resolution;
  if (resolution.kind === 'definition') return `${resolution.definition.kind} ${resolution.definition.name}@${table.start(resolution.definition.node)}`;
  if (resolution.kind === 'with') return `with@${resolution.withs.map((w) => table.start(w.node)).join(',')}`;
  return resolution.kind;
}

function undefinedNames(text: string): string[] {
  const source = SourceFile.parse(text);
  return ScopeModel.build(source.table)
    .references.filter((reference) => reference.resolution.kind === 'undefined')
    .map((reference) => reference.name);
}

describe('scope model', () => {
  describe('resolution', () => {
    it('resolves let, rec, lambda, formal and `@` names', () => {
      assert.deepStrictEqual(resolutions('let a = 1; in a'), ['a@14 → let a@4']);
      assert.deepStrictEqual(resolutions('rec { a = 1; b = a; }'), ['a@17 → rec a@6']);
      assert.deepStrictEqual(resolutions('x: x'), ['x@3 → lambda x@0']);
      assert.deepStrictEqual(resolutions('{ a, b ? a }@args: args'), ['a@9 → formal a@2', 'args@19 → at-pattern args@13']);
    });

    it('puts the global builtins after every lexical scope and before `with`', () => {
      assert.deepStrictEqual(resolutions('with x; map'), ['x@5 → undefined', 'map@8 → builtin']);
      assert.deepStrictEqual(resolutions('let map = 1; in with x; map'), ['x@21 → undefined', 'map@24 → let map@4']);
      assert.deepStrictEqual(resolutions('y: with y; z'), ['y@8 → lambda y@0', 'z@11 → with@3']);
    });

    it('reads `inherit a;` of a let or rec from outside it', () => {
      assert.deepStrictEqual(undefinedNames('let a = 1; in let inherit a; in a'), []);
      assert.deepStrictEqual(undefinedNames('rec { inherit a; a = 1; }'), ['a']);
      assert.deepStrictEqual(undefinedNames('let b = 1; in rec { a = b; inherit b; }'), []);
    });

    it('treats `inherit "a"` and `inherit ${"a"}` as references to `a`', () => {
      assert.deepStrictEqual(undefinedNames('let a = 1; in { inherit "a"; }'), []);
      assert.deepStrictEqual(undefinedNames('{ inherit "a" ${"b"}; }'), ['a', 'b']);
    });

    it('takes `${"a"}` keys as the static name `a`, as Nix does', () => {
      assert.deepStrictEqual(undefinedNames('let ${"a"} = 1; in a'), []);
      assert.deepStrictEqual(undefinedNames("let ${''a''} = 1; in a"), []);
      assert.deepStrictEqual(undefinedNames('rec { ${("a")} = 1; b = a; }'), []);
    });

    it('binds a later `a.c = e` inside an earlier `a = rec { … }`, with `c` as one of its names', () => {
      assert.deepStrictEqual(undefinedNames('{ a = rec { b = 1; }; a.c = b; }'), []);
      assert.deepStrictEqual(undefinedNames('{ a = rec { b = c; }; a.c = 1; }'), []);
      assert.deepStrictEqual(undefinedNames('{ a = (rec { b = 1; }); a.c.d = b; }'), []);
      assert.deepStrictEqual(undefinedNames('{ a = rec { b = 1; }; a.${x} = 2; }'), ['x']);
      assert.deepStrictEqual(undefinedNames('{ a = rec { b = rec { z = 1; }; }; a.b.c = z + b; }'), []);
    });

    it('drops the `rec` of a set merged into an earlier one', () => {
      assert.deepStrictEqual(undefinedNames('{ a.x = 1; a = rec { b = 1; c = b; }; }'), ['b']);
      assert.deepStrictEqual(undefinedNames('{ a = { b = 1; }; a = rec { c = b; }; }'), ['b']);
      assert.deepStrictEqual(undefinedNames('{ a = rec { b = 1; }; a = { c = b; }; }'), []);
      assert.deepStrictEqual(undefinedNames('{ a = rec { b = 1; }; a = rec { c = b; }; }'), []);
      // Nix forgets the dynamic attributes of a merged set without resolving them.
      assert.deepStrictEqual(undefinedNames('{ a = { x = 1; }; a = rec { ${y} = 1; }; }'), []);
    });

    it('leaves sets that merely share a first name alone', () => {
      assert.deepStrictEqual(undefinedNames('{ a.b = 1; a.c = 2; a = { d = 3; }; x = rec { y = 1; z = y; }; }'), []);
    });
  });

  describe('incremental update', () => {
    it('equals a fresh build after edits that change scopes', () => {
      const runs: [string, TextChange[]][] = [
        // A key edit in a let re-resolves the body.
        ['let a = 1; in a', [{ start: 4, end: 5, text: 'b' }]],
        // A new binding in a long plain set is one of a run of re-mirrored siblings.
        [LONG_SET, [{ start: LONG_SET.indexOf('k9 ='), end: LONG_SET.indexOf('k9 ='), text: 'n = m; ' }]],
        // Merging starts and stops with an edit to a key or a `rec`.
        [MERGES, [{ start: MERGES.indexOf('p.q'), end: MERGES.indexOf('p.q') + 1, text: 'z' }]],
        [MERGES, [{ start: MERGES.indexOf('rec { b'), end: MERGES.indexOf('rec { b') + 4, text: '' }]],
        ['{ a = rec { b = 1; }; c.d = b; }', [{ start: 22, end: 23, text: 'a' }]],
        ['{ a = { b = { x = 1; }; }; a.b.c = x; }', [{ start: 12, end: 12, text: 'rec ' }]],
      ];
      for (const [text, changes] of runs) checkIncremental(text, [changes]);
    });

    it('equals a fresh build after random edits', function () {
      this.timeout(60_000);
      let spliced = 0;
      fc.assert(
        fc.property(fc.constantFrom(...SAMPLES), fc.array(editArbitrary, { minLength: 1, maxLength: 8 }), (sample, edits) => {
          spliced += runRandomEdits(sample, edits);
        }),
        { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
      );
      assert.ok(spliced > PROPERTY_RUNS, `only ${spliced} edits took the incremental path`);
    });
  });
});

const LONG_SET = `{ lib }:
{
${Array.from({ length: 24 }, (_, i) => `  k${i} = lib.f${i} k${(i + 1) % 24};`).join('\n')}
}
`;

const MERGES = `let
  m = 1;
  s = {
    a = rec { b = 1; };
    a.c = b;
    p.q = 2;
    p = rec { r = m; t = r; };
    x = { y = 1; };
    x.z = y;
  };
in s
`;

const SCOPES = `{ config, lib, pkgs, ... }@args:
with lib;
let
  cfg = config.services.foo;
  inherit (lib) mkIf mkOption;
  inherit pkgs;
  helper = x: y: x + y + cfg.port;
  nested = rec { a = 1; b = a + helper 1 2; c = { inherit a b; }; };
in
{
  options.services.foo = { enable = mkEnableOption "foo"; port = mkOption { default = 80; }; };
  config = mkIf cfg.enable (with pkgs; {
    environment.systemPackages = [ hello nested.c.a ];
    users.users.foo = { name = "foo"; home = "/var/\${toString cfg.port}"; };
  });
}
`;

const SAMPLES = [LONG_SET, MERGES, SCOPES, `let { body = a; a = rec { b = a; }; }`];

/** Names and snippets that keep most texts valid while moving names in and out of scope. */
const NAMES = ['a', 'b', 'c', 'm', 'p', 'r', 'x', 'y', 'z', 'lib', 'cfg', 'map'];
const editArbitrary = fc.oneof(
  // Rename the n-th identifier-like word.
  fc.record({ kind: fc.constant('rename' as const), occurrence: fc.nat({ max: 80 }), name: fc.constantFrom(...NAMES) }),
  // Insert a snippet after the n-th occurrence of a landmark.
  fc.record({
    kind: fc.constant('insert' as const),
    occurrence: fc.nat({ max: 40 }),
    landmark: fc.constantFrom('{', ';', '=', 'in'),
    text: fc.constantFrom(' a = b;', ' x.y = z;', ' a.q = r;', ' inherit a;', ' inherit (x) y;', ' rec', ' with x;', ' (a: a)', ' p = rec { q = p; };', ' b.c = m;'),
  }),
  // Delete from the n-th `;` back to the previous `;` or `{` (usually one binding).
  fc.record({ kind: fc.constant('delete' as const), occurrence: fc.nat({ max: 40 }) }),
);
type EditSpec = typeof editArbitrary extends fc.Arbitrary<infer T> ? T : never;

function toChange(text: string, edit: EditSpec): TextChange | undefined {
  if (edit.kind === 'rename') {
    const words = [...text.matchAll(/[A-Za-z_][A-Za-z0-9_']*/g)];
    if (words.length === 0) return undefined;
    const word = words[edit.occurrence % words.length];
    return { start: word.index, end: word.index + word[0].length, text: edit.name };
  }
  if (edit.kind === 'insert') {
    const positions = [...text.matchAll(new RegExp(edit.landmark.replace(/[{}]/g, '\\$&'), 'g'))].map((m) => m.index + edit.landmark.length);
    if (positions.length === 0) return undefined;
    const at = positions[edit.occurrence % positions.length];
    return { start: at, end: at, text: edit.text };
  }
  const semicolons = [...text.matchAll(/;/g)].map((m) => m.index);
  if (semicolons.length === 0) return undefined;
  const end = semicolons[edit.occurrence % semicolons.length] + 1;
  const start = Math.max(text.lastIndexOf(';', end - 2), text.lastIndexOf('{', end - 2)) + 1;
  return { start, end, text: '' };
}

/** Applies the edits that keep the text free of syntax errors; returns how many were spliced. */
function runRandomEdits(initial: string, edits: readonly EditSpec[]): number {
  let spliced = 0;
  let analyzed = new AnalyzedFile(SourceFile.parse(initial), undefined);
  void analyzed.scopes;
  for (const edit of edits) {
    const change = toChange(analyzed.text, edit);
    if (!change) continue;
    const nextText = analyzed.text.slice(0, change.start) + change.text + analyzed.text.slice(change.end);
    if (SourceFile.parse(nextText).hasSyntaxErrors) continue;
    const source = analyzed.source.withChanges([change]);
    if (source.splice) spliced++;
    analyzed = new AnalyzedFile(source, undefined, analyzed);
    assertSameAsBuild(analyzed, `after ${JSON.stringify(edits)}\ntext: ${JSON.stringify(source.text)}`);
  }
  return spliced;
}

function checkIncremental(initial: string, batches: readonly (readonly TextChange[])[]): void {
  let analyzed = new AnalyzedFile(SourceFile.parse(initial), undefined);
  void analyzed.scopes;
  for (const changes of batches) {
    const source = analyzed.source.withChanges(changes);
    assert.ok(source.splice, `the edit ${JSON.stringify(changes)} takes the incremental path`);
    analyzed = new AnalyzedFile(source, undefined, analyzed);
    assertSameAsBuild(analyzed, `after ${JSON.stringify(changes)}\ntext: ${JSON.stringify(source.text)}`);
  }
}

function assertSameAsBuild(analyzed: AnalyzedFile, context: string): void {
  const updated = describeModel(analyzed.table, analyzed.scopes);
  const built = describeModel(analyzed.table, ScopeModel.build(analyzed.table));
  assert.deepStrictEqual(updated, built, context);
}

/** Everything the model holds, in rows and offsets, with references sorted where order is free. */
function describeModel(table: SyntaxTable, model: ScopeModel): unknown {
  const at = (row: number): string => `${row}@${table.start(row)}`;
  return {
    definitions: model.definitions.map((d) => ({
      name: d.name,
      kind: d.kind,
      node: at(d.node),
      scope: at(d.scope),
      inheritNode: d.inheritNode < 0 ? -1 : at(d.inheritNode),
      otherNodes: d.otherNodes.map(at),
      references: d.references.map((r) => r.node).sort((a, b) => a - b),
    })),
    references: model.references.map((r) => `${r.name} ${at(r.node)} ${r.inherited} ${describeResolution(table, r)}`),
    withs: model.withs.map((w) => ({ node: at(w.node), references: w.references.map((r) => r.node).sort((a, b) => a - b) })),
  };
}

const PROPERTY_RUNS = Number(process.env.NIXGUARD_PROPERTY_RUNS ?? 200);
const PROPERTY_SEED = process.env.NIXGUARD_PROPERTY_SEED ? Number(process.env.NIXGUARD_PROPERTY_SEED) : undefined;

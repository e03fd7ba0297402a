// The three rules that mirror errors of Nix's parser (duplicate-attribute, duplicate-formal,
// invalid-dynamic-attribute) agree with `nix-instantiate --parse` on tricky one-liners and on
// their fixtures: a rule reports a snippet exactly when Nix rejects it with that error.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalyzedFile, runRules, SourceFile } from 'nixguard';
import { findRule } from 'nixguard';
import type { Rule } from 'nixguard';
import { hasNixInstantiate, NIX_MISSING_MESSAGE } from '../helpers/nix-parser';
import { RULE_FIXTURES } from '../helpers/paths';

/** Each rule and the text of the Nix parse error it mirrors. */
const NIX_ERRORS: readonly (readonly [string, RegExp])[] = [
  ['duplicate-attribute', /attribute '.*' already defined/],
  ['duplicate-formal', /duplicate formal function argument/],
  ['invalid-dynamic-attribute', /dynamic attributes not allowed in (let|inherit)/],
];

// Shapes of Nix 2.8's `addAttr`: paths into set literals, merges of two literals, inherit,
// quoted and `${"…"}` keys, dynamic keys, formals and `@` names. `x:` binds `x` for the snippets
// that interpolate it.
const SNIPPETS: readonly string[] = [
  '{ a = 1; a = 2; }',
  '{ a.b = 1; a.c = 2; }',
  '{ a.b = 1; a.b = 2; }',
  '{ a.b = 1; a = { b = 2; }; }',
  '{ a.b = 1; a = { c = 2; }; }',
  '{ a = { b = 1; }; a.c = 2; }',
  '{ a = { b = 1; }; a.b = 2; }',
  '{ a = { b = 1; }; a = { c = 2; }; }',
  '{ a = { b = 1; }; a = { b = 2; }; }',
  '{ a = {}; a = {}; }',
  '{ a = ({ b = 1; }); a.c = 2; }',
  '{ a = rec { b = 1; }; a.c = 2; }',
  '{ a.b = 1; a = rec { c = 2; }; }',
  '{ a = let x = 1; in { b = 1; }; a.c = 2; }',
  '{ a = 1; a.c = 2; }',
  '{ a.c = 2; a = 1; }',
  '{ inherit a; a = 1; }',
  '{ a = 1; inherit a; }',
  '{ inherit a; a.b = 1; }',
  '{ inherit a a; }',
  '{ inherit (x) a; inherit (y) a; }',
  '{ "a" = 1; a = 2; }',
  '{ ${"a"} = 1; a = 2; }',
  '{ "${"a"}" = 1; a = 2; }',
  '{ ${x} = 1; ${x} = 2; }',
  '{ a.${x} = 1; a.${x} = 2; }',
  '{ a.${x}.b = 1; a.b = 2; }',
  '{ a = { b = { c = 1; }; }; a = { b = { d = 2; }; }; }',
  '{ a = { b.c = 1; }; a.b.d = 2; }',
  '{ a = { b = 1; }; a.b.c = 2; }',
  '{ a.b = { c = 1; }; a.b.d = 2; }',
  '{ a = { b = 1; }; a = { c = 2; }; a.c = 3; }',
  '{ a = { inherit b; }; a = { b = 1; }; }',
  '{ a = { inherit b; }; a.b = 1; }',
  '{ a."b" = 1; a.b = 2; }',
  '{ "a\\nb" = 1; "a\\nb" = 2; }',
  '{ "\\a" = 1; a = 2; }',
  '{ "a" = 1; \'\'a\'\' = 2; }',
  '{ ${\'\'a\'\'} = 1; a = 2; }',
  '{ ${"a${"b"}"} = 1; ab = 2; }',
  'rec { a = 1; a = 2; }',
  'let a = 1; a = 2; in a',
  'let a.b = 1; a.c = 2; in a',
  'let a.b = 1; a = { b = 2; }; in a',
  'let ${x} = 1; in 1',
  'let "${x}" = 1; in 1',
  'let ${"a"} = 1; in a',
  'let "a" = 1; in a',
  'let a.${x} = 1; in a',
  'let inherit ${x}; in 1',
  'let inherit "${x}"; in 1',
  'let inherit ${"a"}; in a',
  '{ inherit ${x}; }',
  '{ inherit (s) ${x}; }',
  '{ inherit (s) "${x}"; }',
  '{ inherit (s) "a"; a = 1; }',
  'let { ${x} = 1; body = 1; }',
  'let { a = 1; a = 2; body = 1; }',
  '{ a, a }: 1',
  '{ a, b, a }: 1',
  'a@{ a }: 1',
  '{ a }@a: 1',
  '{ a, ... }@b: 1',
  '{ a ? a, b }: 1',
  '{ a, a ? 1 }: 1',
  '{ a = { b = 1; } // {}; a.c = 2; }',
  '{ a = { ${x} = 1; }; a = { b = 1; }; }',
  '{ a = with x; { b = 1; }; a.c = 2; }',
  '{ a = rec { b = 1; }; a = { b = 2; }; }',
  '{ a = { b = 1; }; inherit a; }',
  '{ a.b.c = 1; a.b.c = 2; }',
  '{ a.b.c = 1; a = { b = { d = 1; }; }; }',
  '{ a.b.c = 1; a = { b.d = 1; }; }',
  '{ a = { b.c = 1; }; a = { b.d = 1; }; }',
  '{ a = { b = {}; }; a.b = {}; }',
  '{ a.b = {}; a = { b = {}; }; }',
  '{ x = { a = 1; a = 2; }; }',
  '{ a = { b = 1; }; a = { inherit b; }; }',
  'x: { ${x} = 1; ${x} = 2; }',
  'x: { a.${x} = 1; a.${x} = 2; }',
  'x: { a.${x}.b = 1; a.b = 2; }',
  'x: let a.${x} = 1; in a',
  'x: let inherit ${"a"}; in a',
  'x: let { ${x} = 1; body = 1; }',
  'x: let { inherit ${x}; body = 1; }',
  'x: { a = { ${x} = 1; }; a = { b = 1; }; }',
  'x: { a = { ${x} = 1; }; a = { ${x} = 1; }; }',
  'x: { ${x}.a = 1; a = 1; }',
  'x: let a = 1; ${"b"} = 2; "c" = 3; in a',
  'x: let a = { ${x} = 1; }; in a',
  'x: rec { ${x} = 1; }',
  'x: { a = 1; "a" = 2; }',
  'x: { a = 1; ${\'\'a\'\'} = 2; }',
  'x: { "a" = 1; ${"a"} = 2; }',
  'x: { "" = 1; "" = 2; }',
  'x: { "$" = 1; "$" = 2; }',
  'x: { "\\${x}" = 1; "\\${x}" = 2; }',
  'x: { "\'\'" = 1; ${\'\'\'\'\'\'} = 2; }',
  'x: { "a\\"b" = 1; "a\\"b" = 2; }',
  'x: { ${"a"}.b = 1; a.b = 2; }',
  'x: { a.b = 1; a = { "b" = 2; }; }',
  'x: { or = 1; or = 2; }',
  'x: { a.or = 1; a.or = 2; }',
  'x: { a = { }; b = 1; inherit (x) c; c = 2; }',
  'x: let inherit (x) a b; b = 1; in a',
  '{ a, b ? 1, a ? 2 }: 1',
  '{ a, ... }@a: 1',
  'args@{ args, ... }: 1',
  'x: { a = 1; } // { a = 2; }',
  'x: [ { a = 1; } { a = 2; } ]',
  'x: { a = { b = 1; }; a = { c = 2; }; a = { b = 3; }; }',
  'x: { a = ((({ b = 1; }))); a = { c = 2; }; }',
  'x: { a = { b = 1; }; a = ({ b = 2; }); }',
  'x: { a = { b = { c = 1; }; }; a.b.c = 2; }',
  'x: { a = { b = { c = 1; }; }; a.b.d = 2; }',
  'x: { a = { b = { c = 1; }; }; a = { b.d = 2; }; }',
  'x: { a.b = { c.d = 1; }; a.b.c.e = 2; }',
  'x: { a.b = { c.d = 1; }; a.b.c.d = 2; }',
  'x: { a.b = 1; a = { c = 2; }; a = { d = 3; }; a.c = 4; }',
  'x: { a = { inherit (x) b; }; a.c = 1; }',
  'x: { a = { inherit (x) b; }; a.b.c = 1; }',
  'x: { a = rec { b = 1; }; a.b = 2; }',
  'x: { a = ({}); a.b = 1; a.b = 2; }',
  'x: { a = { }; a = ({ b = 1; }); a.b = 2; }',
  'x: { a = x; a.b = 1; }',
  'x: { a = x.y; a = {}; }',
  'x: { a = {}; a = x; }',
  'x: let a = {}; a.b = 1; in a',
  'x: let a = {}; a.b = 1; a.b = 2; in a',
  'x: let inherit (x) a; a.b = 1; in a',
  'x: rec { a.b = 1; a.c = a.b; }',
  'x: { "a b" = 1; "a b" = 2; }',
  'x: { "a b" = 1; "a  b" = 2; }',
  'x: { "\\t" = 1; "\t" = 2; }',
  'x: { ${"a" + "b"} = 1; ab = 2; }',
  'x: { a.${"b"} = 1; a.b = 2; }',
  'x: { a = { ${"b"} = 1; }; a.b = 2; }',
  'x: { a = { "${x}" = 1; }; a = { "${x}" = 2; }; }',
  'x: { a = /* c */ { b = 1; }; a /* c */ . b = 2; }',
  'x: { a = { b = 1; }; /* c */ a = { c = 2; }; }',
  'x: let ${"a"} = 1; ${"a"} = 2; in a',
  'x: let a = 1; in let a = 2; in a',
  'x: { a = 1; b = { a = 2; }; }',
  'x: { a = let a = 1; in a; }',
  'x: let f = { a, b }: a; a = 1; in f',
  'x: { a ? 1, b ? a }: a',
  'x: { inherit (x) "a"; inherit (x) ${"a"}; }',
  'x: { inherit ${"a"}; a = 1; }',
  'x: let a = 1; inherit ${"a"}; in a',
  'x: { inherit "${"a"}"; }',
  'x: let ${\'\'a\'\'} = 1; in a',
  'x: let ${(x)} = 1; in 1',
  'x: let "${"a"}" = 1; in 1',
  'x: let "a${"b"}" = 1; in 1',
  'x: let a."${x}" = 1; in a',
  'x: rec { ${x} = 1; inherit (x) ${x}; }',
  'x: { inherit (x) ${x}.y; }',
  '{ a, b ? 1, c, ... }@args: args',
  '{ a ? 1, a }: a',
  '{ aa, a }: a',
  'a: b: { a, b }: 1',
  'a: { a }: 1',
  '{ a }: a: 1',
  'x: { a = 1; } // { a = 2; }',
  'x: { a.b = 1; a.b.c = 2; }',
  'x: { a.b.c = 1; a.b = 2; }',
  'x: { a.b.c = 1; a.b = { d = 1; }; }',
  'x: { a.b.c = 1; a.b = { c = 1; }; }',
  'x: { a = { b.c = 1; }; a = { b = 2; }; }',
  'x: { a = { b = 1; c = 2; }; a = { c = 3; b = 4; }; }',
  'x: { a = { b = 1; }; a = { b = 2; c = 3; }; a = { c = 4; }; }',
  'x: { or = 1; "or" = 2; }',
];

function rulesUnderTest(): Rule[] {
  return NIX_ERRORS.map(([id]) => {
    const rule = findRule(id);
    if (!rule) throw new Error(`no rule ${id}`);
    return rule;
  });
}

function ruleVerdict(text: string, rules: readonly Rule[]): string[] {
  const result = runRules(new AnalyzedFile(SourceFile.parse(text), undefined), { rules });
  assert.deepStrictEqual(result.failures, [], `a rule crashed on ${text}`);
  return [...new Set(result.findings.map((finding) => finding.ruleId))].sort();
}

/** `nix-instantiate --parse` on `text`; resolves to the ids of the rules whose error Nix reports. */
function nixVerdict(text: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('nix-instantiate', ['--parse', '-'], { env: { PATH: process.env.PATH, HOME: os.tmpdir(), NIX_REMOTE: '', LANG: 'C.UTF-8' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', () => resolve(NIX_ERRORS.filter(([, pattern]) => pattern.test(stderr)).map(([id]) => id)));
    child.stdin.end(text);
  });
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

describe('parse-error rules against nix-instantiate', function () {
  this.timeout(180_000);

  before(function () {
    if (!hasNixInstantiate()) {
      console.log(`      skipping: ${NIX_MISSING_MESSAGE}`);
      this.skip();
    }
  });

  it('reports exactly the snippets Nix rejects, with the matching rule', async () => {
    const rules = rulesUnderTest();
    const expected = await mapConcurrently(SNIPPETS, 6, nixVerdict);
    const disagreements = SNIPPETS.flatMap((snippet, index) => {
      const actual = ruleVerdict(snippet, rules);
      const wanted = expected[index];
      return actual.join() === wanted.join() ? [] : [`${snippet}\n    nix: ${wanted.join(', ') || 'accepted'}; rules: ${actual.join(', ') || 'nothing'}`];
    });
    assert.deepStrictEqual(disagreements, [], `rules and Nix disagree:\n  ${disagreements.join('\n  ')}`);
  });

  it('has Nix reject every invalid fixture of these rules and accept every valid one', async () => {
    const files = NIX_ERRORS.flatMap(([id]) =>
      fs
        .readdirSync(path.join(RULE_FIXTURES, id))
        .filter((name) => name.endsWith('.nix') && !name.endsWith('.fixed.nix'))
        .map((name) => ({ id, name, file: path.join(RULE_FIXTURES, id, name) })),
    );
    const verdicts = await mapConcurrently(files, 6, ({ file }) => nixVerdict(fs.readFileSync(file, 'utf8')));
    const wrong = files.flatMap(({ id, name }, index) => {
      const rejected = verdicts[index].includes(id);
      return rejected === name.startsWith('invalid-') ? [] : [`${id}/${name}: Nix ${rejected ? 'rejects' : 'accepts'} it`];
    });
    assert.deepStrictEqual(wrong, []);
  });
});

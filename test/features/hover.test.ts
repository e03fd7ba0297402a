// Hover: sections from findings (with the rule doc's Why and Fix), builtins (with Nix's own docs
// when injected) and variables, composed by providers. Real parser, real rules, real rule docs.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkFile } from 'nixguard';
import { BUILTINS } from 'nixguard/out/analysis/builtins';
import { HOVER_PROVIDERS, hoverAt, HoverEnvironment, HoverProvider, HoverRequest } from 'nixguard/out/features/hover';
import { builtinMarkdown } from 'nixguard/out/features/hover-builtins';
import { ruleDocSummary } from 'nixguard/out/features/hover-findings';
import { NIX_MANUAL_URL, parseNixBuiltinDump } from 'nixguard/out/features/nix-builtin-docs';
import { markRanges, withCursor } from '../helpers/cursor';
import { RULE_DOCS } from '../helpers/paths';

function readRuleDoc(ruleId: string): string | undefined {
  const file = path.join(RULE_DOCS, `${ruleId}.md`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

const ENVIRONMENT: HoverEnvironment = { ruleDoc: readRuleDoc, ruleDocUrl: (id) => `https://docs.example/${id}` };

function request(textWith$0: string, environment: HoverEnvironment = ENVIRONMENT): { request: HoverRequest; text: string } {
  const { text, offset, file } = withCursor(textWith$0);
  return { request: { file, offset, findings: checkFile(file).findings, environment }, text };
}

/** The hover's markdown and its range marked «…» in the text, or undefined. */
function hover(textWith$0: string, environment?: HoverEnvironment): { markdown: string; range: string } | undefined {
  const { request: hoverRequest, text } = request(textWith$0, environment);
  const result = hoverAt(hoverRequest);
  return result && { markdown: result.markdown, range: markRanges(text, [result.range]) };
}

function check(textWith$0: string, expected: { markdown: string; range: string } | undefined): void {
  assert.deepStrictEqual(hover(textWith$0), expected);
}

describe('hover', () => {
  describe('findings', () => {
    it('shows the message, the doc’s Why and Fix, and the rule id with its severity', () => {
      const result = hover('let $0unused = 1; in 2');
      assert.ok(result);
      const doc = readRuleDoc('unused-let-binding') as string;
      const summary = ruleDocSummary(doc);
      const [findingSection] = result.markdown.split('\n\n---\n\n');
      assert.strictEqual(
        findingSection,
        [
          '**Unused `let` binding `unused`**',
          summary.why,
          `**Fix:** ${summary.fix}`,
          'nixguard `unused-let-binding` (warning) · `nixguard explain unused-let-binding` · [documentation](https://docs.example/unused-let-binding)',
        ].join('\n\n'),
      );
      // The variable section follows, and the range is the smaller one: the name.
      assert.strictEqual(result.range, 'let «unused» = 1; in 2');
    });

    it('takes the first paragraph of `## Why` and of `## Fix`, lines joined', () => {
      const markdown = '# x\n\nA rule\n\n## Why\n\nFirst line\nsecond line.\n\nNot this.\n\n## Incorrect\n\n```nix\n1\n```\n\n## Fix\n\nSafe: it goes.\n';
      assert.deepStrictEqual(ruleDocSummary(markdown), { why: 'First line second line.', fix: 'Safe: it goes.' });
      assert.deepStrictEqual(ruleDocSummary('# x\n\n## Why\n\n```nix\nx\n```\n'), { why: undefined, fix: undefined });
    });

    it('finds a Why and a Fix paragraph in every rule doc (the convention hover relies on)', () => {
      const missing: string[] = [];
      for (const name of fs.readdirSync(RULE_DOCS).filter((file) => file.endsWith('.md'))) {
        const summary = ruleDocSummary(fs.readFileSync(path.join(RULE_DOCS, name), 'utf8'));
        if (!summary.why) missing.push(`${name}: ## Why`);
        if (!summary.fix) missing.push(`${name}: ## Fix`);
      }
      assert.deepStrictEqual(missing, []);
    });

    it('shows nothing for findings elsewhere, and works without docs', () => {
      assert.strictEqual(hover('let unused = 1; in $02', {}), undefined);
      const result = hover('let $0unused = 1; in 2', {});
      assert.ok(result?.markdown.startsWith('**Unused `let` binding `unused`**\n\nnixguard `unused-let-binding` (warning) · `nixguard explain unused-let-binding`\n\n---'));
    });
  });

  describe('builtins', () => {
    const map = BUILTINS.get('map');
    const attrNames = BUILTINS.get('attrNames');

    it('shows the signature, how it is in scope and the description', () => {
      check('$0map f [ ]', { markdown: builtinMarkdown(map!, undefined), range: '«map» f [ ]' });
      assert.strictEqual(builtinMarkdown(map!, undefined), '```nix\nbuiltins.map f list\n```\n\nIn scope as `map` and as `builtins.map`.\n\n' + map!.description);
      check('builtins.attr$0Names { }', { markdown: builtinMarkdown(attrNames!, undefined), range: 'builtins.«attrNames» { }' });
      check('__attr$0Names { }', { markdown: builtinMarkdown(attrNames!, undefined), range: '«__attrNames» { }' });
      check('{ inherit (builtins) $0map; }', { markdown: builtinMarkdown(map!, undefined), range: '{ inherit (builtins) «map»; }' });
      assert.ok(builtinMarkdown(attrNames!, undefined).includes('In scope only as `builtins.attrNames` (or `__attrNames`).'));
      assert.ok(builtinMarkdown(BUILTINS.get('warn')!, undefined).endsWith('Since Nix 2.23.'));
    });

    it('shows Nix’s own documentation instead of the description when it was read', () => {
      const nixBuiltinDocs = new Map([['map', 'Nix says: apply *f*.']]);
      const result = hover('$0map', { nixBuiltinDocs });
      assert.strictEqual(result?.markdown, '```nix\nbuiltins.map f list\n```\n\nIn scope as `map` and as `builtins.map`.\n\nNix says: apply *f*.');
    });

    it('treats a shadowed builtin name as the variable it is', () => {
      assert.strictEqual(hover('let map = 1; in $0map')?.markdown, '```nix\nmap = 1;\n```\n`map`: let binding, line 1');
      assert.strictEqual(hover('let builtins = { map = 1; }; in builtins.$0map'), undefined);
    });
  });

  describe('variables', () => {
    it('shows where a name is defined, with the definition’s first line', () => {
      check('let\n  a = f {\n    x = 1;\n  };\nin $0a', { markdown: '```nix\na = f { …\n```\n`a`: let binding, line 2', range: 'let\n  a = f {\n    x = 1;\n  };\nin «a»' });
      check('{ a ? 1 }: $0a', { markdown: '```nix\na ? 1\n```\n`a`: formal argument, default `1`, line 1', range: '{ a ? 1 }: «a»' });
      check('x: $0x', { markdown: '```nix\nx: x\n```\n`x`: function argument, line 1', range: 'x: «x»' });
      check('rec { a = 1; b = $0a; }', { markdown: '```nix\na = 1;\n```\n`a`: attribute of a rec set, line 1', range: 'rec { a = 1; b = «a»; }' });
      check('args@{ a, ... }: args.$0a', { markdown: '```nix\na\n```\n`a`: formal argument, line 1', range: 'args@{ a, ... }: args.«a»' });
    });

    it('shows how often a definition is used, and what `inherit a;` in a let reads', () => {
      check('let $0a = 1; in a + a', { markdown: '```nix\na = 1;\n```\n`a`: let binding, line 1 · used 2 times', range: 'let «a» = 1; in a + a' });
      assert.strictEqual(
        hover('let a = 1; in let inherit $0a; in a')?.markdown,
        '```nix\ninherit a;\n```\n`a`: inherited in a let, line 1 · used once\n\nIt reads the name from outside:\n\n```nix\na = 1;\n```\n`a`: let binding, line 1',
      );
    });

    it('names the `with`s a free name may come from, and the one that certainly has it', () => {
      check('with pkgs;\nwith lib;\n$0hello', {
        markdown: '`hello` is not bound by any let, rec or function around it; it may come from one of\n\n- `with lib;` (line 2)\n- `with pkgs;` (line 1)',
        range: 'with pkgs;\nwith lib;\n«hello»',
      });
      check('with { hello = 1; }; with pkgs; $0hello', {
        markdown: '`hello`: from `with { hello = 1; };` (line 1)',
        range: 'with { hello = 1; }; with pkgs; «hello»',
      });
    });

    it('shows nothing off names and for undefined names without findings', () => {
      assert.strictEqual(hover('let a = 1; in $0 a', {}), undefined);
      assert.strictEqual(hover('{ a = $0"x"; }', {}), undefined);
    });
  });

  describe('providers', () => {
    it('joins sections in provider order, with the smallest range', () => {
      const wide: HoverProvider = (hoverRequest) => [{ markdown: 'wide', range: { start: 0, end: hoverRequest.file.text.length } }];
      const { request: hoverRequest, text } = request('let a = 1; in $0a');
      const result = hoverAt(hoverRequest, [wide, ...HOVER_PROVIDERS]);
      assert.ok(result);
      assert.ok(result.markdown.startsWith('wide\n\n---\n\n```nix\na = 1;\n```'));
      assert.strictEqual(markRanges(text, [result.range]), 'let a = 1; in «a»');
    });
  });

  describe("Nix's builtin dumps", () => {
    it('reads the `__dump-builtins` shape (Nix 2.8)', () => {
      const docs = parseNixBuiltinDump({ map: { args: ['f', 'list'], arity: 2, doc: '  Our words.\n' }, seq: { args: ['a', 'b'], arity: 2, doc: '' } });
      assert.deepStrictEqual([...(docs ?? [])], [['map', 'Our words.']]);
    });

    it('reads the `__dump-language` shape, constants included, and points manual links online', () => {
      const docs = parseNixBuiltinDump({
        builtins: { map: { args: ['f', 'list'], doc: 'See [x](@docroot@/language/derivations.md#outputs).', 'experimental-feature': null } },
        constants: { nixPath: { type: 'list', doc: 'In @docroot@ terms.', 'impure-only': false } },
      });
      assert.deepStrictEqual([...(docs ?? [])], [
        ['map', `See [x](${NIX_MANUAL_URL}/language/derivations.html#outputs).`],
        ['nixPath', `In ${NIX_MANUAL_URL} terms.`],
      ]);
    });

    it('gives up on anything else', () => {
      assert.strictEqual(parseNixBuiltinDump([]), undefined);
      assert.strictEqual(parseNixBuiltinDump({ map: 'x' }), undefined);
      assert.strictEqual(parseNixBuiltinDump(null), undefined);
    });

    it('reads what the installed Nix prints', function () {
      const dumps = ['__dump-language', '__dump-builtins'].map((argument) => spawnSync('nix', [argument], { encoding: 'utf8', timeout: 20_000 }));
      if (dumps[0].error) this.skip(); // `nix` is not installed (.ci/run installs nix-bin)
      const output = dumps.find((dump) => dump.status === 0);
      assert.ok(output, 'one of `nix __dump-language` and `nix __dump-builtins` succeeds');
      const raw = JSON.parse(output.stdout) as Record<string, unknown>;
      const docs = parseNixBuiltinDump(raw);
      assert.ok(docs && docs.size > 50, 'most builtins have docs');
      const entries = (typeof raw.builtins === 'object' && raw.builtins !== null && !('args' in raw.builtins) ? raw.builtins : raw) as Record<string, { doc: string }>;
      const expected = entries.map.doc.trim();
      if (expected.includes('@docroot@')) assert.ok(!docs.get('map')?.includes('@docroot@'), 'manual links point online');
      else assert.strictEqual(docs.get('map'), expected);
      assert.ok(builtinMarkdown(BUILTINS.get('map')!, docs).endsWith(docs.get('map') as string));
    });
  });
});

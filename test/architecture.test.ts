// Checks the invariants of ARCHITECTURE.md and the house style that code review would otherwise
// have to catch: the import direction between server/src folders, who may import the grammar
// and the LSP libraries, and that every rule has one name everywhere (file, id, doc, fixtures).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES } from 'nixguard';
import type { Rule } from 'nixguard';
import { REPOSITORY_ROOT, RULE_DOCS, RULE_FIXTURES, SERVER_SOURCE } from './helpers/paths';
import { filesUnder } from './helpers/files';

/** Layer of each server/src folder: a folder may import only from its own or lower layers. */
const LAYERS: Readonly<Record<string, number>> = { syntax: 0, analysis: 1, rules: 2, features: 3, lsp: 4, cli: 5 };
/** Top-level files (the library's public API) sit above every folder. */
const ROOT_LAYER = 6;

const GRAMMAR_MODULES = /^(@nixguard\/tree-sitter-nix|tree-sitter|tree-sitter-nix)(\/|$)/;
const LSP_MODULES = /^vscode-languageserver/;
/** Node modules that do IO; only lsp/ and cli/ may use them. */
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|tls|readline|worker_threads|cluster)$/;
const SERVER_MANIFEST = path.join(REPOSITORY_ROOT, 'server', 'package.json');
const RULE_SUPPORT_FILES = new Set(['index.ts', 'runner.ts', 'types.ts']);
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const DOC_SECTIONS = ['Why', 'Incorrect', 'Correct', 'Fix', 'Options', 'References'];
const MAX_MESSAGE_LENGTH = 100;

interface ImportStatement {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** `import`/`export ... from`, `import x = require()`, `require()` and `import()` of one file. */
function importsOf(file: string): ImportStatement[] {
  const text = fs.readFileSync(file, 'utf8');
  const patterns = [
    /^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\bimport\s+(type\s+)?\w+\s*=\s*require\(\s*['"]([^'"]+)['"]\s*\)/g,
    /(?<![.\w])(require|import)\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  const found: ImportStatement[] = [];
  const seen = new Set<string>();
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[match.length - 1];
      // The match ends on the line holding the specifier, even for multi-line imports.
      const line = text.slice(0, (match.index ?? 0) + match[0].length).split('\n').length;
      const key = `${line}:${specifier}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const typeOnly = /^\s*(import|export)\s+type\b/.test(match[0]);
      found.push({ file, line, specifier, typeOnly });
    }
  }
  return found;
}

/** The server/src folder a file belongs to, or '' for top-level files. */
function folderOf(file: string): string {
  const relative = path.relative(SERVER_SOURCE, file).split(path.sep);
  return relative.length > 1 ? relative[0] : '';
}

function layerOf(folder: string): number | undefined {
  return folder === '' ? ROOT_LAYER : LAYERS[folder];
}

function where(statement: ImportStatement): string {
  return `server/src/${path.relative(SERVER_SOURCE, statement.file).split(path.sep).join('/')}:${statement.line} imports '${statement.specifier}'`;
}

/** Fails with the ids each side lacks, which reads better than a diff of two long lists. */
function assertSameIds(leftLabel: string, left: readonly string[], rightLabel: string, right: readonly string[]): void {
  const onlyLeft = left.filter((id) => !right.includes(id));
  const onlyRight = right.filter((id) => !left.includes(id));
  const lines: string[] = [];
  if (onlyLeft.length > 0) lines.push(`in ${leftLabel} but not in ${rightLabel}: ${onlyLeft.join(', ')}`);
  if (onlyRight.length > 0) lines.push(`in ${rightLabel} but not in ${leftLabel}: ${onlyRight.join(', ')}`);
  if (lines.length > 0) assert.fail(lines.join('\n'));
}

const sourceFiles = filesUnder(SERVER_SOURCE, (name) => name.endsWith('.ts'));
const allImports = sourceFiles.flatMap(importsOf);

describe('architecture', () => {
  describe('layers (ARCHITECTURE.md, "Invariants")', () => {
    it('finds the import statements it checks', () => {
      assert.ok(sourceFiles.length > 10, 'server/src should hold the sources');
      assert.ok(allImports.some((s) => s.specifier.startsWith('../syntax/')), 'the import scanner finds relative imports');
    });

    it('places every server/src folder in a layer', () => {
      const folders = fs.readdirSync(SERVER_SOURCE, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
      const unknown = folders.filter((folder) => LAYERS[folder] === undefined);
      assert.deepStrictEqual(unknown, [], `add these folders to LAYERS in test/architecture.test.ts and ARCHITECTURE.md: ${unknown.join(', ')}`);
    });

    it('imports only from the same or a lower layer (syntax ← analysis ← rules ← features ← lsp ← cli)', () => {
      const violations: string[] = [];
      for (const statement of allImports) {
        if (!statement.specifier.startsWith('.')) continue;
        const from = folderOf(statement.file);
        const target = path.resolve(path.dirname(statement.file), statement.specifier);
        if (target === SERVER_MANIFEST) continue; // the package's version and name
        if (!target.startsWith(SERVER_SOURCE + path.sep)) {
          violations.push(`${where(statement)}, outside server/src`);
          continue;
        }
        // `../rules` is the folder's index.ts; `../rules/runner` a file in it.
        const to = fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.basename(target) : folderOf(target + '.ts');
        const fromLayer = layerOf(from);
        const toLayer = layerOf(to);
        if (fromLayer === undefined || toLayer === undefined) continue;
        if (toLayer > fromLayer) violations.push(`${where(statement)}: ${from || 'the top level'} must not depend on ${to || 'the top level'}`);
      }
      assert.deepStrictEqual(violations, []);
    });

    it('lets only syntax/ import the grammar binding and tree-sitter, types included', () => {
      const violations = allImports.filter((s) => GRAMMAR_MODULES.test(s.specifier) && folderOf(s.file) !== 'syntax').map(where);
      assert.deepStrictEqual(violations, []);
    });

    it('lets only lsp/ import vscode-languageserver*', () => {
      const violations = allImports.filter((s) => LSP_MODULES.test(s.specifier) && folderOf(s.file) !== 'lsp').map(where);
      assert.deepStrictEqual(violations, []);
    });

    it('keeps IO modules out of syntax/, analysis/, rules/ and features/', () => {
      const pure = new Set(['syntax', 'analysis', 'rules', 'features']);
      const violations = allImports.filter((s) => IO_MODULES.test(s.specifier) && !s.typeOnly && pure.has(folderOf(s.file))).map(where);
      assert.deepStrictEqual(violations, []);
    });
  });

  describe('rules: one name everywhere (house style items 5, 6, 7, 16)', () => {
    const rulesFolder = path.join(SERVER_SOURCE, 'rules');
    const ruleFiles = fs
      .readdirSync(rulesFolder)
      .filter((name) => name.endsWith('.ts') && !RULE_SUPPORT_FILES.has(name))
      .map((name) => name.slice(0, -'.ts'.length))
      .sort();
    const ruleIds = ALL_RULES.map((rule) => rule.id);
    const docIds = fs.existsSync(RULE_DOCS) ? fs.readdirSync(RULE_DOCS).filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -'.md'.length)).sort() : [];
    const fixtureIds = fs.existsSync(RULE_FIXTURES)
      ? fs.readdirSync(RULE_FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
      : [];

    it('names every rule in kebab-case', () => {
      assert.deepStrictEqual(ruleIds.filter((id) => !KEBAB_CASE.test(id)), []);
    });

    it('gives each rule file a default export whose id is the file name', () => {
      const mismatches: string[] = [];
      for (const name of ruleFiles) {
        const exported = (require(path.join(REPOSITORY_ROOT, 'server', 'out', 'rules', `${name}.js`)) as { default?: Rule }).default;
        if (!exported) mismatches.push(`server/src/rules/${name}.ts has no default export`);
        else if (exported.id !== name) mismatches.push(`server/src/rules/${name}.ts exports id \`${exported.id}\``);
      }
      assert.deepStrictEqual(mismatches, []);
    });

    it('starts each rule file with a header comment naming the rule', () => {
      const missing = ruleFiles.filter((name) => !fs.readFileSync(path.join(rulesFolder, `${name}.ts`), 'utf8').startsWith(`// ${name}: `));
      assert.deepStrictEqual(missing, [], 'rule files should start with `// <id>: what it flags`, then why and a before → after example');
    });

    it('lists every rule in rules/index.ts, sorted by id', () => {
      assertSameIds('server/src/rules/<id>.ts', ruleFiles, 'ALL_RULES', ruleIds);
      const index = fs.readFileSync(path.join(rulesFolder, 'index.ts'), 'utf8');
      const imported = [...index.matchAll(/^import \w+ from '\.\/([^']+)';$/gm)].map((m) => m[1]);
      assertSameIds('server/src/rules/<id>.ts', ruleFiles, 'the imports of rules/index.ts', imported);
      assert.deepStrictEqual(imported, [...imported].sort(), 'rules/index.ts imports the rules sorted by id');
      assert.deepStrictEqual(ruleIds, [...ruleIds].sort(), 'ALL_RULES is sorted by id');
    });

    it('has docs/rules/<id>.md for exactly the rules', () => {
      assertSameIds('ALL_RULES', ruleIds, 'docs/rules/<id>.md', docIds);
    });

    it('has fixtures/rules/<id>/ for exactly the rules', () => {
      assertSameIds('ALL_RULES', ruleIds, 'fixtures/rules/<id>/', fixtureIds);
    });

    it('keeps messages at most 100 characters, without a trailing period', () => {
      const bad: string[] = [];
      for (const rule of ALL_RULES) {
        for (const [messageId, template] of Object.entries(rule.meta.messages)) {
          if (template.length > MAX_MESSAGE_LENGTH) bad.push(`${rule.id}.${messageId} has ${template.length} characters`);
          if (/\.\s*$/.test(template)) bad.push(`${rule.id}.${messageId} ends with a period`);
          if (template.trim() === '') bad.push(`${rule.id}.${messageId} is empty`);
        }
        if (rule.meta.description.length > MAX_MESSAGE_LENGTH || /\.\s*$/.test(rule.meta.description)) bad.push(`${rule.id}: description must be one line, ≤ 100 characters, no period`);
      }
      assert.deepStrictEqual(bad, []);
    });

    it('gives every rule doc the id as title, the description, then the required sections in order', () => {
      const problems: string[] = [];
      for (const rule of ALL_RULES) {
        const file = path.join(RULE_DOCS, `${rule.id}.md`);
        if (!fs.existsSync(file)) continue; // reported by the docs/rules test above
        const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
        const title = lines.findIndex((line) => line.trim() !== '');
        if (lines[title] !== `# ${rule.id}`) problems.push(`docs/rules/${rule.id}.md: the first line must be \`# ${rule.id}\``);
        const firstParagraph = lines.slice(title + 1).find((line) => line.trim() !== '');
        if (firstParagraph?.trim() !== rule.meta.description) problems.push(`docs/rules/${rule.id}.md: the line after the title must be the description "${rule.meta.description}"`);
        const sections = lines.filter((line) => line.startsWith('## ')).map((line) => line.slice(3).trim());
        const required = sections.filter((section) => DOC_SECTIONS.includes(section));
        if (required.join(',') !== DOC_SECTIONS.join(',')) {
          problems.push(`docs/rules/${rule.id}.md: sections are [${sections.join(', ')}], need ${DOC_SECTIONS.map((s) => `## ${s}`).join(', ')} in that order`);
        }
      }
      assert.deepStrictEqual(problems, []);
    });
  });

  describe('grammar binding', () => {
    it('has node-kinds.js and node-kinds.d.ts generated from the current node-types.json', () => {
      const script = path.join(REPOSITORY_ROOT, 'grammars', 'tree-sitter-nix', 'scripts', 'generate-node-types.js');
      const result = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
      assert.strictEqual(result.status, 0, `generate-node-types.js --check failed:\n${result.stderr}${result.stdout}`);
    });
  });
});

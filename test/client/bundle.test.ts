// The server the VS Code extension ships (client/scripts/build.js) runs on its own. It is built
// into a temporary folder outside the repository, so Node cannot fall back to the checkout's
// node_modules or docs: what works here works in the installed extension.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { promisify } from 'util';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol/lib/common/api';
import { REPOSITORY_ROOT } from '../helpers/paths';
import { applyEdits, TestClient } from '../lsp/client';
import { filesUnder } from '../helpers/files';

const run = promisify(execFile);
const BUILD_SCRIPT = path.join(REPOSITORY_ROOT, 'client', 'scripts', 'build.js');
const SERVER_VERSION = (JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'server', 'package.json'), 'utf8')) as { version: string }).version;
const BOOL_COMPARISON = '{ x }: { enable = x == true; }\n';

describe('VS Code extension bundle', function () {
  this.timeout(120_000);
  let root: string;
  let dist: string;
  let serverEntry: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-bundle-'));
    dist = path.join(root, 'dist');
    await run(process.execPath, [BUILD_SCRIPT, '--outdir', dist], { cwd: REPOSITORY_ROOT });
    serverEntry = path.join(dist, 'server', 'out', 'cli', 'main.js');
  });

  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('holds the extension, the server, its docs and the native addons for this platform', () => {
    const files = filesUnder(dist).map((file) => path.relative(dist, file));
    for (const expected of ['extension.js', 'server/out/cli/main.js', 'server/out/cli/check-worker.js', 'server/out/rule-docs.json', 'server/package.json', 'nixguard.schema.json', 'THIRD_PARTY_NOTICES.md']) {
      assert.ok(files.includes(expected.split('/').join(path.sep)), `${expected} is missing from ${files.join(', ')}`);
    }
    const addons = files.filter((file) => file.endsWith('.node'));
    assert.strictEqual(addons.length, 2, `expected the tree-sitter and grammar addons, got ${addons.join(', ')}`);
    assert.ok(!files.some((file) => file.endsWith('.ts') || file.endsWith('.map') || file.endsWith('.c')), `sources in the bundle: ${files.join(', ')}`);
  });

  it('refers to no file of the checkout', () => {
    for (const file of filesUnder(dist, (name) => /\.(js|json|md)$/.test(name))) {
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(!text.includes(REPOSITORY_ROOT), `${path.relative(dist, file)} mentions ${REPOSITORY_ROOT}`);
    }
  });

  it('prints its version and explains a rule from the docs bundled with it', async () => {
    const version = await run(process.execPath, [serverEntry, '--version'], { cwd: root });
    assert.strictEqual(version.stdout.trim(), SERVER_VERSION);
    const explained = await run(process.execPath, [serverEntry, 'explain', 'bool-comparison'], { cwd: root });
    assert.strictEqual(explained.stdout, fs.readFileSync(path.join(REPOSITORY_ROOT, 'docs', 'rules', 'bool-comparison.md'), 'utf8'));
  });

  it('checks files on worker threads', async () => {
    const folder = path.join(root, 'project');
    fs.mkdirSync(folder, { recursive: true });
    for (const name of ['a.nix', 'b.nix', 'c.nix']) fs.writeFileSync(path.join(folder, name), BOOL_COMPARISON);
    // Exit status 0: bool-comparison is a warning.
    const { stdout } = await run(process.execPath, [serverEntry, 'check', '--jobs', '2', '--format', 'json', 'project'], { cwd: root });
    const report = JSON.parse(stdout) as { files: { path: string; findings: { rule: string }[] }[] };
    assert.deepStrictEqual(
      report.files.map((file) => [file.path, file.findings.map((finding) => finding.rule)]),
      ['a.nix', 'b.nix', 'c.nix'].map((name) => [`project/${name}`, ['bool-comparison']]),
    );
  });

  it('answers over stdio: diagnostics for an opened file and a fix-all that removes them', async () => {
    const { client, initializeResult } = await TestClient.start({ serverEntry, cwd: root });
    try {
      assert.deepStrictEqual(initializeResult.serverInfo, { name: 'nixguard', version: SERVER_VERSION });
      const uri = pathToFileURL(path.join(root, 'project', 'open.nix')).toString();
      client.open(uri, BOOL_COMPARISON);
      const diagnostics: Diagnostic[] = await client.diagnosticsAt(uri, 1);
      assert.deepStrictEqual(
        diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.source]),
        [['bool-comparison', 'nixguard']],
      );
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      });
      const fixAll = actions.find((action) => action.kind === 'source.fixAll.nixguard');
      const change = fixAll?.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
      assert.ok(change, `no fix-all edit in ${JSON.stringify(actions)}`);
      assert.strictEqual(applyEdits(BOOL_COMPARISON, change.edits as TextEdit[]), '{ x }: { enable = x; }\n');
      assert.strictEqual(await client.shutdownAndExit(), 0);
    } finally {
      client.kill();
    }
  });
});

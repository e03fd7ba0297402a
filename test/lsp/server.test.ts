// The language server end to end: spawn it over stdio, open and edit documents, read
// diagnostics, request and apply code actions, configure rules.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, InitializeResult, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol/lib/common/api';
import { applyEdits, ClientOptions, documentUri, PULL_CLIENT_CAPABILITIES, PUSH_CLIENT_CAPABILITIES, TestClient } from './client';
import { seededRandom } from '../helpers/seeded-random';

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}

/** The text edits of a code action's workspace edit for `uri`, whichever form it uses. */
function editsOf(action: CodeAction, uri: string): TextEdit[] {
  const edit = action.edit;
  assert.ok(edit, `code action "${action.title}" has an edit`);
  if (edit.documentChanges) return (edit.documentChanges as TextDocumentEdit[]).filter((c) => c.textDocument.uri === uri).flatMap((c) => c.edits as TextEdit[]);
  return (edit.changes?.[uri] ?? []) as TextEdit[];
}

/** Moves an offset off the middle of a surrogate pair or a CRLF, where editors never put one. */
function safeOffset(text: string, offset: number): number {
  const code = text.charCodeAt(offset);
  if (code >= 0xdc00 && code <= 0xdfff) return offset - 1;
  if (code === 10 && text.charCodeAt(offset - 1) === 13) return offset - 1;
  return offset;
}

/** The LSP position (UTF-16) of an offset, computed independently of the server. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** One server for the tests of a `describe` (they use distinct documents), killed after them. */
function sharedServer(options: ClientOptions = {}): () => TestClient {
  let client: TestClient | undefined;
  before(async function () {
    ({ client } = await TestClient.start(options));
  });
  after(function () {
    client?.kill();
  });
  return () => client as TestClient;
}

describe('lsp server', function () {
  let client: TestClient;
  let initializeResult: InitializeResult;

  afterEach(function () {
    client?.kill();
  });

  describe('initialize', function () {
    it('announces incremental sync, code action kinds and push diagnostics to a push client', async function () {
      ({ client, initializeResult } = await TestClient.start());
      const capabilities = initializeResult.capabilities;
      assert.deepStrictEqual(capabilities.textDocumentSync && typeof capabilities.textDocumentSync === 'object' ? capabilities.textDocumentSync.change : undefined, 2);
      const codeActionProvider = capabilities.codeActionProvider;
      assert.ok(codeActionProvider && typeof codeActionProvider === 'object');
      assert.deepStrictEqual(codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.nixguard']);
      assert.strictEqual(capabilities.diagnosticProvider, undefined);
      assert.strictEqual(initializeResult.serverInfo?.name, 'nixguard');
    });

    it('announces pull diagnostics to a client that pulls', async function () {
      ({ client, initializeResult } = await TestClient.start({ capabilities: PULL_CLIENT_CAPABILITIES }));
      assert.ok(initializeResult.capabilities.diagnosticProvider);
    });
  });

  describe('push diagnostics', function () {
    const server = sharedServer();
    let client: TestClient;
    beforeEach(function () {
      client = server();
    });

    it('publishes diagnostics on open with UTF-16 ranges after é, CJK and emoji', async function () {
      const uri = documentUri();
      const line = '  s = "é 中文 😀"; /* 🎉 é */ b = x == true;';
      const text = `x: {\n${line}\n}\n`;
      client.open(uri, text);
      const [diagnostic] = await client.diagnosticsAt(uri, 1);
      assert.strictEqual(diagnostic.code, 'bool-comparison');
      assert.strictEqual(diagnostic.source, 'nixguard');
      assert.strictEqual(diagnostic.severity, 2);
      assert.strictEqual(diagnostic.codeDescription?.href, 'https://github.com/nixguard/nixguard/blob/main/docs/rules/bool-comparison.md');
      const start = line.indexOf('x == true');
      assert.deepStrictEqual(diagnostic.range, { start: { line: 1, character: start }, end: { line: 1, character: start + 'x == true'.length } });
      // The JS index is the UTF-16 index: the emoji count twice, é and CJK once.
      assert.strictEqual(start, [...line.slice(0, start)].length + 2);
    });

    it('reports syntax errors with a range on the offending line', async function () {
      const uri = documentUri();
      client.open(uri, '{\n  a = "ü";\n  b = 2\n}\n');
      const diagnostics = await client.diagnosticsAt(uri, 1);
      assert.deepStrictEqual(codes(diagnostics), ['syntax-error']);
      assert.strictEqual(diagnostics[0].severity, 1);
      assert.ok(diagnostics[0].range.start.line >= 2, JSON.stringify(diagnostics[0].range));
    });

    it('updates diagnostics after incremental edits to equal those of a fresh open of the final text', async function () {
      const uri = documentUri();
      let text = 'x: y: z: {\n  a = "😀"; b = x == true;\n  c = 1;\n}\n';
      client.open(uri, text, 1);
      await client.diagnosticsAt(uri, 1);
      const edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[][] = [
        // Several content changes in one notification, each relative to the text left by the previous one.
        [
          { range: { start: { line: 2, character: 6 }, end: { line: 2, character: 7 } }, text: 'y != false' },
          { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '  # 中文 comment\n' },
        ],
        // Delete the first finding's `== true` (line 2 now, after the inserted comment).
        [{ range: { start: { line: 2, character: 17 }, end: { line: 2, character: 25 } }, text: '' }],
        // A multi-line insertion that breaks the syntax, then one that repairs it.
        [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '  d = [ 1 2\n  e = 🎉;\n' }],
        [{ range: { start: { line: 4, character: 11 }, end: { line: 4, character: 11 } }, text: ' ];' }],
        [{ range: { start: { line: 5, character: 6 }, end: { line: 5, character: 8 } }, text: 'true == z' }],
        [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '  f = ;\n' }],
      ];
      let version = 1;
      for (const changes of edits) {
        version++;
        for (const change of changes) text = applyEdits(text, [{ range: change.range, newText: change.text }]);
        client.change(uri, version, changes);
      }
      const incremental = await client.diagnosticsAt(uri, version);
      const freshUri = documentUri();
      client.open(freshUri, text, 1);
      const fresh = await client.diagnosticsAt(freshUri, 1);
      assert.deepStrictEqual(incremental, fresh);
      assert.deepStrictEqual(codes(fresh).sort(), ['bool-comparison', 'bool-comparison', 'syntax-error']);
    });

    it('keeps the text in step through 60 random edits with non-ASCII text, several per notification', async function () {
      const random = seededRandom(2024);
      const snippets = ['é', '中文', '😀', '\n', ' == true', 'x', '{ a = 1; }', ';', '"s"', ' # 🎉\n', '}', '(', ' != false'];
      const uri = documentUri();
      let text = '{\n  a = "é 中 😀"; b = x == true;\n  c = [ 1 2 ];\n  d = y != false; # 注释\n}\n';
      client.open(uri, text, 1);
      await client.diagnosticsAt(uri, 1);
      let version = 1;
      for (let notification = 0; notification < 20; notification++) {
        const changes = [];
        for (let i = 0; i < 3; i++) {
          const start = safeOffset(text, Math.floor(random() * (text.length + 1)));
          const end = safeOffset(text, Math.min(text.length, start + Math.floor(random() * 6)));
          const newText = random() < 0.3 ? '' : snippets[Math.floor(random() * snippets.length)];
          const range = { start: positionAt(text, start), end: positionAt(text, end) };
          changes.push({ range, text: newText });
          text = text.slice(0, start) + newText + text.slice(end);
        }
        client.change(uri, ++version, changes);
      }
      const incremental = await client.diagnosticsAt(uri, version);
      const freshUri = documentUri();
      client.open(freshUri, text, 1);
      assert.deepStrictEqual(incremental, await client.diagnosticsAt(freshUri, 1));
      // The server's text is the client's: a fix-all computed on it applies cleanly here.
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['source.fixAll'] } });
      const freshActions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: freshUri }, range, context: { diagnostics: [], only: ['source.fixAll'] } });
      assert.deepStrictEqual(actions.map((a) => editsOf(a, uri)), freshActions.map((a) => editsOf(a, freshUri)));
    });

    it('applies a full-text change', async function () {
      const uri = documentUri();
      client.open(uri, 'x: x == true', 1);
      assert.deepStrictEqual(codes(await client.diagnosticsAt(uri, 1)), ['bool-comparison']);
      client.change(uri, 2, [{ text: 'x: x' }]);
      assert.deepStrictEqual(await client.diagnosticsAt(uri, 2), []);
    });

    it('clears diagnostics when a document closes', async function () {
      const uri = documentUri();
      client.open(uri, 'x == true', 1);
      await client.diagnosticsAt(uri, 1);
      const before = client.published.length;
      client.close(uri);
      const cleared = await client.waitForDiagnostics(uri, { after: before });
      assert.deepStrictEqual(cleared.diagnostics, []);
    });
  });

  describe('pull diagnostics', function () {
    it('answers textDocument/diagnostic and does not also push', async function () {
      ({ client } = await TestClient.start({ capabilities: PULL_CLIENT_CAPABILITIES }));
      const uri = documentUri();
      client.open(uri, 'x: { a = x == true; }', 1);
      const report = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
      assert.strictEqual(report.kind, 'full');
      assert.deepStrictEqual(report.kind === 'full' ? codes(report.items) : [], ['bool-comparison']);
      const again = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: report.resultId });
      assert.strictEqual(again.kind, 'unchanged');
      client.change(uri, 2, [{ range: { start: { line: 0, character: 10 }, end: { line: 0, character: 18 } }, text: '' }]);
      const changed = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: report.resultId });
      assert.deepStrictEqual(changed, { kind: 'full', resultId: changed.resultId, items: [] });
      // Push would have happened right after didOpen/didChange; the requests above came later.
      assert.deepStrictEqual(client.publishedFor(uri), []);
    });

    it('asks the client to pull again when the configuration changes', async function () {
      const capabilities = { ...PULL_CLIENT_CAPABILITIES, workspace: { ...PULL_CLIENT_CAPABILITIES.workspace, configuration: true, diagnostics: { refreshSupport: true } } };
      let rules = {};
      ({ client } = await TestClient.start({ capabilities, configuration: () => ({ rules }) }));
      const uri = documentUri();
      client.open(uri, 'x: x == true', 1);
      const pull = (): Promise<DocumentDiagnosticReport> => client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
      assert.deepStrictEqual(await pull().then((r) => (r.kind === 'full' ? codes(r.items) : r.kind)), ['bool-comparison']);
      rules = { 'bool-comparison': 'off' };
      client.notifyServer('workspace/didChangeConfiguration', { settings: null });
      await client.waitFor(() => client.diagnosticRefreshes > 0, 5000, 'workspace/diagnostic/refresh');
      assert.deepStrictEqual(await pull().then((r) => (r.kind === 'full' ? codes(r.items) : r.kind)), []);
    });

    it('answers an empty report for a document that is not open', async function () {
      ({ client } = await TestClient.start({ capabilities: PULL_CLIENT_CAPABILITIES }));
      const report = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: documentUri() } });
      assert.deepStrictEqual(report, { kind: 'full', items: [] });
    });
  });

  describe('code actions', function () {
    const server = sharedServer();
    let client: TestClient;
    beforeEach(function () {
      client = server();
    });
    const text = 'x: y: z: {\n  a = "é😀"; b = x == true;\n  c = y != false;\n  d = z == false;\n}\n';

    it('offers a preferred quick fix whose edit removes the finding', async function () {
      const uri = documentUri();
      client.open(uri, text, 1);
      const [diagnostic] = await client.diagnosticsAt(uri, 1);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
      assert.strictEqual(actions.length, 1, JSON.stringify(actions));
      const [action] = actions;
      assert.strictEqual(action.kind, 'quickfix');
      assert.strictEqual(action.isPreferred, true);
      assert.deepStrictEqual(action.diagnostics?.map((d) => d.range), [diagnostic.range]);
      const fixed = applyEdits(text, editsOf(action, uri));
      assert.strictEqual(fixed, text.replace('x == true', 'x'));
      client.change(uri, 2, [{ text: fixed }]);
      const after = await client.diagnosticsAt(uri, 2);
      assert.ok(!after.some((d) => d.range.start.line === 1), JSON.stringify(after));
      assert.strictEqual(after.length, 2);
    });

    it('offers no quick fix away from findings and none for a document that is not open', async function () {
      const uri = documentUri();
      client.open(uri, text, 1);
      await client.diagnosticsAt(uri, 1);
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
      assert.deepStrictEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['quickfix'] } }), []);
      assert.deepStrictEqual(await client.request('textDocument/codeAction', { textDocument: { uri: documentUri() }, range, context: { diagnostics: [] } }), []);
    });

    it('fixes every safe finding with source.fixAll', async function () {
      const uri = documentUri();
      client.open(uri, text, 1);
      await client.diagnosticsAt(uri, 1);
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['source.fixAll'] } });
      assert.deepStrictEqual(actions.map((a) => a.kind), ['source.fixAll.nixguard']);
      const fixed = applyEdits(text, editsOf(actions[0], uri));
      assert.strictEqual(fixed, 'x: y: z: {\n  a = "é😀"; b = x;\n  c = y;\n  d = !z;\n}\n');
      client.change(uri, 2, [{ text: fixed }]);
      assert.deepStrictEqual(await client.diagnosticsAt(uri, 2), []);
    });

    it('resolves fix-all lazily for a client that supports resolving edits', async function () {
      const capabilities = {
        ...PUSH_CLIENT_CAPABILITIES,
        textDocument: { ...PUSH_CLIENT_CAPABILITIES.textDocument, codeAction: { ...PUSH_CLIENT_CAPABILITIES.textDocument?.codeAction, resolveSupport: { properties: ['edit'] } } },
      };
      const { client } = await TestClient.start({ capabilities });
      try {
        const uri = documentUri();
        client.open(uri, text, 1);
        await client.diagnosticsAt(uri, 1);
        const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
        const fixAll = actions.find((a) => a.kind === 'source.fixAll.nixguard');
        assert.ok(fixAll && fixAll.edit === undefined, JSON.stringify(actions));
        const resolved = await client.request<CodeAction>('codeAction/resolve', fixAll);
        assert.strictEqual(applyEdits(text, editsOf(resolved, uri)), 'x: y: z: {\n  a = "é😀"; b = x;\n  c = y;\n  d = !z;\n}\n');
      } finally {
        client.kill();
      }
    });
  });

  describe('configuration', function () {
    it('turns a rule off through workspace/configuration and back on after didChangeConfiguration', async function () {
      let rules: Record<string, string> = { 'bool-comparison': 'off' };
      const capabilities = { ...PUSH_CLIENT_CAPABILITIES, workspace: { ...PUSH_CLIENT_CAPABILITIES.workspace, configuration: true } };
      ({ client } = await TestClient.start({ capabilities, configuration: (section) => (section === 'nixguard' ? { rules } : null) }));
      const uri = documentUri();
      client.open(uri, 'x: { a = x == true; b = ; }', 1);
      assert.deepStrictEqual(codes(await client.diagnosticsAt(uri, 1)), ['syntax-error']);
      rules = { 'bool-comparison': 'error' };
      const before = client.published.length;
      client.notifyServer('workspace/didChangeConfiguration', { settings: null });
      const republished = await client.waitForDiagnostics(uri, { after: before });
      assert.deepStrictEqual(
        republished.diagnostics.map((d) => [d.code, d.severity]),
        [
          ['bool-comparison', 1],
          ['syntax-error', 1],
        ],
      );
    });

    it('takes pushed settings from didChangeConfiguration when the client cannot be asked', async function () {
      ({ client } = await TestClient.start());
      const uri = documentUri();
      client.open(uri, 'x: x == true', 1);
      assert.deepStrictEqual(codes(await client.diagnosticsAt(uri, 1)), ['bool-comparison']);
      const before = client.published.length;
      client.notifyServer('workspace/didChangeConfiguration', { settings: { nixguard: { rules: { 'bool-comparison': 'off' } } } });
      assert.deepStrictEqual((await client.waitForDiagnostics(uri, { after: before })).diagnostics, []);
    });

    it('logs a bad setting and uses its default', async function () {
      const capabilities = { ...PUSH_CLIENT_CAPABILITIES, workspace: { ...PUSH_CLIENT_CAPABILITIES.workspace, configuration: true } };
      ({ client } = await TestClient.start({ capabilities, configuration: () => ({ rules: { 'bool-comparison': 'loud', 'no-such-rule': 'off' } }) }));
      const uri = documentUri();
      client.open(uri, 'x: x == true', 1);
      assert.deepStrictEqual(codes(await client.diagnosticsAt(uri, 1)), ['bool-comparison']);
      await client.waitFor(() => client.logs.some((l) => l.message.includes('nixguard.rules.bool-comparison')) || undefined, 5000, 'a log line about the bad setting');
      assert.ok(client.logs.some((l) => l.message.includes('no-such-rule')));
    });

    describe('with a .nixguard.json', function () {
      let directory: string;

      beforeEach(function () {
        directory = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-lsp-'));
      });

      afterEach(function () {
        fs.rmSync(directory, { recursive: true, force: true });
      });

      it('applies the nearest .nixguard.json, overridden by editor settings', async function () {
        fs.writeFileSync(path.join(directory, '.nixguard.json'), JSON.stringify({ rules: { 'bool-comparison': 'hint' } }));
        fs.mkdirSync(path.join(directory, 'sub'));
        ({ client } = await TestClient.start());
        const uri = pathToFileURL(path.join(directory, 'sub', 'a.nix')).toString();
        client.open(uri, 'x: x == true', 1);
        assert.deepStrictEqual((await client.diagnosticsAt(uri, 1)).map((d) => d.severity), [4]);
        const before = client.published.length;
        client.notifyServer('workspace/didChangeConfiguration', { settings: { nixguard: { rules: { 'bool-comparison': 'error' } } } });
        assert.deepStrictEqual((await client.waitForDiagnostics(uri, { after: before })).diagnostics.map((d) => d.severity), [1]);
      });

      it('warns once about a bad .nixguard.json, publishes its problems on it and uses the defaults', async function () {
        const configPath = path.join(directory, '.nixguard.json');
        fs.writeFileSync(configPath, '{ "rules": { "bool-comparison": "off", }');
        ({ client } = await TestClient.start());
        const configUri = pathToFileURL(configPath).toString();
        const uri = pathToFileURL(path.join(directory, 'a.nix')).toString();
        const other = pathToFileURL(path.join(directory, 'b.nix')).toString();
        client.open(uri, 'x: x == true', 1);
        client.open(other, 'y: y == true', 1);
        assert.deepStrictEqual(codes(await client.diagnosticsAt(uri, 1)), ['bool-comparison']);
        assert.deepStrictEqual(codes(await client.diagnosticsAt(other, 1)), ['bool-comparison']);
        const configDiagnostics = await client.waitForDiagnostics(configUri);
        assert.strictEqual(configDiagnostics.diagnostics.length, 1);
        assert.match(String(configDiagnostics.diagnostics[0].message), /not valid JSON/);
        assert.strictEqual(client.shownMessages.length, 1, JSON.stringify(client.shownMessages));
        assert.strictEqual(client.shownMessages[0].type, 2);
        assert.match(client.shownMessages[0].message, /\.nixguard\.json/);
        assert.ok(client.logs.some((l) => l.type === 2 && l.message.includes('not valid JSON')));
        // Fixing the file clears its diagnostics on the next check.
        fs.writeFileSync(configPath, '{ "rules": { "bool-comparison": "off" } }');
        const before = client.published.length;
        client.change(uri, 2, [{ text: 'x: x == true ' }]);
        assert.deepStrictEqual((await client.waitForDiagnostics(configUri, { after: before })).diagnostics, []);
        assert.deepStrictEqual(await client.diagnosticsAt(uri, 2), []);
      });
    });
  });
});

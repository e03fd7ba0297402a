// The server under hostile input: broken framing, unknown methods, documents that were never
// opened, huge, deeply nested and binary documents. Each answer is bounded and the server
// keeps serving, with no stack trace on stderr.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import type { Diagnostic } from 'vscode-languageserver-protocol/lib/common/api';
import { documentUri, TestClient } from './client';

/** A JSON-RPC frame around `body`, with the Content-Length `length` (the true one by default). */
function frame(body: string, length = Buffer.byteLength(body)): string {
  return `Content-Length: ${length}\r\n\r\n${body}`;
}

function assertNoStackTrace(client: TestClient): void {
  assert.doesNotMatch(client.stderr, /\n\s+at /, `stderr: ${client.stderr}`);
}

/** A request after the abuse still gets an answer: the server is alive and in sync. */
async function assertServing(client: TestClient): Promise<void> {
  const uri = documentUri();
  const published = client.published.length;
  client.open(uri, 'x: x == true', 1);
  const diagnostics = (await client.waitForDiagnostics(uri, { after: published })).diagnostics;
  assert.deepStrictEqual(diagnostics.map((d) => d.code), ['bool-comparison']);
  assert.deepStrictEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics: [], only: ['source.fixAll'] } }, 5000).then((a) => (a as unknown[]).length), 1);
}

/**
 * The editor's other requests on the document answer too, within a bound: hover and completion
 * at a few offsets, semantic tokens, inlay hints, symbols and folding. None may throw (they walk
 * trees iteratively), and a failure would show as an error answer or a stack trace on stderr.
 */
async function assertEditorRequestsAnswer(client: TestClient, uri: string, lineCount: number): Promise<void> {
  const positions = [0, Math.floor(lineCount / 2), Math.max(0, lineCount - 1)].map((line) => ({ line, character: 3 }));
  const whole = { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } };
  const requests: Array<[string, object]> = [
    ['textDocument/semanticTokens/full', { textDocument: { uri } }],
    ['textDocument/semanticTokens/range', { textDocument: { uri }, range: whole }],
    ['textDocument/inlayHint', { textDocument: { uri }, range: whole }],
    ['textDocument/documentSymbol', { textDocument: { uri } }],
    ['textDocument/foldingRange', { textDocument: { uri } }],
    ...positions.flatMap((position): Array<[string, object]> => [
      ['textDocument/hover', { textDocument: { uri }, position }],
      ['textDocument/completion', { textDocument: { uri }, position }],
      ['textDocument/definition', { textDocument: { uri }, position }],
    ]),
  ];
  const logged = client.logs.length;
  for (const [method, params] of requests) await client.request(method, params, 30_000);
  // A handler that throws is caught by guard.ts, which answers a fallback and logs "… failed".
  const failures = client.logs.slice(logged).filter((log) => /failed/.test(log.message));
  assert.deepStrictEqual(failures.map((log) => log.message.split('\n')[0]), []);
}

describe('lsp robustness', function () {
  this.timeout(60_000);
  let client: TestClient;

  beforeEach(async function () {
    ({ client } = await TestClient.start());
  });

  afterEach(function () {
    client.kill();
  });

  describe('malformed messages', function () {
    it('keeps serving after a body that is not JSON', async function () {
      client.writeRaw(frame('{"jsonrpc": "2.0", "id": 99, "method": '));
      client.writeRaw(frame('\u0000\u0001 not json at all'));
      await assertServing(client);
      assertNoStackTrace(client);
    });

    it('keeps serving after a Content-Length shorter than the body', async function () {
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: documentUri(), languageId: 'nix', version: 1, text: 'a' } } });
      client.writeRaw(frame(body, 20));
      await assertServing(client);
      assertNoStackTrace(client);
    });

    it('keeps serving after a Content-Length longer than the body', async function () {
      const body = JSON.stringify({ jsonrpc: '2.0', method: '$/noSuchNotification', params: {} });
      client.writeRaw(frame(body, body.length + 500));
      await assertServing(client);
      assert.ok(client.logs.some((log) => /malformed input/.test(log.message)), JSON.stringify(client.logs));
      assertNoStackTrace(client);
    });

    it('keeps serving after headers without a Content-Length and plain junk', async function () {
      client.writeRaw('Content-Type: application/vscode-jsonrpc\r\n\r\n{"jsonrpc":"2.0"}');
      client.writeRaw('Content-Length: many\r\n\r\n');
      client.writeRaw(randomBytes(4096));
      client.writeRaw('\r\n\r\n');
      await assertServing(client);
      assertNoStackTrace(client);
    });

    it('keeps serving after a valid JSON value that is not a message', async function () {
      client.writeRaw(frame('[1, 2, 3]'));
      client.writeRaw(frame('{"jsonrpc": "2.0", "id": 5, "method": "textDocument/codeAction", "params": 42}'));
      await assertServing(client);
      assertNoStackTrace(client);
    });
  });

  describe('protocol misuse', function () {
    it('answers MethodNotFound for an unknown request and ignores unknown notifications', async function () {
      client.notifyServer('nixguard/noSuchNotification', {});
      client.notifyServer('$/noSuchNotification', {});
      await assert.rejects(client.request('nixguard/noSuchRequest', {}), (error: { code?: number }) => error.code === -32601);
      await assertServing(client);
    });

    it('answers empty results for documents that are not open', async function () {
      const uri = documentUri();
      const range = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
      assert.deepStrictEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } }), []);
      client.change(uri, 2, [{ text: 'x == true' }]);
      client.close(uri);
      await assertServing(client);
    });

    it('clamps positions past the end of the document', async function () {
      const uri = documentUri();
      client.open(uri, 'x: x == true', 1);
      await client.diagnosticsAt(uri, 1);
      client.change(uri, 2, [{ range: { start: { line: 99, character: 5 }, end: { line: 120, character: 0 } }, text: '\n# end' }]);
      assert.deepStrictEqual((await client.diagnosticsAt(uri, 2)).map((d) => d.code), ['bool-comparison']);
      const range = { start: { line: 50, character: 0 }, end: { line: 60, character: 999 } };
      assert.deepStrictEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['quickfix'] } }), []);
    });

    it('answers RequestCancelled to a request cancelled before it ran', async function () {
      const uri = documentUri();
      client.open(uri, 'x: x == true', 1);
      await client.diagnosticsAt(uri, 1);
      // Raw frames in one write, so the cancellation reaches the server before the request runs.
      const id = 'cancel-me';
      let output = '';
      client.child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const request = JSON.stringify({ jsonrpc: '2.0', id, method: 'textDocument/codeAction', params: { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } }, context: { diagnostics: [] } } });
      const cancel = JSON.stringify({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } });
      client.writeRaw(frame(request) + frame(cancel));
      const answer = await client.waitFor(() => /"id":"cancel-me","(result|error)":(\{"code":(-?\d+))?/.exec(output) ?? undefined, 5000, 'the cancelled request to be answered');
      assert.strictEqual(answer[3], '-32800', output);
      await assertServing(client);
    });
  });

  describe('pathological documents', function () {
    const lastUri = { value: '' };
    function expectBounded(text: string, limitMs: number): Promise<Diagnostic[]> {
      const uri = documentUri();
      lastUri.value = uri;
      const started = Date.now();
      client.open(uri, text, 1);
      return client.diagnosticsAt(uri, 1, limitMs).then((diagnostics) => {
        assert.ok(Date.now() - started < limitMs);
        return diagnostics;
      });
    }

    it('answers a 10 MB document with one information diagnostic and keeps editing it', async function () {
      const line = '  hello = callPackage ../pkgs/hello { enable = x == true; };\n';
      const text = `x: {\n${line.repeat(Math.ceil((10 * 1024 * 1024) / line.length))}}\n`;
      const diagnostics = await expectBounded(text, 30_000);
      assert.strictEqual(diagnostics.length, 1);
      assert.strictEqual(diagnostics[0].severity, 3);
      assert.match(String(diagnostics[0].message), /skips files larger than/);
      const uri = lastUri.value;
      const end = { line: text.split('\n').length - 1, character: 0 };
      client.change(uri, 2, [{ range: { start: end, end }, text: '# more\n' }]);
      assert.strictEqual((await client.diagnosticsAt(uri, 2, 30_000)).length, 1);
      // Shrunk below the limit, it is analysed again.
      client.change(uri, 3, [{ range: { start: { line: 1, character: 0 }, end }, text: 'a = x == true;\n}\n' }]);
      assert.deepStrictEqual((await client.diagnosticsAt(uri, 3, 30_000)).map((d) => d.code), ['bool-comparison']);
      await assertServing(client);
    });

    for (const [name, open, inner, close] of [
      ['lists', '[', '1', ']'],
      ['attribute sets', '{a=', '1', ';}'],
      ['parentheses', '(', 'x == true', ')'],
    ] as const) {
      it(`answers 10,000 nested ${name}`, async function () {
        const diagnostics = await expectBounded(open.repeat(10_000) + inner + close.repeat(10_000), 30_000);
        assert.ok(diagnostics.length <= 10, JSON.stringify(diagnostics.slice(0, 3)));
        await assertEditorRequestsAnswer(client, lastUri.value, 1);
        await assertServing(client);
        assertNoStackTrace(client);
      });
    }

    it('answers 10,000 unclosed brackets with a bounded number of syntax errors', async function () {
      const diagnostics = await expectBounded('[({'.repeat(10_000), 30_000);
      assert.ok(diagnostics.length >= 1 && diagnostics.length <= 100, String(diagnostics.length));
      await assertEditorRequestsAnswer(client, lastUri.value, 1);
      await assertServing(client);
    });

    it('answers binary junk with NUL bytes with one information diagnostic, and analyses it once the NULs are gone', async function () {
      const junk = randomBytes(256 * 1024).toString('latin1') + '\u0000'.repeat(1000);
      const diagnostics = await expectBounded(junk, 30_000);
      assert.deepStrictEqual(diagnostics.map((d) => [d.code, d.severity]), [['file-skipped', 3]]);
      assert.match(String(diagnostics[0].message), /NUL/);
      const uri = lastUri.value;
      const withoutNul = junk.replace(/\u0000/g, '');
      client.change(uri, 2, [{ text: withoutNul }]);
      const analysed = await client.diagnosticsAt(uri, 2, 30_000);
      assert.ok(analysed.length >= 1 && analysed.length <= 2000, String(analysed.length));
      assert.ok(analysed.some((d) => d.code === 'syntax-error'));
      await assertServing(client);
      assertNoStackTrace(client);
    });

    it('answers random text without NULs with a bounded number of diagnostics', async function () {
      const junk = randomBytes(128 * 1024).toString('utf8').replace(/\u0000/g, ' ');
      const diagnostics = await expectBounded(junk, 30_000);
      assert.ok(diagnostics.length >= 1 && diagnostics.length <= 2000, String(diagnostics.length));
      await assertEditorRequestsAnswer(client, lastUri.value, junk.split('\n').length);
      await assertServing(client);
      assertNoStackTrace(client);
    });
  });
});

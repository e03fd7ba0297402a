// The document symbol limits over stdio: a huge file's outline is cut at 2,000 symbols and 4
// levels, and the server says so in the client's log, once per document version however often
// the outline is asked for.
import * as assert from 'assert';
import type { ClientCapabilities, DocumentSymbol, LogMessageParams } from 'vscode-languageserver-protocol/lib/common/api';
import { documentUri, PUSH_CLIENT_CAPABILITIES, TestClient } from './client';

/** `MessageType.Info` (the protocol package is imported for types only). */
const INFO = 3;

const CAPABILITIES: ClientCapabilities = {
  ...PUSH_CLIENT_CAPABILITIES,
  textDocument: { ...PUSH_CLIENT_CAPABILITIES.textDocument, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
};

/** `count` top-level bindings, each holding sets nested six deep. */
function hugeFile(count: number): string {
  const lines = ['{'];
  for (let i = 0; i < count; i++) lines.push(`  service${i} = { a = { b = { c = { d = { e = { port = ${i}; }; }; }; }; }; };`);
  lines.push('}', '');
  return lines.join('\n');
}

/** Symbols at every level of an outline. */
function countSymbols(symbols: readonly DocumentSymbol[]): number {
  let count = 0;
  const pending = [...symbols];
  for (let symbol = pending.pop(); symbol; symbol = pending.pop()) {
    count++;
    pending.push(...(symbol.children ?? []));
  }
  return count;
}

describe('lsp document symbol limits', function () {
  this.timeout(60_000);
  let client: TestClient;
  const hugeUri = documentUri('huge.nix');
  const deepUri = documentUri('deep.nix');
  const smallUri = documentUri('small.nix');
  const outlineLogs = (uri: string): LogMessageParams[] => client.logs.filter((log) => log.message.startsWith(`document symbols of ${uri} `));
  const symbolsOf = (uri: string): Promise<DocumentSymbol[]> => client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }, 30_000);

  before(async function () {
    ({ client } = await TestClient.start({ capabilities: CAPABILITIES }));
  });

  after(function () {
    client?.kill();
  });

  it('logs once per version that a huge outline stops at 2,000 symbols', async function () {
    const text = hugeFile(3000);
    client.open(hugeUri, text, 1);
    const first = await symbolsOf(hugeUri);
    assert.strictEqual(countSymbols(first), 2000);
    for (let i = 0; i < 3; i++) await symbolsOf(hugeUri);
    assert.deepStrictEqual(outlineLogs(hugeUri), [
      {
        type: INFO,
        message: `document symbols of ${hugeUri} (version 1): showing 2000 symbols; the outline stops at 2000 symbols (shallow bindings first)`,
      },
    ]);

    // A new version is told again, once.
    client.change(hugeUri, 2, [{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } }, text: 'renamed' }]);
    const second = await symbolsOf(hugeUri);
    assert.strictEqual(second[0].name, 'renamed0');
    await symbolsOf(hugeUri);
    assert.deepStrictEqual(
      outlineLogs(hugeUri).map((log) => log.message.replace(hugeUri, 'URI')),
      [
        'document symbols of URI (version 1): showing 2000 symbols; the outline stops at 2000 symbols (shallow bindings first)',
        'document symbols of URI (version 2): showing 2000 symbols; the outline stops at 2000 symbols (shallow bindings first)',
      ],
    );
  });

  it('names the depth limit when only nesting was cut', async function () {
    client.open(deepUri, hugeFile(10), 1);
    const symbols = await symbolsOf(deepUri);
    // Four levels of each of the ten bindings: serviceN, a, b, c.
    assert.strictEqual(countSymbols(symbols), 40);
    await symbolsOf(deepUri);
    assert.deepStrictEqual(
      outlineLogs(deepUri).map((log) => log.message),
      [`document symbols of ${deepUri} (version 1): showing 40 symbols; it leaves out bindings nested more than 4 levels deep`],
    );
  });

  it('logs nothing for an outline that is complete', async function () {
    client.open(smallUri, '{ a = { b = 1; }; c = 2; }\n', 1);
    assert.strictEqual(countSymbols(await symbolsOf(smallUri)), 3);
    assert.deepStrictEqual(outlineLogs(smallUri), []);
  });
});

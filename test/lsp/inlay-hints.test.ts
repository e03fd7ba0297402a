// Inlay hints and the systemd hover end to end: the real server over stdio. The capability is
// declared to every client (here one that says nothing about inlay hints, like Neovim 0.7); hints
// come per range, at UTF-16 positions (non-ASCII text precedes a service name), and follow edits.
import * as assert from 'assert';
import type { ClientCapabilities, Hover, InitializeResult, InlayHint, MarkupContent, Position, Range } from 'vscode-languageserver-protocol/lib/common/api';
import { documentUri, PUSH_CLIENT_CAPABILITIES, TestClient } from './client';

const TEXT = [
  '{ pkgs, ... }: {', // 0
  '  /* é😀 */ systemd.services.web = { script = "exec ${pkgs.hello}/bin/hello"; };', // 1
  '  systemd.services.db = { script = "x"; serviceConfig.DynamicUser = true; };', // 2
  '  systemd.services.nginx.serviceConfig.ProtectHome = true;', // 3
  '}',
  '',
].join('\n');

/** The position just after the first `needle` on `line` (characters are UTF-16 units, like JavaScript's). */
function endOf(line: number, needle: string): Position {
  const text = TEXT.split('\n')[line];
  const index = text.indexOf(needle);
  assert.ok(index >= 0, needle);
  return { line, character: index + needle.length };
}

function lines(first: number, last: number): Range {
  return { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } };
}

describe('lsp inlay hints and systemd hover', function () {
  this.timeout(30_000);
  let client: TestClient;
  let initializeResult: InitializeResult;
  const uri = documentUri('services.nix');
  const capabilities: ClientCapabilities = {
    ...PUSH_CLIENT_CAPABILITIES,
    textDocument: { ...PUSH_CLIENT_CAPABILITIES.textDocument, hover: { contentFormat: ['markdown', 'plaintext'] } },
  };

  const hints = (range: Range): Promise<InlayHint[] | null> => client.request<InlayHint[] | null>('textDocument/inlayHint', { textDocument: { uri }, range });

  before(async () => {
    ({ client, initializeResult } = await TestClient.start({ capabilities }));
    client.open(uri, TEXT);
    await client.diagnosticsAt(uri, 1);
  });
  after(() => client.kill());

  it('declares inlay hints statically, to a client that does not mention them', () => {
    assert.strictEqual(capabilities.textDocument?.inlayHint, undefined);
    assert.deepStrictEqual(initializeResult.capabilities.inlayHintProvider, { resolveProvider: false });
  });

  it('puts the score after each scored service name, at UTF-16 positions', async () => {
    const result = await hints(lines(0, 4));
    assert.deepStrictEqual(
      result?.map((hint) => ({ position: hint.position, label: hint.label, paddingLeft: hint.paddingLeft })),
      [
        { position: endOf(1, 'services.web'), label: '9.6 UNSAFE', paddingLeft: true },
        { position: endOf(2, 'services.db'), label: '8.4 EXPOSED', paddingLeft: true },
      ],
    );
    assert.strictEqual(endOf(1, 'services.web').character, 32, 'é and 😀 count as 1 and 2 UTF-16 units');
    const tooltip = result?.[0].tooltip as MarkupContent;
    assert.strictEqual(tooltip.kind, 'markdown');
    assert.ok(tooltip.value.startsWith('`systemd-analyze security` exposure of `web.service`: **9.6 UNSAFE**\n\nCosts the most'), tooltip.value);
  });

  it('answers for the requested range only', async () => {
    assert.deepStrictEqual((await hints(lines(2, 2)))?.map((hint) => hint.label), ['8.4 EXPOSED']);
    assert.deepStrictEqual(await hints(lines(3, 4)), []);
    assert.strictEqual((await hints(lines(1, 1)))?.length, 1);
  });

  it('shows the score, its top checks and the quick fix on hover over the service name', async () => {
    const result = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: endOf(1, 'services.we') });
    const markdown = (result?.contents as MarkupContent).value;
    assert.ok(markdown.startsWith('`systemd-analyze security` exposure of `web.service`: **9.6 UNSAFE**\n\nCosts the most (exposure each check adds):\n- `PrivateNetwork=` +0.5'), markdown);
    assert.ok(/\n\nQuick fix on `web`: \*Add a systemd sandbox[^*]*\*, or 2 others in the code actions\n\n---\n\n\*\*Service `web` scores 9\.6 UNSAFE/.test(markdown), markdown);
    assert.deepStrictEqual(result?.range, { start: endOf(1, 'services.'), end: endOf(1, 'services.web') });
    const adjusted = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: endOf(3, 'services.ng') });
    assert.ok((adjusted?.contents as MarkupContent).value.startsWith('No exposure score for `nginx.service`: this file sets neither `script` nor `ExecStart`'));
  });

  it('follows edits: a sandboxed service gets its new score, a computed one loses its hint', async () => {
    const insertAt = endOf(1, 'bin/hello";');
    client.change(uri, 2, [{ range: { start: insertAt, end: insertAt }, text: ' serviceConfig.DynamicUser = true;' }]);
    assert.deepStrictEqual((await hints(lines(0, 4)))?.map((hint) => hint.label), ['8.4 EXPOSED', '8.4 EXPOSED']);
    const valueStart = endOf(2, 'services.db = ');
    client.change(uri, 3, [{ range: { start: valueStart, end: valueStart }, text: 'mkService ' }]);
    assert.deepStrictEqual((await hints(lines(0, 4)))?.map((hint) => hint.label), ['8.4 EXPOSED']);
  });
});

// Hover and completion end to end: the real server over stdio, with and without snippet support,
// on broken text typed through didChange, and with and without `nix` on PATH (Nix's builtin docs
// are read from it once, lazily, without blocking the first answers).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ClientCapabilities, CompletionItem, CompletionList, Hover, InitializeResult, MarkupContent, Position } from 'vscode-languageserver-protocol/lib/common/api';
import { applyEdits, documentUri, PUSH_CLIENT_CAPABILITIES, TestClient } from './client';

/** Markdown everywhere; snippets as asked. */
function capabilities(snippetSupport: boolean): ClientCapabilities {
  return {
    ...PUSH_CLIENT_CAPABILITIES,
    textDocument: {
      ...PUSH_CLIENT_CAPABILITIES.textDocument,
      hover: { contentFormat: ['markdown', 'plaintext'] },
      completion: { completionItem: { snippetSupport, documentationFormat: ['markdown'] } },
    },
  };
}

const TEXT = ['# é😀', 'let', '  unused = 1;', '  attrs = { alpha = 1; beta = 2; };', 'in', 'map (x: x) [ attrs.alpha ]', ''].join('\n');

function position(text: string, needle: string, delta = 0): Position {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const before = text.slice(0, offset + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

function hoverText(result: Hover | null): string {
  assert.ok(result, 'a hover');
  return (result.contents as MarkupContent).value;
}

function hoverRequest(client: TestClient, uri: string, at: Position): Promise<Hover | null> {
  return client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at });
}

function completionRequest(client: TestClient, uri: string, at: Position): Promise<CompletionList | null> {
  return client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: at });
}

function find(list: CompletionList | null, label: string): CompletionItem {
  const found = list?.items.find((item) => item.label === label);
  assert.ok(found, `${label} is offered`);
  return found;
}

const temporaryFolders: string[] = [];

/** A PATH without `nix`: a fresh empty folder (the server is started by absolute path). */
function pathWithoutNix(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-no-nix-'));
  temporaryFolders.push(folder);
  return folder;
}

function nixDump(): { readonly map: string } | undefined {
  for (const argument of ['__dump-language', '__dump-builtins']) {
    const result = spawnSync('nix', [argument], { encoding: 'utf8', timeout: 20_000 });
    if (result.error) return undefined;
    if (result.status !== 0) continue;
    const raw = JSON.parse(result.stdout) as Record<string, unknown>;
    const builtins = (typeof raw.builtins === 'object' && raw.builtins !== null && !('args' in raw.builtins) ? raw.builtins : raw) as Record<string, { doc: string }>;
    return { map: builtins.map.doc.trim() };
  }
  return undefined;
}

describe('lsp hover and completion', function () {
  this.timeout(60_000);
  after(() => {
    for (const folder of temporaryFolders) fs.rmSync(folder, { recursive: true, force: true });
  });

  describe('without nix on PATH, with snippets', () => {
    let client: TestClient;
    let initializeResult: InitializeResult;
    const uri = documentUri('hover.nix');

    before(async () => {
      ({ client, initializeResult } = await TestClient.start({ capabilities: capabilities(true), env: { ...process.env, PATH: pathWithoutNix() } }));
      client.open(uri, TEXT);
      await client.diagnosticsAt(uri, 1);
    });
    after(() => client.kill());

    it('declares hover and completion at initialize, `.` triggering completion', () => {
      assert.strictEqual(initializeResult.capabilities.hoverProvider, true);
      assert.deepStrictEqual(initializeResult.capabilities.completionProvider, { triggerCharacters: ['.'], resolveProvider: false });
    });

    it('explains the finding under the cursor, with the rule id and UTF-16 range', async () => {
      const result = await hoverRequest(client, uri, position(TEXT, 'unused', 2));
      const text = hoverText(result);
      assert.ok(text.startsWith('**Unused `let` binding `unused`**\n\n'), text);
      assert.ok(text.includes('**Fix:** Safe:'), text);
      assert.ok(text.includes('nixguard `unused-let-binding` (warning) · `nixguard explain unused-let-binding` · [documentation](https://github.com/nixguard/nixguard/blob/main/docs/rules/unused-let-binding.md)'));
      assert.strictEqual((result?.contents as MarkupContent).kind, 'markdown');
      assert.deepStrictEqual(result?.range, { start: position(TEXT, 'unused'), end: position(TEXT, 'unused', 6) });
    });

    it('shows nixguard’s description of a builtin, and logs once that `nix` is missing', async () => {
      const first = hoverText(await hoverRequest(client, uri, position(TEXT, 'map')));
      assert.ok(first.startsWith('```nix\nbuiltins.map f list\n```\n\nIn scope as `map` and as `builtins.map`.\n\nApplies *f*'), first);
      await client.waitFor(() => client.logs.some((log) => log.message.includes('is not on PATH')), 10_000, 'the log about nix');
      const second = hoverText(await hoverRequest(client, uri, position(TEXT, 'map')));
      assert.strictEqual(second, first);
      assert.strictEqual(client.logs.filter((log) => log.message.includes('is not on PATH')).length, 1);
    });

    it('completes names in scope and attributes after a dot, replacing the typed word', async () => {
      const scope = await completionRequest(client, uri, position(TEXT, 'attrs.alpha', 2));
      const attrs = find(scope, 'attrs');
      assert.deepStrictEqual(attrs.textEdit, { range: { start: position(TEXT, 'attrs.alpha'), end: position(TEXT, 'attrs.alpha', 2) }, newText: 'attrs' });
      assert.strictEqual(attrs.kind, 6 /* Variable */);
      assert.strictEqual(find(scope, 'map').detail, 'builtins.map f list');
      const member = await completionRequest(client, uri, position(TEXT, 'alpha ]'));
      assert.deepStrictEqual(member?.items.map((item) => item.label), ['alpha', 'beta']);
      assert.strictEqual(find(member, 'beta').kind, 10 /* Property */);
    });

    it('sends keyword snippets to a client that supports them', async () => {
      const list = await completionRequest(client, uri, position(TEXT, 'map'));
      const keyword = find(list, 'let');
      assert.strictEqual(keyword.insertTextFormat, 2 /* Snippet */);
      assert.ok(keyword.textEdit && 'newText' in keyword.textEdit && keyword.textEdit.newText.includes('${1:name}'));
    });

    it('completes broken text typed at the end of the file', async () => {
      const typedUri = documentUri('typed.nix');
      const start = '{ pkgs, ... }:\nlet\n  set = { one = 1; two = 2; };\nin\n{\n  x = ';
      client.open(typedUri, start);
      await client.diagnosticsAt(typedUri, 1);
      const end = position(start, 'x = ', 4);
      client.change(typedUri, 2, [{ range: { start: end, end }, text: 'set.' }]);
      const typed = start + 'set.';
      const list = await completionRequest(client, typedUri, position(typed, 'set.', 4));
      assert.deepStrictEqual(list?.items.map((item) => item.label), ['one', 'two']);
      const edit = list?.items[0].textEdit;
      assert.ok(edit && 'range' in edit);
      assert.strictEqual(applyEdits(typed, [edit]), start + 'set.one');
      const names = await completionRequest(client, typedUri, position(typed, 'x = ', 4));
      assert.deepStrictEqual(names?.items.filter((item) => item.kind === 6).map((item) => item.label), ['set', 'pkgs']);
    });

    it('answers null in strings and comments', async () => {
      assert.strictEqual(await completionRequest(client, uri, position(TEXT, 'é')), null);
    });
  });

  describe('with plain-text clients', () => {
    it('inserts plain text and sends plain-text hovers when the client supports no more', async () => {
      const { client } = await TestClient.start({ env: { ...process.env, PATH: pathWithoutNix() } });
      try {
        const uri = documentUri('plain.nix');
        client.open(uri, TEXT);
        await client.diagnosticsAt(uri, 1);
        const list = await completionRequest(client, uri, position(TEXT, 'map'));
        assert.ok(list && list.items.length > 0);
        assert.deepStrictEqual(list.items.filter((item) => item.insertTextFormat !== 1 /* PlainText */), []);
        assert.deepStrictEqual(find(list, 'let').textEdit, { range: { start: position(TEXT, 'map'), end: position(TEXT, 'map') }, newText: 'let' });
        const result = await hoverRequest(client, uri, position(TEXT, 'map'));
        assert.strictEqual((result?.contents as MarkupContent).kind, 'plaintext');
      } finally {
        client.kill();
      }
    });
  });

  describe('with nix on PATH', () => {
    it('shows Nix’s own documentation of a builtin once it has been read', async function () {
      const dump = nixDump();
      if (!dump) return this.skip(); // `nix` is not installed here (.ci/run installs nix-bin)
      const { client } = await TestClient.start({ capabilities: capabilities(false) });
      try {
        const uri = documentUri('nix.nix');
        client.open(uri, TEXT);
        await client.diagnosticsAt(uri, 1);
        // The first hover starts reading and does not wait for it.
        await hoverRequest(client, uri, position(TEXT, 'map'));
        await client.waitFor(() => client.logs.some((log) => log.message.includes('read the documentation of')), 20_000, 'nix docs');
        const text = hoverText(await hoverRequest(client, uri, position(TEXT, 'map')));
        if (!dump.map.includes('@docroot@')) assert.ok(text.endsWith(dump.map), text);
        assert.ok(!text.includes('Applies *f* to each element'), 'nixguard’s own description gives way to Nix’s');
      } finally {
        client.kill();
      }
    });
  });
});

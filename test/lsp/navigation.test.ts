// Navigation end to end: each navigation request once against the real server over stdio, on a
// document with non-ASCII text before the names (so UTF-16 positions are exercised) and next to
// real files (so path links resolve).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type {
  ClientCapabilities,
  DocumentHighlight,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  InitializeResult,
  Location,
  Position,
  Range,
  SelectionRange,
  SymbolInformation,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/lib/common/api';
import { applyEdits, PUSH_CLIENT_CAPABILITIES, TestClient } from './client';

const CAPABILITIES: ClientCapabilities = {
  ...PUSH_CLIENT_CAPABILITIES,
  textDocument: {
    ...PUSH_CLIENT_CAPABILITIES.textDocument,
    rename: { prepareSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    foldingRange: { lineFoldingOnly: true },
  },
};

const TEXT = [
  '{ lib, ... }:', // 0
  'let', // 1
  '  helper = x: x;', // 2
  '  title = "é😀"; value = helper 1;', // 3
  'in', // 4
  '{', // 5
  '  inherit lib value;', // 6
  '  src = ./foo.nix;', // 7
  '  dir = ./lib;', // 8
  '  home = "https://nixos.org";', // 9
  '}', // 10
  '',
].join('\n');

/** The position of the `occurrence`-th `needle` on `line` (UTF-16 characters), plus `delta`. */
function at(line: number, needle: string, delta = 0, occurrence = 0): Position {
  const text = TEXT.split('\n')[line];
  let character = -1;
  for (let i = 0; i <= occurrence; i++) character = text.indexOf(needle, character + 1);
  assert.ok(character >= 0, `${needle} on line ${line}`);
  return { line, character: character + delta };
}

function span(line: number, needle: string, occurrence = 0): Range {
  const start = at(line, needle, 0, occurrence);
  return { start, end: { line, character: start.character + needle.length } };
}

describe('lsp navigation', function () {
  this.timeout(30_000);
  let client: TestClient;
  let initializeResult: InitializeResult;
  let folder: string;
  let uri: string;
  const textDocument = (): { uri: string } => ({ uri });

  before(async function () {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-navigation-'));
    fs.writeFileSync(path.join(folder, 'foo.nix'), '{ }\n');
    fs.mkdirSync(path.join(folder, 'lib'));
    fs.writeFileSync(path.join(folder, 'lib', 'default.nix'), '{ }\n');
    uri = pathToFileURL(path.join(folder, 'default.nix')).toString();
    ({ client, initializeResult } = await TestClient.start({ capabilities: CAPABILITIES }));
    client.open(uri, TEXT, 1);
  });

  after(function () {
    client?.kill();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('announces every navigation provider, with prepareRename to a client that supports it', function () {
    const capabilities = initializeResult.capabilities;
    assert.strictEqual(capabilities.definitionProvider, true);
    assert.strictEqual(capabilities.referencesProvider, true);
    assert.strictEqual(capabilities.documentHighlightProvider, true);
    assert.deepStrictEqual(capabilities.renameProvider, { prepareProvider: true });
    assert.strictEqual(capabilities.documentSymbolProvider, true);
    assert.strictEqual(capabilities.foldingRangeProvider, true);
    assert.strictEqual(capabilities.selectionRangeProvider, true);
    assert.deepStrictEqual(capabilities.documentLinkProvider, { resolveProvider: false });
  });

  it('answers definition with the binding, after non-ASCII text on the same line', async function () {
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: textDocument(), position: at(3, 'helper', 2) });
    assert.deepStrictEqual(locations, [{ uri, range: span(2, 'helper') }]);
  });

  it('answers definition on a path literal with the file it names', async function () {
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: textDocument(), position: at(7, './foo.nix', 3) });
    assert.deepStrictEqual(locations.map((location) => location.uri), [pathToFileURL(path.join(folder, 'foo.nix')).toString()]);
  });

  it('answers references with and without the declaration', async function () {
    const position = at(2, 'helper');
    const withDeclaration = await client.request<Location[]>('textDocument/references', { textDocument: textDocument(), position, context: { includeDeclaration: true } });
    assert.deepStrictEqual(withDeclaration.map((location) => location.range), [span(2, 'helper'), span(3, 'helper')]);
    const usesOnly = await client.request<Location[]>('textDocument/references', { textDocument: textDocument(), position, context: { includeDeclaration: false } });
    assert.deepStrictEqual(usesOnly.map((location) => location.range), [span(3, 'helper')]);
  });

  it('answers documentHighlight with the definition as a write and uses as reads', async function () {
    const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: textDocument(), position: at(6, 'value') });
    assert.deepStrictEqual(highlights, [
      { range: span(3, 'value'), kind: 3 },
      { range: span(6, 'value'), kind: 2 },
    ]);
  });

  it('answers prepareRename with the name, and refuses a builtin with a message', async function () {
    assert.deepStrictEqual(await client.request('textDocument/prepareRename', { textDocument: textDocument(), position: at(3, 'value') }), { range: span(3, 'value'), placeholder: 'value' });
    const builtinText = 'map';
    const builtinUri = pathToFileURL(path.join(folder, 'builtin.nix')).toString();
    client.open(builtinUri, builtinText, 1);
    await assert.rejects(client.request('textDocument/prepareRename', { textDocument: { uri: builtinUri }, position: { line: 0, character: 1 } }), (error: { message?: string }) => {
      assert.strictEqual(error.message, '`map` is a Nix builtin and cannot be renamed');
      return true;
    });
  });

  it('answers rename with an edit that keeps inherited attribute names, and refuses a keyword', async function () {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: textDocument(), position: at(3, 'value'), newName: 'result' });
    const edits = (edit.documentChanges as TextDocumentEdit[]).flatMap((change) => change.edits as TextEdit[]);
    const renamed = applyEdits(TEXT, edits);
    assert.match(renamed, /title = "é😀"; result = helper 1;/);
    assert.match(renamed, /inherit lib; value = result;/);
    await assert.rejects(client.request('textDocument/rename', { textDocument: textDocument(), position: at(3, 'value'), newName: 'let' }), (error: { message?: string }) => {
      assert.strictEqual(error.message, 'Cannot rename: `let` is a Nix keyword');
      return true;
    });
  });

  it('answers documentSymbol with a tree, and a flat list to a client without hierarchical symbols', async function () {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: textDocument() });
    assert.deepStrictEqual(symbols.map((symbol) => symbol.name), ['lib', 'helper', 'title', 'value', 'lib', 'value', 'src', 'dir', 'home']);
    assert.deepStrictEqual(symbols[1].selectionRange, span(2, 'helper'));
    const { client: flatClient } = await TestClient.start();
    try {
      flatClient.open(uri, TEXT, 1);
      const flat = await flatClient.request<SymbolInformation[]>('textDocument/documentSymbol', { textDocument: textDocument() });
      assert.strictEqual(flat.length, 9);
      assert.strictEqual(flat[1].location.uri, uri);
    } finally {
      flatClient.kill();
    }
  });

  it('answers foldingRange with line ranges', async function () {
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: textDocument() });
    assert.deepStrictEqual(
      ranges.map((range) => [range.startLine, range.endLine]),
      [
        [0, 10],
        [1, 3],
        [5, 9],
      ],
    );
  });

  it('answers selectionRange with ranges growing outwards', async function () {
    const [selection] = await client.request<SelectionRange[]>('textDocument/selectionRange', { textDocument: textDocument(), positions: [at(3, 'helper', 1)] });
    const ranges: Range[] = [];
    for (let range: SelectionRange | undefined = selection; range; range = range.parent) ranges.push(range.range);
    assert.deepStrictEqual(ranges[0], span(3, 'helper'));
    assert.deepStrictEqual(ranges[1], span(3, 'helper 1'));
    assert.ok(ranges.length >= 5, JSON.stringify(ranges));
  });

  it('answers documentLink with existing files (a folder leading to its default.nix) and URLs', async function () {
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: textDocument() });
    assert.deepStrictEqual(links, [
      { range: span(7, './foo.nix'), target: pathToFileURL(path.join(folder, 'foo.nix')).toString() },
      { range: span(8, './lib'), target: pathToFileURL(path.join(folder, 'lib', 'default.nix')).toString() },
      { range: span(9, 'https://nixos.org'), target: 'https://nixos.org' },
    ]);
  });

  it('answers empty results for a document that is not open', async function () {
    const other = { uri: pathToFileURL(path.join(folder, 'closed.nix')).toString() };
    assert.deepStrictEqual(await client.request('textDocument/definition', { textDocument: other, position: { line: 0, character: 0 } }), []);
    assert.strictEqual(await client.request('textDocument/rename', { textDocument: other, position: { line: 0, character: 0 }, newName: 'x' }), null);
  });
});

// Semantic tokens end to end: full, range and full/delta against the real server over stdio,
// decoded with the legend the server announced. The text has non-ASCII characters before tokens
// (UTF-16 characters on the wire) and tokens that span lines (split per line on the wire). Below,
// the encoding and the delta edits on their own.
import * as assert from 'assert';
import { semanticTokens } from 'nixguard/out/features/semantic-tokens';
import { toSemanticTokensData } from 'nixguard/out/lsp/convert';
import { SEMANTIC_TOKENS_LEGEND, semanticTokensEdits } from 'nixguard/out/lsp/semantic-tokens';
import type { InitializeResult, SemanticTokens, SemanticTokensDelta, SemanticTokensLegend } from 'vscode-languageserver-protocol/lib/common/api';
import { analyze } from '../helpers/cursor';
import { documentUri, TestClient } from './client';

const TEXT = [
  '{ lib, ... }:', // 0
  'let', // 1
  '  title = "é😀"; n = 1;', // 2
  "  doc = ''", // 3
  '    line ${title}', // 4
  "  '';", // 5
  '  /* two', // 6
  '     lines */', // 7
  'in lib.mkIf true { inherit doc n; }', // 8
  '',
].join('\n');

/** Decodes LSP's relative integers into `line:character text type.modifier…`, reading the text itself. */
function decode(text: string, data: readonly number[], legend: SemanticTokensLegend): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const result: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, modifierBits] = data.slice(i, i + 5);
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    const modifiers = legend.tokenModifiers.filter((_, bit) => (modifierBits & (1 << bit)) !== 0);
    result.push(`${line}:${character} ${lines[line].slice(character, character + length)} ${[legend.tokenTypes[type], ...modifiers].join('.')}`);
  }
  return result;
}

/** `data` with LSP semantic token edits applied, as a client applies them. */
function applyTokenEdits(data: readonly number[], delta: SemanticTokensDelta): number[] {
  const result = [...data];
  for (const edit of [...delta.edits].sort((a, b) => b.start - a.start)) result.splice(edit.start, edit.deleteCount, ...(edit.data ?? []));
  return result;
}

describe('lsp semantic tokens', function () {
  this.timeout(30_000);
  let client: TestClient;
  let initializeResult: InitializeResult;
  let legend: SemanticTokensLegend;

  before(async function () {
    ({ client, initializeResult } = await TestClient.start());
    const provider = initializeResult.capabilities.semanticTokensProvider;
    assert.ok(provider, 'semanticTokensProvider announced');
    legend = provider.legend;
  });

  after(function () {
    client?.kill();
  });

  it('announces full with delta and range statically, with standard token types', function () {
    const provider = initializeResult.capabilities.semanticTokensProvider;
    assert.deepStrictEqual(provider?.full, { delta: true });
    assert.strictEqual(provider?.range, true);
    for (const type of ['variable', 'parameter', 'function', 'property', 'keyword', 'string', 'number', 'comment', 'operator']) assert.ok(legend.tokenTypes.includes(type), type);
    for (const modifier of ['declaration', 'defaultLibrary']) assert.ok(legend.tokenModifiers.includes(modifier), modifier);
  });

  it('answers full with UTF-16 characters, one token per line for multi-line strings and comments', async function () {
    const uri = documentUri();
    client.open(uri, TEXT);
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    assert.ok(tokens.resultId, 'a result id for deltas');
    assert.deepStrictEqual(decode(TEXT, tokens.data, legend), [
      '0:2 lib parameter.declaration',
      '1:0 let keyword',
      '2:2 title variable.declaration',
      '2:10 "é😀" string',
      '2:17 n variable.declaration',
      '2:21 1 number',
      '3:2 doc variable.declaration',
      "3:8 '' string",
      '4:0     line  string',
      '4:9 ${ operator.interpolation',
      '4:11 title variable',
      '4:16 } operator.interpolation',
      "5:0   '' string",
      '6:2 /* two comment',
      '7:0      lines */ comment',
      '8:0 in keyword',
      '8:3 lib parameter',
      '8:7 mkIf function',
      '8:12 true variable.readonly.defaultLibrary',
      '8:19 inherit keyword',
      '8:27 doc property',
      '8:31 n property',
    ]);
  });

  it('answers range with the tokens of the lines it covers', async function () {
    const uri = documentUri();
    client.open(uri, TEXT);
    const full = decode(TEXT, (await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } })).data, legend);
    const range = { start: { line: 2, character: 0 }, end: { line: 5, character: 0 } };
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/range', { textDocument: { uri }, range });
    const inRange = full.filter((token) => {
      const line = Number(token.split(':')[0]);
      return line >= 2 && line < 5;
    });
    assert.ok(inRange.length > 5);
    assert.deepStrictEqual(decode(TEXT, tokens.data, legend), inRange);
  });

  it('answers full/delta after an incremental change with edits that give the full tokens of the new text', async function () {
    const uri = documentUri();
    client.open(uri, TEXT);
    const before = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    // Insert a binding on a line of its own, before the multi-line string.
    client.change(uri, 2, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '  extra = map n;\n' }]);
    const newText = TEXT.replace("  doc = ''", "  extra = map n;\n  doc = ''");
    const delta = await client.request<SemanticTokensDelta>('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: before.resultId });
    assert.ok(delta.edits, `a delta, not full tokens: ${JSON.stringify(delta)}`);
    assert.notStrictEqual(delta.resultId, before.resultId);

    // The same text parsed afresh, in another document.
    const freshUri = documentUri();
    client.open(freshUri, newText);
    const fresh = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: freshUri } });
    const patched = applyTokenEdits(before.data, delta);
    assert.deepStrictEqual(patched, fresh.data);
    assert.ok(decode(newText, patched, legend).includes('3:10 map function.defaultLibrary'));
    // One edit covering the new tokens and the one after them (its line delta changed), not the whole file.
    assert.strictEqual(delta.edits.length, 1);
    assert.ok((delta.edits[0].data?.length ?? 0) <= 5 * 5, `edit of ${delta.edits[0].data?.length} integers`);

    // Nothing changed since: an empty delta.
    const again = await client.request<SemanticTokensDelta>('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: delta.resultId });
    assert.deepStrictEqual(again.edits, []);
  });

  it('answers full/delta from an unknown result id with the full tokens', async function () {
    const uri = documentUri();
    client.open(uri, TEXT);
    const full = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const answer = await client.request<SemanticTokens>('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: 'not-a-result-id' });
    assert.deepStrictEqual(answer.data, full.data);
  });

  it('answers a document that is not open with no tokens', async function () {
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: documentUri('closed.nix') } });
    assert.deepStrictEqual(tokens.data, []);
  });
});

describe('semantic tokens encoding', () => {
  it('splits tokens at every kind of line end, leaving the terminators out', () => {
    const text = "/* a\r\nb\rc */ ''\n\n  x\r\n'' 1";
    const file = analyze(text);
    const data = toSemanticTokensData(file.source.lineIndex, semanticTokens(file));
    assert.deepStrictEqual(decode(text, data, SEMANTIC_TOKENS_LEGEND), ['0:0 /* a comment', '1:0 b comment', '2:0 c */ comment', "2:5 '' string", '4:0   x string', "5:0 '' string", '5:3 1 number']);
  });

  it('makes one edit of whole tokens between the common prefix and suffix', () => {
    const first = [0, 1, 1, 0, 0, 0, 2, 3, 4, 0, 1, 0, 3, 8, 0];
    assert.deepStrictEqual(semanticTokensEdits(first, [...first]), []);
    // The middle token changed length: the edit starts at its first integer and keeps the last token.
    assert.deepStrictEqual(semanticTokensEdits(first, [0, 1, 1, 0, 0, 0, 2, 5, 4, 0, 1, 0, 3, 8, 0]), [{ start: 5, deleteCount: 5, data: [0, 2, 5, 4, 0] }]);
    // A token inserted whose integers partly repeat its neighbours' still gives whole tokens.
    assert.deepStrictEqual(semanticTokensEdits(first, [0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 2, 3, 4, 0, 1, 0, 3, 8, 0]), [{ start: 5, deleteCount: 0, data: [0, 1, 1, 0, 0] }]);
    assert.deepStrictEqual(semanticTokensEdits(first, []), [{ start: 0, deleteCount: 15, data: [] }]);
  });
});

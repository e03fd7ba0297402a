// Position encodings over stdio (LSP 3.17 `general.positionEncodings` / `positionEncoding`): the
// server takes the client's most preferred encoding among UTF-8, UTF-16 and UTF-32, and then every
// position and length on the wire counts that encoding's code units. Checked by running the same
// session in a UTF-16 client (the protocol's default, unchanged behaviour) and in UTF-8 and UTF-32
// clients, on lines with é, CJK and an emoji before the names, and comparing every answer once
// converted by the test's own encoder (Node's Buffer and string iteration).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { negotiatePositionEncoding } from 'nixguard/out/lsp/capabilities';
import type { ClientCapabilities, CodeAction, Diagnostic, Position, Range, SemanticTokens, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/lib/common/api';
import { applyEdits, PUSH_CLIENT_CAPABILITIES, TestClient } from './client';

type Encoding = 'utf-8' | 'utf-16' | 'utf-32';

const TEXT = [
  '{ lib, ... }:', // 0
  'let', // 1
  '  s = "é中😀"; y = lib == true; h = x: x;', // 2
  'in {', // 3
  '  note = "ü𝔸"; systemd.services.web = { script = "run"; }; inherit s; v = h y; p = ./foo.nix;', // 4
  '}', // 5
  '',
].join('\n');

function capabilities(positionEncodings: Encoding[] | undefined): ClientCapabilities {
  return {
    ...PUSH_CLIENT_CAPABILITIES,
    ...(positionEncodings ? { general: { positionEncodings } } : {}),
    textDocument: {
      ...PUSH_CLIENT_CAPABILITIES.textDocument,
      rename: { prepareSupport: true },
      documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      hover: { contentFormat: ['markdown'] },
    },
  };
}

/** The code units of `encoding` in `text`, by Node's own encoders. */
function unitsOf(text: string, encoding: Encoding): number {
  if (encoding === 'utf-8') return Buffer.byteLength(text, 'utf8');
  if (encoding === 'utf-32') return Array.from(text).length;
  return text.length;
}

/** The UTF-16 character of `units` code units of `encoding` into `lineText` (whole code points). */
function utf16Character(lineText: string, units: number, encoding: Encoding): number {
  let character = 0;
  let counted = 0;
  for (const codePoint of lineText) {
    const size = unitsOf(codePoint, encoding);
    if (counted + size > units) break;
    counted += size;
    character += codePoint.length;
  }
  return character;
}

/** A UTF-16 position of `text` in `encoding`, and back. */
function encode(text: string, position: Position, encoding: Encoding): Position {
  const lineText = text.split('\n')[position.line] ?? '';
  return { line: position.line, character: unitsOf(lineText.slice(0, position.character), encoding) };
}

function decode(text: string, position: Position, encoding: Encoding): Position {
  const lineText = text.split('\n')[position.line] ?? '';
  return { line: position.line, character: utf16Character(lineText, position.character, encoding) };
}

/** `value` (an LSP answer) with every `{ line, character }` in it decoded to UTF-16; walked iteratively. */
function decodeAll<T>(text: string, value: T, encoding: Encoding): T {
  const copy = JSON.parse(JSON.stringify(value ?? null)) as T;
  const pending: unknown[] = [copy];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.character === 'number') {
      record.character = decode(text, { line: record.line, character: record.character }, encoding).character;
      continue;
    }
    for (const child of Object.values(record)) pending.push(child);
  }
  return copy;
}

/** Semantic tokens as `line:character+length type.modifiers` in UTF-16 units, decoded from `encoding`. */
function decodeTokens(text: string, tokens: SemanticTokens, encoding: Encoding): string[] {
  const result: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, modifiers] = tokens.data.slice(i, i + 5);
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    const start = decode(text, { line, character }, encoding).character;
    const end = decode(text, { line, character: character + length }, encoding).character;
    result.push(`${line}:${start}+${end - start} ${type}.${modifiers}`);
  }
  return result;
}

/** The UTF-16 position of the `occurrence`-th `needle` on `line`, plus `delta`. */
function at(text: string, line: number, needle: string, delta = 0): Position {
  const character = text.split('\n')[line].indexOf(needle);
  assert.ok(character >= 0, `${needle} on line ${line}`);
  return { line, character: character + delta };
}

/** One server session, its answers decoded to UTF-16 for comparison. */
class Session {
  private constructor(
    readonly client: TestClient,
    readonly encoding: Encoding,
    readonly announced: string | undefined,
    readonly uri: string,
  ) {}

  static async start(offered: Encoding[] | undefined, uri: string): Promise<Session> {
    const { client, initializeResult } = await TestClient.start({ capabilities: capabilities(offered) });
    const announced = initializeResult.capabilities.positionEncoding;
    return new Session(client, (announced ?? 'utf-16') as Encoding, announced, uri);
  }

  /** A request whose params hold UTF-16 positions (encoded here), answered in UTF-16 (decoded here). */
  async ask<R>(text: string, method: string, params: Record<string, unknown>): Promise<R> {
    const encoded = JSON.parse(JSON.stringify({ textDocument: { uri: this.uri }, ...params })) as Record<string, unknown>;
    const pending: unknown[] = [encoded];
    for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
      if (typeof item !== 'object' || item === null) continue;
      const record = item as Record<string, unknown>;
      if (typeof record.line === 'number' && typeof record.character === 'number') {
        record.character = encode(text, { line: record.line, character: record.character }, this.encoding).character;
        continue;
      }
      for (const child of Object.values(record)) pending.push(child);
    }
    return decodeAll(text, await this.client.request<R>(method, encoded), this.encoding);
  }

  async diagnostics(text: string, version: number): Promise<Diagnostic[]> {
    return decodeAll(text, await this.client.diagnosticsAt(this.uri, version), this.encoding);
  }

  async tokens(text: string): Promise<string[]> {
    return decodeTokens(text, await this.client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: this.uri } }), this.encoding);
  }

  /** didChange replacing the UTF-16 range `range` of `text` (converted to this session's encoding). */
  change(text: string, version: number, range: Range, newText: string): void {
    const encoded = { start: encode(text, range.start, this.encoding), end: encode(text, range.end, this.encoding) };
    this.client.change(this.uri, version, [{ range: encoded, text: newText }]);
  }
}

describe('lsp position encodings', function () {
  this.timeout(60_000);
  let folder: string;
  let uri: string;
  const sessions: Session[] = [];
  let utf16: Session;
  let utf8: Session;
  let utf32: Session;

  before(async function () {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-encoding-'));
    fs.writeFileSync(path.join(folder, 'foo.nix'), '{ }\n');
    uri = pathToFileURL(path.join(folder, 'default.nix')).toString();
    for (const offered of [undefined, ['utf-8'], ['utf-32', 'utf-16']] as const) {
      const session = await Session.start(offered ? [...offered] : undefined, uri);
      sessions.push(session);
      session.client.open(uri, TEXT, 1);
    }
    [utf16, utf8, utf32] = sessions;
  });

  after(function () {
    for (const session of sessions) session.client.kill();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('takes the client’s most preferred encoding it supports, and UTF-16 when offered none it knows', async function () {
    assert.strictEqual(utf16.announced, 'utf-16', 'a client offering nothing gets the default, stated');
    assert.strictEqual(utf8.announced, 'utf-8');
    assert.strictEqual(utf32.announced, 'utf-32');
    assert.strictEqual(negotiatePositionEncoding(undefined), 'utf-16');
    assert.strictEqual(negotiatePositionEncoding([]), 'utf-16');
    assert.strictEqual(negotiatePositionEncoding(['utf-16', 'utf-8']), 'utf-16');
    // Neovim 0.10 and later offer all three, UTF-8 first.
    assert.strictEqual(negotiatePositionEncoding(['utf-8', 'utf-16', 'utf-32']), 'utf-8');
    assert.strictEqual(negotiatePositionEncoding(['latin-1', 'utf-32']), 'utf-32');
    assert.strictEqual(negotiatePositionEncoding(['latin-1']), 'utf-16');
  });

  it('puts diagnostics on the right bytes and code points of a line with é, CJK and an emoji', async function () {
    const expected = await utf16.diagnostics(TEXT, 1);
    const comparison = expected.find((diagnostic) => diagnostic.code === 'bool-comparison');
    assert.ok(comparison, JSON.stringify(expected));
    // UTF-16 as before: the emoji counts two.
    assert.deepStrictEqual(comparison.range.start, at(TEXT, 2, 'lib == true'));
    // On the wire, `  s = "é中😀"; y = ` is 6 + 1 + 2 + 3 + 4 + 1 + 1 + 1 + 4 = 23 UTF-8 bytes, 17
    // code points, and 18 UTF-16 units (the emoji is a surrogate pair).
    const rawStart = async (session: Session): Promise<Position | undefined> =>
      (await session.client.diagnosticsAt(uri, 1)).find((diagnostic) => diagnostic.code === 'bool-comparison')?.range.start;
    assert.deepStrictEqual(await rawStart(utf8), { line: 2, character: 23 });
    assert.deepStrictEqual(await rawStart(utf32), { line: 2, character: 17 });
    assert.deepStrictEqual(await rawStart(utf16), { line: 2, character: 18 });
    assert.deepStrictEqual(await utf8.diagnostics(TEXT, 1), expected);
    assert.deepStrictEqual(await utf32.diagnostics(TEXT, 1), expected);
  });

  it('reads request positions and writes answer ranges in the negotiated encoding', async function () {
    const requests: [string, Record<string, unknown>][] = [
      ['textDocument/hover', { position: at(TEXT, 2, 'true', 1) }],
      ['textDocument/hover', { position: at(TEXT, 4, 'h y', 0) }],
      ['textDocument/definition', { position: at(TEXT, 4, 'h y', 0) }],
      ['textDocument/references', { position: at(TEXT, 2, 'h = '), context: { includeDeclaration: true } }],
      ['textDocument/documentHighlight', { position: at(TEXT, 4, 's; v', 0) }],
      ['textDocument/prepareRename', { position: at(TEXT, 2, 'y = ') }],
      ['textDocument/rename', { position: at(TEXT, 2, 'y = '), newName: 'why' }],
      ['textDocument/documentSymbol', {}],
      ['textDocument/selectionRange', { positions: [at(TEXT, 4, 'foo', 1)] }],
      ['textDocument/foldingRange', {}],
      ['textDocument/documentLink', {}],
      ['textDocument/completion', { position: at(TEXT, 4, 'h y', 1) }],
      ['textDocument/inlayHint', { range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } } }],
      ['textDocument/semanticTokens/range', { range: { start: { line: 2, character: 0 }, end: { line: 4, character: 40 } } }],
    ];
    for (const [method, params] of requests) {
      const expected = await utf16.ask<unknown>(TEXT, method, params);
      assert.ok(expected !== null && !(Array.isArray(expected) && expected.length === 0), `${method} answers something to compare`);
      for (const session of [utf8, utf32]) {
        const answer = await session.ask<unknown>(TEXT, method, params);
        // Semantic token ranges are relative integers, compared decoded below.
        if (method.startsWith('textDocument/semanticTokens')) continue;
        assert.deepStrictEqual(answer, expected, `${method} ${JSON.stringify(params)} in ${session.encoding}`);
      }
    }
    const hints = await utf8.client.request<{ position: Position }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } } });
    // After `systemd.services.web`, behind `  note = "ü𝔸"; ` (2 + 8 + 2 + 4 + 3 bytes).
    assert.deepStrictEqual(hints[0]?.position, { line: 4, character: 19 + 'systemd.services.web'.length });
  });

  it('encodes semantic token starts and lengths in the negotiated encoding', async function () {
    const expected = await utf16.tokens(TEXT);
    assert.ok(expected.length > 10);
    assert.deepStrictEqual(await utf8.tokens(TEXT), expected);
    assert.deepStrictEqual(await utf32.tokens(TEXT), expected);
    // The string `"é中😀"` is 11 bytes, 5 code points and 7 UTF-16 units long on the wire.
    const full = (session: Session): Promise<SemanticTokens> => session.client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const lengths = async (session: Session): Promise<number[]> => {
      const data = (await full(session)).data;
      const result: number[] = [];
      let line = 0;
      for (let i = 0; i < data.length; i += 5) {
        line += data[i];
        if (line === 2) result.push(data[i + 2]);
      }
      return result;
    };
    assert.ok((await lengths(utf8)).includes(unitsOf('"é中😀"', 'utf-8')), JSON.stringify(await lengths(utf8)));
    assert.ok((await lengths(utf32)).includes(unitsOf('"é中😀"', 'utf-32')), JSON.stringify(await lengths(utf32)));
    assert.ok((await lengths(utf16)).includes('"é中😀"'.length));
  });

  it('applies didChange ranges and offers fixes in the negotiated encoding', async function () {
    // Replace `true` (after the emoji) with `false`, then insert non-ASCII text and an undefined
    // name before `h y` (two changes: the second in the coordinates the first left).
    const first = { start: at(TEXT, 2, 'true'), end: at(TEXT, 2, 'true', 4) };
    const afterFirst = applyEdits(TEXT, [{ range: first, newText: 'false' }]);
    const second = { start: at(afterFirst, 4, 'h y'), end: at(afterFirst, 4, 'h y') };
    const inserted = '"ü😀" + zz + ';
    const changed = applyEdits(afterFirst, [{ range: second, newText: inserted }]);
    for (const session of sessions) {
      session.change(TEXT, 2, first, 'false');
      session.change(afterFirst, 3, second, inserted);
    }
    const expected = await utf16.diagnostics(changed, 3);
    const has = (code: string, text: string): boolean => expected.some((diagnostic) => diagnostic.code === code && JSON.stringify(diagnostic.message).includes(text));
    assert.ok(has('bool-comparison', 'false') && has('undefined-variable', 'zz'), JSON.stringify(expected));
    assert.ok(!expected.some((diagnostic) => diagnostic.code === 'syntax-error'), JSON.stringify(expected));
    for (const session of [utf8, utf32]) {
      assert.deepStrictEqual(await session.diagnostics(changed, 3), expected, session.encoding);
      assert.deepStrictEqual(await session.tokens(changed), await utf16.tokens(changed), session.encoding);
    }

    // The quick fix of the comparison edits the same characters in every encoding.
    const comparison = expected.find((diagnostic) => diagnostic.code === 'bool-comparison') as Diagnostic;
    const fixedText = async (session: Session): Promise<string> => {
      const actions = await session.ask<CodeAction[]>(changed, 'textDocument/codeAction', { range: comparison.range, context: { diagnostics: [], only: ['quickfix'] } });
      const edit = actions.find((action) => action.diagnostics?.[0]?.code === 'bool-comparison')?.edit as WorkspaceEdit;
      const edits = (edit.documentChanges as TextDocumentEdit[]).flatMap((change) => change.edits as TextEdit[]);
      return applyEdits(changed, edits);
    };
    const fixed = await fixedText(utf16);
    assert.match(fixed, /y = !lib;|y = !\(lib\);|y = lib == false;/);
    assert.notStrictEqual(fixed, changed);
    assert.strictEqual(await fixedText(utf8), fixed);
    assert.strictEqual(await fixedText(utf32), fixed);
  });
});

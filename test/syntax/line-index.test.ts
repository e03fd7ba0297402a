// LineIndex turns offsets (UTF-16 code units) into LSP line/character positions and back. Lines
// end at "\n", "\r\n" or a lone "\r"; characters are UTF-16 code units, so an emoji is two, or for
// a client that negotiated them UTF-8 bytes (four) or code points (one).
import * as assert from 'assert';
import fc from 'fast-check';
import { LineIndex } from 'nixguard';
import type { PositionEncoding } from 'nixguard/out/syntax/line-index';

/** Reference: split on the three line terminators and count code units. */
function referencePosition(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** The reference character of a UTF-16 `character` on `lineText` in `encoding`, from Node's own encoders. */
function encodedCharacter(lineText: string, character: number, encoding: PositionEncoding): number {
  const before = lineText.slice(0, character);
  if (encoding === 'utf-8') return Buffer.byteLength(before, 'utf8');
  if (encoding === 'utf-32') return Array.from(before).length;
  return character;
}

/** Whether `offset` points between the "\r" and "\n" of a CRLF, where no LSP position exists. */
function insideCrlf(text: string, offset: number): boolean {
  return text[offset - 1] === '\r' && text[offset] === '\n';
}

describe('LineIndex', () => {
  it('lands on é, CJK characters and an emoji, counting the emoji as two characters', () => {
    const text = '{\n  name = "é日本🎉x"; # ünïcödé 🎉 comment\n}';
    const index = new LineIndex(text);
    const lines = text.split('\n');
    for (const [needle, expected] of [
      ['é', { line: 1, character: 10 }],
      ['日', { line: 1, character: 11 }],
      ['本', { line: 1, character: 12 }],
      ['🎉', { line: 1, character: 13 }],
      ['x', { line: 1, character: 15 }],
      ['comment', { line: 1, character: 32 }],
    ] as const) {
      const offset = text.indexOf(needle);
      const position = index.position(offset);
      assert.deepStrictEqual(position, expected, `position of ${needle}`);
      assert.ok(lines[position.line].slice(position.character).startsWith(needle), `${needle} is at its position`);
      assert.strictEqual(index.offset(position), offset, `offset of ${needle} round-trips`);
    }
  });

  it('ends lines at CRLF, excluding the terminator from the line', () => {
    const text = 'a = 1;\r\nb = 2;\r\n';
    const index = new LineIndex(text);
    assert.strictEqual(index.lineCount, 3);
    assert.deepStrictEqual(index.position(text.indexOf('b')), { line: 1, character: 0 });
    assert.strictEqual(index.lineEnd(0), 6);
    assert.strictEqual(index.lineStart(1), 8);
    assert.strictEqual(index.lineEnd(1), 14);
    assert.deepStrictEqual(index.position(text.length), { line: 2, character: 0 });
  });

  it('ends lines at a lone CR, as LSP and Nix comments do', () => {
    const text = '# comment\ra = 1;\rb = "é";';
    const index = new LineIndex(text);
    assert.strictEqual(index.lineCount, 3);
    assert.deepStrictEqual(index.position(text.indexOf('a')), { line: 1, character: 0 });
    assert.deepStrictEqual(index.position(text.indexOf('é')), { line: 2, character: 5 });
    assert.strictEqual(index.lineEnd(0), 9);
  });

  it('mixes LF, CRLF and CR in one text', () => {
    const text = 'a\nb\r\nc\rd';
    const index = new LineIndex(text);
    assert.deepStrictEqual(['a', 'b', 'c', 'd'].map((c) => index.position(text.indexOf(c)).line), [0, 1, 2, 3]);
    assert.deepStrictEqual([0, 1, 2, 3].map((line) => text.slice(index.lineStart(line), index.lineEnd(line))), ['a', 'b', 'c', 'd']);
  });

  it('clamps positions past the line end, past the last line and before the start', () => {
    const text = 'ab\r\ncd';
    const index = new LineIndex(text);
    assert.strictEqual(index.offset({ line: 0, character: 99 }), 2, 'past the line end means the line end, not the CRLF');
    assert.strictEqual(index.offset({ line: 7, character: 0 }), text.length);
    assert.strictEqual(index.offset({ line: -1, character: 3 }), 0);
    assert.strictEqual(index.offset({ line: 1, character: -4 }), 4);
    assert.deepStrictEqual(index.position(-5), { line: 0, character: 0 });
    assert.deepStrictEqual(index.position(999), { line: 1, character: 2 });
  });

  it('handles the empty text and a text that is only line breaks', () => {
    assert.deepStrictEqual(new LineIndex('').position(0), { line: 0, character: 0 });
    assert.strictEqual(new LineIndex('').lineCount, 1);
    const breaks = new LineIndex('\n\r\n\r');
    assert.strictEqual(breaks.lineCount, 4);
    assert.deepStrictEqual(breaks.position(4), { line: 3, character: 0 });
  });

  it('agrees with a reference on random text, and offsets round-trip outside CRLF pairs', () => {
    const unit = fc.constantFrom('a', ' ', '\n', '\r', 'é', '日', '🎉', '\t', '"');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }).map((parts) => parts.join('')), (text) => {
        const index = new LineIndex(text);
        for (let offset = 0; offset <= text.length; offset++) {
          const position = index.position(offset);
          if (insideCrlf(text, offset)) continue;
          assert.deepStrictEqual(position, referencePosition(text, offset), `offset ${offset} of ${JSON.stringify(text)}`);
          assert.strictEqual(index.offset(position), offset, `round trip of ${offset} in ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts UTF-8 bytes and code points for clients that negotiated them', () => {
    const text = '{\n  name = "é日本🎉x"; # 🎉\n}';
    const index = new LineIndex(text);
    for (const [needle, utf8, utf32] of [
      ['é', 10, 10],
      ['日', 12, 11],
      ['本', 15, 12],
      ['🎉', 18, 13],
      ['x', 22, 14],
      ['#', 26, 18],
    ] as const) {
      const offset = text.indexOf(needle);
      assert.deepStrictEqual(index.position(offset, 'utf-8'), { line: 1, character: utf8 }, `UTF-8 position of ${needle}`);
      assert.deepStrictEqual(index.position(offset, 'utf-32'), { line: 1, character: utf32 }, `UTF-32 position of ${needle}`);
      assert.strictEqual(index.offset({ line: 1, character: utf8 }, 'utf-8'), offset, `UTF-8 offset of ${needle}`);
      assert.strictEqual(index.offset({ line: 1, character: utf32 }, 'utf-32'), offset, `UTF-32 offset of ${needle}`);
    }
    assert.strictEqual(index.encodedLength(text.indexOf('"'), text.indexOf(';'), 'utf-8'), 15);
    assert.strictEqual(index.encodedLength(text.indexOf('"'), text.indexOf(';'), 'utf-32'), 7);
    assert.strictEqual(index.encodedLength(text.indexOf('"'), text.indexOf(';'), 'utf-16'), 8);
  });

  it('reads a UTF-8 or UTF-32 character inside a character as its start, and clamps at the line end', () => {
    const text = 'é🎉\nz';
    const index = new LineIndex(text);
    assert.strictEqual(index.offset({ line: 0, character: 1 }, 'utf-8'), 0, 'the second byte of é');
    assert.strictEqual(index.offset({ line: 0, character: 4 }, 'utf-8'), 1, 'the third byte of 🎉');
    assert.strictEqual(index.offset({ line: 0, character: 6 }, 'utf-8'), 3, 'after 🎉');
    assert.strictEqual(index.offset({ line: 0, character: 99 }, 'utf-8'), 3, 'past the line end');
    assert.strictEqual(index.offset({ line: 0, character: 99 }, 'utf-32'), 3);
    // A lone surrogate is one character, three bytes as WTF-8 writes it.
    const lone = new LineIndex('\ud800x');
    assert.deepStrictEqual(lone.position(1, 'utf-8'), { line: 0, character: 3 });
    assert.deepStrictEqual(lone.position(1, 'utf-32'), { line: 0, character: 1 });
  });

  it('agrees with Node’s encoders in every encoding on random text, and round-trips', () => {
    const unit = fc.constantFrom('a', ' ', '\n', '\r', 'é', 'ß', '日', '🎉', '𝔸', '\t');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }).map((parts) => parts.join('')), fc.constantFrom<PositionEncoding>('utf-8', 'utf-16', 'utf-32'), (text, encoding) => {
        const index = new LineIndex(text);
        for (let offset = 0; offset <= text.length; offset++) {
          // Only between code points: no position exists inside a surrogate pair in UTF-8 or UTF-32.
          if (insideCrlf(text, offset) || (offset > 0 && text.codePointAt(offset - 1)! > 0xffff)) continue;
          const reference = referencePosition(text, offset);
          const lineText = text.slice(offset - reference.character).split(/\r\n|\r|\n/)[0];
          const position = index.position(offset, encoding);
          const context = `offset ${offset} of ${JSON.stringify(text)} in ${encoding}`;
          assert.deepStrictEqual(position, { line: reference.line, character: encodedCharacter(lineText, reference.character, encoding) }, context);
          assert.strictEqual(index.offset(position, encoding), offset, `round trip of ${context}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('counts UTF-8 after an edit that brings the first non-ASCII character into an ASCII text', () => {
    const original = 'a = "x";\nb = 1;';
    const ascii = new LineIndex(original);
    assert.deepStrictEqual(ascii.position(original.indexOf(';'), 'utf-8'), { line: 0, character: 7 });
    const start = original.indexOf('x');
    const newText = original.slice(0, start) + 'é🎉' + original.slice(start + 1);
    const patched = ascii.withChange(start, start + 1, 'é🎉', newText);
    assert.deepStrictEqual(patched.position(newText.indexOf(';'), 'utf-8'), { line: 0, character: 12 });
    // And an ASCII edit of that text keeps counting bytes.
    const again = patched.withChange(0, 1, 'c', 'c' + newText.slice(1));
    assert.deepStrictEqual(again.position(newText.indexOf(';'), 'utf-8'), { line: 0, character: 12 });
  });

  it('patched after an edit, equals an index of the new text, line breaks and CRLF pairs included', () => {
    const unit = fc.constantFrom('a', ' ', '\n', '\r', '\r\n', 'é', '🎉');
    const text = fc.array(unit, { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 6 }), (original, inserted, at, deleted) => {
        const start = Math.round(at * original.length);
        const end = Math.min(original.length, start + deleted);
        const newText = original.slice(0, start) + inserted + original.slice(end);
        const patched = new LineIndex(original).withChange(start, end, inserted, newText);
        const fresh = new LineIndex(newText);
        const context = `${JSON.stringify(original)} with [${start}, ${end}) replaced by ${JSON.stringify(inserted)}`;
        assert.strictEqual(patched.lineCount, fresh.lineCount, context);
        for (let line = 0; line < fresh.lineCount; line++) assert.strictEqual(patched.lineStart(line), fresh.lineStart(line), `${context}: line ${line}`);
      }),
      { numRuns: 1000 },
    );
  });
});

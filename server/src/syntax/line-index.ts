// Offsets (UTF-16 code units, as JavaScript strings and the tree-sitter binding count them)
// to zero-based line/character positions and back. Lines end at "\n", "\r\n" or a lone "\r",
// as the LSP specification defines them. A character counts UTF-16 code units by default, or
// UTF-8 bytes or code points (UTF-32) for an LSP client that negotiated those (LSP 3.17
// `positionEncoding`): converting those walks the line from its start.

export interface LineCharacter {
  readonly line: number;
  readonly character: number;
}

/** What a position's `character` counts: LSP 3.17's `PositionEncodingKind`s. */
export type PositionEncoding = 'utf-8' | 'utf-16' | 'utf-32';

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The code units of `encoding` that `text[from, to)` (UTF-16 offsets) takes. A lone surrogate
 * counts as one character (three bytes in UTF-8, as WTF-8 writes it).
 */
export function encodedLength(text: string, from: number, to: number, encoding: PositionEncoding): number {
  if (encoding === 'utf-16') return to - from;
  let units = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      units++;
    } else if (isHighSurrogate(code) && i + 1 < to && isLowSurrogate(text.charCodeAt(i + 1))) {
      units += encoding === 'utf-8' ? 4 : 1;
      i++;
    } else {
      units += encoding === 'utf-8' ? (code < 0x800 ? 2 : 3) : 1;
    }
  }
  return units;
}

/**
 * The UTF-16 offset `units` code units of `encoding` after `from`, at most `limit`. A count that
 * ends inside a character (the second byte of `é`) gives that character's start.
 */
function offsetAfter(text: string, from: number, limit: number, units: number, encoding: PositionEncoding): number {
  if (encoding === 'utf-16') return Math.min(from + units, limit);
  let offset = from;
  let remaining = units;
  while (offset < limit) {
    const code = text.charCodeAt(offset);
    const pair = isHighSurrogate(code) && offset + 1 < limit && isLowSurrogate(text.charCodeAt(offset + 1));
    const size = encoding === 'utf-32' ? 1 : code < 0x80 ? 1 : pair ? 4 : code < 0x800 ? 2 : 3;
    if (size > remaining) break;
    remaining -= size;
    offset += pair ? 2 : 1;
  }
  return offset;
}

const NON_ASCII = /[^\x00-\x7f]/;

function lineStartsOf(text: string, from: number, to: number, starts: number[]): void {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 /* \n */) starts.push(i + 1);
    else if (code === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
}

export class LineIndex {
  /**
   * Offset of the first character of each line. A typed array: half the memory of a number
   * array (kept for every open document), and copied by a memcpy when an edit moves the lines
   * after it.
   */
  private readonly lineStarts: Uint32Array;
  /**
   * The text is ASCII only: then every encoding counts the same as UTF-16 (most Nix files).
   * Found on first need, or carried over from the previous version by `withChange`.
   */
  private asciiOnly: boolean | undefined;

  constructor(
    private readonly text: string,
    lineStarts?: Uint32Array,
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
    } else {
      const starts = [0];
      lineStartsOf(text, 0, text.length, starts);
      this.lineStarts = Uint32Array.from(starts);
    }
  }

  /**
   * The index of `newText`, which is this index's text with `[start, end)` replaced by `inserted`:
   * only the lines around the change are rescanned, later line starts are moved.
   */
  withChange(start: number, end: number, inserted: string, newText: string): LineIndex {
    const old = this.lineStarts;
    const delta = inserted.length - (end - start);
    // A CR just before the change may pair with an LF it inserts or removes: rescan from there.
    const scanFrom = Math.max(0, start - 1);
    const firstKept = this.position(scanFrom).line;
    const rescanned: number[] = [];
    const scanTo = Math.min(newText.length, start + inserted.length + 1);
    lineStartsOf(newText, old[firstKept], scanTo, rescanned);
    // Old line starts after the rescanned region, moved: a suffix of the old lines, those that
    // start after the change and still after the last rescanned start.
    const last = rescanned.length > 0 ? rescanned[rescanned.length - 1] : old[firstKept];
    let low = firstKept + 1;
    let high = old.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (old[mid] > end + 1 && old[mid] + delta > last) high = mid;
      else low = mid + 1;
    }
    const starts = new Uint32Array(firstKept + 1 + rescanned.length + (old.length - low));
    starts.set(old.subarray(0, firstKept + 1));
    starts.set(rescanned, firstKept + 1);
    const tail = firstKept + 1 + rescanned.length;
    for (let line = low; line < old.length; line++) starts[tail + line - low] = old[line] + delta;
    const index = new LineIndex(newText, starts);
    if (this.asciiOnly === true && !NON_ASCII.test(inserted)) index.asciiOnly = true;
    return index;
  }

  /** Whether `encoding` counts differently from UTF-16 anywhere in this text. */
  private differsFromUtf16(encoding: PositionEncoding): boolean {
    if (encoding === 'utf-16') return false;
    this.asciiOnly ??= !NON_ASCII.test(this.text);
    return !this.asciiOnly;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number, encoding: PositionEncoding = 'utf-16'): LineCharacter {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    const start = this.lineStarts[low];
    return { line: low, character: this.differsFromUtf16(encoding) ? encodedLength(this.text, start, clamped, encoding) : clamped - start };
  }

  /** Clamps like the LSP spec asks: a character past the line end means the line end. */
  offset(position: LineCharacter, encoding: PositionEncoding = 'utf-16'): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const end = this.lineEnd(position.line);
    const character = Math.max(0, position.character);
    if (this.differsFromUtf16(encoding)) return offsetAfter(this.text, start, end, character, encoding);
    return Math.min(start + character, end);
  }

  /** The code units of `encoding` in `[from, to)` (UTF-16 offsets), e.g. a semantic token's length. */
  encodedLength(from: number, to: number, encoding: PositionEncoding): number {
    return this.differsFromUtf16(encoding) ? encodedLength(this.text, from, to, encoding) : to - from;
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** Offset of the line terminator (or end of text) of `line`. */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line + 1] - 1;
    if (end > 0 && this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
}

// Offsets (UTF-16 code units, as JavaScript strings and the tree-sitter binding count them)
// to zero-based line/character positions and back. Lines end at "\n", "\r\n" or a lone "\r",
// as the LSP specification defines them.

export interface LineCharacter {
  readonly line: number;
  readonly character: number;
}

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
    return new LineIndex(newText, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): LineCharacter {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  /** Clamps like the LSP spec asks: a character past the line end means the line end. */
  offset(position: LineCharacter): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
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

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
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[];

  constructor(
    private readonly text: string,
    lineStarts?: number[],
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
    } else {
      this.lineStarts = [0];
      lineStartsOf(text, 0, text.length, this.lineStarts);
    }
  }

  /**
   * The index of `newText`, which is this index's text with `[start, end)` replaced by `inserted`:
   * only the lines around the change are rescanned, later line starts are moved.
   */
  withChange(start: number, end: number, inserted: string, newText: string): LineIndex {
    const delta = inserted.length - (end - start);
    // A CR just before the change may pair with an LF it inserts or removes: rescan from there.
    const scanFrom = Math.max(0, start - 1);
    const firstKept = this.position(scanFrom).line;
    const starts = this.lineStarts.slice(0, firstKept + 1);
    const scanTo = Math.min(newText.length, start + inserted.length + 1);
    lineStartsOf(newText, this.lineStarts[firstKept], scanTo, starts);
    // Old line starts after the rescanned region, moved.
    for (let line = firstKept + 1; line < this.lineStarts.length; line++) {
      const moved = this.lineStarts[line] + delta;
      if (this.lineStarts[line] > end + 1 && moved > starts[starts.length - 1]) starts.push(moved);
    }
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

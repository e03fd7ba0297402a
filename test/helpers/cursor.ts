// Helpers for the tests of position-based features: `$0` marks the cursor in a test text (and is
// removed before parsing), and `«…»` marks expected ranges in an expected text, so that a failing
// test shows the two texts side by side.
import { AnalyzedFile, SourceFile } from 'nixguard';
import type { OffsetRange } from 'nixguard';

export const CURSOR = '$0';

/** The text without its `$0`, the cursor's offset, and the text's analysis. */
export function withCursor(textWithCursor: string): { text: string; offset: number; file: AnalyzedFile } {
  const offset = textWithCursor.indexOf(CURSOR);
  if (offset < 0) throw new Error(`test text has no ${CURSOR}: ${textWithCursor}`);
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + CURSOR.length);
  return { text, offset, file: analyze(text) };
}

export function analyze(text: string, path?: string): AnalyzedFile {
  return new AnalyzedFile(SourceFile.parse(text), path);
}

/** `text` with each range wrapped in `open`…`close` (ranges must not overlap). */
export function markRanges(text: string, ranges: readonly OffsetRange[], open = '«', close = '»'): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let result = '';
  let at = 0;
  for (const range of sorted) {
    result += text.slice(at, range.start) + open + text.slice(range.start, range.end) + close;
    at = range.end;
  }
  return result + text.slice(at);
}

/** Applies plain offset edits (non-overlapping) to `text`. */
export function applyOffsetEdits(text: string, edits: readonly { range: OffsetRange; newText: string }[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.range.start - a.range.start)) result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  return result;
}

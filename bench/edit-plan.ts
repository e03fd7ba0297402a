// A reproducible sequence of single-character edits spread over a document's string values:
// a character is typed into a value and, on a later pass, deleted again, so the text stays valid
// Nix and keeps its size. Successive edits jump across the file rather than walk it in order.

export interface PlannedEdit {
  /** Offset in the text as it is just before this edit (UTF-16 code units). */
  readonly offset: number;
  /** Zero-based line and UTF-16 character of `offset` (edits never add or remove lines). */
  readonly line: number;
  readonly character: number;
  /** 1 for a deletion of the character at `offset`, 0 for an insertion. */
  readonly deleteLength: 0 | 1;
  readonly insert: string;
}

/** `= "value"` with at least two plain characters; edits go after the first one. */
const STRING_VALUE = /= "([^"\\$\n]{2,})"/g;

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** A step coprime with `count`, near the golden section, so consecutive picks land far apart. */
function scatterStep(count: number): number {
  const gcd = (a: number, b: number): number => {
    while (b !== 0) [a, b] = [b, a % b];
    return a;
  };
  let step = Math.max(1, Math.round(count * 0.618));
  while (gcd(step, count) !== 1) step++;
  return step;
}

/**
 * Plans `count` edits on `text`: inserts at every chosen value in a scattered order, then deletes
 * them in another scattered order, repeating when the document has fewer values than edits.
 */
export function planEdits(text: string, count: number, insert = '7'): PlannedEdit[] {
  const candidates: number[] = [];
  for (let match = STRING_VALUE.exec(text); match; match = STRING_VALUE.exec(text)) {
    candidates.push(match.index + match[0].indexOf('"') + 2);
  }
  STRING_VALUE.lastIndex = 0;
  if (candidates.length === 0) throw new Error('planEdits: the text has no string values to edit');
  const targetCount = Math.min(candidates.length, Math.ceil(count / 2));
  // Evenly spread over the file: the middle candidate of each of `targetCount` equal slices.
  const offsets = Array.from({ length: targetCount }, (_, i) => candidates[Math.floor(((i + 0.5) * candidates.length) / targetCount)]);
  const lines = offsets.map((offset) => lineOf(text, offset));
  // Line starts only move by the edits made earlier on the same line, which is the value itself.
  const lineStarts = offsets.map((offset) => text.lastIndexOf('\n', offset - 1) + 1);
  const inserted = new Array<boolean>(targetCount).fill(false);

  const order: number[] = [];
  const step = scatterStep(targetCount);
  const deleteStart = Math.floor(targetCount / 2);
  while (order.length < count) {
    for (let i = 0; i < targetCount && order.length < count; i++) order.push((i * step) % targetCount);
    for (let i = 0; i < targetCount && order.length < count; i++) order.push((deleteStart + i * step) % targetCount);
  }

  const edits: PlannedEdit[] = [];
  for (const target of order) {
    const offset = offsets[target];
    const deleting = inserted[target];
    edits.push({ offset, line: lines[target], character: offset - lineStarts[target], deleteLength: deleting ? 1 : 0, insert: deleting ? '' : insert });
    inserted[target] = !deleting;
    const delta = deleting ? -1 : insert.length;
    for (let other = 0; other < targetCount; other++) {
      if (offsets[other] > offset) {
        offsets[other] += delta;
        if (lineStarts[other] > offset) lineStarts[other] += delta;
      }
    }
  }
  return edits;
}

/** The text after `edit`. */
export function applyEdit(text: string, edit: PlannedEdit): string {
  return text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.deleteLength);
}

// Applies fixes to a text the way ESLint does: in passes, each pass taking the non-overlapping
// edits in order and skipping a fix that overlaps one already taken; callers re-check and
// re-apply until nothing more applies.
import type { Fix, TextEdit } from '../rules/types';

export interface AppliedFixes {
  readonly text: string;
  readonly applied: readonly Fix[];
  readonly skipped: readonly Fix[];
}

/** Applies the fixes that do not overlap each other (earlier fixes win), in one pass. */
export function applyFixes(text: string, fixes: readonly Fix[]): AppliedFixes {
  const ordered = [...fixes].sort((a, b) => firstOffset(a) - firstOffset(b));
  const taken: TextEdit[] = [];
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  for (const fix of ordered) {
    const edits = [...fix.edits].sort((a, b) => a.range.start - b.range.start);
    const overlaps = edits.some((edit, i) => (i > 0 && edit.range.start < edits[i - 1].range.end) || taken.some((t) => editsOverlap(t, edit)));
    if (overlaps || edits.length === 0) {
      skipped.push(fix);
      continue;
    }
    taken.push(...edits);
    applied.push(fix);
  }
  taken.sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let result = text;
  for (const edit of taken) result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  return { text: result, applied, skipped };
}

function firstOffset(fix: Fix): number {
  return fix.edits.reduce((min, edit) => Math.min(min, edit.range.start), Infinity);
}

/** Touching edits overlap when both insert at the same point or one replaces across the other. */
function editsOverlap(a: TextEdit, b: TextEdit): boolean {
  if (a.range.start === a.range.end && b.range.start === b.range.end) return a.range.start === b.range.start;
  return a.range.start < b.range.end && b.range.start < a.range.end;
}

// textDocument/selectionRange ("expand selection"): from the token at the cursor outwards through
// the extents of its ancestors in the SyntaxTable, each step strictly larger than the one before.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import type { OffsetRange } from '../rules/types';
import { isNamedKind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';

/**
 * The token at `offset`. A cursor between two tokens (`c|;`, `a|)`) is on the name or literal
 * before it rather than on the punctuation after it, as a cursor at the end of a word usually is.
 */
function leafAt(table: SyntaxTable, offset: number): NodeId {
  const here = table.nodeAt(offset);
  const hereIsWord = table.firstChild(here) === NO_NODE && isNamedKind(table.kind(here));
  if (hereIsWord || offset === 0) return here;
  const before = table.nodeAt(offset - 1);
  const beforeIsWord = table.end(before) === offset && table.firstChild(before) === NO_NODE && isNamedKind(table.kind(before));
  return beforeIsWord ? before : here;
}

/** For each offset: the ranges to select, innermost first. */
export function selectionRanges(file: AnalyzedFile, offsets: readonly number[]): OffsetRange[][] {
  const table = file.table;
  return offsets.map((offset) => {
    const ranges: OffsetRange[] = [];
    for (let node = leafAt(table, offset); node !== NO_NODE; node = table.parent(node)) {
      const start = table.start(node);
      const end = table.end(node);
      const previous = ranges[ranges.length - 1];
      if (previous && start <= previous.start && end >= previous.end && (start < previous.start || end > previous.end)) ranges.push({ start, end });
      else if (!previous) ranges.push({ start, end });
    }
    const whole = { start: 0, end: file.text.length };
    const last = ranges[ranges.length - 1];
    if (!last || last.start > 0 || last.end < whole.end) ranges.push(whole);
    return ranges;
  });
}

// Inline suppression comments:
//   # nixguard-ignore-next-line rule-a, rule-b   (the next line that is not a comment)
//   # nixguard-ignore-file rule-a                 (the whole file)
// An id may be followed by a reason after ` -- `; a bare directive with no id is itself an error.
import { Kind } from '../syntax/grammar';
import type { SyntaxTable } from '../syntax/syntax-table';

export interface SuppressionDirective {
  readonly kind: 'next-line' | 'file';
  /** Extent of the whole comment. */
  readonly start: number;
  readonly end: number;
  readonly ruleIds: readonly { id: string; start: number; end: number }[];
  /** Offsets [from, to) of the line the directive covers (next-line only). */
  readonly coveredStart: number;
  readonly coveredEnd: number;
}

export interface Suppressions {
  readonly directives: readonly SuppressionDirective[];
  /** True when a finding of `ruleId` starting at `offset` is suppressed. */
  isSuppressed(ruleId: string, offset: number): boolean;
}

const MARKER = 'nixguard-ignore-';
const DIRECTIVE = /^#\s*nixguard-ignore-(next-line|file)\b([^\n\r]*)$/;

/** Offset of the line terminator (`\n`, `\r\n` or a lone `\r`) at or after `offset`, or the text length. */
function lineTerminator(text: string, offset: number): number {
  for (let i = offset; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return i;
  }
  return text.length;
}

/** Start of the first line after `offset` that holds something other than whitespace or a `#` comment. */
function nextCodeLine(text: string, offset: number): { start: number; end: number } {
  let lineEnd = lineTerminator(text, offset);
  for (;;) {
    if (lineEnd >= text.length) return { start: text.length, end: text.length };
    const lineStart = lineEnd + (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? 2 : 1);
    lineEnd = lineTerminator(text, lineStart);
    let firstCode = lineStart;
    while (firstCode < lineEnd && (text[firstCode] === ' ' || text[firstCode] === '\t')) firstCode++;
    if (firstCode < lineEnd && text[firstCode] !== '#') return { start: lineStart, end: lineEnd };
  }
}

export function findSuppressions(table: SyntaxTable): Suppressions {
  const text = table.text;
  const directives: SuppressionDirective[] = [];
  for (let at = text.indexOf(MARKER); at >= 0; at = text.indexOf(MARKER, at + MARKER.length)) {
    const node = table.nodeAt(at);
    if (table.kind(node) !== Kind.Comment) continue;
    const start = table.start(node);
    // In CRLF files the grammar's comment token ends with the `\r`, which is not part of the directive.
    const end = text[table.end(node) - 1] === '\r' ? table.end(node) - 1 : table.end(node);
    const match = DIRECTIVE.exec(text.slice(start, end));
    if (!match) continue;
    const listStart = start + match[0].length - match[2].length;
    const list = match[2].split(' -- ')[0];
    const ruleIds: { id: string; start: number; end: number }[] = [];
    const idPattern = /[^\s,]+/g;
    for (let id = idPattern.exec(list); id; id = idPattern.exec(list)) {
      ruleIds.push({ id: id[0], start: listStart + id.index, end: listStart + id.index + id[0].length });
    }
    const kind = match[1] === 'file' ? 'file' : 'next-line';
    const covered = kind === 'next-line' ? nextCodeLine(text, end) : { start: 0, end: text.length };
    directives.push({ kind, start, end, ruleIds, coveredStart: covered.start, coveredEnd: covered.end });
  }
  return {
    directives,
    isSuppressed(ruleId, offset) {
      for (const directive of directives) {
        if (!directive.ruleIds.some((r) => r.id === ruleId)) continue;
        if (directive.kind === 'file') return true;
        if (offset >= directive.coveredStart && offset <= directive.coveredEnd) return true;
      }
      return false;
    },
  };
}

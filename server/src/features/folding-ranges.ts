// textDocument/foldingRange: attribute sets, lists, formals, parentheses, the bindings of a
// `let`, function bodies, multi-line strings, block comments and runs of line comments. Each
// region runs from its node's start to the end of its last folded content, so a closing `}`,
// `]` or `in` on a line of its own stays visible when the region is folded. Regions are offsets;
// lsp/convert.ts makes them whole lines and drops those that fit on one line.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { Field, Kind, Token } from '../syntax/grammar';
import type { LineIndex } from '../syntax/line-index';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';

export interface FoldingRegion {
  readonly start: number;
  /** End of the last folded character. */
  readonly end: number;
  readonly kind: 'comment' | 'region';
}

const CLOSING_TOKENS: ReadonlySet<number> = new Set([Token['}'], Token[']'], Token[')'], Token["''"], Token['"']]);

/** What the scan acts on, indexed by kind id (a typed array: the scan visits every row). */
const BRACKETED = 1;
const OTHER = 2;
const FOLD_KINDS = new Uint8Array(512);
for (const kind of [
  Kind.AttrsetExpression,
  Kind.RecAttrsetExpression,
  Kind.LetAttrsetExpression,
  Kind.ListExpression,
  Kind.Formals,
  Kind.ParenthesizedExpression,
  Kind.StringExpression,
  Kind.IndentedStringExpression,
]) {
  FOLD_KINDS[kind] = BRACKETED;
}
for (const kind of [Kind.Comment, Kind.LetExpression, Kind.FunctionExpression]) FOLD_KINDS[kind] = OTHER;

function lastChild(table: SyntaxTable, node: NodeId): NodeId {
  let last = NO_NODE;
  for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) last = child;
  return last;
}

/** Start of the closing token of a bracketed node, less the whitespace before it. */
function contentEnd(text: string, table: SyntaxTable, node: NodeId): number {
  const closing = lastChild(table, node);
  let end = closing !== NO_NODE && CLOSING_TOKENS.has(table.kind(closing)) && !table.isMissing(closing) ? table.start(closing) : table.end(node);
  while (end > table.start(node) && /\s/.test(text.charAt(end - 1))) end--;
  return end;
}

/** Whether `[start, end)` spans lines (a line-index lookup: scanning would be quadratic in nested sets). */
function spansLines(lineIndex: LineIndex, start: number, end: number): boolean {
  return lineIndex.position(start).line !== lineIndex.position(end).line;
}

/** Whether the comment is the first thing on its line (a trailing comment never starts a run). */
function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const char = text.charAt(i);
    if (char === '\n' || char === '\r') return true;
    if (char !== ' ' && char !== '\t') return false;
  }
  return true;
}

/** Whether exactly one line break (and indentation) separates two offsets. */
function nextLine(text: string, start: number, end: number): boolean {
  const gap = text.slice(start, end);
  return /^[ \t]*(\r\n|\n|\r)[ \t]*$/.test(gap);
}

export function foldingRegions(file: AnalyzedFile): FoldingRegion[] {
  const { table, text } = file;
  const lineIndex = file.source.lineIndex;
  const regions: FoldingRegion[] = [];
  const kinds = table.kinds;
  const push = (start: number, end: number, kind: FoldingRegion['kind']): void => {
    if (end > start && spansLines(lineIndex, start, end)) regions.push({ start, end, kind });
  };
  // The end of the current run of `#` comments on consecutive lines.
  let runStart = -1;
  let runEnd = -1;
  const closeRun = (): void => {
    if (runStart >= 0) push(runStart, runEnd, 'comment');
    runStart = -1;
  };
  for (let row = 0; row < table.size; row++) {
    const kind = kinds[row];
    const what = FOLD_KINDS[kind];
    if (what === 0) continue;
    if (kind === Kind.Comment) {
      const start = table.start(row);
      const end = table.end(row);
      if (text.startsWith('/*', start)) {
        closeRun();
        push(start, end, 'comment');
      } else if (runStart >= 0 && nextLine(text, runEnd, start)) {
        runEnd = end;
      } else {
        closeRun();
        if (startsLine(text, start)) {
          runStart = start;
          runEnd = end;
        }
      }
      continue;
    }
    if (what === BRACKETED) {
      push(table.start(row), contentEnd(text, table, row), 'region');
    } else if (kind === Kind.LetExpression) {
      // From `let` to the last binding: `in` stays visible.
      const bindings = table.childOfKind(row, Kind.BindingSet);
      const inKeyword = table.childOfKind(row, Token.in);
      const end = inKeyword !== NO_NODE && !table.isMissing(inKeyword) ? table.start(inKeyword) : bindings !== NO_NODE ? table.end(bindings) : NO_NODE;
      if (end !== NO_NODE) push(table.start(row), trimEnd(text, table.start(row), end), 'region');
    } else if (kind === Kind.FunctionExpression) {
      // A body that starts on a later line than the `:` folds under the line of the `:` (the
      // formals, often on lines of their own, fold separately).
      const colon = table.childOfKind(row, Token[':']);
      const body = table.childByField(row, Field.Body);
      if (colon !== NO_NODE && body !== NO_NODE && spansLines(lineIndex, table.end(colon), table.start(body))) push(table.start(colon), table.end(body), 'region');
    }
  }
  closeRun();
  return regions;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  return end;
}

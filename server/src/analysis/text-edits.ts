// Building blocks for minimal, token-safe fix edits: replacing a span without gluing the new text
// to its neighbours (`f(x)` must become `f x`, never `fx`), unwrapping parentheses while keeping
// comments, and deleting a node together with the whitespace it leaves behind.
// Edits are plain `{ range, newText }` data, the shape rules/types.ts calls TextEdit.
import { Kind } from '../syntax/grammar';
import { NodeId, SyntaxTable } from '../syntax/syntax-table';

export interface PlainTextEdit {
  readonly range: { readonly start: number; readonly end: number };
  readonly newText: string;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Characters after which any expression can start without merging into one token. */
function separatesBefore(char: string): boolean {
  return char === '' || isWhitespace(char.charCodeAt(0)) || '([{;,=!'.includes(char);
}

/** Whether text starting at `offset` can follow `text[offset - 1]` without merging into one token. */
function separatedBefore(text: string, offset: number): boolean {
  const char = text.charAt(offset - 1);
  if (separatesBefore(char)) return true;
  // A `-` after whitespace is an operator (`- x`), not the inside of a name like `a-x`.
  return char === '-' && separatesBefore(text.charAt(offset - 2));
}

/** Characters before which any expression can end without merging into one token. */
function separatesAfter(char: string): boolean {
  return char === '' || isWhitespace(char.charCodeAt(0)) || ')]};,'.includes(char);
}

/** Whether text ending at `offset` can precede `text[offset]` without merging into one token. */
function separatedAfter(text: string, offset: number): boolean {
  const char = text.charAt(offset);
  if (separatesAfter(char)) return true;
  // `x: body`: a name before `:` and a space is a parameter, not the start of a URI like `x:y`.
  const next = text.charAt(offset + 1);
  return char === ':' && (next === '' || isWhitespace(next.charCodeAt(0)));
}

/** `a-(x)`: nothing can follow that `-` directly, as `a-x` and `a- x` both read `a-` as a name. */
function glued(text: string, offset: number): boolean {
  return text.charAt(offset - 1) === '-' && /[A-Za-z0-9_']/.test(text.charAt(offset - 2));
}

/**
 * Replaces `text[start, end)` by `newText`, adding a space on a side where the new text would
 * otherwise merge with the neighbouring character into a different token. Undefined when no
 * space can help (`a-(x)`: see `glued`).
 */
export function replaceSpan(text: string, start: number, end: number, newText: string): PlainTextEdit | undefined {
  const before = text.charAt(start - 1);
  const after = text.charAt(end);
  if (newText === '') {
    // A deletion joins `before` and `after`: `f:let in x` must not become the URI `f:x`.
    const joins = !separatedBefore(text, start) && !separatedAfter(text, end) && !'([{"'.includes(after) && !')]}"'.includes(before);
    if (joins && glued(text, start)) return undefined;
    return { range: { start, end }, newText: joins ? ' ' : '' };
  }
  const first = newText.charAt(0);
  const last = newText.charAt(newText.length - 1);
  const padBefore = !separatedBefore(text, start) && !'([{"'.includes(first);
  // Before `:`, only a URI scheme character could make `x:y` a URI.
  const padAfter = !separatedAfter(text, end) && !')]}"'.includes(last) && !(after === ':' && !/[A-Za-z0-9+.-]/.test(last));
  if (padBefore && glued(text, start)) return undefined;
  return { range: { start, end }, newText: `${padBefore ? ' ' : ''}${newText}${padAfter ? ' ' : ''}` };
}

/** Offset where the line holding `offset` starts. */
export function lineStartOf(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
  return start;
}

/** Offset of the line break ending the line that holds `offset` (or the text's end). */
export function lineEndOf(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  return end;
}

/** The newline sequence the text uses, for inserted lines. */
export function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Whether `text[start, end)` holds only whitespace (so deleting it loses no comment). */
export function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isWhitespace(text.charCodeAt(i))) return false;
  return true;
}

/** Whether any comment lies in the subtree of `node`. */
export function containsComment(table: SyntaxTable, node: NodeId): boolean {
  const end = table.subtreeEnd(node);
  for (let row = node + 1; row < end; row++) if (table.kind(row) === Kind.Comment) return true;
  return false;
}

/**
 * Edits that drop the parentheses `text[open]` and `text[close]` around the inner span
 * `[innerStart, innerEnd)`: each parenthesis goes with the whitespace between it and the inner
 * expression, and a space stays where the inner text would otherwise touch a neighbour.
 * `removeFrom` (before `open`) also drops a prefix such as the `!` of `!(a == b)`. Undefined
 * when the inner text cannot be separated from what precedes it (see `glued`).
 */
export function unwrapEdits(text: string, open: number, innerStart: number, innerEnd: number, close: number, removeFrom = open): PlainTextEdit[] | undefined {
  let openEnd = open + 1;
  if (isBlank(text, openEnd, innerStart)) openEnd = innerStart;
  else while (text.charAt(openEnd) === ' ' || text.charAt(openEnd) === '\t') openEnd++;
  const closeStart = isBlank(text, innerEnd, close) ? innerEnd : close;
  const after = text.charAt(close + 1);
  const first = text.charAt(openEnd);
  const last = text.charAt(closeStart - 1);
  const keepSpaceBefore = !separatedBefore(text, removeFrom) && !'([{"'.includes(first);
  const keepSpaceAfter = !separatedAfter(text, close + 1) && !')]}"'.includes(last) && !(after === '.' && /[A-Za-z_']/.test(last));
  if (keepSpaceBefore && glued(text, removeFrom)) return undefined;
  return [
    { range: { start: removeFrom, end: openEnd }, newText: keepSpaceBefore ? ' ' : '' },
    { range: { start: closeStart, end: close + 1 }, newText: keepSpaceAfter ? ' ' : '' },
  ];
}

/**
 * The span to delete to remove `text[start, end)` tidily: its whole line when it stands alone on
 * it, otherwise the span plus the spaces that separate it from its neighbour. Only whitespace is
 * added, never a neighbour's text, so comments and other code stay.
 */
export function removalSpan(text: string, start: number, end: number): { start: number; end: number } {
  let lineStart = start;
  while (lineStart > 0 && (text.charCodeAt(lineStart - 1) === 32 || text.charCodeAt(lineStart - 1) === 9)) lineStart--;
  let lineEnd = end;
  while (lineEnd < text.length && (text.charCodeAt(lineEnd) === 32 || text.charCodeAt(lineEnd) === 9)) lineEnd++;
  const startsLine = lineStart === 0 || text.charCodeAt(lineStart - 1) === 10;
  const endsLine = text.charCodeAt(lineEnd) === 10 || (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10);
  if (startsLine && endsLine) return { start: lineStart, end: lineEnd + (text.charCodeAt(lineEnd) === 13 ? 2 : 1) };
  // At the start of a line, keep the indentation for what follows; elsewhere take the spaces before.
  return startsLine ? { start, end: lineEnd } : { start: lineStart, end };
}

/** Offset of the first character at or after `offset` that is neither whitespace nor inside a comment. */
export function skipTrivia(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
    if (text.startsWith('#', i)) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else {
      return i;
    }
  }
}

/** Whether the identifier `word` starts at `offset` and is not the prefix of a longer one. */
export function wordAt(text: string, offset: number, word: string): boolean {
  if (!text.startsWith(word, offset)) return false;
  const next = text.charAt(offset + word.length);
  return !/[A-Za-z0-9_'-]/.test(next);
}

/** Nix text shortened for a message: whitespace runs collapsed, at most `max` characters. */
export function abbreviate(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** Whether `node` spans exactly the text `word`, compared in place without slicing the text. */
export function nodeSpells(table: SyntaxTable, node: NodeId, word: string): boolean {
  const start = table.start(node);
  return table.end(node) - start === word.length && table.text.startsWith(word, start);
}

export interface PlainFix {
  readonly title: string;
  readonly edits: readonly PlainTextEdit[];
  readonly safe: boolean;
}

/** A one-fix list, or undefined when the fix is withheld or one of its edits could not be built. */
export function fixOf(title: string, edits: readonly (PlainTextEdit | undefined)[] | undefined, safe = true): PlainFix[] | undefined {
  if (!edits || edits.length === 0) return undefined;
  const built: PlainTextEdit[] = [];
  for (const edit of edits) {
    if (!edit) return undefined;
    built.push(edit);
  }
  return [{ title, edits: built, safe }];
}

// Edits that remove a piece of a scope (a binding, an inherited name, a formal, an `@` name, a
// `with`, a `rec`) or a list element, or add a formal, leaving valid Nix laid out the way the
// file already is: a piece alone on its line goes with its line, commas between formals stay
// right in every common style (`{ a, b }`, one per line with trailing or leading commas, a
// trailing comma, `...`). Each function returns undefined when the edit cannot be made safely (a
// comment sits where text would be deleted), and the caller then offers no fix.
import { Field, Kind, Token } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { isBlank, lineEndOf, lineStartOf, newlineOf, PlainTextEdit, removalSpan, replaceSpan, skipTrivia } from './text-edits';

function deletion(start: number, end: number): PlainTextEdit {
  return { range: { start, end }, newText: '' };
}

function hasCommentBetween(table: SyntaxTable, from: NodeId, start: number, end: number): boolean {
  const last = table.subtreeEnd(from);
  for (let row = from; row < last; row++) {
    if (table.kind(row) === Kind.Comment && table.start(row) < end && table.end(row) > start) return true;
  }
  return false;
}

/**
 * Removes one entry of a binding set (a `binding`, `inherit` or `inherit_from`) or one element of
 * a list, tidily: alone on its line, with its line; otherwise with the spaces before it.
 */
export function removeEntry(text: string, table: SyntaxTable, entry: NodeId): PlainTextEdit {
  const span = removalSpan(text, table.start(entry), table.end(entry));
  return deletion(span.start, span.end);
}

/**
 * Replaces `let … in body` by `body`. Comments between `let` and `in` go with it, as with
 * deadnix (they are about the bindings removed); one between `in` and the body stays.
 */
export function removeLetExpression(text: string, table: SyntaxTable, letNode: NodeId): PlainTextEdit | undefined {
  const body = table.childByField(letNode, Field.Body);
  const inKeyword = table.childOfKind(letNode, Token.in);
  if (body === NO_NODE || inKeyword === NO_NODE || table.isMissing(inKeyword)) return undefined;
  let end = table.end(inKeyword);
  if (isBlank(text, end, table.start(body))) end = table.start(body);
  else while (text.charAt(end) === ' ' || text.charAt(end) === '\t') end++;
  return replaceSpan(text, table.start(letNode), end, '');
}

/**
 * Removes one name from `inherit a b c;` or `inherit (e) a b c;` (not the last one: remove the
 * whole entry then), with the whitespace that separated it.
 */
export function removeInheritedName(text: string, table: SyntaxTable, attr: NodeId): PlainTextEdit | undefined {
  const attrs = table.parent(attr);
  let previous = NO_NODE;
  let next = NO_NODE;
  for (let child = table.firstChild(attrs); child !== NO_NODE; child = table.nextSibling(child)) {
    if (child === attr) {
      for (let after = table.nextSibling(child); after !== NO_NODE; after = table.nextSibling(after)) {
        if (table.kind(after) !== Kind.Comment) {
          next = after;
          break;
        }
      }
      break;
    }
    if (table.kind(child) !== Kind.Comment) previous = child;
  }
  if (previous !== NO_NODE && isBlank(text, table.end(previous), table.start(attr))) return deletion(table.end(previous), table.end(attr));
  if (previous === NO_NODE && next !== NO_NODE && isBlank(text, table.end(attr), table.start(next))) return deletion(table.start(attr), table.start(next));
  return undefined;
}

/**
 * Removes a formal and the comma that goes with it: the one after it, or the one before it when
 * it is the last. Nix accepts a trailing comma, so `{ a, b, }` keeps its style. A comment between
 * the formal and its comma stays (the two are removed apart).
 */
export function removeFormal(text: string, table: SyntaxTable, formal: NodeId): PlainTextEdit[] | undefined {
  const start = table.start(formal);
  const end = table.end(formal);
  const own = removalSpan(text, start, end);
  let previous = NO_NODE;
  for (let child = table.firstChild(table.parent(formal)); child !== NO_NODE && child !== formal; child = table.nextSibling(child)) {
    if (table.kind(child) !== Kind.Comment) previous = child;
  }
  const previousIsComma = previous !== NO_NODE && table.kind(previous) === Token[','] && isBlank(text, table.end(previous), start);
  // Leading commas (`{ a\n, b\n}`): the comma that starts the formal's line is its own.
  if (previousIsComma && isBlank(text, lineStartOf(text, start), table.start(previous))) {
    const span = removalSpan(text, table.start(previous), end);
    return [deletion(span.start, span.end)];
  }
  // The comma after is read from the text: the parser never sees a trailing one (syntax/parser-input.ts).
  const after = skipTrivia(text, end);
  if (text.charAt(after) === ',') {
    if (isBlank(text, end, after)) {
      const span = removalSpan(text, start, after + 1);
      return [deletion(span.start, span.end)];
    }
    let commaEnd = after + 1;
    while (text.charAt(commaEnd) === ' ' || text.charAt(commaEnd) === '\t') commaEnd++;
    return [deletion(own.start, own.end), deletion(after, commaEnd)];
  }
  if (previous === NO_NODE) return undefined;
  if (previousIsComma) {
    const span = removalSpan(text, table.start(previous), end);
    return [deletion(span.start, span.end)];
  }
  if (table.kind(previous) === Token[',']) return [deletion(table.start(previous), table.end(previous)), deletion(own.start, own.end)];
  if (table.kind(previous) === Token['{']) return [deletion(own.start, own.end)];
  return undefined;
}

/** Removes the `name@` (or `@name`) of a function with formals. */
export function removeAtPattern(table: SyntaxTable, fn: NodeId): PlainTextEdit | undefined {
  const universal = table.childByField(fn, Field.Universal);
  const formals = table.childByField(fn, Field.Formals);
  if (universal === NO_NODE || formals === NO_NODE) return undefined;
  const [start, end] = table.start(universal) < table.start(formals) ? [table.start(universal), table.start(formals)] : [table.end(formals), table.end(universal)];
  if (hasCommentBetween(table, fn, start, end)) return undefined;
  return deletion(start, end);
}

/** Replaces `with e; body` by `body`, keeping a comment between `;` and the body. */
export function removeWith(text: string, table: SyntaxTable, withNode: NodeId): PlainTextEdit | undefined {
  const body = table.childByField(withNode, Field.Body);
  const semicolon = table.childOfKind(withNode, Token[';']);
  if (body === NO_NODE || semicolon === NO_NODE || table.isMissing(semicolon)) return undefined;
  let end = table.end(semicolon);
  if (isBlank(text, end, table.start(body))) end = table.start(body);
  else while (text.charAt(end) === ' ' || text.charAt(end) === '\t') end++;
  return replaceSpan(text, table.start(withNode), end, '');
}

/** Removes the `rec` keyword of `rec { … }` and the whitespace after it. */
export function removeRec(text: string, table: SyntaxTable, recSet: NodeId): PlainTextEdit | undefined {
  const keyword = table.firstChild(recSet);
  if (keyword === NO_NODE || table.kind(keyword) !== Token.rec) return undefined;
  let end = table.end(keyword);
  while (end < text.length && isBlank(text, end, end + 1)) end++;
  return replaceSpan(text, table.start(keyword), end, '');
}

/**
 * Adds `name` to `formals` in the file's style: before `...`, else after the last formal; on the
 * same line for one-line formals, on a line of its own (same indentation, same comma placement)
 * for formals written one per line.
 */
export function addFormal(text: string, table: SyntaxTable, formals: NodeId, name: string): PlainTextEdit | undefined {
  let lastFormal = NO_NODE;
  let ellipsis = NO_NODE;
  let open = NO_NODE;
  for (let child = table.firstChild(formals); child !== NO_NODE; child = table.nextSibling(child)) {
    const kind = table.kind(child);
    if (kind === Kind.Formal) lastFormal = child;
    else if (kind === Kind.Ellipses) ellipsis = child;
    else if (kind === Token['{']) open = child;
  }
  const insert = (at: number, newText: string): PlainTextEdit => ({ range: { start: at, end: at }, newText });
  const oneLine = !/[\r\n]/.test(text.slice(table.start(formals), table.end(formals)));
  const newline = newlineOf(text);

  if (ellipsis !== NO_NODE) {
    const prefix = text.slice(lineStartOf(text, table.start(ellipsis)), table.start(ellipsis));
    if (!oneLine && prefix.trim() === '') return insert(table.start(ellipsis), `${name},${newline}${prefix}`);
    if (!oneLine && prefix.trim() === ',') return insert(table.start(ellipsis), `${name}${newline}${prefix}`);
    return insert(table.start(ellipsis), `${name}, `);
  }
  if (lastFormal !== NO_NODE) {
    const end = table.end(lastFormal);
    const after = skipTrivia(text, end);
    const trailingComma = text.charAt(after) === ',' && isBlank(text, end, after);
    const prefix = text.slice(lineStartOf(text, table.start(lastFormal)), table.start(lastFormal));
    if (trailingComma) {
      const restOfLine = text.slice(after + 1, lineEndOf(text, after)).trim();
      if (oneLine || prefix.trim() !== '' || !(restOfLine === '' || restOfLine.startsWith('#'))) return insert(after + 1, ` ${name},`);
      return insert(lineEndOf(text, after), `${newline}${prefix}${name},`);
    }
    if (!oneLine && prefix.trim() === '') return insert(end, `,${newline}${prefix}${name}`);
    if (!oneLine && prefix.trim() === ',') return insert(end, `${newline}${prefix}${name}`);
    return insert(end, `, ${name}`);
  }
  if (open === NO_NODE) return undefined;
  return insert(table.end(open), text.charAt(table.end(open)) === ' ' ? ` ${name}` : ` ${name} `);
}

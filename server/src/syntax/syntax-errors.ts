// Turns the parser's ERROR and MISSING nodes into messages a Nix user can act on ("expected `;`",
// "unclosed `{`", "missing `in` after `let` bindings"), and checks the few purely syntactic rules
// of Nix that the grammar does not know (keywords as attribute names, `or` as a variable, integer
// overflow, paths ending in `/`, a file without an expression). The catalogue of messages is in
// docs/rules/syntax-error.md; fixtures/syntax/err/ has an example of each.
//
// A MISSING token says what the parser had to invent: its kind and parent give the message, and
// it is reported where it belongs, as an empty range right after the previous token.
//
// An ERROR wraps what tree-sitter had on its stack when it got stuck (a valid prefix: a `let` and
// its bindings, an `if` and its condition) plus the tokens it skipped. It is read from the outside
// in: shapes visible on its whole token run (an operator without operand, more `let`s than `in`s,
// a binding name without `=`), unless an ERROR nested in it starts earlier, which is then read the
// same way; then brackets; then the first token that cannot continue what precedes it.
//
// Cascades: one slip leaves the parser out of step for a while. After a first problem only shapes
// that are certain in themselves are reported (another missing `;`), never an unbalanced bracket
// or a stray token, and a generic problem swallows the rest of its binding.
//
// Cost: only error rows and their neighbourhood are read (the ERROR's subtree once, the previous
// token, at most MAX_ANCESTOR_STEPS ancestors), all by iteration, so deeply nested or binary input
// stays linear.
import { Field, isNamedKind, Kind, kindName, KindId, Token } from './grammar';
import { NO_NODE, NodeId, SyntaxTable } from './syntax-table';

export interface SyntaxProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** At most this many syntax problems are reported per file; the first ones matter. */
export const MAX_SYNTAX_PROBLEMS = 20;
/** Error rows examined per file at most: beyond it, everything else is cascade or junk. */
const MAX_ERROR_ROWS_EXAMINED = 2000;
/** Longest token text quoted in a message. */
const MAX_QUOTED_LENGTH = 24;

const OPENER_OF: Readonly<Record<string, string>> = { '}': '{', ']': '[', ')': '(', '"': '"', "''": "''" };
const OPENERS = new Set(['{', '[', '(', '${', '"', "''"]);
const CLOSER_OF: Readonly<Record<string, string>> = { '{': '}', '[': ']', '(': ')', '${': '}', '"': '"', "''": "''" };
const STRING_OPENERS = new Set(['"', "''"]);
/** Tokens after which Nix needs an expression: a file or ERROR ending right after one lacks it. */
const NEEDS_EXPRESSION_AFTER = new Set(['=', ':', '+', '-', '*', '/', '++', '//', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '->', '!', 'in', 'then', 'else', 'assert', 'with', 'if', 'let']);
/** Words Nix reserves; all but `or` are refused as attribute names and variables. */
const RESERVED_WORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit']);
/** Largest integer literal Nix accepts (2^63 - 1); 19 digits. */
const MAX_INTEGER = '9223372036854775807';

/** Ancestors walked at most when looking for context; deeper ones do not change a message. */
const MAX_ANCESTOR_STEPS = 64;
/** ERRORs nested in ERRORs followed at most when looking for where the parser stopped. */
const MAX_NESTED_ERRORS = 16;
/** Tokens that cannot begin an expression: after `=` or an operator they mean the operand is missing. */
const NOT_EXPRESSION_STARTS = new Set(['in', 'then', 'else', ';', '}', ')', ']', ',', '=', '.', ':', '?', '@', '||', '&&', '==', '!=', '<', '<=', '>', '>=', '+', '*', '/', '//', '++', '->', 'or']);

const UNIT_KINDS = new Set<KindId>([Kind.Binding, Kind.Inherit, Kind.InheritFrom, Kind.Formals]);

/** A problem plus what cascade merging needs to know about it. */
interface FoundProblem extends SyntaxProblem {
  /**
   * True for shapes that are certain in themselves (a missing `;` between two bindings, an
   * unclosed bracket): several of them in one binding are all reported. A generic "unexpected"
   * problem swallows what follows it in the same binding.
   */
  readonly independent: boolean;
  /** An unclosed or stray bracket: after any earlier problem these are nearly always its echo. */
  readonly bracket?: boolean;
  /** The rest of the file is inside this problem (an unterminated string): report nothing after. */
  readonly endsFile?: boolean;
}

/**
 * Syntax problems of the file, in document order, cascades merged, at most MAX_SYNTAX_PROBLEMS.
 * Covers ERROR and MISSING nodes and a file without an expression; the per-node checks of
 * `describeStrictSyntax` are separate so that they can run incrementally.
 */
export function describeSyntaxErrors(table: SyntaxTable, hasErrors = true): SyntaxProblem[] {
  // The tree knows whether it has errors; scanning every row to find none is wasted on big files.
  const errorRows = hasErrors ? table.errorNodes() : [];
  if (errorRows.length === 0) {
    const empty = describeEmptyFile(table);
    return empty ? [empty] : [];
  }
  const problems: SyntaxProblem[] = [];
  let skipUntilRow = -1;
  let lastUnit: NodeId | undefined;
  let lastIndependent = true;
  let lastMissingCloserAt = -1;
  let examined = 0;
  for (const node of errorRows) {
    if (node < skipUntilRow) continue;
    if (++examined > MAX_ERROR_ROWS_EXAMINED) break;
    skipUntilRow = table.subtreeEnd(node);
    // Several MISSING closers at one place (`{ a = [ 1` at the end of the file) are one problem.
    if (table.isMissing(node) && OPENER_OF[kindName(table.kind(node))] !== undefined) {
      if (table.start(node) === lastMissingCloserAt) continue;
      lastMissingCloserAt = table.start(node);
    }
    const problem = table.isMissing(node) ? describeMissing(table, node) : describeError(table, node);
    if (!problem) continue;
    // `a.let b = 1;`: describeStrictSyntax reports the keyword; what the parser made of the rest is its echo.
    if (!problem.independent && followsReservedName(table, node)) continue;
    // After a first problem, the parser's recovery produces odd shapes: a bracket out of balance,
    // a stray `;` or `=`. Only shapes that are certain in themselves are reported after it.
    if (problems.length > 0 && (problem.bracket || !problem.independent)) continue;
    const unit = unitOf(table, node);
    if (unit === lastUnit && !(lastIndependent && problem.independent)) continue;
    const last = problems[problems.length - 1];
    if (last && last.start === problem.start && last.message === problem.message) continue;
    problems.push({ start: problem.start, end: problem.end, message: problem.message });
    lastUnit = unit;
    lastIndependent = problem.independent;
    if (problem.endsFile || problems.length >= MAX_SYNTAX_PROBLEMS) break;
  }
  return problems;
}

function followsReservedName(table: SyntaxTable, node: NodeId): boolean {
  const previous = previousToken(table, node);
  if (previous === NO_NODE || table.kind(previous) !== Kind.Identifier || !RESERVED_WORDS.has(table.nodeText(previous))) return false;
  const parentKind = table.kind(table.parent(previous));
  // Inside an ERROR describeStrictSyntax stays silent, so this problem must not.
  return (parentKind === Kind.Attrpath || parentKind === Kind.InheritedAttrs) && !insideError(table, previous);
}

/** Nix needs exactly one expression; an empty or comment-only file has none. */
function describeEmptyFile(table: SyntaxTable): SyntaxProblem | undefined {
  const root = table.root;
  for (let child = table.firstChild(root); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.kind(child) !== Kind.Comment) return undefined;
  }
  // The whole file is the problem (Nix reports "unexpected end of file" at its end).
  const message = table.firstChild(root) === NO_NODE ? 'expected an expression: the file is empty' : 'expected an expression: the file has only comments';
  return { start: 0, end: table.text.length, message };
}

/** The nearest binding, inherit or formals around `node`: cascades stay inside one of these. */
function unitOf(table: SyntaxTable, node: NodeId): NodeId {
  let steps = 0;
  for (let up = table.parent(node); up >= 0; up = table.parent(up)) {
    if (UNIT_KINDS.has(table.kind(up))) return up;
    // Deep nesting: far ancestors do not matter for merging, and walking them all is quadratic.
    if (++steps > MAX_ANCESTOR_STEPS) return up;
  }
  return table.root;
}

// ---------------------------------------------------------------------------------------------
// Tokens around a node

function isLeaf(table: SyntaxTable, node: NodeId): boolean {
  return table.subtreeEnd(node) === node + 1;
}

/** A real token: not a comment, not a zero-width MISSING token. */
function isRealLeaf(table: SyntaxTable, node: NodeId): boolean {
  return isLeaf(table, node) && table.kind(node) !== Kind.Comment && !table.isMissing(node) && table.end(node) > table.start(node);
}

/** The last real token before `node` in document order, or NO_NODE. */
function previousToken(table: SyntaxTable, node: NodeId): NodeId {
  for (let row = node - 1; row >= 0; row--) {
    if (table.subtreeEnd(row) > node) continue; // an ancestor of `node`
    if (isRealLeaf(table, row)) return row;
  }
  return NO_NODE;
}

/** The first real token after `node`'s subtree, or NO_NODE. */
function nextToken(table: SyntaxTable, node: NodeId): NodeId {
  for (let row = table.subtreeEnd(node); row < table.size; row++) {
    if (isRealLeaf(table, row)) return row;
  }
  return NO_NODE;
}

/** Token text as a message quotes it: one line, shortened, control characters spelled out. */
function quoted(text: string): string {
  let line = text.split(/[\r\n]/, 1)[0];
  if (line.length > MAX_QUOTED_LENGTH) line = line.slice(0, MAX_QUOTED_LENGTH - 1) + '…';
  // eslint-disable-next-line no-control-regex
  line = line.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Markdown: a backtick inside the quote needs a double-backtick fence.
  return line.includes('`') ? '`` ' + line + ' ``' : '`' + line + '`';
}

/** Punctuation and keywords by their spelling, names and literals by their text. */
function tokenName(table: SyntaxTable, node: NodeId): string {
  return isNamedKind(table.kind(node)) ? table.nodeText(node) : kindName(table.kind(node));
}

/** Zero-width position right after the token before `node` (where a missing token belongs). */
function positionBefore(table: SyntaxTable, node: NodeId): number {
  const previous = previousToken(table, node);
  return previous === NO_NODE ? table.start(node) : table.end(previous);
}

function at(offset: number, message: string, independent: boolean): FoundProblem {
  return { start: offset, end: offset, message, independent };
}

function over(table: SyntaxTable, node: NodeId, message: string, independent: boolean): FoundProblem {
  return { start: table.start(node), end: table.end(node), message, independent };
}

/** The opener token among `parent`'s direct children that `closer` would close, or NO_NODE. */
function openerFor(table: SyntaxTable, parent: NodeId, closer: string): NodeId {
  const opener = OPENER_OF[closer];
  for (let child = table.firstChild(parent); child !== NO_NODE; child = table.nextSibling(child)) {
    if (!isNamedKind(table.kind(child)) && kindName(table.kind(child)) === opener && !table.isMissing(child)) return child;
  }
  return NO_NODE;
}

/** Names the `}` rather than quoting `${`, which would open an interpolation in a fixture's annotation. */
const UNCLOSED_INTERPOLATION = 'unclosed interpolation: missing `}`';

function unclosed(table: SyntaxTable, opener: NodeId): FoundProblem {
  const name = kindName(table.kind(opener));
  if (name === '${') return { ...over(table, opener, UNCLOSED_INTERPOLATION, true), bracket: true };
  if (name === '"') return { ...over(table, opener, 'unterminated string', true), endsFile: true };
  if (name === "''") return { ...over(table, opener, 'unterminated indented string', true), endsFile: true };
  return { ...over(table, opener, `unclosed ${quoted(name)}`, true), bracket: true };
}

// ---------------------------------------------------------------------------------------------
// MISSING tokens: the parser inserted a zero-width token to recover

function describeMissing(table: SyntaxTable, node: NodeId): FoundProblem | undefined {
  const name = kindName(table.kind(node));
  const parent = table.parent(node);
  const parentKind = parent >= 0 ? table.kind(parent) : -1;
  const position = positionBefore(table, node);
  const previous = previousToken(table, node);
  const after = previous === NO_NODE ? '' : ` after ${quoted(tokenName(table, previous))}`;

  if (OPENER_OF[name] !== undefined) {
    const opener = openerFor(table, parent, name);
    if (opener !== NO_NODE) return unclosed(table, opener);
    return { ...at(position, `expected ${quoted(name)}`, true), bracket: true };
  }
  if (name === 'identifier') {
    if (parentKind === Kind.VariableExpression) return at(position, `expected an expression${after}`, true);
    if (parentKind === Kind.InheritedAttrs || parentKind === Kind.Inherit || parentKind === Kind.InheritFrom) {
      // `inherit;` and `inherit (x);` inherit nothing; Nix accepts them (grammar gap G10/G11).
      if (previous !== NO_NODE && (tokenName(table, previous) === 'inherit' || tokenName(table, previous) === ')')) return undefined;
      return at(position, 'expected an attribute name', true);
    }
    if (parentKind === Kind.Attrpath) return at(position, `expected an attribute name${after}`, true);
    if (parentKind === Kind.Formal || parentKind === Kind.Formals) return at(position, `expected a parameter name${after}`, true);
    return at(position, `expected a name${after}`, true);
  }
  if (name === ';') return at(position, 'expected `;`', true);
  if (name === 'in') return at(position, 'missing `in` after `let` bindings', true);
  if (name === 'then') return at(position, 'missing `then` after the `if` condition', true);
  if (name === 'else') return at(position, 'missing `else` branch of `if`', true);
  return at(position, `expected ${quoted(name)}`, true);
}

// ---------------------------------------------------------------------------------------------
// ERROR nodes

/** A real token of an ERROR's subtree, flattened. */
interface FlatToken {
  readonly row: NodeId;
  /** Punctuation and keywords by their spelling; short names and literals by their text, long ones as ''. */
  readonly name: string;
  /** Punctuation, operators and keywords (including keywords the grammar took for names). */
  readonly isSyntax: boolean;
}

function flatTokens(table: SyntaxTable, node: NodeId): FlatToken[] {
  const tokens: FlatToken[] = [];
  const end = table.subtreeEnd(node);
  for (let row = node + 1; row < end; row++) {
    if (!isRealLeaf(table, row)) continue;
    const kind = table.kind(row);
    // Long names and literals never matter for the shapes; skipping their text keeps junk cheap.
    const name = !isNamedKind(kind) ? kindName(kind) : table.end(row) - table.start(row) <= 8 ? table.nodeText(row) : '';
    const isSyntax = kind !== Kind.Error && (!isNamedKind(kind) || kindName(kind) === 'keyword' || (kind === Kind.Identifier && RESERVED_WORDS.has(name)));
    tokens.push({ row, name, isSyntax });
  }
  return tokens;
}

/**
 * Reads an ERROR from the outside in. Shapes visible on its whole token run come first (an
 * operator without operand, a `let` without `in`) unless an ERROR nested in it starts earlier:
 * that one is where the parser really stopped, and is read the same way. What is left: function
 * arguments without `:`, brackets, and the first token that cannot continue what precedes it.
 */
function describeError(table: SyntaxTable, node: NodeId): FoundProblem | undefined {
  // `let a = 1; { … }`: the grammar reads the old `let { … }` form with junk after `let`.
  if (table.kind(table.parent(node)) === Kind.LetAttrsetExpression) {
    const previous = previousToken(table, node);
    if (previous !== NO_NODE && tokenName(table, previous) === 'let') return over(table, previous, 'missing `in` after `let` bindings', true);
  }
  let current = node;
  // One pass over the outermost ERROR; nested ones read their slice of it.
  const allTokens = flatTokens(table, node);
  for (let depth = 0; ; depth++) {
    if (isLeaf(table, current)) return describeInvalidText(table, current);
    const tokens = current === node ? allTokens : tokensWithin(allTokens, current, table.subtreeEnd(current));
    if (tokens.length === 0) return over(table, current, 'unexpected input', false);
    const outermost = current === node;
    const shape =
      describeMissingOperand(table, current, tokens) ??
      describeUnfinishedKeyword(table, current, tokens, outermost) ??
      describeBindingWithoutEquals(table, current, tokens) ??
      describeAttrpathWithoutEquals(table, current) ??
      (outermost ? describeUnfinishedIf(table, tokens) : undefined);
    const inner = depth < MAX_NESTED_ERRORS ? firstNestedError(table, current) : NO_NODE;
    if (shape && (inner === NO_NODE || table.start(inner) >= shape.start)) return shape;
    // A string or interpolation left open swallows everything after it, nested ERRORs included.
    const openString = outermost && inner !== NO_NODE ? describeBrackets(table, node, tokens) : undefined;
    if (openString && openString.independent && !openString.bracket && openString.start < table.start(inner)) return openString;
    if (inner !== NO_NODE) {
      current = inner;
      continue;
    }
    const formals = describeUnfinishedFormals(table, current, tokens);
    if (formals) return formals;
    const offending = offendingChild(table, current);
    const unexpected = (offending === NO_NODE ? describeWhatFollows(table, current) : undefined) ?? describeUnexpected(table, current, offending === NO_NODE ? firstNonComment(table, current) : offending);
    const brackets = outermost ? describeBrackets(table, node, tokens) : undefined;
    // An unclosed opener is the news; a stray closer only when nothing odd comes before it.
    // (describeBrackets marks an unclosed opener independent, a stray closer not.)
    if (brackets && (brackets.independent || brackets.start <= unexpected.start)) return brackets;
    // Stray closers in the run: the parser is resynchronising after an earlier problem.
    return brackets ? { ...unexpected, bracket: true } : unexpected;
  }
}

/** The tokens whose rows lie in `(first, end)`; `tokens` are in row order. */
function tokensWithin(tokens: readonly FlatToken[], first: NodeId, end: NodeId): FlatToken[] {
  const from = firstIndexAtOrAfter(tokens, first + 1);
  const to = firstIndexAtOrAfter(tokens, end);
  return tokens.slice(from, to);
}

function firstIndexAtOrAfter(tokens: readonly FlatToken[], row: NodeId): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (tokens[middle].row < row) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first ERROR row strictly inside `node`, or NO_NODE. */
function firstNestedError(table: SyntaxTable, node: NodeId): NodeId {
  const end = table.subtreeEnd(node);
  for (let row = node + 1; row < end; row++) if (table.kind(row) === Kind.Error && table.end(row) > table.start(row)) return row;
  return NO_NODE;
}

/** `= in`, `then else`, `+ )`: a token that needs an expression after it, followed by one that cannot start one. */
function describeMissingOperand(table: SyntaxTable, node: NodeId, tokens: readonly FlatToken[]): FoundProblem | undefined {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token.isSyntax) continue;
    let nextName: string | undefined;
    let nextIsSyntax = false;
    if (index + 1 < tokens.length) {
      nextName = tokens[index + 1].name;
      nextIsSyntax = tokens[index + 1].isSyntax;
    } else {
      const after = nextToken(table, node);
      if (after !== NO_NODE) {
        nextName = tokenName(table, after);
        nextIsSyntax = !isNamedKind(table.kind(after)) || kindName(table.kind(after)) === 'keyword';
      }
    }
    if (token.name === '.' && (nextName === undefined || (nextIsSyntax && nextName !== '${' && nextName !== '"' && nextName !== 'or'))) {
      return at(table.end(token.row), 'expected an attribute name after `.`', false);
    }
    if (!NEEDS_EXPRESSION_AFTER.has(token.name) || token.name === 'let' || token.name === 'if') continue;
    // A keyword the grammar read as a name (`{ then = 1; }`) is not an operator here.
    if (isNamedKind(table.kind(token.row))) continue;
    if (nextName === undefined || (nextIsSyntax && NOT_EXPRESSION_STARTS.has(nextName))) {
      return at(table.end(token.row), `expected an expression after ${quoted(token.name)}`, false);
    }
  }
  return undefined;
}

function countOf(tokens: readonly FlatToken[], name: string): number {
  let count = 0;
  for (const token of tokens) if (token.isSyntax && token.name === name) count++;
  return count;
}

function describeUnfinishedKeyword(table: SyntaxTable, node: NodeId, tokens: readonly FlatToken[], outermost: boolean): FoundProblem | undefined {
  // `inherit` only starts a binding: inside a run, the binding before it lacks its `;`.
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token.isSyntax || token.name !== 'inherit') continue;
    if (index > 0 && tokens[index - 1].name !== ';' && tokens[index - 1].name !== '{' && tokens[index - 1].name !== 'let') return at(table.end(tokens[index - 1].row), 'expected `;`', true);
    if (index === 0 && table.kind(token.row) !== Token.inherit && insideBindingValue(table, node)) return at(positionBefore(table, node), 'expected `;`', true);
  }

  // `let` without `in`, or whose last binding lacks its `;` (`let a = 1 in a`).
  // `inherit (pkgs; ...`: the `(` of an inherit is closed before its names.
  for (let index = 0; index + 1 < tokens.length; index++) {
    if (tokens[index].name !== 'inherit' || tokens[index + 1].name !== '(') continue;
    let depth = 0;
    for (let scan = index + 1; scan < tokens.length; scan++) {
      const name = tokens[scan].name;
      if (name === '(') depth++;
      else if (name === ')' && --depth === 0) break;
      else if (name === ';' && depth === 1) return { ...over(table, tokens[index + 1].row, 'unclosed `(`', true), bracket: true };
    }
  }

  // Counting needs the whole run: a nested ERROR may hold a `let` whose `in` comes after it.
  const lets = outermost ? tokens.filter((token, index) => token.isSyntax && token.name === 'let' && tokens[index + 1]?.name !== '{') : [];
  if (lets.length > 0) {
    if (countOf(tokens, 'in') < lets.length) return over(table, lets[0].row, 'missing `in` after `let` bindings', true);
    for (let index = 1; index < tokens.length; index++) {
      if (!tokens[index].isSyntax || tokens[index].name !== 'in') continue;
      const before = tokens[index - 1];
      if (before.name !== ';' && before.name !== 'let' && !NEEDS_EXPRESSION_AFTER.has(before.name)) return at(table.end(before.row), 'expected `;`', true);
    }
  }

  const unfinished = describeWithoutSemicolon(table, node, tokens);
  if (unfinished) return unfinished;

  const first = tokens[0];
  if (!first.isSyntax) return undefined;
  const isRealKeyword = table.kind(first.row) === Token[first.name];
  switch (first.name) {
    case 'inherit':
      if (isRealKeyword && countOf(tokens, ';') === 0) return at(table.end(tokens[tokens.length - 1].row), 'expected `;`', true);
      return undefined;
    case 'rec':
      if (tokens.length === 1) return at(table.end(first.row), 'expected `{` after `rec`', false);
      return undefined;
    default:
      if (!isRealKeyword && RESERVED_WORDS.has(first.name) && isFollowedByAssignment(table, first.row)) {
        return over(table, first.row, `\`${first.name}\` is a keyword; quote it to use it as an attribute name: \`"${first.name}"\``, true);
      }
      return undefined;
  }
}

/**
 * `with pkgs [ a ]` and `assert x y`: the `;` after the scope or condition is missing. Either no
 * `;` follows at the keyword's bracket depth, or the one that does is followed by something that
 * cannot be the body (`with pkgs [ a ]; }`): the expression took the body's place.
 */
function describeWithoutSemicolon(table: SyntaxTable, node: NodeId, tokens: readonly FlatToken[]): FoundProblem | undefined {
  for (let index = 0; index < tokens.length; index++) {
    const keyword = tokens[index];
    if (!keyword.isSyntax || (keyword.name !== 'with' && keyword.name !== 'assert') || table.kind(keyword.row) !== Token[keyword.name]) continue;
    let depth = 0;
    let semicolon = -1;
    for (let scan = index + 1; scan < tokens.length && semicolon < 0; scan++) {
      const name = tokens[scan].isSyntax ? tokens[scan].name : '';
      if (OPENERS.has(name)) depth++;
      else if (OPENER_OF[name] !== undefined && !STRING_OPENERS.has(name) && --depth < 0) break;
      else if (name === ';' && depth === 0) semicolon = scan;
    }
    let bodyMissing = semicolon < 0;
    if (!bodyMissing) {
      const after = semicolon + 1 < tokens.length ? tokens[semicolon + 1] : undefined;
      const afterName = after ? (after.isSyntax ? after.name : '') : nextTokenName(table, node);
      bodyMissing = afterName === undefined || NOT_EXPRESSION_STARTS.has(afterName);
    }
    if (bodyMissing) return over(table, keyword.row, keyword.name === 'with' ? 'missing `;` after the `with` expression' : 'missing `;` after the `assert` condition', true);
  }
  return undefined;
}

function nextTokenName(table: SyntaxTable, node: NodeId): string | undefined {
  const next = nextToken(table, node);
  return next === NO_NODE ? undefined : tokenName(table, next);
}

/**
 * `{ a = 1; exec "x"; }`: a name where a binding starts (after `{`, `;` or `let`) that is
 * not followed by `=`, `.` or what formals allow (`,`, `?`, `}`).
 */
function describeBindingWithoutEquals(table: SyntaxTable, node: NodeId, tokens: readonly FlatToken[]): FoundProblem | undefined {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.isSyntax || table.kind(token.row) !== Kind.Identifier) continue;
    let before: string | undefined;
    if (index > 0) before = tokens[index - 1].name;
    else {
      const previous = previousToken(table, node);
      before = previous === NO_NODE ? undefined : tokenName(table, previous);
    }
    if (before !== ';' && before !== '{' && before !== 'let') continue;
    // A `;` that ends `with e;` or `assert e;` is followed by an expression, not a binding.
    if (before === ';' && !endsBinding(table, index > 0 ? tokens[index - 1].row : previousToken(table, node))) continue;
    let after: string | undefined;
    if (index + 1 < tokens.length) after = tokens[index + 1].name;
    else {
      const next = nextToken(table, node);
      after = next === NO_NODE ? undefined : tokenName(table, next);
    }
    if (after === undefined || BINDING_NAME_FOLLOWERS.has(after)) continue;
    return at(table.end(token.row), `expected \`=\` after ${quoted(tokenName(table, token.row))}`, true);
  }
  return undefined;
}

/** `nmt.script ''…''`: an attribute path at the start of a binding, not followed by `=`. */
function describeAttrpathWithoutEquals(table: SyntaxTable, node: NodeId): FoundProblem | undefined {
  for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.kind(child) !== Kind.Attrpath) continue;
    const next = nextToken(table, child);
    const after = next === NO_NODE ? undefined : tokenName(table, next);
    if (after === undefined || after === '=' || after === '.') continue;
    return at(table.end(child), `expected \`=\` after ${quoted(table.nodeText(child))}`, true);
  }
  return undefined;
}

function endsBinding(table: SyntaxTable, semicolon: NodeId): boolean {
  const parentKind = semicolon === NO_NODE ? -1 : table.kind(table.parent(semicolon));
  return parentKind === Kind.Binding || parentKind === Kind.Inherit || parentKind === Kind.InheritFrom;
}

const BINDING_NAME_FOLLOWERS = new Set(['=', '.', ',', '?', '}', '@', ':', ';']);

/** `{ a, b }` not followed by `:` or `@`: function arguments without a body. */
function describeUnfinishedFormals(table: SyntaxTable, node: NodeId, tokens: readonly FlatToken[]): FoundProblem | undefined {
  // The parser kept reading formals past their `}`: `{ a }⏎let ...`.
  if (table.kind(table.parent(node)) === Kind.Formals && tokens[0].name === '}' && tokens.length > 1 && tokens[1].name !== ':' && tokens[1].name !== '@') {
    return at(table.end(tokens[0].row), 'expected `:` after the function arguments', true);
  }
  for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.kind(child) !== Kind.Formals) continue;
    const next = nextToken(table, child);
    const nextName = next === NO_NODE ? '' : tokenName(table, next);
    if (nextName !== ':' && nextName !== '@') return at(table.end(child), 'expected `:` after the function arguments', true);
  }
  return undefined;
}

/** More `if`s than `then`s or `else`s among the tokens. */
function describeUnfinishedIf(table: SyntaxTable, tokens: readonly FlatToken[]): FoundProblem | undefined {
  const ifs = countOf(tokens, 'if');
  if (ifs === 0) return undefined;
  const firstIf = tokens.find((token) => token.isSyntax && token.name === 'if') as FlatToken;
  if (countOf(tokens, 'then') < ifs) return over(table, firstIf.row, 'missing `then` after the `if` condition', true);
  if (countOf(tokens, 'else') < ifs) return over(table, firstIf.row, 'missing `else` branch of `if`', true);
  return undefined;
}

/** Expressions that may end a binding's value without brackets: a name after them is still part of it. */
const OPEN_ENDED_KINDS = new Set<KindId>([
  Kind.ApplyExpression,
  Kind.Error,
  Kind.SelectExpression,
  Kind.BinaryExpression,
  Kind.UnaryExpression,
  Kind.HasAttrExpression,
  Kind.WithExpression,
  Kind.AssertExpression,
  Kind.LetExpression,
  Kind.FunctionExpression,
  Kind.IfExpression,
]);

/** True when `node` sits at the end of a binding's value (through applications, operators, `with`, …). */
function insideBindingValue(table: SyntaxTable, node: NodeId): boolean {
  let steps = 0;
  for (let up = table.parent(node); up >= 0 && steps < MAX_ANCESTOR_STEPS; up = table.parent(up), steps++) {
    const kind = table.kind(up);
    if (kind === Kind.Binding) return true;
    if (!OPEN_ENDED_KINDS.has(kind)) return false;
  }
  return false;
}

/** `name =` or `name.`: the word is used as (the start of) an attribute path. */
function isFollowedByAssignment(table: SyntaxTable, node: NodeId): boolean {
  const text = table.text;
  let index = table.end(node);
  while (index < text.length && (text[index] === ' ' || text[index] === '\t')) index++;
  return (text[index] === '=' && text[index + 1] !== '=') || text[index] === '.';
}

/**
 * Matches brackets and quotes among the tokens: a stray closer, or an opener left open by an
 * ERROR that runs to the end of the file (or to closers only). An ERROR followed by more code
 * that leaves an opener open is the parser recovering elsewhere; the opener is not the news.
 */
function describeBrackets(table: SyntaxTable, node: NodeId, tokens: readonly FlatToken[]): FoundProblem | undefined {
  const open: FlatToken[] = [];
  for (const token of tokens) {
    if (!token.isSyntax) continue;
    const name = token.name;
    const top = open.length > 0 ? open[open.length - 1].name : undefined;
    if (top !== undefined && STRING_OPENERS.has(top)) {
      // Inside a string only its own end and `${` matter.
      if (name === top) open.pop();
      else if (name === '${') open.push(token);
      continue;
    }
    if (OPENERS.has(name)) {
      open.push(token);
    } else if (OPENER_OF[name] !== undefined) {
      if (top !== undefined && CLOSER_OF[top] === name) open.pop();
      else return { ...over(table, token.row, `unexpected ${quoted(name)}`, false), bracket: true };
    }
  }
  if (open.length === 0) return undefined;
  let innermost = open[open.length - 1];
  // `"${b";`: for Nix the last `"` opens a string inside the interpolation, but the slip is the `}`.
  if (STRING_OPENERS.has(innermost.name) && open.length > 1 && open[open.length - 2].name === '${') innermost = open[open.length - 2];
  if (innermost.name === '${') return { ...over(table, innermost.row, UNCLOSED_INTERPOLATION, true), endsFile: true };
  if (STRING_OPENERS.has(innermost.name) || onlyClosersAfter(table, node)) return unclosed(table, innermost.row);
  return undefined;
}

function onlyClosersAfter(table: SyntaxTable, node: NodeId): boolean {
  // A long run of closers is as good as the end (and bounds the scan).
  const end = Math.min(table.size, table.subtreeEnd(node) + 4 * MAX_ERROR_ROWS_EXAMINED);
  for (let row = table.subtreeEnd(node); row < end; row++) {
    if (!isRealLeaf(table, row)) continue;
    const name = tokenName(table, row);
    if (name !== '}' && name !== ']' && name !== ')' && name !== ';') return false;
  }
  return true;
}

function describeInvalidText(table: SyntaxTable, node: NodeId): FoundProblem {
  const text = table.text;
  const start = table.start(node);
  const code = text.codePointAt(start) ?? 0;
  const width = code > 0xffff ? 2 : 1;
  if (code === 0) return { start, end: start + 1, message: 'unexpected NUL character', independent: false };
  if (text.startsWith('|>', start)) {
    return { start, end: start + 2, message: 'unexpected `|>`: the pipe operator needs a newer Nix (experimental feature `pipe-operators`)', independent: false };
  }
  if (text.startsWith('~/', start) || text.startsWith('<', start)) {
    return { start, end: table.end(node), message: `invalid path ${quoted(text.slice(start, table.end(node)))}`, independent: false };
  }
  return { start, end: start + width, message: `unexpected character ${quoted(String.fromCodePoint(code))}`, independent: false };
}

/**
 * The direct child where the parse went wrong: the first token that cannot continue what
 * precedes it. A joining token (`=`, `:`, an operator) between two names or expressions, an
 * opener or prefix keyword followed by an operand, a `;` closing a binding and a closer of an
 * enclosing bracket are all part of a valid prefix that the parser merely could not finish.
 */
function offendingChild(table: SyntaxTable, node: NodeId): NodeId {
  const children: NodeId[] = [];
  for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.kind(child) !== Kind.Comment) children.push(child);
  }
  const isOperand = (index: number): boolean => index >= 0 && index < children.length && isNamedKind(table.kind(children[index])) && kindName(table.kind(children[index])) !== 'keyword';
  let sawEquals = false;
  for (let index = 0; index < children.length; index++) {
    if (isOperand(index)) continue;
    const name = tokenName(table, children[index]);
    const joinsOperands = JOINING_TOKENS.has(name) && isOperand(index - 1) && (isOperand(index + 1) || index + 1 === children.length);
    const startsOperand = PREFIX_TOKENS.has(name) && index + 1 < children.length && (isOperand(index + 1) || PREFIX_TOKENS.has(tokenName(table, children[index + 1])));
    const endsBinding = name === ';' && isOperand(index - 1) && sawEquals;
    if (name === '=') sawEquals = true;
    if (!joinsOperands && !startsOperand && !endsBinding) return children[index];
  }
  return NO_NODE;
}

const JOINING_TOKENS = new Set(['=', ':', '.', '?', '@', '+', '-', '*', '/', '++', '//', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '->', 'or']);
const PREFIX_TOKENS = new Set(['(', '[', '{', '${', '"', "''", 'let', 'in', 'if', 'then', 'else', 'with', 'assert', 'rec', 'inherit', '!', '-']);

/**
 * The ERROR holds a valid prefix only (`services.nginx` before a dangling `.`): the parser choked
 * on what comes after it. Undefined when what follows looks fine: then the prefix itself is odd.
 */
function describeWhatFollows(table: SyntaxTable, node: NodeId): FoundProblem | undefined {
  const next = nextToken(table, node);
  if (next === NO_NODE) return undefined;
  const name = tokenName(table, next);
  const afterNext = nextToken(table, next);
  const afterName = afterNext === NO_NODE ? undefined : tokenName(table, afterNext);
  if (name === '.' && (afterName === undefined || !/^[A-Za-z_"$]/.test(afterName) || RESERVED_WORDS.has(afterName))) {
    return at(table.end(next), 'expected an attribute name after `.`', false);
  }
  if (!isNamedKind(table.kind(next)) && NEEDS_EXPRESSION_AFTER.has(name) && (afterName === undefined || NOT_EXPRESSION_STARTS.has(afterName))) {
    return at(table.end(next), `expected an expression after ${quoted(name)}`, false);
  }
  return undefined;
}

function describeUnexpected(table: SyntaxTable, node: NodeId, offending: NodeId): FoundProblem {
  let token = offending;
  if (token !== NO_NODE && !isLeaf(table, token)) {
    const end = table.subtreeEnd(token);
    let leaf = NO_NODE;
    for (let row = token; row < end && leaf === NO_NODE; row++) if (isRealLeaf(table, row)) leaf = row;
    token = leaf;
  }
  if (token === NO_NODE) return over(table, node, 'unexpected input', false);
  const name = tokenName(table, token);
  const parentKind = table.kind(table.parent(node));

  if (name === ',') {
    if (parentKind === Kind.ListExpression) return over(table, token, 'unexpected `,`: list elements are separated by spaces', false);
    if (insideBindingValue(table, node) || parentKind === Kind.Binding || parentKind === Kind.BindingSet) return over(table, token, 'unexpected `,`: bindings end with `;`', false);
  }
  if (name === '=' && isAbsorbedBinding(table, node)) {
    // `a = 1⏎ b = 2;`: the value swallowed the next binding's name as an argument.
    const absorbed = lastChild(table, previousSibling(table, node));
    if (absorbed !== NO_NODE) return at(positionBefore(table, absorbed), 'expected `;`', true);
  }
  if ((name === '}' || name === ']' || name === ')') && table.kind(table.parent(node)) === Kind.Binding && nextTokenName(table, node) === ';' && previousSibling(table, node) !== NO_NODE && closesOpenAncestor(table, node, name)) {
    // `{ b = 1 };`: the `;` came after the closer instead of before it.
    return at(positionBefore(table, node), 'expected `;`', true);
  }
  if (table.kind(token) === Kind.Error) return describeInvalidText(table, token);
  return { ...over(table, token, `unexpected ${quoted(name)}`, false), bracket: OPENER_OF[name] !== undefined && !STRING_OPENERS.has(name) };
}

/** An ancestor opened by the matching opener has no closer of its own: `closer` is its end. */
function closesOpenAncestor(table: SyntaxTable, node: NodeId, closer: string): boolean {
  let steps = 0;
  for (let up = table.parent(node); up >= 0 && steps < MAX_ANCESTOR_STEPS; up = table.parent(up), steps++) {
    if (openerFor(table, up, closer) === NO_NODE) continue;
    let closed = false;
    for (let child = table.firstChild(up); child !== NO_NODE; child = table.nextSibling(child)) {
      if (!isNamedKind(table.kind(child)) && kindName(table.kind(child)) === closer && !table.isMissing(child)) closed = true;
    }
    return !closed;
  }
  return false;
}

function firstNonComment(table: SyntaxTable, node: NodeId): NodeId {
  for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) if (table.kind(child) !== Kind.Comment) return child;
  return NO_NODE;
}

function previousSibling(table: SyntaxTable, node: NodeId): NodeId {
  const parent = table.parent(node);
  if (parent < 0) return NO_NODE;
  let previous = NO_NODE;
  for (let child = table.firstChild(parent); child !== NO_NODE && child !== node; child = table.nextSibling(child)) previous = child;
  return previous;
}

function lastChild(table: SyntaxTable, node: NodeId): NodeId {
  if (node === NO_NODE) return NO_NODE;
  let last = NO_NODE;
  for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) last = child;
  return last;
}

/**
 * The ERROR holds the `=` of a binding whose name the previous value took as an argument:
 * `apply(apply(value, name), ERROR(=), next value)` inside a binding.
 */
function isAbsorbedBinding(table: SyntaxTable, node: NodeId): boolean {
  const parent = table.parent(node);
  if (parent < 0 || table.kind(parent) !== Kind.ApplyExpression || !insideBindingValue(table, node)) return false;
  const previous = previousSibling(table, node);
  if (previous === NO_NODE || table.kind(previous) !== Kind.ApplyExpression) return false;
  const name = lastChild(table, previous);
  const kind = name === NO_NODE ? -1 : table.kind(name);
  return kind === Kind.VariableExpression || kind === Kind.SelectExpression || kind === Kind.StringExpression;
}

// ---------------------------------------------------------------------------------------------
// Nix's own syntax checks that the grammar lacks (grammar-gap list M1, M4, M5, `or`)

/** Node kinds `describeStrictSyntax` looks at; the rule registers a visitor for each. */
export const STRICT_SYNTAX_KINDS: readonly KindId[] = [
  Kind.Attrpath,
  Kind.InheritedAttrs,
  Kind.VariableExpression,
  Kind.IntegerExpression,
  Kind.PathExpression,
  Kind.HpathExpression,
];

/**
 * Problems Nix reports while parsing but the grammar accepts, for one node of a
 * STRICT_SYNTAX_KINDS kind. Reads the node, its children and its parent only.
 */
export function describeStrictSyntax(table: SyntaxTable, node: NodeId): readonly SyntaxProblem[] {
  const kind = table.kind(node);
  let problems: readonly SyntaxProblem[] = NO_PROBLEMS;
  if (kind === Kind.Attrpath || kind === Kind.InheritedAttrs) problems = reservedNames(table, node);
  else if (kind === Kind.VariableExpression) problems = orVariable(table, node);
  else if (kind === Kind.IntegerExpression) problems = integerOverflow(table, node);
  else if (kind === Kind.PathExpression || kind === Kind.HpathExpression) problems = pathShape(table, node);
  // Inside an ERROR the tree is the parser's guess (often string text read as code): the ERROR is the news.
  return problems.length > 0 && insideError(table, node) ? NO_PROBLEMS : problems;
}

/** What the strict checks return for the (very common) node without problems: no allocation. */
const NO_PROBLEMS: readonly SyntaxProblem[] = Object.freeze([]);

/** The reserved word spelled at `text[start, start + length)`, compared in place (no substring). */
function reservedWordAt(text: string, start: number, length: number): string | undefined {
  for (let i = 0; i < RESERVED_WORD_LIST.length; i++) {
    const word = RESERVED_WORD_LIST[i];
    if (word.length === length && text.startsWith(word, start)) return word;
  }
  return undefined;
}
const RESERVED_WORD_LIST: readonly string[] = [...RESERVED_WORDS];

function insideError(table: SyntaxTable, node: NodeId): boolean {
  for (let up = table.parent(node); up >= 0; up = table.parent(up)) if (table.kind(up) === Kind.Error) return true;
  return false;
}

/** `x.if`, `{ a.then = 1; }`, `inherit (x) else;`: Nix refuses keywords as attribute names. */
function reservedNames(table: SyntaxTable, node: NodeId): readonly SyntaxProblem[] {
  let problems: SyntaxProblem[] | undefined;
  for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.kind(child) !== Kind.Identifier) continue;
    const length = table.end(child) - table.start(child);
    if (length < 2 || length > 7) continue;
    const name = reservedWordAt(table.text, table.start(child), length);
    if (name) (problems ??= []).push({ start: table.start(child), end: table.end(child), message: `\`${name}\` is a keyword; quote it to use it as an attribute name: \`"${name}"\`` });
  }
  return problems ?? NO_PROBLEMS;
}

/**
 * `or` is a keyword that Nix also accepts as a variable, but only as a function's argument
 * (`map or list`, kept for old nixpkgs code); anywhere else it is a syntax error.
 */
function orVariable(table: SyntaxTable, node: NodeId): readonly SyntaxProblem[] {
  const start = table.start(node);
  if (table.end(node) - start !== 2 || table.text[start] !== 'o' || table.text[start + 1] !== 'r') return NO_PROBLEMS;
  const parent = table.parent(node);
  if (parent >= 0 && table.kind(parent) === Kind.ApplyExpression && table.field(node) === Field.Argument) return NO_PROBLEMS;
  // `[ (f) or ]`: Nix reads `(f) or` as an application there too, where the grammar sees two elements.
  if (parent >= 0 && table.kind(parent) === Kind.ListExpression && previousElement(table, node) !== NO_NODE) return NO_PROBLEMS;
  return [{ start, end: start + 2, message: '`or` is a keyword; as a variable it is only allowed as a function argument' }];
}

function previousElement(table: SyntaxTable, node: NodeId): NodeId {
  let previous = NO_NODE;
  for (let child = table.firstChild(table.parent(node)); child !== NO_NODE && child !== node; child = table.nextSibling(child)) {
    if (isNamedKind(table.kind(child)) && table.kind(child) !== Kind.Comment) previous = child;
  }
  return previous;
}

/** Integer literals above 2^63 - 1 (Nix: "invalid integer"). */
function integerOverflow(table: SyntaxTable, node: NodeId): readonly SyntaxProblem[] {
  const length = table.end(node) - table.start(node);
  if (length < MAX_INTEGER.length) return NO_PROBLEMS;
  const digits = table.nodeText(node).replace(/^0+/, '');
  if (digits.length < MAX_INTEGER.length || (digits.length === MAX_INTEGER.length && digits <= MAX_INTEGER)) return NO_PROBLEMS;
  return [{ start: table.start(node), end: table.end(node), message: `integer ${quoted(table.nodeText(node))} is too large (the largest is ${MAX_INTEGER})` }];
}

/** Whether `text[start, end)` contains `//`; reads only that span. */
function containsDoubleSlash(text: string, start: number, end: number): boolean {
  for (let i = start; i + 1 < end; i++) if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 47) return true;
  return false;
}

/** `./dir/` (Nix: "path has a trailing slash") and `./a//b`. */
function pathShape(table: SyntaxTable, node: NodeId): readonly SyntaxProblem[] {
  const text = table.text;
  const end = table.end(node);
  if (text[end - 1] === '/') return [{ start: table.start(node), end, message: 'a path cannot end with `/`' }];
  for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.kind(child) !== Kind.PathFragment) continue;
    if (containsDoubleSlash(text, table.start(child), table.end(child))) return [{ start: table.start(node), end, message: 'a path cannot contain `//`' }];
  }
  return NO_PROBLEMS;
}

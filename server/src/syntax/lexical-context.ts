// What Nix's lexer knows at an offset, read from the text alone: whether the offset is in code, a
// string or a comment, which brackets, strings and `let`/`if` are still open there, and the last
// few tokens before it. Completion uses it because the user is typing: the text in front of the
// cursor is often broken (`foo.` then the end of the file, an unclosed `{`), and tree-sitter's
// error recovery may then turn a function head or a string into an ERROR node; a left-to-right
// scan of the text up to the cursor cannot be misled that way.
//
// It follows Nix's lexer (src/libexpr/lexer.l) where that decides the state: `"` strings with `\`
// escapes, `''` strings with `'''`, `''$` and `''\` escapes, `$${` (no interpolation), `#` and
// `/* */` comments, paths (`a/b`, `./a`, `~/a`, `<a>`) and URIs (`https://a/*` is no comment).
// Bindings are tracked only as far as completion needs: whether the innermost `{` or `let` is
// between statements (an attribute name comes next) or inside a binding's value or an `inherit`.
// Linear in the offset; no recursion.

export type OpenerKind = '{' | '(' | '[' | '${' | '"' | "''" | 'let' | 'if' | 'then' | 'with' | 'assert';

/** Where the innermost binding list (a `{ }` or a `let`) stands. */
export type StatementState =
  /** Between statements: an attribute name or `inherit` comes next. */
  | 'none'
  /** After `=`: in the value of a binding. */
  | 'value'
  /** After `inherit`, before its `;`. */
  | 'inherit';

export interface Opener {
  readonly kind: OpenerKind;
  /** Offset of the opening token. */
  readonly start: number;
  /** For `{` and `let`. */
  statement: StatementState;
  /** For `{` and `let`: the offset of the `inherit` keyword when `statement` is 'inherit'. */
  statementStart: number;
  /** For `{`: a `,` at this level makes it a function's formals. */
  formals: boolean;
  /** For `{` formals: after `?`, in a default value. */
  inDefault: boolean;
}

export type LexicalTokenKind = 'identifier' | 'keyword' | 'operator' | 'string' | 'number' | 'path' | 'uri';

export interface LexicalToken {
  readonly kind: LexicalTokenKind;
  readonly start: number;
  /** A path, URI or number may end past the scanned offset, when the offset is inside it. */
  readonly end: number;
  readonly text: string;
}

export interface LexicalContext {
  readonly mode: 'code' | 'string' | 'comment';
  /** Open constructs, outermost first. */
  readonly stack: readonly Opener[];
  /** The last tokens that start before the offset, oldest first (at most TOKEN_MEMORY). */
  readonly tokens: readonly LexicalToken[];
}

/** How many recent tokens a context keeps: enough for `a.b.c.d.` chains and `inherit (x) a b`. */
export const TOKEN_MEMORY = 64;

const KEYWORDS = new Set(['let', 'in', 'if', 'then', 'else', 'with', 'assert', 'rec', 'inherit', 'or']);

const TOKEN_KINDS: readonly LexicalTokenKind[] = ['identifier', 'keyword', 'operator', 'string', 'number', 'path', 'uri'];
const IDENTIFIER = 0;
const KEYWORD = 1;
const OPERATOR = 2;
const STRING = 3;
const NUMBER = 4;
const PATH = 5;
const URI = 6;

// Character classes by code unit, for the hot loop (regular expressions allocate per match).
const PATH_CHAR = new Uint8Array(128);
const IDENTIFIER_CHAR = new Uint8Array(128);
const URI_CHAR = new Uint8Array(128);
const SCHEME_CHAR = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  const alphanumeric = /[a-zA-Z0-9]/.test(char);
  PATH_CHAR[code] = alphanumeric || '._-+'.includes(char) ? 1 : 0;
  IDENTIFIER_CHAR[code] = alphanumeric || "_'-".includes(char) ? 1 : 0;
  URI_CHAR[code] = alphanumeric || "%/?:@&=+$,-_.!~*'".includes(char) ? 1 : 0;
  SCHEME_CHAR[code] = alphanumeric || '+-.'.includes(char) ? 1 : 0;
}

function isClass(table: Uint8Array, code: number): boolean {
  return code >= 0 && code < 128 && table[code] === 1;
}

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function newOpener(kind: OpenerKind, start: number): Opener {
  return { kind, start, statement: 'none', statementStart: -1, formals: false, inDefault: false };
}

/**
 * A place the scan may start from instead of the file's start: `offset` begins a binding (or
 * `inherit`) of a binding list `owner` opened before it, in code. Openers outside that list are
 * then unknown, which only `closingText` would need.
 */
export interface ScanStart {
  readonly offset: number;
  readonly owner: '{' | 'let';
}

/** Scans `text` from its start (or `from`) to `offset` (exclusive) and reports the state there. */
export function lexicalContextAt(text: string, offset: number, from?: ScanStart): LexicalContext {
  const end = Math.max(0, Math.min(offset, text.length));
  const length = text.length;
  const stack: Opener[] = [];
  if (from) stack.push(newOpener(from.owner, from.offset));
  // The last TOKEN_MEMORY tokens in a ring, without allocating per token.
  const ringKinds = new Uint8Array(TOKEN_MEMORY);
  const ringStarts = new Int32Array(TOKEN_MEMORY);
  const ringEnds = new Int32Array(TOKEN_MEMORY);
  let tokenCount = 0;
  const pushToken = (kind: number, start: number, tokenEnd: number): void => {
    const slot = tokenCount % TOKEN_MEMORY;
    ringKinds[slot] = kind;
    ringStarts[slot] = start;
    ringEnds[slot] = tokenEnd;
    tokenCount++;
  };
  /** The token `back` places before the last one (0: the last), or -1. */
  const tokenSlot = (back: number): number => (back < tokenCount && back < TOKEN_MEMORY ? (tokenCount - 1 - back) % TOKEN_MEMORY : -1);
  /** Pops up to and including the innermost opener of one of `kinds`, if there is one. */
  const popTo = (kinds: readonly OpenerKind[]): Opener | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const kind = stack[i].kind;
      if (kinds.includes(kind)) {
        const found = stack[i];
        stack.length = i;
        return found;
      }
      // Never close a bracket or string from inside a bracket of another kind.
      if (kind === '{' || kind === '(' || kind === '[' || kind === '${' || kind === '"' || kind === "''") return undefined;
    }
    return undefined;
  };
  const finish = (mode: LexicalContext['mode']): LexicalContext => {
    const tokens: LexicalToken[] = [];
    for (let back = Math.min(tokenCount, TOKEN_MEMORY) - 1; back >= 0; back--) {
      const slot = tokenSlot(back);
      tokens.push({ kind: TOKEN_KINDS[ringKinds[slot]], start: ringStarts[slot], end: ringEnds[slot], text: text.slice(ringStarts[slot], ringEnds[slot]) });
    }
    return { mode, stack, tokens };
  };

  let i = from ? Math.min(from.offset, end) : 0;
  while (i < end) {
    const current = stack.length > 0 ? stack[stack.length - 1] : undefined;
    const code = text.charCodeAt(i);
    const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;

    if (current !== undefined && current.kind === '"') {
      if (code === 92 /* \ */) i += 2;
      else if (code === 34 /* " */) {
        stack.pop();
        pushToken(STRING, current.start, i + 1);
        i++;
      } else if (code === 36 /* $ */ && next === 123 /* { */) {
        stack.push(newOpener('${', i));
        i += 2;
      } else if (code === 36 && next === 36) i += 2;
      else i++;
      continue;
    }
    if (current !== undefined && current.kind === "''") {
      if (code === 39 /* ' */ && next === 39) {
        const third = i + 2 < end ? text.charCodeAt(i + 2) : -1;
        if (third === 39 || third === 36) i += 3;
        else if (third === 92 /* \ */) i += 4;
        else {
          stack.pop();
          pushToken(STRING, current.start, i + 2);
          i += 2;
        }
      } else if (code === 36 && next === 123) {
        stack.push(newOpener('${', i));
        i += 2;
      } else if (code === 36 && next === 36) i += 2;
      else i++;
      continue;
    }

    // Code.
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      i++;
      continue;
    }
    if (code === 35 /* # */) {
      let lineEnd = i;
      while (lineEnd < length && text.charCodeAt(lineEnd) !== 10 && text.charCodeAt(lineEnd) !== 13) lineEnd++;
      // The offset right at the end of the line is still in the comment.
      if (lineEnd >= end) return finish('comment');
      i = lineEnd;
      continue;
    }
    if (code === 47 /* / */ && next === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0 || close + 2 > end) return finish('comment');
      i = close + 2;
      continue;
    }
    if (code === 34) {
      stack.push(newOpener('"', i));
      i++;
      continue;
    }
    if (code === 39 && next === 39) {
      stack.push(newOpener("''", i));
      i += 2;
      continue;
    }
    if (code === 36 && next === 123) {
      // `${` in code: a dynamic attribute name or a path's interpolation.
      stack.push(newOpener('${', i));
      pushToken(OPERATOR, i, i + 2);
      i += 2;
      continue;
    }
    if (code === 126 /* ~ */ && next === 47 /* / */) {
      const pathEnd = scanPathTail(text, i + 1);
      if (pathEnd > i + 1) {
        pushToken(PATH, i, pathEnd);
        i = pathEnd;
        continue;
      }
    }
    if (code === 60 /* < */) {
      let close = i + 1;
      while (close < length && (isClass(PATH_CHAR, text.charCodeAt(close)) || text.charCodeAt(close) === 47)) close++;
      if (close > i + 1 && text.charCodeAt(close) === 62 /* > */) {
        pushToken(PATH, i, close + 1);
        i = close + 1;
        continue;
      }
    }
    if (isClass(PATH_CHAR, code)) {
      let run = i;
      while (run < length && isClass(PATH_CHAR, text.charCodeAt(run))) run++;
      if (run + 1 < length && text.charCodeAt(run) === 47 && isClass(PATH_CHAR, text.charCodeAt(run + 1))) {
        const pathEnd = scanPathTail(text, run);
        pushToken(PATH, i, pathEnd);
        i = pathEnd;
        continue;
      }
      if (isIdentifierStart(code)) {
        let scheme = i + 1;
        while (scheme < length && isClass(SCHEME_CHAR, text.charCodeAt(scheme))) scheme++;
        if (text.charCodeAt(scheme) === 58 /* : */ && isClass(URI_CHAR, text.charCodeAt(scheme + 1))) {
          let uriEnd = scheme + 1;
          while (uriEnd < length && isClass(URI_CHAR, text.charCodeAt(uriEnd))) uriEnd++;
          pushToken(URI, i, uriEnd);
          i = uriEnd;
          continue;
        }
        // Up to the offset only: a word the offset cuts is not the keyword it may become.
        let wordEnd = i + 1;
        while (wordEnd < end && isClass(IDENTIFIER_CHAR, text.charCodeAt(wordEnd))) wordEnd++;
        // Keywords are 2 to 7 letters: only those words are looked up.
        const word = wordEnd - i >= 2 && wordEnd - i <= 7 ? text.slice(i, wordEnd) : '';
        const isKeyword = word !== '' && KEYWORDS.has(word);
        pushToken(isKeyword ? KEYWORD : IDENTIFIER, i, wordEnd);
        if (isKeyword) applyKeyword(word, i);
        i = wordEnd;
        continue;
      }
      if (isDigit(code)) {
        const numberEnd = scanNumber(text, i);
        pushToken(NUMBER, i, numberEnd);
        i = numberEnd;
        continue;
      }
    }
    // Operators and punctuation; only `=` (not `==`) and `...` matter beyond being tokens.
    if (next >= 0 && isTwoCharOperator(code, next)) {
      pushToken(OPERATOR, i, i + 2);
      i += 2;
      continue;
    }
    if (code === 46 && next === 46 && i + 2 < end && text.charCodeAt(i + 2) === 46) {
      pushToken(OPERATOR, i, i + 3);
      i += 3;
      continue;
    }
    pushToken(OPERATOR, i, i + 1);
    applyPunctuation(code, i);
    i++;
  }
  const last = stack.length > 0 ? stack[stack.length - 1] : undefined;
  return finish(last?.kind === '"' || last?.kind === "''" ? 'string' : 'code');

  function applyKeyword(word: string, at: number): void {
    const current = stack[stack.length - 1];
    switch (word) {
      case 'let':
        stack.push(newOpener('let', at));
        break;
      case 'in':
        popTo(['let']);
        break;
      case 'if':
        stack.push(newOpener('if', at));
        break;
      case 'then':
        if (current?.kind === 'if') stack[stack.length - 1] = newOpener('then', at);
        break;
      case 'else':
        if (current?.kind === 'then') stack.pop();
        break;
      case 'with':
      case 'assert':
        stack.push(newOpener(word, at));
        break;
      case 'inherit':
        if (current && (current.kind === '{' || current.kind === 'let') && current.statement === 'none') {
          current.statement = 'inherit';
          current.statementStart = at;
        }
        break;
      default:
        break;
    }
  }

  function applyPunctuation(code: number, at: number): void {
    const current = stack[stack.length - 1];
    switch (code) {
      case 123 /* { */: {
        // `let {` is the legacy `let { …; body = …; }`: a binding list like `rec {`.
        const previous = tokenSlot(1);
        if (current?.kind === 'let' && previous >= 0 && ringKinds[previous] === KEYWORD && ringStarts[previous] === current.start) stack.pop();
        stack.push(newOpener('{', at));
        break;
      }
      case 125 /* } */:
        popTo(['{', '${']);
        break;
      case 40 /* ( */:
        stack.push(newOpener('(', at));
        break;
      case 41 /* ) */:
        popTo(['(']);
        break;
      case 91 /* [ */:
        stack.push(newOpener('[', at));
        break;
      case 93 /* ] */:
        popTo(['[']);
        break;
      case 59 /* ; */: {
        if (current?.kind === 'with' || current?.kind === 'assert') {
          stack.pop();
          break;
        }
        // A `;` ends whatever `if` is still open in the binding (broken text).
        while (stack.length > 0 && (stack[stack.length - 1].kind === 'if' || stack[stack.length - 1].kind === 'then')) stack.pop();
        const owner = stack[stack.length - 1];
        if (owner && (owner.kind === '{' || owner.kind === 'let')) owner.statement = 'none';
        break;
      }
      case 61 /* = */:
        if (current && (current.kind === '{' || current.kind === 'let') && current.statement === 'none') current.statement = 'value';
        break;
      case 44 /* , */:
        if (current?.kind === '{') {
          current.formals = true;
          current.inDefault = false;
        }
        break;
      case 63 /* ? */:
        if (current?.kind === '{' && current.statement === 'none') current.inDefault = true;
        break;
      default:
        break;
    }
  }
}

/** `==`, `!=`, `<=`, `>=`, `&&`, `||`, `->`, `//`, `++`. */
function isTwoCharOperator(code: number, next: number): boolean {
  switch (code) {
    case 61 /* = */:
    case 33 /* ! */:
    case 60 /* < */:
    case 62 /* > */:
      return next === 61;
    case 38 /* & */:
      return next === 38;
    case 124 /* | */:
      return next === 124;
    case 45 /* - */:
      return next === 62;
    case 47 /* / */:
      return next === 47;
    case 43 /* + */:
      return next === 43;
    default:
      return false;
  }
}

/** From a `/` followed by a path character: `(/[path chars]+)+/?`; returns the end. */
function scanPathTail(text: string, slash: number): number {
  let at = slash;
  while (text.charCodeAt(at) === 47 && isClass(PATH_CHAR, text.charCodeAt(at + 1))) {
    at++;
    while (at < text.length && isClass(PATH_CHAR, text.charCodeAt(at))) at++;
  }
  return text.charCodeAt(at) === 47 ? at + 1 : at;
}

/** `[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?`; returns the end. */
function scanNumber(text: string, start: number): number {
  let at = start;
  while (isDigit(text.charCodeAt(at))) at++;
  if (text.charCodeAt(at) === 46 /* . */) {
    at++;
    while (isDigit(text.charCodeAt(at))) at++;
  }
  const exponent = text.charCodeAt(at);
  if (exponent === 101 || exponent === 69) {
    let digits = at + 1;
    const sign = text.charCodeAt(digits);
    if (sign === 43 || sign === 45) digits++;
    if (isDigit(text.charCodeAt(digits))) {
      at = digits;
      while (isDigit(text.charCodeAt(at))) at++;
    }
  }
  return at;
}

/** Text that closes every construct open in `context`, innermost first, so that the text parses. */
export function closingText(context: LexicalContext): string {
  let result = '';
  for (let i = context.stack.length - 1; i >= 0; i--) {
    const opener = context.stack[i];
    switch (opener.kind) {
      case '{':
        if (opener.formals) result += ' }: null';
        else result += `${opener.statement === 'none' ? '' : ';'} }`;
        break;
      case 'let':
        result += `${opener.statement === 'none' ? '' : ';'} in null`;
        break;
      case '(':
        result += ')';
        break;
      case '[':
        result += ' ]';
        break;
      case '${':
        result += '}';
        break;
      case '"':
        result += '"';
        break;
      case "''":
        result += "''";
        break;
      case 'if':
        result += ' then null else null';
        break;
      case 'then':
        result += ' else null';
        break;
      case 'with':
      case 'assert':
        result += '; null';
        break;
    }
  }
  return result;
}

// The npm grammar (tree-sitter-nix 0.0.2, 2022) rejects some valid Nix. Rather than filter the
// resulting ERROR nodes, the parser is given an equivalent text of the same length in which those
// constructs are spelled the way the old grammar understands. Offsets stay identical, so every
// range computed on the tree applies to the user's text unchanged; rules read the user's text.
//
// Rewrites (see ARCHITECTURE.md "grammar gaps"; G-numbers from the gap list in docs/rules/syntax-error.md):
// - G1-G9: a trailing comma in formals, `{ a, b, }:` or `{ a, }@args:` → the comma becomes a space;
// - G12: a home path that starts with an interpolation, `~/${x}` → `./${x}` (the grammar wants a
//   path character after `~/`); the tree shows a `path_expression` there instead of an `hpath_expression`;
// - G13: a lone carriage return (old Mac line end) → a newline, since Nix ends `#` comments there too;
// - G14/G15: a NUL character inside a string or a comment → a space (the grammar's scanner takes
//   NUL for the end of input; Nix 2.8 keeps it as string content). NUL in code stays, and is reported.
//
// Not rewritten: `{ inherit; }` (G10/G11), which Nix accepts; syntax-errors.ts does not report it.

/** Positions of the characters the parser sees differently, and what it sees there. */
export interface ParserRewrite {
  readonly offset: number;
  readonly replacement: string;
}

const WHITESPACE = /[ \t\r\n]/;

/** Skips whitespace and comments forward from `index`; returns the first other index. */
function skipTrivia(text: string, index: number): number {
  for (;;) {
    while (index < text.length && WHITESPACE.test(text[index])) index++;
    if (text[index] === '#') {
      while (index < text.length && text[index] !== '\n' && text[index] !== '\r') index++;
    } else if (text[index] === '/' && text[index + 1] === '*') {
      const close = text.indexOf('*/', index + 2);
      if (close < 0) return text.length;
      index = close + 2;
    } else {
      return index;
    }
  }
}

/** Skips whitespace and block comments backward from `index`; returns the last other index (or -1). */
function skipTriviaBackward(text: string, index: number): number {
  for (;;) {
    while (index >= 0 && WHITESPACE.test(text[index])) index--;
    if (text[index] === '/' && text[index - 1] === '*') {
      const open = text.lastIndexOf('/*', index - 2);
      if (open < 0) return index;
      index = open - 1;
    } else {
      return index;
    }
  }
}

/** The formals' trailing comma: formal `,` trivia `}` trivia (`:` | `@`), not after `...`. */
function isTrailingFormalComma(text: string, comma: number): boolean {
  const brace = skipTrivia(text, comma + 1);
  if (text[brace] !== '}') return false;
  const after = skipTrivia(text, brace + 1);
  if (text[after] !== ':' && text[after] !== '@') return false;
  const before = skipTriviaBackward(text, comma - 1);
  // `{ , }:` and `{ a, , }:` have no formal before the comma: errors in Nix too.
  if (before < 0 || text[before] === '{' || text[before] === ',') return false;
  // `{ a, ..., }:` is an error in Nix too; leave it to the parser.
  return !(text[before] === '.' && text[before - 1] === '.' && text[before - 2] === '.');
}

const PATH_CHARACTER = /[A-Za-z0-9._\-+~]/;

/** `~/${`: a home path whose first segment is an interpolation (G12). */
function isHomePathInterpolation(text: string, tilde: number): boolean {
  return text[tilde + 1] === '/' && text[tilde + 2] === '$' && text[tilde + 3] === '{' && !(tilde > 0 && PATH_CHARACTER.test(text[tilde - 1]));
}

/**
 * Offsets of the NUL characters that sit inside a string or a comment. A small lexer that knows
 * just enough of Nix (strings, indented strings, interpolations, comments) to tell; it only runs
 * on texts that contain a NUL at all.
 */
function nulsInStringsAndComments(text: string): number[] {
  const result: number[] = [];
  // Context stack: 'c' code (inside braces or an interpolation), '"' string, "'" indented string.
  // A code context opened by `${` is marked 'i' so its closing `}` returns to the string.
  const stack: string[] = ['c'];
  let index = 0;
  while (index < text.length) {
    const context = stack[stack.length - 1];
    const char = text[index];
    if (context === '"') {
      if (char === '\0') result.push(index);
      if (char === '\\') {
        if (text[index + 1] === '\0') result.push(index + 1);
        index += 2;
      } else if (char === '"') {
        stack.pop();
        index++;
      } else if (char === '$' && text[index + 1] === '{') {
        stack.push('i');
        index += 2;
      } else if (char === '$' && text[index + 1] === '$') index += 2;
      else index++;
    } else if (context === "'") {
      if (char === '\0') result.push(index);
      if (char === "'" && text[index + 1] === "'") {
        const next = text[index + 2];
        if (next === '$' || next === "'") index += 3;
        else if (next === '\\') index += 4;
        else {
          stack.pop();
          index += 2;
        }
      } else if (char === '$' && text[index + 1] === '{') {
        stack.push('i');
        index += 2;
      } else if (char === '$' && text[index + 1] === '$') index += 2;
      else index++;
    } else if (char === '#') {
      for (; index < text.length && text[index] !== '\n' && text[index] !== '\r'; index++) if (text[index] === '\0') result.push(index);
    } else if (char === '/' && text[index + 1] === '*') {
      const close = text.indexOf('*/', index + 2);
      const end = close < 0 ? text.length : close + 2;
      for (let at = text.indexOf('\0', index); at >= 0 && at < end; at = text.indexOf('\0', at + 1)) result.push(at);
      index = end;
    } else if (char === '"') {
      stack.push('"');
      index++;
    } else if (char === "'" && text[index + 1] === "'") {
      stack.push("'");
      index += 2;
    } else if (char === '{') {
      stack.push('c');
      index++;
    } else if (char === '}') {
      if (stack.length > 1) stack.pop();
      index++;
    } else {
      index++;
    }
  }
  return result;
}

/**
 * Lists the rewrites for `text`. A comma inside a string or comment may be listed too: replacing
 * it by a space there changes nothing the grammar cares about, and rules never read parser text.
 */
export function findParserRewrites(text: string): ParserRewrite[] {
  const rewrites: ParserRewrite[] = [];
  for (let comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', comma + 1)) {
    if (isTrailingFormalComma(text, comma)) rewrites.push({ offset: comma, replacement: ' ' });
  }
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) {
    if (text[cr + 1] !== '\n') rewrites.push({ offset: cr, replacement: '\n' });
  }
  for (let tilde = text.indexOf('~/${'); tilde >= 0; tilde = text.indexOf('~/${', tilde + 1)) {
    if (isHomePathInterpolation(text, tilde)) rewrites.push({ offset: tilde, replacement: '.' });
  }
  if (text.includes('\0')) {
    for (const nul of nulsInStringsAndComments(text)) rewrites.push({ offset: nul, replacement: ' ' });
  }
  rewrites.sort((a, b) => a.offset - b.offset);
  return rewrites;
}

export function applyParserRewrites(text: string, rewrites: readonly ParserRewrite[]): string {
  if (rewrites.length === 0) return text;
  let result = '';
  let last = 0;
  for (const { offset, replacement } of rewrites) {
    result += text.slice(last, offset) + replacement;
    last = offset + 1;
  }
  return result + text.slice(last);
}

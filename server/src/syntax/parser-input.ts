// The npm grammar (tree-sitter-nix 0.0.2, 2022) rejects some valid Nix. Rather than filter the
// resulting ERROR nodes, the parser is given an equivalent text of the same length in which those
// constructs are spelled the way the old grammar understands. Offsets stay identical, so every
// range computed on the tree applies to the user's text unchanged; rules read the user's text.
//
// Rewrites (see ARCHITECTURE.md "grammar gaps"):
// - a trailing comma in formals, `{ a, b, }:` or `{ a, }@args:` → the comma becomes a space;
// - a lone carriage return (old Mac line end) → a newline, since Nix ends `#` comments there too.

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

/** The formals' trailing comma: `,` trivia `}` trivia (`:` | `@`), not after `...`. */
function isTrailingFormalComma(text: string, comma: number): boolean {
  const brace = skipTrivia(text, comma + 1);
  if (text[brace] !== '}') return false;
  const after = skipTrivia(text, brace + 1);
  if (text[after] !== ':' && text[after] !== '@') return false;
  let before = comma - 1;
  while (before >= 0 && WHITESPACE.test(text[before])) before--;
  // `{ a, ..., }:` is an error in Nix too; leave it to the parser.
  return !(text[before] === '.' && text[before - 1] === '.' && text[before - 2] === '.');
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

// The lexer state at an offset, read from the text (what completion trusts in broken text):
// strings and their escapes, comments, paths and URIs as Nix's lexer reads them, and the
// constructs still open.
import * as assert from 'assert';
import { closingText, lexicalContextAt, LexicalContext } from 'nixguard/out/syntax/lexical-context';
import { SourceFile } from 'nixguard';

/** The state at `$0` in `textWith$0`. */
function at(textWith$0: string): LexicalContext {
  const offset = textWith$0.indexOf('$0');
  assert.ok(offset >= 0, textWith$0);
  return lexicalContextAt(textWith$0.slice(0, offset) + textWith$0.slice(offset + 2), offset);
}

function mode(textWith$0: string): LexicalContext['mode'] {
  return at(textWith$0).mode;
}

function openers(textWith$0: string): string {
  return at(textWith$0)
    .stack.map((opener) => opener.kind)
    .join(' ');
}

describe('lexical context', () => {
  it('tells code, strings and comments apart, with their escapes', () => {
    assert.strictEqual(mode('"a$0'), 'string');
    assert.strictEqual(mode('"a\\"$0'), 'string');
    assert.strictEqual(mode('"a\\\\"$0'), 'code');
    assert.strictEqual(mode('"a${ b$0 }"'), 'code');
    assert.strictEqual(mode('"a$${ b$0 }"'), 'string');
    assert.strictEqual(mode("''a'''$0"), 'string');
    assert.strictEqual(mode("''a''${ b$0 }''"), 'string');
    assert.strictEqual(mode("''a''\\n$0"), 'string');
    assert.strictEqual(mode("''a''$0"), 'code');
    assert.strictEqual(mode('x # note$0\ny'), 'comment');
    assert.strictEqual(mode('x # note\n$0y'), 'code');
    assert.strictEqual(mode('x /* note$0 */'), 'comment');
    assert.strictEqual(mode('x /* note */$0'), 'code');
    assert.strictEqual(mode('x /* note *$0/'), 'comment');
  });

  it('reads paths and URIs whole, so `/*` in them opens no comment', () => {
    assert.strictEqual(mode('[ https://example.org/*$0 ]'), 'code');
    assert.deepStrictEqual(
      at('[ ./a/b.nix ~/c <nixpkgs/lib> https://x.org/*y a/b$0 ]').tokens.map((token) => `${token.kind}:${token.text}`),
      ['operator:[', 'path:./a/b.nix', 'path:~/c', 'path:<nixpkgs/lib>', 'uri:https://x.org/*y', 'path:a/b'],
    );
    // Division needs spaces; `a/b` is a path, `a // b` an update.
    assert.deepStrictEqual(at('a // b$0').tokens.map((token) => token.kind), ['identifier', 'operator', 'identifier']);
    assert.deepStrictEqual(at('1.5e3 x.y$0').tokens.map((token) => token.text), ['1.5e3', 'x', '.', 'y']);
  });

  it('keeps the constructs still open, innermost last', () => {
    assert.strictEqual(openers('{ a = [ (f "x ${ let b = 1; in if c then $0'), '{ [ ( " ${ then');
    assert.strictEqual(openers('{ a = [ 1 ]; b = with x$0'), '{ with');
    assert.strictEqual(openers('{ a = [ 1 ]; b = with x; $0'), '{');
    assert.strictEqual(openers('let { a = 1; $0'), '{');
    assert.strictEqual(openers('{ a = { b = 1; }; } $0'), '');
  });

  it('tracks where the innermost binding list stands', () => {
    const statement = (textWith$0: string): string | undefined => {
      const stack = at(textWith$0).stack;
      return stack[stack.length - 1]?.statement;
    };
    assert.strictEqual(statement('{ a = 1; $0'), 'none');
    assert.strictEqual(statement('{ a = b == $0'), 'value');
    assert.strictEqual(statement('let inherit (x) $0'), 'inherit');
    assert.strictEqual(at('{ a, b ? $0').stack[0].inDefault, true);
    assert.strictEqual(at('{ a, b ? 1, $0').stack[0].formals, true);
  });

  it('closes what is open so that the text parses', () => {
    for (const text of ['{ pkgs, ... }: let a = { b = [ (f "x ${ if c then y', '{ a = 1; inherit b', 'let x = 1; y = with z; q', "{ a = ''x ${ assert b; c"]) {
      const closed = text + closingText(lexicalContextAt(text, text.length));
      assert.strictEqual(SourceFile.parse(closed).hasSyntaxErrors, false, closed);
    }
  });
});

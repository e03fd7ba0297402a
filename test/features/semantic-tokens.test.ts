// Semantic tokens as the feature computes them (offsets, before LSP encoding): each token is
// written as `text type.modifier…`, in document order, so a failing test shows which piece of
// text got which classification.
import * as assert from 'assert';
import type { OffsetRange } from 'nixguard';
import { SEMANTIC_TOKEN_MODIFIERS, SemanticToken, semanticTokens } from 'nixguard/out/features/semantic-tokens';
import { analyze } from '../helpers/cursor';

function describeToken(text: string, token: SemanticToken): string {
  const modifiers = SEMANTIC_TOKEN_MODIFIERS.filter((_, bit) => (token.modifiers & (1 << bit)) !== 0);
  return `${text.slice(token.start, token.start + token.length)} ${[token.type, ...modifiers].join('.')}`;
}

function tokensOf(text: string, range?: OffsetRange): string[] {
  return semanticTokens(analyze(text), range).map((token) => describeToken(text, token));
}

function check(text: string, expected: string[]): void {
  assert.deepStrictEqual(tokensOf(text), expected);
}

/** The classifications given to every token whose text is `name`. */
function classesOf(text: string, name: string): string[] {
  return tokensOf(text)
    .filter((token) => token.startsWith(`${name} `))
    .map((token) => token.slice(name.length + 1));
}

/** Tokens must be sorted, non-empty and non-overlapping, as LSP requires. */
function assertWellFormed(tokens: readonly SemanticToken[]): void {
  for (let i = 0; i < tokens.length; i++) {
    assert.ok(tokens[i].length > 0, `token ${i} is empty`);
    if (i > 0) assert.ok(tokens[i].start >= tokens[i - 1].start + tokens[i - 1].length, `token ${i} overlaps the one before`);
  }
}

describe('semantic tokens', () => {
  it('marks let bindings as variable declarations and their uses as variables', () => {
    check('let a = 1; inherit (b) c; in a c', ['let keyword', 'a variable.declaration', '1 number', 'inherit keyword', 'b variable', 'c variable.declaration', 'in keyword', 'a function', 'c variable']);
  });

  it('marks formals, lambda arguments and `@` names as parameters, declared and used', () => {
    check('{ x, y ? x, ... }@args: z: x + z', [
      'x parameter.declaration',
      'y parameter.declaration',
      'x parameter',
      'args parameter.declaration',
      'z parameter.declaration',
      'x parameter',
      '+ operator',
      'z parameter',
    ]);
  });

  it('marks a name in function position as a function, also the last attribute of a select', () => {
    check('f: lib: f (lib.mkIf f) lib.a.b', [
      'f parameter.declaration',
      'lib parameter.declaration',
      'f function',
      'lib parameter',
      'mkIf function',
      'f parameter',
      'lib parameter',
      'a property',
      'b property',
    ]);
    check('f: lib: f 1 2 (lib.a.mkIf 3)', ['f parameter.declaration', 'lib parameter.declaration', 'f function', '1 number', '2 number', 'lib parameter', 'a property', 'mkIf function', '3 number']);
  });

  it('marks builtins with `defaultLibrary`: functions as functions, constants as read-only variables', () => {
    check('[ map toString __add true false null builtins ]', [
      'map function.defaultLibrary',
      'toString function.defaultLibrary',
      '__add function.defaultLibrary',
      'true variable.readonly.defaultLibrary',
      'false variable.readonly.defaultLibrary',
      'null variable.readonly.defaultLibrary',
      'builtins variable.readonly.defaultLibrary',
    ]);
    check('builtins.map (builtins.length)', ['builtins variable.readonly.defaultLibrary', 'map function.defaultLibrary', 'builtins variable.readonly.defaultLibrary', 'length property.defaultLibrary']);
    check('{ inherit (builtins) head; }', ['inherit keyword', 'builtins variable.readonly.defaultLibrary', 'head property.defaultLibrary']);
  });

  it('marks shadowed builtins and names from `with` as plain variables', () => {
    check('let map = 1; builtins = { }; in [ map builtins.map ]', [
      'let keyword',
      'map variable.declaration',
      '1 number',
      'builtins variable.declaration',
      'in keyword',
      'map variable',
      'builtins variable',
      'map property',
    ]);
    check('with pkgs; hello', ['with keyword', 'pkgs variable', 'hello variable']);
  });

  it('colours one attribute the same in `a.b`, `a.b = …`, `a = { b = …; }`, `a ? b` and `inherit b`', () => {
    const text = '{ a.b = 1; c = { b = 2; }; d = x.b; e = x ? b; f = rec { b = 3; }; inherit b; g = { inherit (x) b; }; "b" = 4; }';
    assert.deepStrictEqual(classesOf(text, 'b'), ['property', 'property', 'property', 'property', 'property', 'property', 'property']);
    assert.deepStrictEqual(classesOf(text, '"b"'), ['property']);
    // In a let the first name binds a variable; the attributes below it are still properties.
    assert.deepStrictEqual(tokensOf('let a.b = 1; in a.b'), ['let keyword', 'a variable.declaration', 'b property', '1 number', 'in keyword', 'a variable', 'b property']);
  });

  it('marks keywords', () => {
    check('assert a; if b then with c; d.e or f else rec { }', [
      'assert keyword',
      'a variable',
      'if keyword',
      'b variable',
      'then keyword',
      'with keyword',
      'c variable',
      'd variable',
      'e property',
      'or keyword',
      'f variable',
      'else keyword',
      'rec keyword',
    ]);
  });

  it('marks operators, but not the `?` of a default', () => {
    check('{ a ? 1 }: !a && -a < 2 || a ? b -> a // { } ++ [ ] == a', [
      'a parameter.declaration',
      '1 number',
      '! operator',
      'a parameter',
      '&& operator',
      '- operator',
      'a parameter',
      '< operator',
      '2 number',
      '|| operator',
      'a parameter',
      '? operator',
      'b property',
      '-> operator',
      'a parameter',
      '// operator',
      '++ operator',
      '== operator',
      'a parameter',
    ]);
  });

  it('splits strings around interpolations, whose delimiters are operators with `interpolation`', () => {
    check('x: "a${x}b\\n${"c${x}"}"', [
      'x parameter.declaration',
      '"a string',
      '${ operator.interpolation',
      'x parameter',
      '} operator.interpolation',
      'b\\n string',
      '${ operator.interpolation',
      '"c string',
      '${ operator.interpolation',
      'x parameter',
      '} operator.interpolation',
      '" string',
      '} operator.interpolation',
      '" string',
    ]);
    check("''\n  a ''${b}\n  ${c}\n''", ["''\n  a ''${b}\n   string", '${ operator.interpolation', 'c variable', '} operator.interpolation', "\n'' string"]);
  });

  it('marks paths as strings with `path`, and URIs as strings', () => {
    check('x: [ ./a/${x}/b ~/c <nixpkgs> https://nixos.org ]', [
      'x parameter.declaration',
      './a/ string.path',
      '${ operator.interpolation',
      'x parameter',
      '} operator.interpolation',
      '/b string.path',
      '~/c string.path',
      '<nixpkgs> string.path',
      'https://nixos.org string',
    ]);
  });

  it('marks numbers and comments, `/** … */` with `documentation`', () => {
    check('# line\n/* block\n */ /** doc */ /**/ [ 1 2.5 ]', ['# line comment', '/* block\n */ comment', '/** doc */ comment.documentation', '/**/ comment', '1 number', '2.5 number']);
  });

  it('keeps UTF-16 offsets after non-ASCII text', () => {
    check('{ a = "é😀"; b = a; }', ['a property', '"é😀" string', 'b property', 'a variable']);
  });

  it('gives a range the tokens of the whole file clipped to it', () => {
    const text = ['{ lib, ... }:', 'let', '  s = \'\'', '    one ${lib.x}', '    two', "  '';", '  /* a', '     b */', 'in', '{ inherit s; c = lib.f "é${s}"; }', ''].join('\n');
    const file = analyze(text);
    const full = semanticTokens(file);
    assertWellFormed(full);
    for (let start = 0; start <= text.length; start += 3) {
      for (const length of [0, 1, 7, 20, 60]) {
        const range = { start, end: Math.min(text.length, start + length) };
        const expected = full
          .map((token) => ({ ...token, start: Math.max(token.start, range.start), end: Math.min(token.start + token.length, range.end) }))
          .filter((token) => token.end > token.start)
          .map((token) => ({ start: token.start, length: token.end - token.start, type: token.type, modifiers: token.modifiers }));
        assert.deepStrictEqual(semanticTokens(file, range), expected, `range ${range.start}-${range.end}`);
      }
    }
  });

  it('stops at the token cap, keeping the first tokens in document order', () => {
    const text = 'x: "a${x}b" + x # c';
    const file = analyze(text);
    const full = semanticTokens(file);
    assert.strictEqual(full.length, 9);
    for (const cap of [0, 1, 3, 5, 9, 20]) assert.deepStrictEqual(semanticTokens(file, undefined, cap), full.slice(0, cap), `cap ${cap}`);
    assert.deepStrictEqual(semanticTokens(file, { start: 3, end: text.length }, 2), full.slice(1, 3));
  });

  it('tolerates syntax errors', () => {
    for (const text of ['let a = ; in a', '{ a.b. = 1; c = "${ }"; }', 'x: if x then', "''${", '{ inherit (a; }']) {
      const tokens = semanticTokens(analyze(text));
      assertWellFormed(tokens);
    }
    // A broken binding leaves the others classified.
    check('let a = 1; b = ; in a', ['let keyword', 'a variable.declaration', '1 number', 'b variable.declaration', 'in keyword', 'a variable']);
  });
});

// Go to definition: where the name at the cursor is bound, under Nix's scoping rules.
import * as assert from 'assert';
import { findDefinition } from 'nixguard/out/features/definition';
import { markRanges, withCursor } from '../helpers/cursor';

/** The definition targets of the cursor in `textWith$0`, marked `«…»` in the text without `$0`. */
function check(textWith$0: string, expected: string): void {
  const { text, offset, file } = withCursor(textWith$0);
  assert.strictEqual(markRanges(text, findDefinition(file, offset)), expected);
}

describe('definition', () => {
  it('leads from a use to its let binding', () => {
    check('let a = 1; in $0a', 'let «a» = 1; in a');
    check('let a = 1; in a$0', 'let «a» = 1; in a');
  });

  it('leads to the innermost of shadowing bindings', () => {
    check('let a = 1; in let a = 2; in $0a', 'let a = 1; in let «a» = 2; in a');
    check('a: { a }: $0a', 'a: { «a» }: a');
    check('let a = 1; in (a: $0a) 2', 'let a = 1; in («a»: a) 2');
  });

  it('resolves names of a rec set inside it, and not those of a plain set', () => {
    check('rec { a = 1; b = $0a; }', 'rec { «a» = 1; b = a; }');
    check('let a = 1; in { a = 2; b = $0a; }', 'let «a» = 1; in { a = 2; b = a; }');
  });

  it('leads from `inherit a;` of a plain set to the outer `a` it reads', () => {
    check('let a = 1; in { inherit $0a; }', 'let «a» = 1; in { inherit a; }');
  });

  it('leads from `inherit a;` of a let or rec to the outer `a`, not to itself', () => {
    check('let a = 1; in let inherit $0a; in a', 'let «a» = 1; in let inherit a; in a');
    check('a: rec { inherit $0a; b = a; }', '«a»: rec { inherit a; b = a; }');
    check('let a = 1; in let inherit a; in $0a', 'let a = 1; in let inherit «a»; in a');
  });

  it('leads from a name inherited from an expression to that inherit', () => {
    check('let inherit (x) a; in $0a', 'let inherit (x) «a»; in a');
  });

  it('leads from a formal default to another formal and to the `@` name', () => {
    check('{ a, b ? $0a }: b', '{ «a», b ? a }: b');
    check('args@{ a ? $0args }: a', '«args»@{ a ? args }: a');
  });

  it('leads from `args.a` and `args ? a` to the formal `a`', () => {
    check('args@{ a, ... }: args.$0a', 'args@{ «a», ... }: args.a');
    check('{ a, ... }@args: args ? $0a', '{ «a», ... }@args: args ? a');
    check('args@{ a, ... }: args.$0b', 'args@{ a, ... }: args.b');
  });

  it('leads from a name only a `with` can supply to the `with` environments, innermost first', () => {
    check('with x; with y; $0z', 'with «x»; with «y»; z');
  });

  it('prefers a lexical binding over a `with`, and leads nowhere for builtins and undefined names', () => {
    check('let z = 1; in with x; $0z', 'let «z» = 1; in with x; z');
    check('with x; $0map', 'with x; map');
    check('$0nope', 'nope');
  });

  it('stays on a definition site when the cursor is on one', () => {
    check('let $0a = 1; in a', 'let «a» = 1; in a');
  });

  it('leads to every site of a name defined in parts', () => {
    check('let a.b = 1; a.c = 2; in $0a', 'let «a».b = 1; «a».c = 2; in a');
  });

  it('resolves a static string key and `${"a"}` like an identifier', () => {
    check('let "a" = 1; in $0a', 'let «"a"» = 1; in a');
    check('let ${"a"} = 1; in $0a', 'let «${"a"}» = 1; in a');
  });

  it('finds nothing on attribute names of plain sets, keywords and literals', () => {
    check('{ $0a = 1; }', '{ a = 1; }');
    check('$0let a = 1; in a', 'let a = 1; in a');
    check('x.$0y', 'x.y');
    check('"$0str"', '"str"');
  });
});

// Find references: every site and use of the variable at the cursor, and nothing that only
// shares its name.
import * as assert from 'assert';
import { findReferences } from 'nixguard/out/features/references';
import { markRanges, withCursor } from '../helpers/cursor';

/** The references of the cursor in `textWith$0` (definition sites included unless told), marked `«…»`. */
function check(textWith$0: string, expected: string, includeDeclaration = true): void {
  const { text, offset, file } = withCursor(textWith$0);
  assert.strictEqual(markRanges(text, findReferences(file, offset, includeDeclaration)), expected);
}

describe('references', () => {
  it('finds the definition and every use, from either', () => {
    check('let $0a = 1; in a + a', 'let «a» = 1; in «a» + «a»');
    check('let a = 1; in a + $0a', 'let «a» = 1; in «a» + «a»');
  });

  it('leaves the definition out when the declaration is not asked for', () => {
    check('let $0a = 1; in a + a', 'let a = 1; in «a» + «a»', false);
  });

  it('keeps shadowed and shadowing bindings apart', () => {
    check('let $0a = 1; in [ a (let a = 2; in a) (a: a) ]', 'let «a» = 1; in [ «a» (let a = 2; in a) (a: a) ]');
    check('let a = 1; in [ a (let $0a = 2; in a) ]', 'let a = 1; in [ a (let «a» = 2; in «a») ]');
  });

  it('counts the names of a rec set, and not the attribute names of a plain set', () => {
    check('rec { $0a = 1; b = a; }', 'rec { «a» = 1; b = «a»; }');
    check('let $0a = 1; in { a = 2; b = a; }', 'let «a» = 1; in { a = 2; b = «a»; }');
  });

  it('counts `inherit a;` of a plain set as a use of the outer `a`', () => {
    check('let $0a = 1; in { inherit a; b = a; }', 'let «a» = 1; in { inherit «a»; b = «a»; }');
  });

  it('takes `inherit a;` of a let as the inner name it defines', () => {
    check('let a = 1; in let inherit $0a; in a', 'let a = 1; in let inherit «a»; in «a»');
    check('let $0a = 1; in let inherit a; in a', 'let «a» = 1; in let inherit «a»; in a');
  });

  it('counts uses in formal defaults, and `args.a` / `args ? a` for a formal of `args@{ a, ... }`', () => {
    check('args@{ $0a, b ? a, ... }: args.a + (if args ? a then args.b else a)', 'args@{ «a», b ? «a», ... }: args.«a» + (if args ? «a» then args.b else «a»)');
  });

  it('gathers the uses of a builtin, and the uses that the same `with` may supply', () => {
    check('[ map ($0map) (let map = 1; in map) ]', '[ «map» («map») (let map = 1; in map) ]');
    check('[ (with x; y + y) (with z; $0y) ]', '[ (with x; y + y) (with z; «y») ]');
  });

  it('finds nothing away from names', () => {
    check('{ $0a = 1; }', '{ a = 1; }');
  });
});

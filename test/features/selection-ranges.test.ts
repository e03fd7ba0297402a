// Selection ranges: from the token at the cursor outwards, each range strictly larger.
import * as assert from 'assert';
import { selectionRanges } from 'nixguard/out/features/selection-ranges';
import { withCursor } from '../helpers/cursor';

/** The texts selected at `$0`, innermost first. */
function check(textWith$0: string, expected: string[]): void {
  const { text, offset, file } = withCursor(textWith$0);
  const [ranges] = selectionRanges(file, [offset]);
  assert.deepStrictEqual(ranges.map((range) => text.slice(range.start, range.end)), expected);
}

describe('selection ranges', () => {
  it('expands from an identifier through its binding to the whole file', () => {
    check('let a = f $0x; in a', ['x', 'f x', 'a = f x;', 'let a = f x; in a']);
  });

  it('expands from a cursor just after a name', () => {
    check('{ b = c$0; }', ['c', 'b = c;', '{ b = c; }']);
  });

  it('skips ancestors with the same extent', () => {
    check('$0x', ['x']);
  });

  it('ends with the whole text, comments and blank lines included', () => {
    check('# c\n[ $01 ]\n', ['1', '[ 1 ]', '# c\n[ 1 ]\n']);
  });
});

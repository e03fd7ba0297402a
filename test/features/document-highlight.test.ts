// Document highlights: the occurrences of the name at the cursor, definition sites as writes
// (marked «…») and uses as reads (marked ‹…›).
import * as assert from 'assert';
import { documentHighlights } from 'nixguard/out/features/document-highlight';
import { withCursor } from '../helpers/cursor';

function check(textWith$0: string, expected: string): void {
  const { text, offset, file } = withCursor(textWith$0);
  let result = '';
  let at = 0;
  for (const { range, access } of documentHighlights(file, offset)) {
    const [open, close] = access === 'write' ? ['«', '»'] : ['‹', '›'];
    result += text.slice(at, range.start) + open + text.slice(range.start, range.end) + close;
    at = range.end;
  }
  assert.strictEqual(result + text.slice(at), expected);
}

describe('document highlight', () => {
  it('marks the definition as a write and the uses as reads', () => {
    check('let $0a = 1; in a + a', 'let «a» = 1; in ‹a› + ‹a›');
    check('{ a, b ? a }: $0a', '{ «a», b ? ‹a› }: ‹a›');
  });

  it('marks `inherit a;` of a plain set as a read of the outer `a`', () => {
    check('x: { inherit $0x; }', '«x»: { inherit ‹x›; }');
  });

  it('marks nothing away from names', () => {
    check('{ $0a = 1; }', '{ a = 1; }');
  });
});

// Folding ranges: which lines fold, as the server sends them (regions made whole lines by
// lsp/convert.ts, one-line regions dropped, one region per start line).
import * as assert from 'assert';
import { foldingRegions } from 'nixguard/out/features/folding-ranges';
import { toFoldingRanges } from 'nixguard/out/lsp/convert';
import { analyze } from '../helpers/cursor';

/** `expected`: `startLine-endLine` per range, with ` comment` for comment regions. */
function check(text: string, expected: string[]): void {
  const file = analyze(text);
  const ranges = toFoldingRanges(file.source.lineIndex, foldingRegions(file));
  assert.deepStrictEqual(
    ranges.map((range) => `${range.startLine}-${range.endLine}${range.kind ? ` ${range.kind}` : ''}`),
    expected,
  );
}

describe('folding ranges', () => {
  it('folds sets and lists up to the line before their closing bracket', () => {
    check(['{', '  a = [', '    1', '  ];', '}'].join('\n'), ['0-3', '1-2']);
    check(['{ a = 1;', '  b = 2; }'].join('\n'), ['0-1']);
  });

  it('folds the bindings of a `let`, keeping `in` visible, and multi-line strings', () => {
    check(['let', '  a = 1;', '  b = 2;', 'in', "''", '  text', "''"].join('\n'), ['0-2', '4-5']);
  });

  it('folds multi-line formals and a function body that starts on a later line', () => {
    check(['{ lib', ', stdenv', '}:', '', 'stdenv.mkDerivation {', '  name = "x";', '}'].join('\n'), ['0-1', '2-6', '4-5']);
  });

  it('folds runs of line comments and block comments, but not a trailing comment', () => {
    check(['# one', '# two', 'x # three', '# four', '/* a', '   b */', '1'].join('\n'), ['0-1 comment', '4-5 comment']);
  });

  it('folds nothing in a one-line file', () => {
    check('{ a = [ 1 2 ]; b = "s"; }', []);
  });
});

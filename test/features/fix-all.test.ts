// Fix-all: applying many fixes to one text. `applyFixes` takes one pass of non-overlapping fixes
// (earlier fixes win, a fix is applied whole or not at all); `fixText` repeats passes until no
// safe fix is left, so fixes that overlapped get their turn.
import * as assert from 'assert';
import { ALL_RULES, applyFixes, fixText } from 'nixguard';
import type { Fix, SeveritySetting } from 'nixguard';

function fix(title: string, ...edits: [number, number, string][]): Fix {
  return { title, safe: true, edits: edits.map(([start, end, newText]) => ({ range: { start, end }, newText })) };
}

/**
 * Severity settings that leave only the rules these tests rely on, so that the fix loop is tested
 * on known fixes and a new rule cannot change the expected texts.
 */
const ONLY_OWN_RULES: ReadonlyMap<string, SeveritySetting> = new Map(
  ALL_RULES.filter((rule) => !['bool-comparison', 'invalid-suppression', 'syntax-error'].includes(rule.id)).map((rule) => [rule.id, 'off' as const]),
);

/** Fix-all on `before` must give `after`. */
function check(before: string, after: string): void {
  assert.strictEqual(fixText(before, { severities: ONLY_OWN_RULES }).text, after);
}

describe('fix-all', () => {
  describe('applyFixes (one pass)', () => {
    it('applies fixes that do not overlap, whatever order they come in', () => {
      const text = 'aaa bbb ccc';
      const result = applyFixes(text, [fix('c', [8, 11, 'C']), fix('a', [0, 3, 'A'])]);
      assert.strictEqual(result.text, 'A bbb C');
      assert.deepStrictEqual(result.applied.map((f) => f.title), ['a', 'c']);
      assert.deepStrictEqual(result.skipped, []);
    });

    it('skips a fix that overlaps an earlier one, and keeps the earlier', () => {
      const result = applyFixes('abcdef', [fix('late', [2, 5, 'X']), fix('early', [0, 3, 'Y'])]);
      assert.strictEqual(result.text, 'Ydef');
      assert.deepStrictEqual(result.skipped.map((f) => f.title), ['late']);
    });

    it('applies a replacement and an insertion that only touch', () => {
      const result = applyFixes('abcdef', [fix('replace', [0, 3, 'X']), fix('insert', [3, 3, '!'])]);
      assert.strictEqual(result.text, 'X!def');
      assert.strictEqual(result.skipped.length, 0);
    });

    it('skips a second insertion at the same offset, whose order would be arbitrary', () => {
      const result = applyFixes('ab', [fix('first', [1, 1, '1']), fix('second', [1, 1, '2'])]);
      assert.strictEqual(result.text, 'a1b');
      assert.deepStrictEqual(result.skipped.map((f) => f.title), ['second']);
    });

    it('applies a fix with several edits whole, or not at all when one edit overlaps', () => {
      const text = '(a) + (b)';
      const unwrap = fix('unwrap both', [0, 1, ''], [2, 3, ''], [6, 7, ''], [8, 9, '']);
      assert.strictEqual(applyFixes(text, [unwrap]).text, 'a + b');
      const blocker = fix('blocker', [6, 8, 'B']);
      const result = applyFixes(text, [blocker, fix('unwrap second', [6, 7, ''], [8, 9, ''])]);
      assert.strictEqual(result.text, '(a) + B)', 'the skipped fix leaves no partial edit behind: its `)` stays');
      assert.deepStrictEqual(result.skipped.map((f) => f.title), ['unwrap second']);
    });

    it('skips a fix whose own edits overlap, and a fix without edits', () => {
      const result = applyFixes('abc', [fix('self-overlap', [0, 2, 'X'], [1, 3, 'Y']), fix('empty')]);
      assert.strictEqual(result.text, 'abc');
      assert.deepStrictEqual(result.skipped.map((f) => f.title).sort(), ['empty', 'self-overlap']);
    });

    it('edits text with é, CJK and emoji by UTF-16 offsets', () => {
      const text = '"é🎉" + 日本';
      const result = applyFixes(text, [fix('emoji', [2, 4, '🚀']), fix('cjk', [8, 10, '語'])]);
      assert.strictEqual(result.text, '"é🚀" + 語');
    });
  });

  describe('fixText (passes until nothing is left)', () => {
    it('applies every safe fix in the file', () => {
      check('{ x, y }: [ (x == true) (y != false) ]', '{ x, y }: [ (x) (y) ]');
    });

    it('fixes nested findings in later passes', () => {
      check('{ x }: (x == true) == false', '{ x }: !(x)');
    });

    it('leaves a text without safe fixes unchanged and reports nothing fixed', () => {
      const text = '{\n  # nixguard-ignore-next-line bool-comparisn\n  a = 1;\n}';
      const result = fixText(text, { severities: ONLY_OWN_RULES });
      assert.strictEqual(result.text, text, 'the unsafe "Change to" fix of invalid-suppression is not applied');
      assert.deepStrictEqual(result.fixed, []);
      assert.deepStrictEqual(result.remaining.findings.map((f) => f.ruleId), ['invalid-suppression']);
    });

    it('does not apply the fixes of rules that are off', () => {
      const text = '{ x }: x == true';
      assert.strictEqual(fixText(text, { severities: new Map([...ONLY_OWN_RULES, ['bool-comparison', 'off']]) }).text, text);
    });

    it('does not apply fixes to suppressed findings', () => {
      check('{ x }: {\n  # nixguard-ignore-next-line bool-comparison\n  a = x == true;\n  b = x == true;\n}', '{ x }: {\n  # nixguard-ignore-next-line bool-comparison\n  a = x == true;\n  b = x;\n}');
    });

    it('reports what it fixed and the findings left in the final text', () => {
      const result = fixText('{ x }: x == false', { severities: ONLY_OWN_RULES });
      assert.strictEqual(result.text, '{ x }: !x');
      assert.deepStrictEqual(result.fixed.map((f) => [f.ruleId, f.range]), [['bool-comparison', { start: 7, end: 17 }]]);
      assert.deepStrictEqual(result.remaining.findings, []);
    });
  });
});

// Inline suppressions, end to end through checkText:
//   # nixguard-ignore-next-line <rule-id>[, <rule-id>] [-- reason]   the next line holding code
//   # nixguard-ignore-file <rule-id> [-- reason]                      the whole file
// Unknown ids and directives without ids are reported by invalid-suppression.
import * as assert from 'assert';
import { ALL_RULES, checkText, LineIndex } from 'nixguard';
import type { SeveritySetting } from 'nixguard';

/** Only the rules these tests use, so that new rules do not add findings to the expectations. */
const ONLY_OWN_RULES: ReadonlyMap<string, SeveritySetting> = new Map(
  ALL_RULES.filter((rule) => !['bool-comparison', 'invalid-suppression', 'syntax-error'].includes(rule.id)).map((rule) => [rule.id, 'off' as const]),
);

/** The findings left in `text`, as `line:column rule-id` (1-based), must be `expected`. */
function check(text: string, expected: string[]): void {
  const index = new LineIndex(text);
  const findings = checkText(text, { severities: ONLY_OWN_RULES }).findings.map((finding) => {
    const position = index.position(finding.range.start);
    return `${position.line + 1}:${position.character + 1} ${finding.ruleId}`;
  });
  assert.deepStrictEqual(findings, expected);
}

describe('suppressions', () => {
  it('hides the named rule on the next line only', () => {
    check('{ x }: {\n  # nixguard-ignore-next-line bool-comparison\n  a = x == true;\n  b = x == true;\n}', ['4:7 bool-comparison']);
  });

  it('skips comment and blank lines between the directive and the code', () => {
    check('{ x }: {\n  # nixguard-ignore-next-line bool-comparison\n  # why: upstream compares verbatim\n\n  a = x == true;\n}', []);
  });

  it('covers the line after a directive written at the end of a code line', () => {
    check('{ x }: {\n  a = 1; # nixguard-ignore-next-line bool-comparison\n  b = x == true;\n}', []);
  });

  it('covers findings that start on the covered line, not those that start later', () => {
    check('{ x }: {\n  # nixguard-ignore-next-line bool-comparison\n  a = [ (x == true)\n    (x == true) ];\n}', ['4:6 bool-comparison']);
  });

  it('hides only the rules it names', () => {
    check('{ x }: {\n  # nixguard-ignore-next-line syntax-error\n  a = x == true;\n}', ['3:7 bool-comparison']);
  });

  it('takes several comma-separated ids, with or without spaces', () => {
    check('{ x }: {\n  # nixguard-ignore-next-line invalid-suppression,bool-comparison\n  a = x == true;\n  # nixguard-ignore-next-line syntax-error, bool-comparison\n  b = x == true;\n}', []);
  });

  it('ignores a reason after ` -- `, even one that looks like rule ids', () => {
    check('{ x }: {\n  # nixguard-ignore-next-line bool-comparison -- not-a-rule, generated code\n  a = x == true;\n}', []);
  });

  it('hides a rule in the whole file, wherever the directive stands', () => {
    check('# nixguard-ignore-file bool-comparison\n{ x }: [ (x == true) (x != false) ]', []);
    check('{ x }: [ (x == true) (x != false) ]\n# nixguard-ignore-file bool-comparison -- generated', []);
  });

  it('works with CRLF and lone CR line ends', () => {
    check('{ x }: {\r\n  # nixguard-ignore-next-line bool-comparison\r\n  a = x == true;\r\n  b = x == true;\r\n}', ['4:7 bool-comparison']);
    check('{ x }: {\r  # nixguard-ignore-next-line bool-comparison\r  a = x == true;\r  b = x == true;\r}', ['4:7 bool-comparison']);
  });

  it('reports an unknown id, which hides nothing, and offers the nearest id as an unsafe fix', () => {
    const text = '{ x }: {\n  # nixguard-ignore-next-line bool-comparisn\n  a = x == true;\n}';
    check(text, ['2:31 invalid-suppression', '3:7 bool-comparison']);
    const finding = checkText(text, { severities: ONLY_OWN_RULES }).findings.find((f) => f.ruleId === 'invalid-suppression');
    assert.deepStrictEqual(finding?.fixes, [
      { title: 'Change to `bool-comparison`', edits: [{ range: { start: 39, end: 53 }, newText: 'bool-comparison' }], safe: false },
    ]);
  });

  it('offers no fix for an unknown id far from every rule id', () => {
    const finding = checkText('{\n  # nixguard-ignore-file completely-unrelated\n  a = 1;\n}', { severities: ONLY_OWN_RULES }).findings[0];
    assert.strictEqual(finding.ruleId, 'invalid-suppression');
    assert.deepStrictEqual(finding.fixes, undefined);
  });

  it('reports a directive without ids, in CRLF files without the line end in its range', () => {
    const text = '{\r\n  # nixguard-ignore-next-line\r\n  a = 1;\r\n}';
    const findings = checkText(text, { severities: ONLY_OWN_RULES }).findings;
    assert.deepStrictEqual(findings.map((f) => [f.ruleId, text.slice(f.range.start, f.range.end)]), [['invalid-suppression', '# nixguard-ignore-next-line']]);
  });

  it('lets invalid-suppression itself be suppressed for the file', () => {
    check('# nixguard-ignore-file invalid-suppression\n{\n  # nixguard-ignore-next-line rule-from-a-newer-nixguard\n  a = 1;\n}', []);
  });

  it('ignores the marker in strings, block comments and words that only start like it', () => {
    check('{ x }: {\n  s = "# nixguard-ignore-next-line bool-comparison";\n  a = x == true;\n  /* nixguard-ignore-next-line bool-comparison */\n  b = x == true;\n}', ['3:7 bool-comparison', '5:7 bool-comparison']);
    check('{ x }: {\n  # nixguard-ignore-next-lines bool-comparison\n  a = x == true;\n}', ['3:7 bool-comparison']);
  });
});

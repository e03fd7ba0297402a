// The runner: one pass over the table dispatching rows to visitors, file hooks after, crashes
// isolated per rule, severity settings, suppressions, ordering, the cap, and the incremental
// reuse of findings from the previous version of a document.
import * as assert from 'assert';
import { AnalyzedFile, SourceFile } from 'nixguard';
import type { Finding, Rule } from 'nixguard';
import { Kind } from 'nixguard/out/syntax/grammar';
import { runRules } from 'nixguard/out/rules/runner';
import type { RunOptions } from 'nixguard/out/rules/runner';
import { defineRule } from 'nixguard/out/rules/types';

function analyze(text: string): AnalyzedFile {
  return new AnalyzedFile(SourceFile.parse(text), undefined);
}

/** Flags every integer literal; counts the rows it visits. */
function integerRule(visits: number[] = []): Rule {
  return defineRule({
    id: 'test-integer',
    meta: { severity: 'warning', category: 'style', description: 'Integer literal', fixable: false, messages: { integer: 'Integer `{{value}}` here {{unknown}}' } },
    check(context) {
      return {
        [Kind.IntegerExpression](node) {
          visits.push(node);
          context.report({ node, messageId: 'integer', data: { value: context.file.table.nodeText(node) } });
        },
      };
    },
  });
}

function crashingRule(where: 'check' | 'visitor' | 'file'): Rule {
  return defineRule({
    id: `test-crash-${where}`,
    meta: { severity: 'error', category: 'correctness', description: 'Crashes', fixable: false, messages: { never: 'never' } },
    check() {
      if (where === 'check') throw new Error('check failed');
      if (where === 'file') {
        return {
          file() {
            throw new Error('file hook failed');
          },
        };
      }
      return {
        [Kind.IntegerExpression]() {
          throw new Error('visitor failed');
        },
      };
    },
  });
}

const fileRule = defineRule({
  id: 'test-file',
  meta: { severity: 'info', category: 'meta', description: 'File-wide', fixable: false, messages: { whole: 'whole file' } },
  check(context) {
    return {
      file() {
        context.report({ range: { start: 0, end: context.file.text.length }, messageId: 'whole' });
      },
    };
  },
});

function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.severity} ${f.range.start}-${f.range.end} ${f.message}`);
}

function run(text: string, options: RunOptions): ReturnType<typeof runRules> {
  return runRules(analyze(text), options);
}

describe('runRules', () => {
  it('dispatches rows to the visitors of their kind and fills message templates', () => {
    const result = run('[ 1 "a" 22 ]', { rules: [integerRule()] });
    assert.deepStrictEqual(summary(result.findings), [
      'test-integer warning 2-3 Integer `1` here {{unknown}}',
      'test-integer warning 8-10 Integer `22` here {{unknown}}',
    ]);
    assert.deepStrictEqual(result.failures, []);
  });

  it('runs file hooks after the visitors and sorts all findings by position', () => {
    const result = run('[ 1 2 ]', { rules: [integerRule(), fileRule] });
    assert.deepStrictEqual(summary(result.findings), ['test-file info 0-7 whole file', 'test-integer warning 2-3 Integer `1` here {{unknown}}', 'test-integer warning 4-5 Integer `2` here {{unknown}}']);
  });

  for (const where of ['check', 'visitor', 'file'] as const) {
    it(`reports a rule that throws in ${where} as a failure with its id, and keeps the other findings`, () => {
      const result = run('[ 1 2 ]', { rules: [crashingRule(where), integerRule()] });
      assert.strictEqual(result.findings.length, 2);
      assert.deepStrictEqual(result.failures.map((f) => f.ruleId), [`test-crash-${where}`], 'one failure, even for two crashing visits');
      assert.match(result.failures[0].message, /failed/);
    });
  }

  it('skips rules set to off and overrides the severity of others', () => {
    const visits: number[] = [];
    const off = run('[ 1 ]', { rules: [integerRule(visits), fileRule], severities: new Map([['test-integer', 'off']]) });
    assert.deepStrictEqual(summary(off.findings), ['test-file info 0-5 whole file']);
    assert.deepStrictEqual(visits, [], 'a rule that is off is not run at all');
    const raised = run('[ 1 ]', { rules: [integerRule()], severities: new Map([['test-integer', 'error']]) });
    assert.deepStrictEqual(raised.findings.map((f) => f.severity), ['error']);
  });

  it('caps the findings at maxFindings, keeping the first by position', () => {
    const result = run('[ 1 2 3 4 5 ]', { rules: [integerRule()], maxFindings: 2 });
    assert.deepStrictEqual(result.findings.map((f) => f.range.start), [2, 4]);
  });

  it('drops findings covered by a suppression comment, for the named rule only', () => {
    const text = '[\n  # nixguard-ignore-next-line test-integer\n  1\n  2\n]';
    const result = run(text, { rules: [integerRule(), fileRule] });
    assert.deepStrictEqual(summary(result.findings), [`test-file info 0-${text.length} whole file`, `test-integer warning ${text.indexOf('2')}-${text.indexOf('2') + 1} Integer \`2\` here {{unknown}}`]);
  });

  describe('incremental runs', () => {
    it('visits only the re-mirrored subtree and its ancestors, and reuses the other findings, moved', () => {
      const text = '{\n  a = [ 1 2 ];\n  b = { c = 3; };\n  d = 4;\n}';
      const visits: number[] = [];
      const rule = integerRule(visits);
      let source = SourceFile.parse(text);
      const first = runRules(new AnalyzedFile(source, undefined), { rules: [rule] });
      assert.strictEqual(visits.length, 4);

      // Grow `3` to `333` inside `b`: only that binding is re-mirrored.
      const at = text.indexOf('3');
      source = source.withChanges([{ start: at, end: at + 1, text: '333' }]);
      assert.ok(source.splice, 'the edit is spliced into the table');
      visits.length = 0;
      const second = runRules(new AnalyzedFile(source, undefined), { rules: [rule], previous: first.state });
      assert.deepStrictEqual(visits.map((row) => source.table.nodeText(row)), ['333'], 'only the changed subtree is visited');
      const fresh = run(source.text, { rules: [integerRule()] });
      assert.deepStrictEqual(second.findings, fresh.findings);
      assert.strictEqual(second.findings[3].range.start, source.text.indexOf('4'), 'findings after the edit moved with it');
    });

    it('runs everything again when the rule set changed or the state is from another document', () => {
      const visits: number[] = [];
      let source = SourceFile.parse('[ 1 2 ]');
      const state = runRules(new AnalyzedFile(source, undefined), { rules: [integerRule()] }).state;
      source = source.withChanges([{ start: 2, end: 3, text: '7' }]);
      runRules(new AnalyzedFile(source, undefined), { rules: [integerRule(visits), fileRule], previous: state });
      assert.strictEqual(visits.length, 2, 'a different rule set is a full run');

      visits.length = 0;
      const other = SourceFile.parse('[ 5 6 ]');
      const otherState = runRules(new AnalyzedFile(other, undefined), { rules: [integerRule()] }).state;
      runRules(new AnalyzedFile(source, undefined), { rules: [integerRule(visits)], previous: otherState });
      assert.strictEqual(visits.length, 2, 'a state of another document is not reused');
    });
  });
});

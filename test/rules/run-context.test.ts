// A rule's context lives as long as its run: once the run ends it no longer reaches the file or
// the run, so that closures V8 keeps alive after a run (until its next full collection) do not
// keep every version of an edited document alive with them (see RunContext in the runner).
import * as assert from 'assert';
import { AnalyzedFile, SourceFile } from 'nixguard';
import type { RuleContext } from 'nixguard/out/rules/types';
import { Kind } from 'nixguard/out/syntax/grammar';
import { runRules } from 'nixguard/out/rules/runner';
import { defineRule } from 'nixguard/out/rules/types';

/** Flags integer literals and hands its context to `keep`, as a closure outliving the run would. */
function keepingRule(keep: (context: RuleContext<'integer'>) => void) {
  return defineRule({
    id: 'test-keeps-context',
    meta: { severity: 'warning', category: 'style', description: 'Keeps its context', fixable: false, messages: { integer: 'integer' } },
    check(context) {
      keep(context);
      return {
        [Kind.IntegerExpression](node) {
          context.report({ node, messageId: 'integer' });
        },
      };
    },
  });
}

describe('rule contexts', function () {
  it('reach the file and report during the run', function () {
    const file = new AnalyzedFile(SourceFile.parse('{ a = 1; b = 2; }'), undefined);
    let seen: AnalyzedFile | undefined;
    const rule = keepingRule((context) => {
      seen = context.file;
    });
    const result = runRules(file, { rules: [rule] });
    assert.strictEqual(seen, file);
    assert.deepStrictEqual(
      result.findings.map((finding) => file.source.text.slice(finding.range.start, finding.range.end)),
      ['1', '2'],
    );
  });

  it('no longer reach the file once the run has ended', function () {
    const file = new AnalyzedFile(SourceFile.parse('{ a = 1; }'), undefined);
    let kept: RuleContext<'integer'> | undefined;
    runRules(file, { rules: [keepingRule((context) => (kept = context))] });
    assert.ok(kept);
    const context = kept;
    assert.throws(() => context.file, /after its run ended/);
  });
});

// The fixes of the scope rules that fixtures cannot show: fixes offered but not applied by
// --fix (adding a formal for undefined-variable, removing a formal without `...`), the layouts
// the edits must respect, and per-finding severities. Every fixed text must parse, for
// tree-sitter and for Nix, and lose the finding it fixed.
import * as assert from 'assert';
import { checkText } from 'nixguard';
import type { Finding } from 'nixguard';
import { hasNixInstantiate, nixParse } from '../helpers/nix-parser';

function findingsOf(text: string, ruleId: string): Finding[] {
  return checkText(text).findings.filter((finding) => finding.ruleId === ruleId);
}

/** Applies the first fix of the first `ruleId` finding and checks that the result is sound. */
function fixed(text: string, ruleId: string): string {
  const finding = findingsOf(text, ruleId)[0];
  assert.ok(finding, `no ${ruleId} finding in ${JSON.stringify(text)}`);
  const fix = finding.fixes?.[0];
  assert.ok(fix, `the ${ruleId} finding has no fix in ${JSON.stringify(text)}`);
  let result = text;
  for (const edit of [...fix.edits].sort((a, b) => b.range.start - a.range.start)) result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  const after = checkText(result).findings;
  assert.deepStrictEqual(after.filter((f) => f.ruleId === 'syntax-error').map((f) => f.message), [], `the fix leaves syntax errors: ${JSON.stringify(result)}`);
  const name = text.slice(finding.range.start, finding.range.end);
  const same = after.filter((f) => f.ruleId === ruleId && result.slice(f.range.start, f.range.end) === name);
  assert.strictEqual(same.length, findingsOf(text, ruleId).filter((f) => text.slice(f.range.start, f.range.end) === name).length - 1, `the fix does not remove its finding: ${JSON.stringify(result)}`);
  if (hasNixInstantiate()) {
    const verdict = nixParse(result);
    assert.ok(verdict.accepted, `Nix rejects the fixed text ${JSON.stringify(result)}: ${verdict.message}`);
  }
  return result;
}

describe('scope rule fixes', () => {
  describe('undefined-variable adds the name to the top-level formals', () => {
    const cases: [string, string][] = [
      ['{ lib }: x', '{ lib, x }: x'],
      ['{ lib, ... }: x', '{ lib, x, ... }: x'],
      ['{ }: x', '{ x }: x'],
      ['{}: x', '{ x }: x'],
      ['{ lib, }: x', '{ lib, x, }: x'],
      ['args@{ lib }: x', 'args@{ lib, x }: x'],
      ['{ lib }@args: x', '{ lib, x }@args: x'],
      ['{\n  lib,\n  pkgs,\n}:\nx', '{\n  lib,\n  pkgs,\n  x,\n}:\nx'],
      ['{\n  lib,\n  pkgs\n}:\nx', '{\n  lib,\n  pkgs,\n  x\n}:\nx'],
      ['{\n  lib,\n  ...\n}:\nx', '{\n  lib,\n  x,\n  ...\n}:\nx'],
      ['{ lib\n, pkgs\n}:\nx', '{ lib\n, pkgs\n, x\n}:\nx'],
      ['{ lib\n, ...\n}:\nx', '{ lib\n, x\n, ...\n}:\nx'],
      ['{\n  lib, # the library\n}:\nx', '{\n  lib, # the library\n  x,\n}:\nx'],
      ['{\r\n  lib,\r\n  ...\r\n}:\r\nx', '{\r\n  lib,\r\n  x,\r\n  ...\r\n}:\r\nx'],
      ['{ lib ? null }: x', '{ lib ? null, x }: x'],
    ];
    for (const [before, after] of cases) {
      it(`turns ${JSON.stringify(before)} into ${JSON.stringify(after)}`, function () {
        this.timeout(10_000);
        assert.strictEqual(fixed(before, 'undefined-variable'), after);
      });
    }

    it('offers the fix only on request', () => {
      assert.strictEqual(findingsOf('{ lib }: x', 'undefined-variable')[0].fixes?.[0].safe, false);
    });

    it('offers no fix when the file is not a function with formals', () => {
      for (const text of ['pkgs: x', 'let f = { a }: x; in f', 'x']) assert.strictEqual(findingsOf(text, 'undefined-variable')[0].fixes, undefined, text);
    });
  });

  describe('unused-formal removes the formal with its comma', () => {
    const cases: [string, string][] = [
      ['{ a, b }: a', '{ a }: a'],
      ['{ b, a }: a', '{ a }: a'],
      ['{ b }: 1', '{ }: 1'],
      ['{ a, b, }: a', '{ a, }: a'],
      ['{\n  a,\n  b,\n}: a', '{\n  a,\n}: a'],
      ['{\n  b,\n  a\n}: a', '{\n  a\n}: a'],
      ['{\n  a,\n  b\n}: a', '{\n  a\n}: a'],
      ['{ a\n, b\n}: a', '{ a\n}: a'],
      ['{ b\n, a\n}: a', '{ a\n}: a'],
      ['{\n  a, # note\n  b\n}: a', '{\n  a # note\n}: a'],
      ['{ a, b ? a }: a', '{ a }: a'],
      ['{ a, b, ... }: a', '{ a, ... }: a'],
      ['{ b, ... }@args: 1', '{ ... }@args: 1'],
    ];
    for (const [before, after] of cases) {
      it(`turns ${JSON.stringify(before)} into ${JSON.stringify(after)}`, function () {
        this.timeout(10_000);
        assert.strictEqual(fixed(before, 'unused-formal'), after);
      });
    }

    it('applies the fix with --fix only when the function has `...`', () => {
      assert.strictEqual(findingsOf('x: { a, b, ... }: a', 'unused-formal')[0].fixes?.[0].safe, true);
      assert.strictEqual(findingsOf('x: { a, b }: a', 'unused-formal')[0].fixes?.[0].safe, false);
    });

    it('reports unused formals of a top-level function with `...` as hints', () => {
      assert.deepStrictEqual(findingsOf('{ config, lib, ... }: lib', 'unused-formal').map((f) => f.severity), ['hint']);
      assert.deepStrictEqual(findingsOf('{ config, lib }: lib', 'unused-formal').map((f) => f.severity), ['warning']);
      assert.deepStrictEqual(findingsOf('{ lib, ... }: { f = { a, ... }: 1; }', 'unused-formal').map((f) => [f.severity, f.message]), [
        ['hint', 'Unused formal argument `lib`'],
        ['warning', 'Unused formal argument `a`'],
      ]);
    });
  });

  describe('other dead-code fixes', () => {
    it('removes an `@` name on either side', () => {
      assert.strictEqual(fixed('args@{ a }: a', 'unused-at-pattern'), '{ a }: a');
      assert.strictEqual(fixed('{ a } @ args: a', 'unused-at-pattern'), '{ a }: a');
    });

    it('keeps a comment before the body of a removed `with` or `let`', () => {
      assert.strictEqual(fixed('x: with x; /* c */ 1', 'unused-with'), 'x: /* c */ 1');
      assert.strictEqual(fixed('[ (let a = 1; in # c\n  2) ]', 'unused-let-binding'), '[ (# c\n  2) ]');
    });

    it('removes one name from a long `inherit`', () => {
      assert.strictEqual(fixed('let inherit (x) a b c; in a + c', 'unused-inherit'), 'let inherit (x) a c; in a + c');
      assert.strictEqual(fixed('let inherit (x) a b c; in b + c', 'unused-inherit'), 'let inherit (x) b c; in b + c');
    });

    it('renames an unused argument without capturing a name of the body', () => {
      assert.strictEqual(fixed('_x: x: _x', 'unused-lambda-argument'), '_x: _: _x');
      assert.strictEqual(findingsOf('_x: _: x: _x _', 'unused-lambda-argument')[0].fixes, undefined);
    });

    it('offers dead-code fixes in a file with syntax errors but leaves them to a request', () => {
      const [finding] = findingsOf('let unused = 1; in [ 1', 'unused-let-binding');
      assert.strictEqual(finding?.fixes?.[0].safe, false);
    });

    it('tags every dead-code finding as unnecessary', () => {
      const text = 'args@{ a, ... }: let b = 1; inherit (a) c; in x: with a; rec { d = 1; }';
      const findings = checkText(text).findings.filter((f) => f.ruleId.startsWith('unused-'));
      assert.deepStrictEqual(findings.map((f) => f.ruleId).sort(), ['unused-at-pattern', 'unused-inherit', 'unused-lambda-argument', 'unused-let-binding', 'unused-rec', 'unused-with']);
      for (const finding of findings) assert.deepStrictEqual(finding.tags, ['unnecessary'], finding.ruleId);
    });
  });
});

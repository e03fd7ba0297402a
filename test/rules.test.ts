// One generic test for every rule: walks fixtures/rules/<id>/ and checks each fixture's caret
// annotations against the findings and its `.fixed.nix` against the safe fixes, so a new rule
// needs fixtures but no test code. Formats: test/helpers/annotations.ts, rule-fixtures.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import { findRule } from 'nixguard';
import {
  assertAllFixesMatchGolden,
  assertEveryFixRemovesItsFinding,
  assertFindingsMatchAnnotations,
  assertFixesMatchGolden,
  orphanGoldens,
  ruleFixtureFolders,
  ruleFixtures,
} from './helpers/rule-fixtures';
import { hasNixInstantiate, NIX_MISSING_MESSAGE, nixParse, nixParseFiles } from './helpers/nix-parser';
import type { NixVerdict } from './helpers/nix-parser';
import { repositoryPath } from './helpers/paths';

/** Nix's verdicts on every `.fixed.nix`, computed once, on first use, in a few processes. */
let nixVerdicts: Map<string, NixVerdict> | undefined;
function nixVerdict(file: string): NixVerdict {
  nixVerdicts ??= nixParseFiles(ruleFixtureFolders().flatMap((id) => ruleFixtures(id).flatMap((f) => [f.fixedFile, f.allFixedFile]).filter((f) => fs.existsSync(f))));
  return nixVerdicts.get(file) ?? nixParse(fs.readFileSync(file, 'utf8'));
}

describe('rule fixtures', () => {
  for (const ruleId of ruleFixtureFolders()) {
    describe(ruleId, () => {
      if (!findRule(ruleId)) {
        it('names an existing rule', () => assert.fail(`fixtures/rules/${ruleId}/ has no rule: add server/src/rules/${ruleId}.ts or rename the folder`));
        return;
      }

      it('has no .fixed.nix without its fixture', () => {
        assert.deepStrictEqual(orphanGoldens(ruleId), [], 'these goldens have no fixture next to them');
      });

      for (const fixture of ruleFixtures(ruleId)) {
        it(fixture.name, function () {
          assertFindingsMatchAnnotations(fixture);
          const outcome = assertFixesMatchGolden(fixture);
          if (outcome.note) console.log(`      ${outcome.note}`);
        });

        it(`${fixture.name}: each fix alone parses and removes its finding`, () => {
          assertEveryFixRemovesItsFinding(fixture);
          const outcome = assertAllFixesMatchGolden(fixture);
          if (outcome.note) console.log(`      ${outcome.note}`);
        });

        for (const fixed of [fixture.fixedFile, fixture.allFixedFile].filter((file) => fs.existsSync(file))) {
          it(`${fixture.name}: nix-instantiate --parse accepts ${fixed.endsWith('.all-fixed.nix') ? 'the text after every fix' : 'the fixed text'}`, function () {
            if (!hasNixInstantiate()) this.skip();
            const verdict = nixVerdict(fixed);
            assert.ok(verdict.accepted, `${repositoryPath(fixed)} is rejected by Nix:\n${verdict.message}`);
          });
        }
      }
    });
  }
});

describe('rule fixtures oracle', () => {
  it('finds nix-instantiate, or says why the Nix parser checks skip', function () {
    if (!hasNixInstantiate()) {
      console.log(`      skipping Nix parser checks: ${NIX_MISSING_MESSAGE}`);
      this.skip();
    }
  });
});

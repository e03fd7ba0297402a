// The runner reads the kinds a rule visits from the first object its `check` returns and reuses
// them for every later file (rules/runner.ts, visitorKinds): a rule must key its visitors the same
// way for every file. This holds every rule to that over every fixture and sample.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AnalyzedFile, SourceFile } from 'nixguard';
import { ALL_RULES } from 'nixguard/out/rules';
import { NIX_SAMPLES } from '../helpers/nix-samples';
import { REPOSITORY_ROOT } from '../helpers/paths';
import { filesUnder } from '../helpers/files';


describe('rule visitors', () => {
  it('are keyed by the same kinds for every file, as the runner assumes', () => {
    const inputs: [string, string][] = [
      ...filesUnder(path.join(REPOSITORY_ROOT, 'fixtures'), (name) => name.endsWith('.nix')).map((file): [string, string] => [file, fs.readFileSync(file, 'utf8')]),
      ...Object.entries(NIX_SAMPLES).map(([name, text]): [string, string] => [`/samples/${name}.nix`, text]),
      ['/samples/flake.nix', '{ outputs = { self }: { }; }'],
      ['/samples/empty.nix', ''],
    ];
    const ruleIds = new Set(ALL_RULES.map((rule) => rule.id));
    const firstKeys = new Map<string, string>();
    for (const [file, text] of inputs) {
      const analyzed = new AnalyzedFile(SourceFile.parse(text), file);
      for (const rule of ALL_RULES) {
        const keys = Object.keys(rule.check({ file: analyzed, ruleIds, report: () => undefined })).sort().join(',');
        const first = firstKeys.get(rule.id);
        if (first === undefined) firstKeys.set(rule.id, keys);
        else assert.strictEqual(keys, first, `${rule.id} keys its visitors differently for ${file}`);
      }
    }
    assert.strictEqual(firstKeys.size, ALL_RULES.length);
  });
});

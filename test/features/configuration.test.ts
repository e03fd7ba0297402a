// `.nixguard.json`: rule severities and exclude globs. A bad file never throws: each problem comes
// back as a message and the defaults stand in for whatever was wrong. File access is injected.
import * as assert from 'assert';
import * as path from 'path';
import {
  EMPTY_CONFIG,
  isExcluded,
  loadProjectConfig,
  mergeSeverities,
  parseProjectConfig,
} from 'nixguard/out/features/configuration';
import type { ConfigFileSystem, LoadedConfig } from 'nixguard/out/features/configuration';

const KNOWN_RULES = new Set(['bool-comparison', 'invalid-suppression', 'syntax-error']);

/** Parsing `text` gives these severities, excludes and problem messages (matched by regex). */
function check(text: string, expected: { severities?: Record<string, string>; exclude?: string[]; problems?: RegExp[] }): void {
  const { config, problems } = parseProjectConfig(text, KNOWN_RULES);
  assert.deepStrictEqual(Object.fromEntries(config.severities), expected.severities ?? {});
  assert.deepStrictEqual(config.exclude, expected.exclude ?? []);
  const messages = problems.map((p) => p.message);
  assert.strictEqual(messages.length, (expected.problems ?? []).length, `problems: ${JSON.stringify(messages)}`);
  (expected.problems ?? []).forEach((pattern, i) => assert.match(messages[i], pattern));
}

function memoryFileSystem(files: Record<string, string>): ConfigFileSystem & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile(file) {
      reads.push(file);
      return files[file];
    },
  };
}

describe('configuration', () => {
  describe('parseProjectConfig', () => {
    it('reads rule severities and exclude globs', () => {
      check('{ "$schema": "./schema.json", "rules": { "bool-comparison": "error", "syntax-error": "off" }, "exclude": ["vendor/**", "*.generated.nix"] }', {
        severities: { 'bool-comparison': 'error', 'syntax-error': 'off' },
        exclude: ['vendor/**', '*.generated.nix'],
      });
    });

    it('accepts every severity name', () => {
      for (const severity of ['off', 'hint', 'info', 'warning', 'error']) {
        check(`{ "rules": { "bool-comparison": "${severity}" } }`, { severities: { 'bool-comparison': severity } });
      }
    });

    it('reports invalid JSON with its offset and uses the defaults', () => {
      const { config, problems } = parseProjectConfig('{ "rules": { "bool-comparison": "error", } }', KNOWN_RULES);
      assert.strictEqual(config, EMPTY_CONFIG);
      assert.strictEqual(problems.length, 1);
      assert.match(problems[0].message, /^not valid JSON/);
      assert.strictEqual(typeof problems[0].offset, 'number');
    });

    it('reports an empty file, a JSON array and a JSON string as not being an object', () => {
      check('', { problems: [/not valid JSON/] });
      check('[]', { problems: [/must be a JSON object/] });
      check('"rules"', { problems: [/must be a JSON object/] });
    });

    it('reports an unknown rule and keeps the other settings', () => {
      check('{ "rules": { "bool-comparisn": "off", "syntax-error": "warning" } }', {
        severities: { 'syntax-error': 'warning' },
        problems: [/unknown rule `bool-comparisn`/],
      });
    });

    it('reports a bad severity, listing the valid ones, and keeps the rule at its default', () => {
      check('{ "rules": { "bool-comparison": "fatal", "syntax-error": 2 } }', {
        problems: [/rules\.bool-comparison: expected one of "off", "hint", "info", "warning", "error", got "fatal"/, /rules\.syntax-error: .*got 2/],
      });
    });

    it('reports rules that are not an object, and exclude that is not a list of strings', () => {
      check('{ "rules": ["bool-comparison"], "exclude": "vendor/**" }', { problems: [/rules must be an object/, /`exclude` must be an array of glob strings/] });
      check('{ "exclude": ["a/**", 3] }', { problems: [/`exclude` must be an array/] });
    });

    it('reports unknown top-level keys and still reads the known ones', () => {
      check('{ "rule": { "bool-comparison": "off" }, "exclude": ["x/**"] }', { exclude: ['x/**'], problems: [/unknown key `rule`/] });
    });
  });

  describe('loadProjectConfig', () => {
    const root = path.resolve('/projects/site');

    it('uses the nearest .nixguard.json walking up from the directory', () => {
      const files = memoryFileSystem({
        [path.join(root, '.nixguard.json')]: '{ "rules": { "bool-comparison": "off" } }',
        [path.join(root, 'hosts', '.nixguard.json')]: '{ "rules": { "bool-comparison": "error" } }',
      });
      const nested = loadProjectConfig(path.join(root, 'hosts', 'web'), files, KNOWN_RULES);
      assert.strictEqual(nested.file, path.join(root, 'hosts', '.nixguard.json'));
      assert.strictEqual(nested.config.severities.get('bool-comparison'), 'error');
      assert.deepStrictEqual(files.reads.slice(0, 2), [path.join(root, 'hosts', 'web', '.nixguard.json'), path.join(root, 'hosts', '.nixguard.json')]);
      const top = loadProjectConfig(path.join(root, 'modules'), files, KNOWN_RULES);
      assert.strictEqual(top.config.severities.get('bool-comparison'), 'off');
    });

    it('returns the defaults without problems when no file exists up to the root', () => {
      const loaded = loadProjectConfig(path.join(root, 'a', 'b'), memoryFileSystem({}), KNOWN_RULES);
      assert.deepStrictEqual(loaded, { config: EMPTY_CONFIG, problems: [] });
    });

    it('names the file whose problems it reports, and goes on with the defaults', () => {
      const loaded = loadProjectConfig(root, memoryFileSystem({ [path.join(root, '.nixguard.json')]: '{ oops' }), KNOWN_RULES);
      assert.strictEqual(loaded.file, path.join(root, '.nixguard.json'));
      assert.strictEqual(loaded.config, EMPTY_CONFIG);
      assert.strictEqual(loaded.problems.length, 1);
    });
  });

  describe('isExcluded', () => {
    const root = path.resolve('/projects/site');
    const loaded = (exclude: string[]): LoadedConfig => ({ config: { severities: new Map(), exclude }, file: path.join(root, '.nixguard.json'), problems: [] });

    it('matches globs relative to the directory of the config file', () => {
      const config = loaded(['vendor/**', '**/*.generated.nix', 'hosts/old.nix']);
      assert.ok(isExcluded(path.join(root, 'vendor', 'lib', 'default.nix'), config));
      assert.ok(isExcluded(path.join(root, 'pkgs', 'x', 'deps.generated.nix'), config));
      assert.ok(isExcluded(path.join(root, 'deps.generated.nix'), config));
      assert.ok(isExcluded(path.join(root, 'hosts', 'old.nix'), config));
      assert.ok(!isExcluded(path.join(root, 'hosts', 'new.nix'), config));
      assert.ok(!isExcluded(path.join(root, 'src', 'vendor.nix'), config));
    });

    it('treats a folder name as everything inside it, with or without a trailing slash', () => {
      assert.ok(isExcluded(path.join(root, 'third_party', 'a', 'b.nix'), loaded(['third_party'])));
      assert.ok(isExcluded(path.join(root, 'third_party', 'b.nix'), loaded(['third_party/'])));
    });

    it('matches dot folders and excludes nothing without globs', () => {
      assert.ok(isExcluded(path.join(root, '.direnv', 'flake.nix'), loaded(['.direnv/**'])));
      assert.ok(isExcluded(path.join(root, 'a', '.cache', 'x.nix'), loaded(['**/.cache/**'])));
      assert.ok(!isExcluded(path.join(root, 'default.nix'), loaded([])));
    });

    it('does not exclude files outside the config directory by a relative glob', () => {
      assert.ok(!isExcluded(path.resolve('/elsewhere/vendor/x.nix'), loaded(['vendor/**'])));
    });
  });

  describe('mergeSeverities', () => {
    it('lets later layers override earlier ones, rule by rule', () => {
      const merged = mergeSeverities(new Map([['a', 'off'], ['b', 'error']]), undefined, new Map([['b', 'hint']]));
      assert.deepStrictEqual(Object.fromEntries(merged), { a: 'off', b: 'hint' });
    });
  });
});

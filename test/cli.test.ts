// Spawns the real `nixguard` binary on temporary folders written by each test.
import { strict as assert } from 'assert';
import { spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALL_RULES } from 'nixguard';

const REPOSITORY = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPOSITORY, 'server', 'bin', 'nixguard');

/** Two bool-comparison warnings (one after an emoji, to check columns), nothing else. */
const WARNINGS_ONLY = '{ enable }:\n{\n  a = enable == true;\n  b = "😀" != false;\n}\n';
const SYNTAX_ERROR = '{ a = 1 }\n';
const CLEAN = '{ a = 1; }\n';

interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function nixguard(args: readonly string[], options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): RunResult {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NIXGUARD_DEBUG: '', ...options.env },
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

function assertNoStackTrace(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, `stderr has a stack trace:\n${stderr}`);
}

interface JsonReport {
  version: number;
  files: { path: string; findings: { rule: string; severity: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; fixable: boolean }[] }[];
  summary: { files: number; errors: number; warnings: number; infos: number; hints: number; fixable: number };
}

describe('nixguard CLI', function () {
  this.timeout(60_000);
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-cli-'));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe('check (text)', () => {
    it('prints path:line:col: severity [rule-id] message, relative to the working directory, and exits 0 on warnings', () => {
      writeFiles(root, { 'sub/a.nix': WARNINGS_ONLY });
      const result = nixguard(['check'], { cwd: root });
      assert.equal(result.status, 0, result.stderr);
      const lines = result.stdout.split('\n').filter((line) => /^\S+:\d+:\d+: /.test(line));
      assert.deepEqual(lines, [
        `${path.join('sub', 'a.nix')}:3:7: warning [bool-comparison] Comparison with \`true\` is redundant: use the expression directly`,
        `${path.join('sub', 'a.nix')}:4:7: warning [bool-comparison] Comparison with \`false\` is redundant: use the expression directly`,
      ]);
      assert.match(result.stdout, /2 problems \(2 warnings\), 2 fixable with --fix/);
    });

    it('counts columns in characters, so an emoji before a finding is one column', () => {
      writeFiles(root, { 'a.nix': '{ b = "😀" + (x == true); }\n' });
      const result = nixguard(['check', 'a.nix'], { cwd: root });
      // `x` is the 14th character of the line (the 15th UTF-16 code unit).
      assert.match(result.stdout, /^a\.nix:1:14: warning \[bool-comparison\]/m);
    });

    it('exits 1 when an error-severity finding remains', () => {
      writeFiles(root, { 'bad.nix': SYNTAX_ERROR, 'good.nix': CLEAN });
      const result = nixguard(['check', '.'], { cwd: root });
      assert.equal(result.status, 1);
      assert.match(result.stdout, /^bad\.nix:1:\d+: error \[syntax-error\] /m);
      assert.doesNotMatch(result.stdout, /good\.nix/);
    });

    it('prints nothing and exits 0 on clean files', () => {
      writeFiles(root, { 'a.nix': CLEAN });
      const result = nixguard(['check'], { cwd: root });
      assert.equal(result.status, 0);
      assert.equal(result.stdout, '');
    });

    it('orders files by path', () => {
      writeFiles(root, { 'b.nix': WARNINGS_ONLY, 'a/z.nix': WARNINGS_ONLY, 'a.nix': WARNINGS_ONLY });
      const result = nixguard(['check'], { cwd: root });
      const paths = [...new Set(result.stdout.split('\n').filter((line) => line.includes(':')).map((line) => line.split(':')[0]))];
      assert.deepEqual(paths, ['a.nix', path.join('a', 'z.nix'), 'b.nix'].sort());
    });

    it('reports only errors with --quiet', () => {
      writeFiles(root, { 'a.nix': WARNINGS_ONLY, 'bad.nix': SYNTAX_ERROR });
      const result = nixguard(['check', '--quiet'], { cwd: root });
      assert.equal(result.status, 1);
      assert.doesNotMatch(result.stdout, /warning/);
      assert.match(result.stdout, /error \[syntax-error\]/);
    });

    it('exits 1 when warnings exceed --max-warnings', () => {
      writeFiles(root, { 'a.nix': WARNINGS_ONLY });
      assert.equal(nixguard(['check', '--max-warnings', '2'], { cwd: root }).status, 0);
      const over = nixguard(['check', '--max-warnings=1'], { cwd: root });
      assert.equal(over.status, 1);
      assert.match(over.stderr, /2 warnings exceed --max-warnings 1/);
    });
  });

  describe('check (JSON)', () => {
    it('prints version, files with findings at 0-based UTF-16 positions, and a summary', () => {
      writeFiles(root, { 'a.nix': WARNINGS_ONLY, 'bad.nix': SYNTAX_ERROR, 'clean.nix': CLEAN });
      const result = nixguard(['check', '--format', 'json'], { cwd: root });
      assert.equal(result.status, 1);
      const report = JSON.parse(result.stdout) as JsonReport;
      assert.equal(report.version, 1);
      assert.deepEqual(
        report.files.map((file) => file.path),
        ['a.nix', 'bad.nix', 'clean.nix'],
      );
      const [first, second] = report.files[0].findings;
      assert.deepEqual(first, {
        rule: 'bool-comparison',
        severity: 'warning',
        message: 'Comparison with `true` is redundant: use the expression directly',
        range: { start: { line: 2, character: 6 }, end: { line: 2, character: 20 } },
        fixable: true,
      });
      // `"😀"` is 4 UTF-16 code units: the comparison spans `"😀" != false`.
      assert.deepEqual(second.range, { start: { line: 3, character: 6 }, end: { line: 3, character: 19 } });
      assert.equal(report.files[1].findings[0].rule, 'syntax-error');
      assert.equal(report.files[1].findings[0].fixable, false);
      assert.deepEqual(report.files[2].findings, []);
      assert.deepEqual(report.summary, { files: 3, errors: 1, warnings: 2, infos: 0, hints: 0, fixable: 2 });
    });
  });

  describe('check (SARIF)', () => {
    it('prints SARIF 2.1.0 with the fields GitHub code scanning requires', () => {
      writeFiles(root, { 'dir/a b.nix': WARNINGS_ONLY, 'bad.nix': SYNTAX_ERROR });
      const result = nixguard(['check', '--format', 'sarif'], { cwd: root });
      assert.equal(result.status, 1);
      const sarif = JSON.parse(result.stdout);
      assert.equal(sarif.version, '2.1.0');
      assert.match(sarif.$schema, /sarif-2\.1\.0/);
      assert.equal(sarif.runs.length, 1);
      const run = sarif.runs[0];
      const driver = run.tool.driver;
      assert.equal(driver.name, 'nixguard');
      assert.match(driver.version, /^\d+\.\d+\.\d+/);
      assert.match(driver.informationUri, /^https?:\/\//);
      assert.deepEqual(
        driver.rules.map((rule: { id: string }) => rule.id),
        ALL_RULES.map((rule) => rule.id),
      );
      for (const rule of driver.rules) {
        assert.equal(typeof rule.shortDescription.text, 'string');
        assert.equal(typeof rule.fullDescription.text, 'string');
        assert.ok(rule.help.text.length > 0, `${rule.id} has help text`);
        assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
      }
      assert.equal(run.results.length, 3);
      for (const sarifResult of run.results) {
        assert.equal(driver.rules[sarifResult.ruleIndex].id, sarifResult.ruleId);
        assert.ok(['error', 'warning', 'note'].includes(sarifResult.level));
        assert.equal(typeof sarifResult.message.text, 'string');
        const location = sarifResult.locations[0].physicalLocation;
        assert.equal(location.artifactLocation.uriBaseId, '%SRCROOT%');
        assert.doesNotMatch(location.artifactLocation.uri, /^\/|^file:/);
        for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(location.region[key] >= 1, key);
      }
      const uris = run.results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri);
      assert.deepEqual([...new Set(uris)], ['bad.nix', 'dir/a%20b.nix']);
    });

    it('gives fixes whose replacements produce the same text as --fix', () => {
      writeFiles(root, { 'a.nix': WARNINGS_ONLY });
      const sarif = JSON.parse(nixguard(['check', '--format', 'sarif', 'a.nix'], { cwd: root }).stdout);
      const lines = WARNINGS_ONLY.split('\n');
      // Apply from the end so earlier regions stay valid; columns are 1-based UTF-16 code units.
      const replacements = sarif.runs[0].results
        .flatMap((r: { fixes: { artifactChanges: { replacements: unknown[] }[] }[] }) => r.fixes[0].artifactChanges[0].replacements)
        .reverse() as { deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number }; insertedContent: { text: string } }[];
      assert.equal(replacements.length, 2);
      for (const { deletedRegion: region, insertedContent } of replacements) {
        assert.equal(region.startLine, region.endLine);
        const line = lines[region.startLine - 1];
        lines[region.startLine - 1] = line.slice(0, region.startColumn - 1) + insertedContent.text + line.slice(region.endColumn - 1);
      }
      nixguard(['check', '--fix', 'a.nix'], { cwd: root });
      assert.equal(lines.join('\n'), fs.readFileSync(path.join(root, 'a.nix'), 'utf8'));
    });
  });

  describe('check --fix', () => {
    it('rewrites files with the safe fixes, reports the count, and a re-check is clean', () => {
      writeFiles(root, { 'a.nix': WARNINGS_ONLY, 'b/c.nix': '{ x }: x == false\n', 'clean.nix': CLEAN });
      const result = nixguard(['check', '--fix'], { cwd: root });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^fixed 3 problems in 2 files$/m);
      assert.equal(fs.readFileSync(path.join(root, 'a.nix'), 'utf8'), '{ enable }:\n{\n  a = enable;\n  b = "😀";\n}\n');
      assert.equal(fs.readFileSync(path.join(root, 'b', 'c.nix'), 'utf8'), '{ x }: !x\n');
      assert.equal(fs.readFileSync(path.join(root, 'clean.nix'), 'utf8'), CLEAN);
      const again = nixguard(['check'], { cwd: root });
      assert.equal(again.status, 0);
      assert.equal(again.stdout, '');
    });

    it('reports the fix count on stderr when stdout is JSON', () => {
      writeFiles(root, { 'a.nix': WARNINGS_ONLY });
      const result = nixguard(['check', '--fix', '--format', 'json'], { cwd: root });
      const report = JSON.parse(result.stdout) as JsonReport & { summary: { fixed: number } };
      assert.equal(report.summary.fixed, 2);
      assert.deepEqual(report.files[0].findings, []);
      assert.match(result.stderr, /fixed 2 problems in 1 file/);
    });
  });

  describe('check --stdin', () => {
    it('checks standard input under the --stdin-filename name', () => {
      const result = nixguard(['check', '--stdin', '--stdin-filename', 'pkgs/x.nix'], { cwd: root, input: WARNINGS_ONLY });
      assert.equal(result.status, 0);
      assert.match(result.stdout, new RegExp(`^${escape(path.join('pkgs', 'x.nix'))}:3:7: warning \\[bool-comparison\\]`, 'm'));
    });

    it('prints the fixed text with --fix', () => {
      const result = nixguard(['check', '--stdin', '--fix'], { cwd: root, input: '{ x }: x == true\n' });
      assert.equal(result.status, 0);
      assert.equal(result.stdout, '{ x }: x\n');
    });

    it('exits 1 on a syntax error in standard input', () => {
      const result = nixguard(['check', '--stdin'], { cwd: root, input: SYNTAX_ERROR });
      assert.equal(result.status, 1);
      assert.match(result.stdout, /^<stdin>:1:\d+: error \[syntax-error\]/m);
    });

    it('refuses paths together with --stdin', () => {
      const result = nixguard(['check', '--stdin', 'a.nix'], { cwd: root });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--stdin/);
    });
  });

  describe('severity settings', () => {
    it('--rule raises or silences a rule', () => {
      writeFiles(root, { 'a.nix': WARNINGS_ONLY });
      const raised = nixguard(['check', '--rule', 'bool-comparison=error'], { cwd: root });
      assert.equal(raised.status, 1);
      assert.match(raised.stdout, /error \[bool-comparison\]/);
      const silenced = nixguard(['check', '--rule=bool-comparison=off'], { cwd: root });
      assert.equal(silenced.status, 0);
      assert.equal(silenced.stdout, '');
    });

    it('--rule with an unknown rule exits 2 and suggests the nearest id', () => {
      const result = nixguard(['check', '--rule', 'bool-comparision=off'], { cwd: root });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /unknown rule `bool-comparision`; did you mean `bool-comparison`\?/);
      assertNoStackTrace(result.stderr);
    });

    it('--rule with a bad severity exits 2', () => {
      const result = nixguard(['check', '--rule', 'bool-comparison=loud'], { cwd: root });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /severity must be one of off, hint, info, warning, error/);
    });

    it('applies the nearest .nixguard.json, and --rule overrides it', () => {
      writeFiles(root, { '.nixguard.json': '{ "rules": { "bool-comparison": "error" } }', 'sub/a.nix': WARNINGS_ONLY });
      const fromConfig = nixguard(['check'], { cwd: path.join(root, 'sub') });
      assert.equal(fromConfig.status, 1);
      assert.match(fromConfig.stdout, /^a\.nix:3:7: error \[bool-comparison\]/m);
      const overridden = nixguard(['check', '--rule', 'bool-comparison=hint'], { cwd: root });
      assert.equal(overridden.status, 0);
      assert.match(overridden.stdout, /hint \[bool-comparison\]/);
    });

    it('uses --config FILE instead of the nearest config', () => {
      writeFiles(root, { '.nixguard.json': '{ "rules": { "bool-comparison": "error" } }', 'other.json': '{ "rules": { "bool-comparison": "off" } }', 'a.nix': WARNINGS_ONLY });
      const result = nixguard(['check', '--config', 'other.json'], { cwd: root });
      assert.equal(result.status, 0);
      assert.equal(result.stdout, '');
    });

    it('warns about a bad config file, naming it, and goes on with the defaults', () => {
      writeFiles(root, { '.nixguard.json': '{ "rules": { "bool-comparison": "error", } }', 'a.nix': WARNINGS_ONLY });
      const result = nixguard(['check'], { cwd: root });
      assert.equal(result.status, 0);
      assert.match(result.stderr, /warning: \.nixguard\.json:1:\d+: not valid JSON/);
      assert.match(result.stdout, /warning \[bool-comparison\]/);
      assertNoStackTrace(result.stderr);
    });

    it('warns about an unknown rule in the config and keeps its other settings', () => {
      writeFiles(root, { '.nixguard.json': '{ "rules": { "no-such-rule": "off", "bool-comparison": "off" } }', 'a.nix': WARNINGS_ONLY });
      const result = nixguard(['check'], { cwd: root });
      assert.equal(result.status, 0);
      assert.match(result.stderr, /\.nixguard\.json: rules: unknown rule `no-such-rule`/);
      assert.equal(result.stdout, '');
    });

    it('exits 2 when --config names a missing file', () => {
      const result = nixguard(['check', '--config', 'missing.json'], { cwd: root });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /cannot read config file 'missing\.json': no such file or directory/);
    });
  });

  describe('file discovery', () => {
    it('skips the config\'s excludes, but checks an excluded file named explicitly', () => {
      writeFiles(root, { '.nixguard.json': '{ "exclude": ["vendor/**", "**/generated.nix"] }', 'vendor/v.nix': SYNTAX_ERROR, 'x/generated.nix': SYNTAX_ERROR, 'a.nix': CLEAN });
      const walked = nixguard(['check'], { cwd: root });
      assert.equal(walked.status, 0, walked.stdout);
      const explicit = nixguard(['check', path.join('vendor', 'v.nix')], { cwd: root });
      assert.equal(explicit.status, 1);
      assert.match(explicit.stdout, /syntax-error/);
    });

    it('skips result* symlinks, .git and node_modules', function () {
      writeFiles(root, { 'store/bad.nix': SYNTAX_ERROR, '.git/bad.nix': SYNTAX_ERROR, 'node_modules/pkg/bad.nix': SYNTAX_ERROR, 'a.nix': CLEAN });
      try {
        fs.symlinkSync(path.join(root, 'store'), path.join(root, 'result'));
        fs.symlinkSync(path.join(root, 'store'), path.join(root, 'result-man'));
      } catch {
        this.skip(); // No symlinks on this file system.
      }
      const result = nixguard(['check', '--format', 'json', '.'], { cwd: root });
      const report = JSON.parse(result.stdout) as JsonReport;
      assert.deepEqual(
        report.files.map((file) => file.path),
        ['a.nix', path.join('store', 'bad.nix')],
      );
    });

    it('checks a file named explicitly whatever its extension', () => {
      writeFiles(root, { 'default.txt': SYNTAX_ERROR });
      assert.equal(nixguard(['check', 'default.txt'], { cwd: root }).status, 1);
    });

    it('exits 2 with a message and no stack trace for a path that cannot be read', () => {
      writeFiles(root, { 'a.nix': WARNINGS_ONLY });
      const result = nixguard(['check', 'a.nix', 'missing.nix'], { cwd: root });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /^nixguard: cannot read 'missing\.nix': no such file or directory$/m);
      assert.match(result.stdout, /a\.nix:3:7/, 'the readable file is still checked');
      assertNoStackTrace(result.stderr);
    });

    it('exits 2 for a dangling symlink named explicitly', function () {
      try {
        fs.symlinkSync(path.join(root, 'nowhere.nix'), path.join(root, 'link.nix'));
      } catch {
        this.skip();
      }
      const result = nixguard(['check', 'link.nix'], { cwd: root });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /cannot read 'link\.nix'/);
      assertNoStackTrace(result.stderr);
    });

    it('gives the same output with worker threads as without', () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 40; i++) files[`d${i % 5}/f${i}.nix`] = i % 7 === 0 ? SYNTAX_ERROR : WARNINGS_ONLY;
      writeFiles(root, files);
      const single = nixguard(['check', '--jobs', '1', '--format', 'json'], { cwd: root });
      const workers = nixguard(['check', '--jobs', '3', '--format', 'json'], { cwd: root });
      assert.equal(workers.status, single.status);
      assert.equal(workers.stderr, single.stderr);
      assert.equal(workers.stdout, single.stdout);
      assert.equal((JSON.parse(workers.stdout) as JsonReport).files.length, 40);
    });

    it('fixes files from worker threads', () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 10; i++) files[`f${i}.nix`] = WARNINGS_ONLY;
      writeFiles(root, files);
      const result = nixguard(['check', '--jobs', '2', '--fix'], { cwd: root });
      assert.match(result.stdout, /fixed 20 problems in 10 files/);
      assert.equal(nixguard(['check'], { cwd: root }).stdout, '');
    });
  });

  describe('usage', () => {
    it('exits 2 on an unknown option or command', () => {
      const option = nixguard(['check', '--fromat', 'json'], { cwd: root });
      assert.equal(option.status, 2);
      assert.match(option.stderr, /unknown option '--fromat'/);
      const command = nixguard(['chek'], { cwd: root });
      assert.equal(command.status, 2);
      assert.match(command.stderr, /unknown command 'chek'/);
    });

    it('exits 2 on a bad --format value', () => {
      const result = nixguard(['check', '--format', 'xml'], { cwd: root });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--format' must be one of text, json, sarif/);
    });

    it('prints the version and help', () => {
      const version = nixguard(['--version'], { cwd: root });
      const packageJson = JSON.parse(fs.readFileSync(path.join(REPOSITORY, 'server', 'package.json'), 'utf8')) as { version: string };
      assert.equal(version.stdout.trim(), packageJson.version);
      const help = nixguard(['--help'], { cwd: root });
      assert.equal(help.status, 0);
      assert.match(help.stdout, /nixguard <command>/);
      assert.match(nixguard(['check', '--help'], { cwd: root }).stdout, /--stdin-filename/);
    });
  });

  describe('rules and explain', () => {
    it('lists every rule with group, severity, fixability and summary', () => {
      const text = nixguard(['rules'], { cwd: root });
      assert.equal(text.status, 0);
      for (const rule of ALL_RULES) assert.match(text.stdout, new RegExp(`^${rule.id} +${rule.meta.category} +${rule.meta.severity} +(yes|no) +${escape(rule.meta.description)}$`, 'm'));
      const json = JSON.parse(nixguard(['rules', '--format', 'json'], { cwd: root }).stdout) as { version: number; rules: { id: string; group: string; severity: string; fixable: boolean; summary: string }[] };
      assert.deepEqual(
        json.rules,
        ALL_RULES.map((rule) => ({ id: rule.id, group: rule.meta.category, severity: rule.meta.severity, fixable: rule.meta.fixable, summary: rule.meta.description })),
      );
    });

    it('explains a rule with its markdown doc', () => {
      for (const rule of ALL_RULES.filter((candidate) => ['bool-comparison', 'syntax-error'].includes(candidate.id))) {
        const result = nixguard(['explain', rule.id], { cwd: root });
        assert.equal(result.status, 0);
        const doc = path.join(REPOSITORY, 'docs', 'rules', `${rule.id}.md`);
        if (fs.existsSync(doc)) assert.equal(result.stdout.trimEnd(), fs.readFileSync(doc, 'utf8').trimEnd());
        else assert.match(result.stdout, new RegExp(`^# ${rule.id}$`, 'm'));
      }
    });

    it('exits 2 on an unknown rule and suggests the nearest id', () => {
      const result = nixguard(['explain', 'syntax-eror'], { cwd: root });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /unknown rule `syntax-eror`; did you mean `syntax-error`\?/);
      assertNoStackTrace(result.stderr);
    });
  });

  describe('packaging', () => {
    it('has a current JSON schema that lists every rule', () => {
      const check = spawnSync(process.execPath, [path.join(REPOSITORY, 'server', 'scripts', 'generate-schema.js'), '--check'], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stderr);
      const schema = JSON.parse(fs.readFileSync(path.join(REPOSITORY, 'server', 'schema', 'nixguard.schema.json'), 'utf8'));
      assert.deepEqual(Object.keys(schema.properties.rules.properties), ALL_RULES.map((rule) => rule.id).sort());
      assert.deepEqual(schema.properties.rules.properties['syntax-error'].enum, ['off', 'hint', 'info', 'warning', 'error']);
    });

    it('bundles every rule doc for the installed package', () => {
      const output = path.join(root, 'rule-docs.json');
      const bundle = spawnSync(process.execPath, [path.join(REPOSITORY, 'server', 'scripts', 'bundle-docs.js'), output], { encoding: 'utf8' });
      assert.equal(bundle.status, 0, bundle.stderr);
      const docs = JSON.parse(fs.readFileSync(output, 'utf8')) as Record<string, string>;
      const docsDirectory = path.join(REPOSITORY, 'docs', 'rules');
      const expected = fs.existsSync(docsDirectory) ? fs.readdirSync(docsDirectory).filter((name) => name.endsWith('.md')) : [];
      assert.deepEqual(Object.keys(docs).sort(), expected.map((name) => name.slice(0, -3)).sort());
    });

    it('checks the bundled examples (what `npm start` runs) and shows findings', () => {
      const result = nixguard(['check', 'examples'], { cwd: REPOSITORY });
      assert.ok(result.status === 0 || result.status === 1, result.stdout + result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /^examples\/modules\/todo-server\.nix:\d+:\d+: warning \[bool-comparison\]/m);
      assert.doesNotMatch(result.stdout, /hardware-configuration/, 'the example config excludes it');
    });
  });

  describe('lsp', () => {
    it('rejects options that are not LSP transports', () => {
      const result = nixguard(['lsp', '--bogus'], { cwd: root });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /unknown option '--bogus' for `nixguard lsp`/);
    });

    for (const args of [['lsp'], ['lsp', '--stdio'], ['--stdio']]) {
      it(`answers initialize over stdio when started as \`nixguard ${args.join(' ')}\``, async function () {
        if (!fs.existsSync(path.join(REPOSITORY, 'server', 'out', 'lsp', 'server.js'))) this.skip();
        const reply = await initializeOverStdio(args, root);
        assert.match(reply, /"capabilities"/);
      });
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Sends `initialize` and resolves with the first message the server sends back. */
function initializeOverStdio(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no reply to initialize; got: ${output}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/"id":\s*1/.test(output) && output.includes('"result"')) {
        clearTimeout(timer);
        child.kill();
        resolve(output);
      }
    });
    child.on('error', reject);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

// nixguard in a real Neovim (Debian's 0.7.2 in CI): test/editors/neovim/run.lua attaches the
// server the way nvim-lspconfig does, from the repository's lsp/nixguard.lua, opens the fixture
// workspace fixtures/editors/neovim, and records what Neovim's own API reports: diagnostics,
// hover, completion, and a quick fix applied with `vim.lsp.util.apply_workspace_edit` followed by
// the diagnostics Neovim receives for the edited buffer. Neovim 0.7 cannot pull diagnostics and
// ignores dynamic registration, and it runs once without and once with snippet support.
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPOSITORY_ROOT } from '../helpers/paths';

const FIXTURE_WORKSPACE = path.join(REPOSITORY_ROOT, 'fixtures', 'editors', 'neovim');
const OPENED_FILE = path.join('modules', 'todo.nix');
const RUN_SCRIPT = path.join(REPOSITORY_ROOT, 'test', 'editors', 'neovim', 'run.lua');
const SHIPPED_CONFIG = path.join(REPOSITORY_ROOT, 'lsp', 'nixguard.lua');
/** Bounds each wait inside Neovim; the whole run is bounded by RUN_TIMEOUT_MS from here. */
const WAIT_TIMEOUT_MS = 10_000;
const RUN_TIMEOUT_MS = 60_000;

/** Neovim's `vim.diagnostic.severity`. */
const SEVERITY = { error: 1, warning: 2, info: 3, hint: 4 } as const;

interface Position {
  readonly line: number;
  readonly character: number;
}

/** What run.lua reads from NIXGUARD_NVIM_SPEC. */
interface NeovimSpec {
  readonly config_path: string;
  readonly file: string;
  readonly result_path: string;
  readonly timeout_ms: number;
  readonly snippet_support: boolean;
  /** Replaces the `settings` of lsp/nixguard.lua when given. */
  readonly settings?: unknown;
  readonly hovers: readonly (Position & { readonly name: string })[];
  readonly completions: readonly (Position & { readonly name: string; readonly prefix: string })[];
  readonly action: Position & { readonly title: string };
}

interface NeovimDiagnostic {
  readonly lnum: number;
  readonly col: number;
  readonly end_lnum: number;
  readonly end_col: number;
  readonly severity: number;
  readonly message: string;
  readonly source?: string;
  readonly code?: string;
}

interface CompletionItemSeen {
  readonly label: string;
  readonly kind: number | null;
  readonly insert_text_format: number | null;
  readonly insert_text: string | null;
  readonly new_text: string | null;
}

interface CompletionProbeSeen {
  readonly name: string;
  readonly items: CompletionItemSeen[];
  /** The words Neovim's omnifunc would offer for the probe's prefix. */
  readonly words: string[];
  readonly error?: string;
}

/** What run.lua writes (JSON null arrives for `vim.NIL`). */
interface NeovimResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly nvim_version: string;
  readonly elapsed_ms: number;
  readonly steps: readonly { readonly name: string; readonly at_ms: number; readonly root_dir?: string; readonly cmd?: string[] }[];
  readonly publishes: readonly { readonly uri: string; readonly version: number | null; readonly codes: readonly (string | null)[] }[];
  readonly logs: readonly { readonly type: number; readonly message: string }[];
  readonly server_capabilities?: Record<string, unknown>;
  readonly diagnostics?: readonly NeovimDiagnostic[];
  readonly hovers?: readonly { readonly name: string; readonly lines?: string[]; readonly error?: string }[];
  readonly completions?: readonly CompletionProbeSeen[];
  readonly action_titles?: readonly string[];
  readonly applied?: { readonly title: string; readonly kind: string | null };
  readonly text_after_fix?: string;
  readonly version_after_fix?: number;
  /** The version of the publishDiagnostics Neovim waited for after the fix. */
  readonly published_version_after_fix?: number | null;
  readonly diagnostics_after_fix?: readonly NeovimDiagnostic[];
  readonly fix_all_menu?: readonly string[];
  readonly fix_all_resolved_lazily?: boolean;
  readonly text_after_fix_all?: string;
  readonly version_after_fix_all?: number;
  readonly published_version_after_fix_all?: number | null;
  readonly diagnostics_after_fix_all?: readonly NeovimDiagnostic[];
  readonly server_exit: { readonly code: number; readonly signal: number } | null;
  readonly forced_stop?: boolean;
}

interface Run {
  readonly result: NeovimResult;
  /** The temporary folder of the run, removed after its tests. */
  readonly scratch: string;
  readonly workspace: string;
  readonly text: string;
  /** What Neovim printed (errors of the script show here). */
  readonly output: string;
  readonly milliseconds: number;
}

function hasNeovim(): boolean {
  return spawnSync('nvim', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** The 0-based position of `needle` (its `at`-th UTF-16 unit) in `text`; the needle must be unique. */
function positionOf(text: string, needle: string, at = 0): Position {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0 && text.indexOf(needle, offset + 1) < 0, `fixture holds \`${needle}\` exactly once`);
  const before = text.slice(0, offset + at);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

const FIX_TITLE = 'Replace with `cfg.openFirewall`';
const FIX_ALL_TITLE = 'Fix all safely fixable nixguard problems';

function specFor(workspace: string, text: string, options: { snippetSupport: boolean; settings?: unknown }): Omit<NeovimSpec, 'result_path'> {
  return {
    config_path: SHIPPED_CONFIG,
    file: path.join(workspace, OPENED_FILE),
    timeout_ms: WAIT_TIMEOUT_MS,
    snippet_support: options.snippetSupport,
    settings: options.settings,
    hovers: [
      { name: 'builtin', ...positionOf(text, 'builtins.toString', 'builtins.to'.length) },
      { name: 'finding', ...positionOf(text, 'homeDirectory', 4) },
    ],
    completions: [
      { name: 'builtin prefix', prefix: 'to', ...positionOf(text, 'builtins.toString', 'builtins.to'.length) },
      { name: 'scope prefix', prefix: 'c', ...positionOf(text, 'cfg.port', 1) },
      { name: 'expression start', prefix: '', ...positionOf(text, 'cfg.enable {') },
    ],
    action: { title: FIX_TITLE, ...positionOf(text, 'cfg.openFirewall == true') },
  };
}

/**
 * Copies the fixture workspace to a temporary folder (the quick fix edits only the buffer, but
 * nothing may touch the repository), runs Neovim there with a private $HOME and XDG folders, and
 * kills Neovim's whole process group (the server included) if it overruns.
 */
async function runNeovim(options: { snippetSupport: boolean; settings?: unknown }): Promise<Run> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-nvim-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const text = fs.readFileSync(path.join(workspace, OPENED_FILE), 'utf8');
  const resultPath = path.join(scratch, 'result.json');
  const specPath = path.join(scratch, 'spec.json');
  fs.writeFileSync(specPath, JSON.stringify({ ...specFor(workspace, text, options), result_path: resultPath } satisfies NeovimSpec));
  const home = path.join(scratch, 'home');
  fs.mkdirSync(home);
  const env = {
    ...process.env,
    // lsp/nixguard.lua runs `nixguard` from PATH, as a user's installation would.
    PATH: [path.join(REPOSITORY_ROOT, 'server', 'bin'), path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_STATE_HOME: path.join(home, 'state'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    NIXGUARD_NVIM_SPEC: specPath,
  };
  const started = Date.now();
  const child = spawn('nvim', ['--headless', '--clean', '-u', 'NONE', '-S', RUN_SCRIPT], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killGroup = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const outcome = await new Promise<'exited' | 'timed out' | Error>((resolve) => {
    const timer = setTimeout(() => {
      killGroup();
      resolve('timed out');
    }, RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(error);
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve('exited');
    });
  });
  const milliseconds = Date.now() - started;
  // The server should be gone already; make sure nothing of this run outlives it.
  killGroup();
  const failure =
    outcome instanceof Error
      ? `Neovim did not start: ${outcome.message}`
      : outcome === 'timed out'
        ? `Neovim did not finish within ${RUN_TIMEOUT_MS} ms and was killed; its output:\n${output}`
        : fs.existsSync(resultPath)
          ? undefined
          : `Neovim wrote no result; its output:\n${output}`;
  if (failure !== undefined) {
    fs.rmSync(scratch, { recursive: true, force: true });
    assert.fail(failure);
  }
  const result = JSON.parse(fs.readFileSync(resultPath, 'utf8')) as NeovimResult;
  return { result, scratch, workspace, text, output, milliseconds };
}

/** A nixguard finding on `needle` (unique in `text`), as `vim.diagnostic.get` reports it. */
function diagnosticOn(text: string, needle: string, code: string, severity: number, message: string): Partial<NeovimDiagnostic> {
  const at = positionOf(text, needle);
  return { lnum: at.line, col: at.character, end_lnum: at.line, end_col: at.character + needle.length, severity, message, source: 'nixguard', code };
}

const comparisonDiagnostic = (text: string): Partial<NeovimDiagnostic> =>
  diagnosticOn(text, 'cfg.openFirewall == true', 'bool-comparison', SEVERITY.warning, 'Comparison with `true` is redundant: use the expression directly');
const prefixDiagnostic = (text: string): Partial<NeovimDiagnostic> =>
  diagnosticOn(text, 'builtins.', 'redundant-builtins-prefix', SEVERITY.hint, '`toString` is in scope without the `builtins.` prefix');
const undefinedNameDiagnostic = (text: string, severity: number): Partial<NeovimDiagnostic> =>
  diagnosticOn(text, 'homeDirectory', 'undefined-variable', severity, 'Undefined variable `homeDirectory`');

function pick(diagnostic: NeovimDiagnostic): Partial<NeovimDiagnostic> {
  const { lnum, col, end_lnum, end_col, severity, message, source, code } = diagnostic;
  return { lnum, col, end_lnum, end_col, severity, message, source, code };
}

const SNIPPET_PLACEHOLDER = /\$(\d|\{)/;

/** The assertions every run makes; `settings` and `undefinedVariableSeverity` vary per run. */
function describeRun(title: string, options: { snippetSupport: boolean; settings?: unknown; undefinedVariableSeverity: number }): void {
  describe(title, function () {
    let run: Run;

    before(async function () {
      if (!hasNeovim()) {
        console.log('      skipping the Neovim end-to-end test: nvim is not installed (Debian package neovim; .ci/run installs it)');
        this.skip();
      }
      this.timeout(RUN_TIMEOUT_MS + 10_000);
      run = await runNeovim(options);
      const steps = run.result.steps.map((step) => `${step.name} ${step.at_ms}`).join(', ');
      console.log(`      Neovim ${run.result.nvim_version}: ${run.milliseconds} ms in all (ms since start: ${steps})`);
    });

    after(function () {
      if (run) fs.rmSync(run.scratch, { recursive: true, force: true });
    });

    it('runs the script to the end and stops the server cleanly', function () {
      const { result } = run;
      assert.ok(result.ok, `the Neovim script failed (Neovim ${result.nvim_version}):\n${result.error}\nsteps: ${JSON.stringify(result.steps)}\noutput:\n${run.output}`);
      assert.deepStrictEqual(result.server_exit, { code: 0, signal: 0 }, 'the server exits with 0 after shutdown and exit');
      assert.strictEqual(result.forced_stop, undefined, 'the server exits without being killed');
    });

    it('attaches with lsp/nixguard.lua at the flake root, statically, with push diagnostics', function () {
      const { result } = run;
      const configStep = result.steps.find((step) => step.name === 'config loaded');
      assert.deepStrictEqual(configStep?.cmd, ['nixguard', 'lsp', '--stdio']);
      const rootStep = result.steps.find((step) => step.name === 'root found');
      assert.strictEqual(rootStep?.root_dir, run.workspace);
      const capabilities = result.server_capabilities ?? {};
      assert.strictEqual(capabilities.diagnostic, null, 'no diagnosticProvider for a client that cannot pull');
      assert.strictEqual((capabilities.text_document_sync as { change?: number } | null)?.change, 2, 'incremental sync');
      assert.strictEqual((capabilities.code_action as { resolveProvider?: boolean } | null)?.resolveProvider, true, 'code actions resolve lazily');
      // Neovim 0.7 ignores client/registerCapability: what it uses must be in the initialize answer.
      assert.strictEqual(capabilities.hover, true, 'hoverProvider at initialize');
      assert.ok(capabilities.completion, 'completionProvider at initialize');
      const settingProblems = result.logs.filter((log) => /setting/i.test(log.message) && log.type <= 2);
      assert.deepStrictEqual(settingProblems, [], 'the settings arrive without complaint');
    });

    it('shows nixguard diagnostics through vim.diagnostic.get', function () {
      const diagnostics = (run.result.diagnostics ?? []).map(pick);
      assert.deepStrictEqual(diagnostics, [comparisonDiagnostic(run.text), prefixDiagnostic(run.text), undefinedNameDiagnostic(run.text, options.undefinedVariableSeverity)]);
    });

    it('shows hover for a builtin and for a finding', function () {
      const shownLines = (name: string): string[] => {
        const hover = run.result.hovers?.find((probe) => probe.name === name);
        assert.ok(hover, `the hover probe "${name}" ran`);
        assert.strictEqual(hover.error, undefined, hover.error);
        // The floating window renders code fences as highlighting, not as lines of text.
        return (hover.lines ?? []).filter((line) => !line.startsWith('```'));
      };
      const builtin = shownLines('builtin');
      assert.strictEqual(builtin[0], 'builtins.toString e', `the builtin's signature comes first:\n${builtin.join('\n')}`);
      assert.ok(builtin.includes('In scope as `toString` and as `builtins.toString`.'), `hover says how the builtin is in scope:\n${builtin.join('\n')}`);
      const finding = shownLines('finding');
      assert.strictEqual(finding[0], '**Undefined variable `homeDirectory`**');
      const footer = finding[finding.length - 1];
      const severity = options.undefinedVariableSeverity === SEVERITY.error ? 'error' : 'warning';
      assert.ok(footer.startsWith(`nixguard \`undefined-variable\` (${severity})`), `the rule and its configured severity close the hover: ${footer}`);
    });

    it('offers completion items for builtins and names in scope', function () {
      const completions = run.result.completions ?? [];
      const probe = (name: string): CompletionProbeSeen => {
        const seen = completions.find((candidate) => candidate.name === name);
        assert.ok(seen, `the completion probe "${name}" ran`);
        assert.strictEqual(seen.error, undefined, seen.error);
        return seen;
      };
      const builtin = probe('builtin prefix');
      assert.ok(builtin.words.includes('toString'), `Neovim offers \`toString\` after \`builtins.to\`: ${builtin.words.join(', ')}`);
      const scope = probe('scope prefix');
      for (const name of ['cfg', 'config']) assert.ok(scope.words.includes(name), `Neovim offers \`${name}\` after \`c\`: ${scope.words.join(', ')}`);
      const start = probe('expression start');
      for (const name of ['cfg', 'lib', 'toString']) assert.ok(start.words.includes(name), `Neovim offers \`${name}\` where an expression starts: ${start.words.join(', ')}`);
      assert.ok(start.items.some((item) => item.label === 'if'), 'the `if` keyword is offered where an expression starts');
    });

    it(options.snippetSupport ? 'sends keyword snippets to a client that expands them' : 'sends no snippet to a client without snippet support', function () {
      const items = (run.result.completions ?? []).flatMap((probe) => probe.items);
      assert.ok(items.length > 0, 'completion answered items');
      const snippets = items.filter((item) => item.insert_text_format === 2 || SNIPPET_PLACEHOLDER.test(item.insert_text ?? '') || SNIPPET_PLACEHOLDER.test(item.new_text ?? ''));
      if (!options.snippetSupport) {
        assert.deepStrictEqual(snippets, []);
        return;
      }
      const ifKeyword = snippets.find((item) => item.label === 'if');
      assert.ok(ifKeyword && ifKeyword.insert_text_format === 2, `\`if\` comes as a snippet: ${JSON.stringify(items.filter((item) => item.label === 'if'))}`);
      assert.ok(snippets.every((item) => item.insert_text_format === 2), 'every item with placeholders is marked as a snippet');
      // Neovim 0.7's omnifunc, without a snippet engine, inserts the placeholders' text.
      const words = run.result.completions?.find((probe) => probe.name === 'expression start')?.words ?? [];
      const ifWord = words.find((word) => word.startsWith('if '));
      assert.ok(ifWord && ifWord.includes(' then ') && !ifWord.includes('$'), `Neovim turns the \`if\` snippet into plain text: ${words.join(' | ')}`);
    });

    it('applies the quick fix with apply_workspace_edit and the warning goes away', function () {
      const { result } = run;
      assert.ok(result.action_titles?.includes(FIX_TITLE), `code actions offered: ${JSON.stringify(result.action_titles)}`);
      assert.deepStrictEqual(result.applied, { title: FIX_TITLE, kind: 'quickfix' });
      const expectedText = run.text.replace('cfg.openFirewall == true', 'cfg.openFirewall');
      assert.strictEqual(result.text_after_fix, expectedText);
      // Published for the version Neovim sent after the edit: the server saw the edited text.
      assert.strictEqual(result.published_version_after_fix, result.version_after_fix);
      const remaining = (result.diagnostics_after_fix ?? []).map(pick);
      assert.deepStrictEqual(remaining, [prefixDiagnostic(expectedText), undefinedNameDiagnostic(expectedText, options.undefinedVariableSeverity)]);
    });

    it('runs fix-all through vim.lsp.buf.code_action, which resolves and applies it', function () {
      const { result } = run;
      assert.ok(result.fix_all_menu?.includes(FIX_ALL_TITLE), `the code action menu: ${JSON.stringify(result.fix_all_menu)}`);
      assert.strictEqual(result.fix_all_resolved_lazily, true, 'Neovim 0.7 resolves edits, so the edit comes from codeAction/resolve');
      const expectedText = run.text.replace('cfg.openFirewall == true', 'cfg.openFirewall').replace('builtins.toString', 'toString');
      assert.strictEqual(result.text_after_fix_all, expectedText);
      assert.strictEqual(result.published_version_after_fix_all, result.version_after_fix_all);
      const remaining = (result.diagnostics_after_fix_all ?? []).map(pick);
      assert.deepStrictEqual(remaining, [undefinedNameDiagnostic(expectedText, options.undefinedVariableSeverity)]);
    });
  });
}

describe('neovim (real editor, end to end)', function () {
  describeRun('without snippet support (Neovim 0.7 default), settings from lsp/nixguard.lua', { snippetSupport: false, undefinedVariableSeverity: SEVERITY.error });
  describeRun('with snippet support and a rule severity in settings', {
    snippetSupport: true,
    settings: { nixguard: { rules: { 'undefined-variable': 'warning' } } },
    undefinedVariableSeverity: SEVERITY.warning,
  });
});

// `nixguard check [PATH...]`: find the files, check them (in worker threads for large trees),
// print the findings in the chosen format and turn them into the exit code.
import * as os from 'os';
import * as path from 'path';
import { isSeveritySetting, mergeSeverities } from '../features/configuration';
import { findRule } from '../rules';
import { SEVERITY_SETTINGS, SeveritySetting } from '../rules/types';
import { choiceValue, hasFlag, integerValue, parseArguments, singleValue } from './arguments';
import { unknownRuleMessage } from './closest-rule-id';
import { checkSourceText, CheckTask, FileReport } from './file-report';
import { findNixFiles, FoundFiles } from './find-nix-files';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { displayPath, ProjectConfigs } from './project-configs';
import { CheckPool, runInThisThread, WORKER_THRESHOLD } from './run-checks';
import { summarize } from './summary';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, UsageError } from './usage-error';
import { writeStderr, writeStdout } from './output';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export const CHECK_HELP = `Usage: nixguard check [options] [PATH...]

Checks every *.nix file under each PATH (default: the current folder). Folders named .git,
node_modules and .direnv, symlinks named result*, and the config's "exclude" globs are skipped;
a file named on the command line is always checked.

Options:
  --format text|json|sarif  output format (default: text)
  --fix                     apply safe fixes in place and report what was fixed
  --config FILE             use FILE instead of the nearest .nixguard.json
  --rule ID=SEVERITY        set a rule's severity: off, hint, info, warning or error (repeatable)
  --stdin                   check the text on standard input (with --fix, print the fixed text)
  --stdin-filename NAME     the path to report for --stdin (also picks its .nixguard.json)
  --quiet                   report errors only
  --max-warnings N          also exit 1 when there are more than N warnings
  --jobs N                  check with N threads (default: one per core for more than ${WORKER_THRESHOLD} files)
  -h, --help                show this help

Exit status: 0 no error-severity finding, 1 at least one, 2 usage or I/O failure.
`;

const OPTIONS = {
  '--format': { value: true },
  '--fix': {},
  '--config': { value: true },
  '--rule': { value: true, repeatable: true },
  '--stdin': {},
  '--stdin-filename': { value: true },
  '--quiet': {},
  '--max-warnings': { value: true },
  '--jobs': { value: true },
  '--help': {},
  '-h': {},
};

interface CheckSettings {
  readonly paths: readonly string[];
  readonly format: Format;
  readonly fix: boolean;
  readonly configFile?: string;
  readonly ruleOverrides: ReadonlyMap<string, SeveritySetting>;
  readonly stdin: boolean;
  readonly stdinFilename?: string;
  readonly quiet: boolean;
  readonly maxWarnings?: number;
  readonly jobs?: number;
}

function parseCheckSettings(argv: readonly string[]): CheckSettings | 'help' {
  const parsed = parseArguments(argv, OPTIONS, 'check');
  if (hasFlag(parsed, '--help') || hasFlag(parsed, '-h')) return 'help';
  const stdin = hasFlag(parsed, '--stdin');
  const stdinFilename = singleValue(parsed, '--stdin-filename');
  if (stdin && parsed.positionals.length > 0) throw new UsageError('--stdin checks standard input: give no paths with it');
  if (stdinFilename !== undefined && !stdin) throw new UsageError('--stdin-filename only applies with --stdin');
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    format: choiceValue(parsed, '--format', FORMATS, 'text'),
    fix: hasFlag(parsed, '--fix'),
    configFile: singleValue(parsed, '--config'),
    ruleOverrides: parseRuleOverrides(parsed.options.get('--rule') ?? []),
    stdin,
    stdinFilename,
    quiet: hasFlag(parsed, '--quiet'),
    maxWarnings: integerValue(parsed, '--max-warnings', 0),
    jobs: integerValue(parsed, '--jobs', 1),
  };
}

function parseRuleOverrides(values: readonly string[]): Map<string, SeveritySetting> {
  const overrides = new Map<string, SeveritySetting>();
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals < 0) throw new UsageError(`--rule expects ID=SEVERITY, got '${value}'`);
    const id = value.slice(0, equals).trim();
    const severity = value.slice(equals + 1).trim();
    if (!findRule(id)) throw new UsageError(`--rule: ${unknownRuleMessage(id)}`);
    if (!isSeveritySetting(severity)) throw new UsageError(`--rule ${id}: severity must be one of ${SEVERITY_SETTINGS.join(', ')}, got '${severity}'`);
    overrides.set(id, severity);
  }
  return overrides;
}

export async function runCheckCommand(argv: readonly string[]): Promise<number> {
  const settings = parseCheckSettings(argv);
  if (settings === 'help') {
    writeStdout(CHECK_HELP);
    return EXIT_CLEAN;
  }
  const configs = ProjectConfigs.create(settings.configFile, (message) => writeStderr(`nixguard: ${message}\n`));
  if (settings.stdin) return checkStdin(settings, configs);

  // With many files, worker threads load the parser while the search is still going on.
  const pool = new CheckPool(settings.jobs ?? os.availableParallelism());
  const wantsPool = (count: number): boolean => pool.size > 1 && (settings.jobs !== undefined || count > WORKER_THRESHOLD);
  if (wantsPool(0)) pool.start();
  let reports: FileReport[];
  let found: FoundFiles;
  const progress = new Progress();
  try {
    found = findNixFiles(settings.paths, configs, (count) => {
      if (!pool.started && wantsPool(count)) pool.start();
    });
    const tasks: CheckTask[] = found.files
      .map((file) => ({
        file,
        displayPath: displayPath(file),
        severities: [...mergeSeverities(configs.forPath(file, false).config.severities, settings.ruleOverrides)],
        fix: settings.fix,
      }))
      .sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
    if (tasks.length === 0 && found.errors.length === 0) writeStderr(`nixguard: no Nix files found in ${settings.paths.join(', ')}\n`);
    const onProgress = (done: number, total: number): void => progress.update(done, total);
    reports = pool.started && tasks.length > 1 ? await pool.run(tasks, onProgress) : runInThisThread(tasks, onProgress);
  } finally {
    progress.clear();
    await pool.close();
  }

  const ioErrors = [...found.errors, ...reports.filter((report) => report.ioError).map((report) => `${report.path}: ${report.ioError}`)];
  for (const error of ioErrors) writeStderr(`nixguard: ${error}\n`);
  const crashed = reportRuleFailures(reports);
  const checked = reports.filter((report) => !report.ioError || report.findings.length > 0);
  const fixedCount = settings.fix ? reports.reduce((sum, report) => sum + report.fixedCount, 0) : undefined;
  const exitCode = printReports(checked, settings, process.stdout);
  if (fixedCount !== undefined) {
    const fixedFiles = reports.filter((report) => report.fixedCount > 0).length;
    const line = `fixed ${fixedCount} ${fixedCount === 1 ? 'problem' : 'problems'} in ${fixedFiles} ${fixedFiles === 1 ? 'file' : 'files'}\n`;
    if (settings.format === 'text') writeStdout(line);
    else writeStderr(`nixguard: ${line}`);
  }
  return ioErrors.length > 0 || crashed ? EXIT_USAGE : exitCode;
}

async function checkStdin(settings: CheckSettings, configs: ProjectConfigs): Promise<number> {
  let text: string;
  try {
    text = await readStandardInput();
  } catch (error) {
    throw new UsageError(`cannot read standard input: ${error instanceof Error ? error.message : String(error)}`);
  }
  const name = settings.stdinFilename;
  const config = name === undefined ? configs.forPath(process.cwd(), true) : configs.forPath(path.resolve(name), false);
  const { report, fixedText } = checkSourceText(text, {
    displayPath: name === undefined ? '<stdin>' : displayPath(path.resolve(name)),
    severities: [...mergeSeverities(config.config.severities, settings.ruleOverrides)],
    fix: settings.fix,
  });
  const crashed = reportRuleFailures([report]);
  let exitCode: number;
  if (settings.fix) {
    // Standard output is the fixed text, so the findings that remain go to standard error.
    writeStdout(fixedText ?? text);
    exitCode = printReports([report], settings, process.stderr);
  } else {
    exitCode = printReports([report], settings, process.stdout);
  }
  return crashed ? EXIT_USAGE : exitCode;
}

/** Prints the findings and returns the exit code they call for. */
function printReports(reports: readonly FileReport[], settings: CheckSettings, stream: NodeJS.WritableStream): number {
  const fullSummary = summarize(reports);
  const shown = settings.quiet ? reports.map((report) => ({ ...report, findings: report.findings.filter((finding) => finding.severity === 'error') })) : reports;
  const summary = settings.quiet ? summarize(shown) : fullSummary;
  const fixedCount = settings.fix ? reports.reduce((sum, report) => sum + report.fixedCount, 0) : undefined;
  const output = settings.format === 'json' ? formatJson(shown, summary, fixedCount) : settings.format === 'sarif' ? formatSarif(shown) : formatText(shown, summary);
  if (output !== '') stream.write(output);
  if (fullSummary.errors > 0) return EXIT_FINDINGS;
  if (settings.maxWarnings !== undefined && fullSummary.warnings > settings.maxWarnings) {
    writeStderr(`nixguard: ${fullSummary.warnings} warnings exceed --max-warnings ${settings.maxWarnings}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_CLEAN;
}

/** A rule that crashed is a bug in nixguard: say which rule and where, and fail the run. */
function reportRuleFailures(reports: readonly FileReport[]): boolean {
  let crashed = false;
  for (const report of reports) {
    for (const failure of report.ruleFailures) {
      crashed = true;
      writeStderr(`nixguard: internal error in rule \`${failure.ruleId}\` on ${report.path}: ${failure.message.split('\n')[0]}\n`);
    }
  }
  return crashed;
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** "checked 1200/7000 files" on a terminal's stderr, redrawn at most ten times a second. */
class Progress {
  private readonly enabled = process.stderr.isTTY === true;
  private readonly startedAt = Date.now();
  private lastDrawnAt = 0;
  private drawn = false;

  update(done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    // Quick runs finish before anything is drawn, so they leave no flicker behind.
    if (now - this.startedAt < 250 || now - this.lastDrawnAt < 100) return;
    this.lastDrawnAt = now;
    this.drawn = true;
    process.stderr.write(`\rchecked ${done}/${total} files`);
  }

  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
  }
}

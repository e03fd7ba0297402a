// Where the in-process pipeline spends its time on the all-packages file: a full check split
// into its stages, and an edit (SourceFile.withChanges + incremental rule run) split likewise.
//
//   node out/bench/profile.js            (prints a breakdown, writes bench/results/profile.json)
//   node out/bench/profile.js --server   (also: the real server under --cpu-prof, edits on the
//                                          same file, time per function per edit)
//   node out/bench/profile.js --server-module   (only: the real server under --cpu-prof, the
//                                          benchmark's edits of the 300-line module, time per function
//                                          per measured edit, sampled during the edits only)
//   node --cpu-prof --cpu-prof-dir=bench/results out/bench/profile.js   (for a flame graph)
//
// The stages are timed by wrapping the library's module exports and prototype methods at run
// time (CommonJS calls go through the module object), so the library needs no hooks of its own
// and the breakdown follows the code as it changes. Wrapped calls cost ~0.1 µs each.
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { performance } from 'perf_hooks';
import { join } from 'path';
import * as nixguard from 'nixguard';
import * as lineIndexModule from 'nixguard/out/syntax/line-index';
import * as parserInputModule from 'nixguard/out/syntax/parser-input';
import * as syntaxErrorsModule from 'nixguard/out/syntax/syntax-errors';
import * as suppressionsModule from 'nixguard/out/analysis/suppressions';
import * as runnerModule from 'nixguard/out/rules/runner';
import { nativeTrees } from 'nixguard/out/syntax/grammar';
import { SyntaxTable } from 'nixguard/out/syntax/syntax-table';
import { CorpusFile, REPOSITORY_ROOT, throughputCorpus, typicalModuleFile } from './corpus';
import { FunctionTime, summarizeCpuProfile } from './cpu-profile';
import { MEASURED_EDITS, serverEditLatency, WARMUP_EDITS } from './edit-latency';
import { PlannedEdit, planEdits } from './edit-plan';
import { median, percentile, processCpuMs } from './measure';
import { writeReport } from './report';
import type { Report } from './report';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

interface StageTotal {
  ms: number;
  /** NaN for stages timed by wall clock only (cpuUsage costs ~1-4 µs a call, too much per visitor). */
  cpuMs: number;
  calls: number;
}

/** Accumulates inclusive time per label for wrapped functions. */
class StageClock {
  private totals = new Map<string, StageTotal>();
  /** Labels (or label functions) of the wrapped calls now running. */
  readonly active = new Set<unknown>();

  add(label: string, ms: number, cpuMs = NaN): void {
    const total = this.totals.get(label);
    if (total) {
      total.ms += ms;
      total.cpuMs += cpuMs;
      total.calls++;
    } else {
      this.totals.set(label, { ms, cpuMs, calls: 1 });
    }
  }

  /** Times `work` under `label`, wall and CPU. */
  measure<T>(label: string, work: () => T): T {
    const start = performance.now();
    const cpuStart = processCpuMs();
    try {
      return work();
    } finally {
      this.add(label, performance.now() - start, processCpuMs() - cpuStart);
    }
  }

  /** Replaces `owner[key]` by a timed wrapper; `label` may look at the arguments. */
  wrap(owner: object, key: string, label: string | ((args: unknown[]) => string), withCpu = true): void {
    const target = owner as Record<string, unknown>;
    const original = target[key];
    if (typeof original !== 'function') {
      // The library moves on; a stage that no longer exists is reported, not fatal.
      missingStages.push(key);
      return;
    }
    const clock = this;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      // A stage that calls itself (or another method under the same label) counts once.
      if (clock.active.has(label)) return (original as AnyFunction).apply(this, args);
      clock.active.add(label);
      const start = performance.now();
      const cpuStart = withCpu ? processCpuMs() : NaN;
      try {
        return (original as AnyFunction).apply(this, args);
      } finally {
        clock.active.delete(label);
        clock.add(typeof label === 'string' ? label : label(args), performance.now() - start, withCpu ? processCpuMs() - cpuStart : NaN);
      }
    };
    Object.defineProperty(target, key, { value: wrapped, configurable: true, writable: true, enumerable: true });
  }

  take(): Map<string, StageTotal> {
    const totals = this.totals;
    this.totals = new Map();
    return totals;
  }
}

const clock = new StageClock();
const missingStages: string[] = [];

function instrument(): void {
  clock.wrap(parserInputModule, 'findParserRewrites', 'parser rewrites');
  clock.wrap(parserInputModule, 'applyParserRewrites', 'parser rewrites');
  // The library parses with our binding's functions, which it calls through this object.
  clock.wrap(nativeTrees, 'parseTree', (args) => (args[1] ? 'reparse (incremental)' : 'parse'));
  clock.wrap(nativeTrees, 'editTree', 'tree.edit');
  clock.wrap(nativeTrees, 'changedRanges', 'getChangedRanges');
  clock.wrap(nativeTrees, 'deleteTree', 'tree delete');
  clock.wrap(SyntaxTable, 'fromNative', 'SyntaxTable mirror');
  for (const method of ['splice', 'spliceNode', 'spliceChildren']) {
    if (method in SyntaxTable.prototype) clock.wrap(SyntaxTable.prototype, method, 'SyntaxTable splice');
  }
  clock.wrap(suppressionsModule, 'findSuppressions', 'suppressions');
  clock.wrap(syntaxErrorsModule, 'describeSyntaxErrors', 'describeSyntaxErrors');
  clock.wrap(runnerModule, 'runRules', 'runRules');
  // LineIndex is a class: time its construction through a subclass.
  const OriginalLineIndex = lineIndexModule.LineIndex;
  class TimedLineIndex extends OriginalLineIndex {
    constructor(text: string) {
      const start = performance.now();
      const cpuStart = processCpuMs();
      super(text);
      clock.add('LineIndex build', performance.now() - start, processCpuMs() - cpuStart);
    }
  }
  Object.defineProperty(lineIndexModule, 'LineIndex', { value: TimedLineIndex, configurable: true, writable: true, enumerable: true });
  // Each rule: every visitor it returns, by rule id, wall clock only.
  for (const rule of nixguard.ALL_RULES) {
    const check = rule.check;
    const timedCheck = function (this: unknown, context: unknown): unknown {
      const visitors = (check as AnyFunction).call(this, context) as Record<string, unknown>;
      for (const key of Object.keys(visitors)) {
        const label = key === 'file' ? `rule ${rule.id}: file hook` : `rule ${rule.id}: visitors`;
        clock.wrap(visitors, key, label, key === 'file');
      }
      return visitors;
    };
    Object.defineProperty(rule, 'check', { value: timedCheck, configurable: true, writable: true, enumerable: true });
  }
}

interface StageRow {
  readonly stage: string;
  readonly ms: number;
  readonly cpuMs: number;
  readonly calls: number;
  /** CPU time over the parse's CPU time (wall over wall for wall-only stages). */
  readonly ofParse: number;
}

function orderedLabels(labels: Iterable<string>, order: readonly string[]): string[] {
  const present = new Set(labels);
  return [...order.filter((label) => present.has(label)), ...[...present].filter((label) => !order.includes(label)).sort()];
}

const FULL_ORDER = ['total checkText', 'parser rewrites', 'parse', 'SyntaxTable mirror', 'tree delete', 'runRules', 'suppressions', 'describeSyntaxErrors'];
const EDIT_ORDER = ['edit total', 'SourceFile.withChanges', 'LineIndex build', 'tree.edit', 'parser rewrites', 'reparse (incremental)', 'getChangedRanges', 'tree delete', 'SyntaxTable splice', 'SyntaxTable mirror', 'checkFile (incremental)', 'runRules', 'suppressions', 'describeSyntaxErrors'];

function profileFullCheck(texts: readonly string[]): StageRow[] {
  const runs: Map<string, StageTotal>[] = [];
  for (let run = 0; run < 4; run++) {
    for (const text of texts) clock.measure('total checkText', () => nixguard.checkText(text));
    runs.push(clock.take());
  }
  // The run with the least CPU time of the last three (the first warms up); stages from that run.
  const cpuOf = (totals: Map<string, StageTotal>): number => totals.get('total checkText')?.cpuMs ?? Infinity;
  const best = runs.slice(1).reduce((a, b) => (cpuOf(a) <= cpuOf(b) ? a : b));
  const parse = best.get('parse') as StageTotal;
  return orderedLabels(best.keys(), FULL_ORDER).map((stage) => {
    const total = best.get(stage) as StageTotal;
    const ofParse = Number.isNaN(total.cpuMs) ? total.ms / parse.ms : total.cpuMs / parse.cpuMs;
    return { stage, ms: total.ms, cpuMs: total.cpuMs, calls: total.calls, ofParse };
  });
}

interface EditStageRow {
  readonly stage: string;
  readonly wallP50Ms: number;
  readonly cpuMeanMs: number;
  readonly cpuP50Ms: number;
  readonly cpuP99Ms: number;
  readonly callsPerEdit: number;
}

function profileEdits(text: string, edits: readonly PlannedEdit[], warmup: number): EditStageRow[] {
  let file = new nixguard.AnalyzedFile(nixguard.SourceFile.parse(text), undefined);
  let state = nixguard.checkFile(file).state;
  clock.take();
  const perEdit: Map<string, StageTotal>[] = [];
  for (const edit of edits) {
    clock.measure('edit total', () => {
      const source = clock.measure('SourceFile.withChanges', () => file.source.withChanges([{ start: edit.offset, end: edit.offset + edit.deleteLength, text: edit.insert }]));
      file = new nixguard.AnalyzedFile(source, undefined);
      state = clock.measure('checkFile (incremental)', () => nixguard.checkFile(file, { previous: state }).state);
    });
    perEdit.push(clock.take());
  }
  const measured = perEdit.slice(warmup);
  const labels = new Set<string>();
  for (const totals of measured) for (const label of totals.keys()) labels.add(label);
  return orderedLabels(labels, EDIT_ORDER).map((stage) => {
    const wall = measured.map((totals) => totals.get(stage)?.ms ?? 0);
    const cpu = measured.map((totals) => totals.get(stage)?.cpuMs ?? 0);
    const calls = measured.reduce((sum, totals) => sum + (totals.get(stage)?.calls ?? 0), 0);
    return {
      stage,
      wallP50Ms: median(wall),
      cpuMeanMs: cpu.reduce((a, b) => a + b, 0) / cpu.length,
      cpuP50Ms: median(cpu),
      cpuP99Ms: percentile(cpu, 99),
      callsPerEdit: calls / measured.length,
    };
  });
}

const SERVER_EDITS = 100;
/** Sampling interval for the module's server profile: its edits take a millisecond or two. */
const MODULE_SAMPLING_US = 250;

/**
 * Runs the real server under --cpu-prof through `edits`; time per function per edit. With
 * `warmup`, only samples taken while one of the edits after the first `warmup` was in flight
 * count (not the start, the open, the warm-up edits or the idle time between edits).
 */
async function profileServer(file: CorpusFile, edits: number, options: { warmup?: number; samplingUs?: number } = {}): Promise<{ lines: string[]; functions: FunctionTime[] }> {
  const directory = mkdtempSync(join(tmpdir(), 'nixguard-server-profile-'));
  try {
    const nodeArguments = ['--cpu-prof', `--cpu-prof-dir=${directory}`];
    if (options.samplingUs !== undefined) nodeArguments.push(`--cpu-prof-interval=${options.samplingUs}`);
    const run = await serverEditLatency(file, planEdits(file.text, edits), nodeArguments);
    const profileFile = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
    if (!profileFile) return { lines: ['server profile: no .cpuprofile written (did the server exit normally?)'], functions: [] };
    const windows = options.warmup === undefined ? undefined : run.spansUs.slice(options.warmup).map((span) => ({ fromUs: span.startUs, toUs: span.endUs }));
    const counted = options.warmup === undefined ? run.samples.length : run.samples.length - options.warmup;
    const { totalMs, functions } = summarizeCpuProfile(join(directory, profileFile), windows);
    const top = functions
      .filter((f) => !['(root)', '(program)', '(idle)'].includes(f.name))
      .sort((a, b) => b.inclusiveMs - a.inclusiveMs)
      .slice(0, 40);
    const lines = [
      `Server under --cpu-prof: open + ${run.samples.length} edits of ${file.name}; p50 ${median(run.samples.slice(options.warmup ?? 0)).toFixed(2)} ms per edit (profiler on).`,
      windows
        ? `Sampled ${totalMs.toFixed(0)} ms while the last ${counted} edits were in flight (wall-clock samples: time the server waited for a core counts where it was); per edit = that / ${counted}.`
        : `Sampled ${totalMs.toFixed(0)} ms in total (including the open). Per edit = total / ${counted}; functions also used by the open are inflated.`,
      `  ${'function'.padEnd(72)} ${'incl/edit'.padStart(9)} ${'self/edit'.padStart(9)}`,
      ...top.map((f) => `  ${f.name.slice(0, 72).padEnd(72)} ${(f.inclusiveMs / counted).toFixed(2).padStart(9)} ${(f.selfMs / counted).toFixed(2).padStart(9)}`),
    ];
    return { lines, functions: top };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** `--server-module`: the server alone, on the benchmark's module edits. */
async function profileModuleServer(): Promise<void> {
  const module = typicalModuleFile();
  process.stderr.write(`profile: the server under --cpu-prof, ${WARMUP_EDITS} + ${MEASURED_EDITS} edits of ${module.name}\n`);
  const server = await profileServer(module, WARMUP_EDITS + MEASURED_EDITS, { warmup: WARMUP_EDITS, samplingUs: MODULE_SAMPLING_US });
  process.stdout.write(`${server.lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--server-module')) return profileModuleServer();
  const withServer = process.argv.includes('--server');
  instrument();
  const corpus = throughputCorpus();
  const big = corpus[0];
  const small = corpus.slice(1);
  const smallChars = small.reduce((sum, file) => sum + file.text.length, 0);
  process.stderr.write('profile: full check of the all-packages file\n');
  const full = profileFullCheck([big.text]);
  process.stderr.write(`profile: full check of the ${small.length} other corpus files\n`);
  const fullSmall = profileFullCheck(small.map((file) => file.text));
  process.stderr.write('profile: 210 edits (10 warm-up) on the all-packages file\n');
  const edits = profileEdits(big.text, planEdits(big.text, 210), 10);

  const number = (value: number, width: number, digits = 1): string => (Number.isNaN(value) ? '-' : value.toFixed(digits)).padStart(width);
  const lines: string[] = [];
  const fullTable = (title: string, rows: readonly StageRow[]): void => {
    lines.push(title);
    lines.push(`  ${'stage'.padEnd(40)} ${'wall ms'.padStart(9)} ${'cpu ms'.padStart(9)} ${'× parse'.padStart(8)} ${'calls'.padStart(8)}`);
    for (const row of rows) lines.push(`  ${row.stage.padEnd(40)} ${number(row.ms, 9)} ${number(row.cpuMs, 9)} ${number(row.ofParse, 8, 2)} ${String(row.calls).padStart(8)}`);
    lines.push('  (× parse: CPU time over the parse CPU time; rule visitors: wall time, ~0.3 µs timing overhead per call)');
    lines.push('');
  };
  fullTable(`Full check, ${big.name} (${(big.text.length / 1e6).toFixed(2)} M chars), inclusive times, least-CPU of 3 runs:`, full);
  fullTable(`Full check, the other ${small.length} corpus files (${(smallChars / 1e3).toFixed(0)} k chars: modules, flakes, fixtures), summed:`, fullSmall);
  lines.push(`Per edit on the same file (${edits.length > 0 ? 200 : 0} single-character edits), inclusive times in ms:`);
  lines.push(`  ${'stage'.padEnd(40)} ${'wall p50'.padStart(9)} ${'cpu mean'.padStart(9)} ${'cpu p50'.padStart(9)} ${'cpu p99'.padStart(9)} ${'calls/edit'.padStart(10)}`);
  for (const row of edits) lines.push(`  ${row.stage.padEnd(40)} ${number(row.wallP50Ms, 9, 2)} ${number(row.cpuMeanMs, 9, 2)} ${number(row.cpuP50Ms, 9, 2)} ${number(row.cpuP99Ms, 9, 2)} ${row.callsPerEdit.toFixed(1).padStart(10)}`);
  let server: { lines: string[]; functions: FunctionTime[] } | undefined;
  if (withServer) {
    process.stderr.write(`profile: the server under --cpu-prof, ${SERVER_EDITS} edits\n`);
    server = await profileServer(big, SERVER_EDITS);
    lines.push('', ...server.lines);
  }
  if (missingStages.length > 0) lines.push('', `Not timed (no longer in the library): ${missingStages.join(', ')}`);
  const outPath = join(REPOSITORY_ROOT, 'bench', 'results', 'profile.json');
  process.stdout.write(`${lines.join('\n')}\n`);
  const report: Report & { profile: unknown } = {
    version: 1,
    date: new Date().toISOString(),
    environment: { node: process.version },
    durationSeconds: process.uptime(),
    metrics: [],
    profile: { fullCheck: full, fullCheckSmallFiles: fullSmall, perEdit: edits, server: server?.functions },
  };
  writeReport(outPath, report);
  process.stdout.write(`\nwrote ${outPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`profile: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

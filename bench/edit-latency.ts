// Section 2: didChange → publishDiagnostics latency of the real server, against the floor of
// any tree-sitter-based server: `tree.edit` plus an incremental reparse of the same edits,
// in-process. The first WARMUP_EDITS of each run are not counted (JIT, first allocations).
// As in section 1, the floor is the faster of node tree-sitter's binding and our own parseTree.
import { createParser } from 'nixguard/out/syntax/grammar';
import { SyntaxTree, TreeEdit } from 'nixguard/out/syntax/syntax-tree';
import type { CorpusFile } from './corpus';
import { applyEdit, PlannedEdit, planEdits } from './edit-plan';
import { BenchClient, fileUri } from './lsp-client';
import { mainThreadCpuMs, nowMs, percentile, processCpuMs, settle } from './measure';
import { Metric, unavailableMetric } from './report';

export const MEASURED_EDITS = 200;
export const WARMUP_EDITS = 10;
const OPEN_TIMEOUT_MS = 120_000;
const EDIT_TIMEOUT_MS = 30_000;
/** A slow server stops early so the whole benchmark stays within a few minutes; noted in the report. */
const SERVER_BUDGET_MS = 60_000;

export interface LatencySamples {
  /** Wall milliseconds per edit. */
  readonly samples: number[];
  /** CPU milliseconds per edit: the server main thread's for a server run (empty without /proc), this process's for the floor. */
  readonly cpuSamples: number[];
}

/** A tree that can be edited and reparsed: node tree-sitter's or ours. */
interface Reparser {
  edit(edit: TreeEdit): void;
  reparse(text: string): void;
}

function bindingReparser(text: string): Reparser {
  const parser = createParser();
  let tree = parser.parse(text);
  return { edit: (edit) => tree.edit(edit), reparse: (next) => (tree = parser.parse(next, tree)) };
}

function ownReparser(text: string): Reparser {
  let tree = SyntaxTree.parse(text);
  return {
    edit: (edit) => tree.edit(edit),
    reparse: (next) => {
      const old = tree;
      tree = SyntaxTree.parse(next, old);
      old.delete();
    },
  };
}

/** Milliseconds of `tree.edit` + `parser.parse(text, oldTree)` per edit, with either binding. */
export function reparseFloor(text: string, edits: readonly PlannedEdit[], binding: 'node tree-sitter' | 'own' = 'node tree-sitter'): LatencySamples {
  const tree = binding === 'own' ? ownReparser(text) : bindingReparser(text);
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (const edit of edits) {
    const next = applyEdit(text, edit);
    const cpuStart = processCpuMs();
    const start = nowMs();
    tree.edit({
      startIndex: edit.offset,
      oldEndIndex: edit.offset + edit.deleteLength,
      newEndIndex: edit.offset + edit.insert.length,
      startPosition: { row: edit.line, column: edit.character },
      oldEndPosition: { row: edit.line, column: edit.character + edit.deleteLength },
      newEndPosition: { row: edit.line, column: edit.character + edit.insert.length },
    });
    tree.reparse(next);
    samples.push(nowMs() - start);
    cpuSamples.push(processCpuMs() - cpuStart);
    text = next;
  }
  return { samples, cpuSamples };
}

export interface ServerEditRun extends LatencySamples {
  /** True when the time budget ran out before every edit was made. */
  readonly stoppedEarly: boolean;
  readonly openMs: number;
  readonly versioned: boolean;
  readonly finalDiagnostics: number;
  /**
   * Per timed edit, when it was sent and when its diagnostics arrived, in µs of the monotonic clock
   * that V8's CPU profiles use too: profile.ts keeps only the samples taken during edits.
   */
  readonly spansUs: readonly EditSpan[];
}

export interface EditSpan {
  readonly startUs: number;
  readonly endUs: number;
}

/** Opens `file` in a fresh server and times every edit until its diagnostics arrive. */
export async function serverEditLatency(file: CorpusFile, edits: readonly PlannedEdit[], nodeArguments: readonly string[] = []): Promise<ServerEditRun> {
  const client = BenchClient.spawn(nodeArguments);
  try {
    await client.initialize();
    const uri = fileUri(file.name);
    const opened = client.diagnostics(uri, 1, OPEN_TIMEOUT_MS);
    const openStart = nowMs();
    await client.open(uri, file.text, 1);
    const openMs = (await opened).at - openStart;
    await settle();
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    const spansUs: EditSpan[] = [];
    let version = 1;
    let finalDiagnostics = 0;
    const budgetEnd = nowMs() + SERVER_BUDGET_MS;
    for (const edit of edits) {
      if (nowMs() > budgetEnd) return { samples, cpuSamples, stoppedEarly: true, openMs, versioned: !client.sawUnversionedDiagnostics, finalDiagnostics, spansUs };
      version++;
      const published = client.diagnostics(uri, version, EDIT_TIMEOUT_MS);
      const cpuStart = mainThreadCpuMs(client.pid);
      const start = nowMs();
      void client.change(uri, version, [
        {
          range: { start: { line: edit.line, character: edit.character }, end: { line: edit.line, character: edit.character + edit.deleteLength } },
          rangeLength: edit.deleteLength,
          text: edit.insert,
        },
      ]);
      const received = await published;
      samples.push(received.at - start);
      spansUs.push({ startUs: start * 1000, endUs: received.at * 1000 });
      const cpuEnd = mainThreadCpuMs(client.pid);
      if (cpuStart !== undefined && cpuEnd !== undefined) cpuSamples.push(cpuEnd - cpuStart);
      finalDiagnostics = received.params.diagnostics.length;
    }
    return { samples, cpuSamples, stoppedEarly: false, openMs, versioned: !client.sawUnversionedDiagnostics, finalDiagnostics, spansUs };
  } finally {
    await client.stop();
  }
}

interface LatencyTargets {
  /** Metric ids and names are prefixed with this. */
  readonly id: string;
  readonly label: string;
  /** Absolute p99 ceiling in ms on top of the relative one, if any. */
  readonly absoluteP99Ms?: number;
}

/** p50 and p99 rows for one document. */
export async function measureEditLatency(file: CorpusFile, targets: LatencyTargets): Promise<Metric[]> {
  const edits = planEdits(file.text, WARMUP_EDITS + MEASURED_EDITS);
  const floorRuns = (['node tree-sitter', 'own'] as const).map((binding) => {
    const run = reparseFloor(file.text, edits, binding);
    return { binding, samples: run.samples.slice(WARMUP_EDITS), cpu: run.cpuSamples.slice(WARMUP_EDITS) };
  });
  const floorRun = floorRuns.reduce((best, run) => (percentile(run.samples, 50) < percentile(best.samples, 50) ? run : best));
  const floorSamples = floorRun.samples;
  const floorCpu = floorRun.cpu;
  const floorP50 = percentile(floorSamples, 50);
  const floorP99 = Math.min(...floorRuns.map((run) => percentile(run.samples, 99)));
  const p50Limit = 1.5 * floorP50 + 2;
  const p99Limit = targets.absoluteP99Ms !== undefined ? Math.min(3 * floorP99 + 10, targets.absoluteP99Ms) : 3 * floorP99 + 10;
  const p50Target = '≤ 1.5×floor + 2 ms';
  const p99Target = targets.absoluteP99Ms !== undefined ? `< ${targets.absoluteP99Ms} ms, ≤ 3×floor + 10 ms` : '≤ 3×floor + 10 ms';
  const p50Name = `${targets.label}: edit → diagnostics p50`;
  const p99Name = `${targets.label}: edit → diagnostics p99`;

  await settle();
  let run: ServerEditRun;
  try {
    run = await serverEditLatency(file, edits);
  } catch (error) {
    const note = `server unavailable: ${error instanceof Error ? error.message : String(error)}`;
    return [
      { ...unavailableMetric(`${targets.id}-p50`, p50Name, 'ms', p50Target, note), floor: floorP50, limit: p50Limit },
      { ...unavailableMetric(`${targets.id}-p99`, p99Name, 'ms', p99Target, note), floor: floorP99, limit: p99Limit },
    ];
  }
  const samples = run.samples.slice(WARMUP_EDITS);
  const serverCpu = run.cpuSamples.slice(WARMUP_EDITS);
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  const notes: string[] = [];
  if (!run.versioned) notes.push('the server sent publishDiagnostics without `version`; edits were matched by order');
  if (run.stoppedEarly) notes.push(`stopped after ${samples.length} of ${MEASURED_EDITS} measured edits (${SERVER_BUDGET_MS / 1000} s budget)`);
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  const details = {
    document: file.name,
    bytes: Buffer.byteLength(file.text),
    lines: file.text.split('\n').length,
    edits: samples.length,
    openToFirstDiagnosticsMs: run.openMs,
    diagnosticsAfterLastEdit: run.finalDiagnostics,
    serverMaxMs: Math.max(...samples),
    floorMaxMs: Math.max(...floorSamples),
    floorBinding: floorRun.binding,
    floorP50ByBindingMs: Object.fromEntries(floorRuns.map((run) => [run.binding, percentile(run.samples, 50)])),
    // Main-thread CPU time per edit: the same comparison, nearly free of other processes' load.
    serverCpuP50Ms: percentile(serverCpu, 50),
    serverCpuP99Ms: percentile(serverCpu, 99),
    floorCpuP50Ms: percentile(floorCpu, 50),
    floorCpuP99Ms: percentile(floorCpu, 99),
  };
  return [
    { id: `${targets.id}-p50`, name: p50Name, unit: 'ms', measured: p50, floor: floorP50, ratio: p50 / floorP50, target: p50Target, limit: p50Limit, pass: p50 <= p50Limit, note, details },
    { id: `${targets.id}-p99`, name: p99Name, unit: 'ms', measured: p99, floor: floorP99, ratio: p99 / floorP99, target: p99Target, limit: p99Limit, pass: p99 <= p99Limit, details },
  ];
}

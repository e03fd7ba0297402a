// How much of what an edit allocates outlives it, on the benchmark's module edits: the server's
// per-didChange pipeline in process (OpenDocument.change, analyze, conversion to LSP diagnostics),
// without the transport. What an edit allocates should be garbage by the next edit; what a
// young-generation collection (scavenge) finds alive is copied, and what survives two is promoted
// to the old generation. So survival sets the length of the scavenge pauses, which are the
// slowest edits (the p99), and promotion the rate of full collections.
//
//   node out/bench/gc-survival.js [edits]
//
// It runs itself as a child under --trace-gc-nvp (V8 prints one line per collection, with the
// bytes allocated since the last one, survived and promoted) and a 1 MB young generation, so that
// scavenges come often enough to average over; the figures are summed over the scavenges during
// the measured edits.
import { spawnSync } from 'child_process';
import { PerformanceObserver, constants } from 'perf_hooks';
import { toDiagnostics } from 'nixguard/out/lsp/convert';
import { CheckSettings, DocumentStore } from 'nixguard/out/lsp/documents';
import { typicalModuleFile } from './corpus';
import { planEdits } from './edit-plan';
import { fileUri } from './lsp-client';

const WARMUP_EDITS = 10;
const DEFAULT_EDITS = 1000;
const CHILD_FLAG = '--child';

interface GcCounts {
  /** Scavenges and full collections seen before the measured edits, and after them. */
  readonly before: number;
  readonly after: number;
}

/** Observed collections of the kinds that --trace-gc-nvp prints a line for. */
function countCollections(): () => number {
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR || kind === constants.NODE_PERFORMANCE_GC_MAJOR) count++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => count;
}

/** Lets the observer's callbacks for collections so far run. */
function flushObserver(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}

async function child(edits: number): Promise<void> {
  const collections = countCollections();
  const module = typicalModuleFile();
  const uri = fileUri(module.name);
  const settings: CheckSettings = { severities: new Map(), key: '' };
  const document = new DocumentStore(() => undefined).open(uri, 1, module.text);
  const check = (): number => {
    const analysis = document.analyze(settings);
    return analysis.kind === 'analyzed' ? toDiagnostics(analysis.result.findings, analysis.file.source.lineIndex, uri).length : 0;
  };
  check();
  const plan = planEdits(module.text, WARMUP_EDITS + edits);
  let before = 0;
  for (let i = 0; i < plan.length; i++) {
    if (i === WARMUP_EDITS) {
      await flushObserver();
      before = collections();
    }
    const edit = plan[i];
    const range = { start: { line: edit.line, character: edit.character }, end: { line: edit.line, character: edit.character + edit.deleteLength } };
    document.change(i + 2, [{ range, rangeLength: edit.deleteLength, text: edit.insert }]);
    check();
  }
  await flushObserver();
  const counts: GcCounts = { before, after: collections() };
  process.stderr.write(`${JSON.stringify(counts)}\n`);
}

interface Collection {
  readonly kind: string;
  readonly pauseMs: number;
  readonly allocated: number;
  readonly survived: number;
  readonly promoted: number;
}

function parseNvpLine(line: string): Collection | undefined {
  const field = (name: string): string | undefined => new RegExp(`(?:^|\\s)${name}=(\\S+)`).exec(line)?.[1];
  const kind = field('gc');
  if (kind === undefined) return undefined;
  return {
    kind,
    pauseMs: Number(field('pause') ?? 0),
    allocated: Number(field('allocated') ?? 0),
    survived: Number(field('new_space_survived') ?? 0),
    promoted: Number(field('promoted') ?? 0),
  };
}

function parent(edits: number): void {
  const megabytes = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(2);
  const run = spawnSync(process.execPath, ['--trace-gc-nvp', '--max-semi-space-size=1', __filename, CHILD_FLAG, String(edits)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`the child failed (${run.error?.message ?? `status ${run.status}`}): ${run.stderr.slice(-2000)}`);
  const collections = run.stdout
    .split('\n')
    .map(parseNvpLine)
    .filter((collection): collection is Collection => collection !== undefined);
  const countsLine = run.stderr.trim().split('\n').pop() ?? '';
  const counts = JSON.parse(countsLine) as GcCounts;
  // V8 printed a line for each collection, the child counted those after its observer started
  // (the ones while modules load come first) up to its last edit.
  const unobserved = collections.length - counts.after;
  const measured = collections.slice(unobserved + counts.before, unobserved + counts.after);
  const scavenges = measured.filter((collection) => collection.kind === 's');
  const allocated = scavenges.reduce((sum, collection) => sum + collection.allocated, 0);
  const survived = scavenges.reduce((sum, collection) => sum + collection.survived, 0);
  const promoted = scavenges.reduce((sum, collection) => sum + collection.promoted, 0);
  const pauses = scavenges.reduce((sum, collection) => sum + collection.pauseMs, 0);
  const lines = [
    `${edits} edits of the 300-line module (after ${WARMUP_EDITS} warm-up), young generation capped at 1 MB:`,
    `  scavenges ${scavenges.length}, full collections ${measured.length - scavenges.length}`,
    `  allocated ${megabytes(allocated)} MB (${(allocated / edits / 1024).toFixed(1)} KB per edit)`,
    `  survived a scavenge ${megabytes(survived)} MB (${((100 * survived) / Math.max(allocated, 1)).toFixed(1)}% of allocated)`,
    `  promoted ${megabytes(promoted)} MB (${(promoted / edits / 1024).toFixed(1)} KB per edit)`,
    `  scavenge pauses ${pauses.toFixed(1)} ms in all`,
  ];
  if (unobserved < 0) lines.push(`  (V8 printed ${collections.length} collections, fewer than the child saw (${counts.after}): the window is off)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const childIndex = process.argv.indexOf(CHILD_FLAG);
if (childIndex >= 0) {
  child(Number(process.argv[childIndex + 1] ?? DEFAULT_EDITS)).catch((error: unknown) => {
    process.stderr.write(`gc-survival child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  parent(Number(process.argv[2] ?? DEFAULT_EDITS));
}

// `npm run bench`: measures nixguard against floors taken in the same run, prints a table and
// writes bench/results/latest.json. Exits 0 whether or not targets are met (it is a report, not
// a gate); only a crash of the benchmark itself exits 1.
//
//   node out/bench/run.js [--only check,edit,startup,memory] [--out FILE]
import { cpus } from 'os';
import { join } from 'path';
import { measureCheckThroughput } from './check-throughput';
import { allPackagesFile, REPOSITORY_ROOT, throughputCorpus, typicalModuleFile, variedModules } from './corpus';
import { measureEditLatency } from './edit-latency';
import { nowMs } from './measure';
import { measurePeakMemory } from './memory';
import { buildReport, currentLoad, formatTable, Metric, writeReport } from './report';
import { measureStartup } from './startup';

const SECTIONS = ['check', 'edit', 'startup', 'memory'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  readonly sections: ReadonlySet<Section>;
  readonly outPath: string;
}

function parseArguments(argv: readonly string[]): Options {
  let sections = new Set<Section>(SECTIONS);
  let outPath = join(REPOSITORY_ROOT, 'bench', 'results', 'latest.json');
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = (): string => inline ?? argv[++i] ?? '';
    if (flag === '--only') {
      const wanted = value().split(',').filter((name): name is Section => (SECTIONS as readonly string[]).includes(name));
      if (wanted.length > 0) sections = new Set(wanted);
    } else if (flag === '--out') {
      outPath = value();
    }
  }
  return { sections, outPath };
}

/** The timing rows again in CPU time, which a busy machine distorts far less than wall time. */
function cpuView(metrics: readonly Metric[]): string[] {
  const lines: string[] = [];
  for (const metric of metrics) {
    const details = metric.details as Record<string, number> | undefined;
    if (details && metric.id === 'check-vs-parse') {
      lines.push(`  ${metric.name}: ${details.checkCpuMs.toFixed(0)} ms vs parse ${details.parseCpuMs.toFixed(0)} ms = ${details.cpuRatio.toFixed(2)}×`);
    }
    if (details && metric.id === 'first-diagnostics' && typeof details.serverMainThreadCpuMs === 'number') {
      lines.push(`  ${metric.name}: server main thread ${details.serverMainThreadCpuMs.toFixed(0)} ms`);
    }
    if (!details || metric.measured === null || !metric.id.startsWith('edit-')) continue;
    const which = metric.id.endsWith('p50') ? 'P50' : 'P99';
    const server = details[`serverCpu${which}Ms`];
    const floor = details[`floorCpu${which}Ms`];
    if (!Number.isFinite(server) || !Number.isFinite(floor)) continue;
    lines.push(`  ${metric.name}: ${server.toFixed(2)} ms vs floor ${floor.toFixed(2)} ms = ${(server / floor).toFixed(2)}×`);
  }
  return lines.length > 0 ? ['', 'CPU time (edits: the server main thread vs the in-process reparse):', ...lines] : [];
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const started = nowMs();
  const loadAtStart = currentLoad();
  const metrics: Metric[] = [];
  const big = allPackagesFile();
  const module = typicalModuleFile();

  if (options.sections.has('check')) {
    progress('1/4 full check vs parse-only');
    metrics.push(await measureCheckThroughput(throughputCorpus()));
  }
  if (options.sections.has('edit')) {
    progress('2/4 edit latency, all-packages file');
    metrics.push(...(await measureEditLatency(big, { id: 'edit-big', label: '20k-binding file' })));
    progress('2/4 edit latency, 300-line module');
    metrics.push(...(await measureEditLatency(module, { id: 'edit-module', label: '300-line module', absoluteP99Ms: 10 })));
  }
  if (options.sections.has('startup')) {
    progress('3/4 spawn to first diagnostics');
    metrics.push(await measureStartup(module));
  }
  if (options.sections.has('memory')) {
    progress('4/4 peak RSS');
    metrics.push(await measurePeakMemory(big, variedModules(200)));
  }

  const durationSeconds = (nowMs() - started) / 1000;
  process.stdout.write(`${[formatTable(metrics), ...cpuView(metrics)].join('\n')}\n`);
  const load = Math.max(loadAtStart, currentLoad());
  if (load > cpus().length) process.stdout.write(`\nwarning: load average ${load.toFixed(1)} on ${cpus().length} cores: other processes skewed these timings\n`);
  writeReport(options.outPath, buildReport(metrics, durationSeconds, loadAtStart));
  process.stdout.write(`\n${metrics.filter((m) => m.pass).length}/${metrics.length} targets met in ${durationSeconds.toFixed(0)} s; wrote ${options.outPath}\n`);
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);

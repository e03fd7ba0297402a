// Section 3: spawn → initialize → didOpen of a typical module → first publishDiagnostics, against
// spawning `node -e ""` until it exits (what any Node-based server pays before its first line).
import { spawn } from 'child_process';
import type { CorpusFile } from './corpus';
import { BenchClient, fileUri } from './lsp-client';
import { mainThreadCpuMs, median, nowMs, settle } from './measure';
import { Metric, unavailableMetric } from './report';

const RUNS = 5;
const LIMIT_MS = 500;

function bareNodeSpawnMs(): Promise<number> {
  const start = nowMs();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(nowMs() - start));
  });
}

/** Wall time to the first diagnostics, and the server main thread's CPU time until then. */
async function firstDiagnostics(file: CorpusFile): Promise<{ wallMs: number; cpuMs: number | undefined }> {
  const start = nowMs();
  const client = BenchClient.spawn();
  try {
    await client.initialize();
    const uri = fileUri(file.name);
    const published = client.diagnostics(uri, 1, 10_000);
    await client.open(uri, file.text, 1);
    const wallMs = (await published).at - start;
    return { wallMs, cpuMs: mainThreadCpuMs(client.pid) };
  } finally {
    await client.stop();
  }
}

export async function measureStartup(module: CorpusFile): Promise<Metric> {
  const name = 'spawn → first diagnostics (300-line module)';
  const target = `< ${LIMIT_MS} ms`;
  const floorRuns: number[] = [];
  const serverRuns: number[] = [];
  const serverCpu: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      await settle();
      floorRuns.push(await bareNodeSpawnMs());
      await settle();
      const { wallMs, cpuMs } = await firstDiagnostics(module);
      serverRuns.push(wallMs);
      if (cpuMs !== undefined) serverCpu.push(cpuMs);
    }
  } catch (error) {
    const note = `server unavailable: ${error instanceof Error ? error.message : String(error)}`;
    return { ...unavailableMetric('first-diagnostics', name, 'ms', target, note), floor: floorRuns.length ? median(floorRuns) : null, limit: LIMIT_MS };
  }
  const measured = median(serverRuns);
  const floor = median(floorRuns);
  return {
    id: 'first-diagnostics',
    name,
    unit: 'ms',
    measured,
    floor,
    ratio: measured / floor,
    target,
    limit: LIMIT_MS,
    pass: measured < LIMIT_MS,
    details: { runs: RUNS, serverRunsMs: serverRuns, bareNodeRunsMs: floorRuns, serverMainThreadCpuMs: serverCpu.length > 0 ? median(serverCpu) : null },
  };
}

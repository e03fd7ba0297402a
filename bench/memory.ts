// Section 4: the server's peak resident set (VmHWM) with the all-packages file and 200 modules
// open, each diagnosed, against the peak of a node process that holds the same texts and their
// raw tree-sitter trees (memory-floor.ts): what any tree-sitter-based server has to keep.
import { execFileSync } from 'child_process';
import { join } from 'path';
import type { CorpusFile } from './corpus';
import { BenchClient, fileUri } from './lsp-client';
import { Metric, unavailableMetric } from './report';

const LIMIT_MB = 200;
const MB = 1024 * 1024;

function floorPeakRssBytes(moduleCount: number): number | undefined {
  const bytes = Number(execFileSync(process.execPath, [join(__dirname, 'memory-floor.js'), String(moduleCount)], { encoding: 'utf8' }));
  return bytes > 0 ? bytes : undefined;
}

export async function measurePeakMemory(big: CorpusFile, others: readonly CorpusFile[]): Promise<Metric> {
  const name = `peak RSS, big file + ${others.length} modules open`;
  const target = `< ${LIMIT_MB} MB`;
  let floor: number | null = null;
  try {
    const bytes = floorPeakRssBytes(others.length);
    floor = bytes === undefined ? null : bytes / MB;
  } catch {
    // No /proc: reported as unavailable below.
  }
  const client = BenchClient.spawn();
  try {
    await client.initialize();
    const idle = client.peakRssBytes();
    const files = [big, ...others];
    const published = files.map((file) => client.diagnostics(fileUri(file.name), 1, 120_000));
    for (const file of files) await client.open(fileUri(file.name), file.text, 1);
    await Promise.all(published);
    const peak = client.peakRssBytes();
    if (peak === undefined || floor === null) {
      return { ...unavailableMetric('peak-rss', name, 'MB', target, 'no /proc/<pid>/status VmHWM on this system'), limit: LIMIT_MB };
    }
    const measured = peak / MB;
    return {
      id: 'peak-rss',
      name,
      unit: 'MB',
      measured,
      floor,
      ratio: measured / floor,
      target,
      limit: LIMIT_MB,
      pass: measured < LIMIT_MB,
      details: {
        idleServerMB: idle === undefined ? null : idle / MB,
        documents: files.length,
        bytes: files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0),
      },
    };
  } catch (error) {
    const note = `server unavailable: ${error instanceof Error ? error.message : String(error)}`;
    return { ...unavailableMetric('peak-rss', name, 'MB', target, note), floor, limit: LIMIT_MB };
  } finally {
    await client.stop();
  }
}

// Timing and statistics helpers shared by the benchmark sections.
import { readFileSync } from 'fs';

/** Monotonic time in milliseconds, sub-microsecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `work` and returns how long it took, in milliseconds. */
export function timeMs(work: () => void): number {
  const start = nowMs();
  work();
  return nowMs() - start;
}

/** Nearest-rank percentile (`p` in 0..100) of `samples`; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Gives the event loop and the garbage collector a moment between measurements. */
export function settle(ms = 20): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Peak resident set size (VmHWM) of a process in bytes, from /proc; undefined where unavailable. */
export function peakRssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time of this process (all threads) in ms; precise, unlike schedstat read from inside. */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * On-CPU time of another process's main thread in ms (first field of /proc/<pid>/schedstat, in
 * ns); undefined where unavailable. Unlike wall time it hardly moves when other processes compete
 * for the cores, so it shows the work itself on a busy machine. The kernel updates it when the
 * thread is switched out (or at a tick), so read it while the process waits, as the server does
 * between edits.
 */
export function mainThreadCpuMs(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

// The benchmark's output: one row per metric, printed as a table and written as JSON.
import { mkdirSync, writeFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import { dirname } from 'path';

export interface Metric {
  /** Stable key for tooling that compares runs. */
  readonly id: string;
  readonly name: string;
  readonly unit: 'ms' | 'MB';
  /** Null when the section could not run (see `note`). */
  readonly measured: number | null;
  /** The same work at its lower bound, measured in the same run. */
  readonly floor: number | null;
  readonly ratio: number | null;
  /** Human-readable target; `limit` is the same as a number in `unit`, where one applies. */
  readonly target: string;
  readonly limit?: number;
  readonly pass: boolean;
  readonly note?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function unavailableMetric(id: string, name: string, unit: Metric['unit'], target: string, note: string): Metric {
  return { id, name, unit, measured: null, floor: null, ratio: null, target, pass: false, note };
}

function formatValue(value: number | null, unit: Metric['unit']): string {
  if (value === null || !Number.isFinite(value)) return '-';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

function formatRatio(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '-' : `${value.toFixed(2)}×`;
}

export function formatTable(metrics: readonly Metric[]): string {
  const header = ['metric', 'measured', 'floor', 'ratio', 'target', 'result'];
  const rows = metrics.map((metric) => [
    metric.name,
    formatValue(metric.measured, metric.unit),
    formatValue(metric.floor, metric.unit),
    formatRatio(metric.ratio),
    metric.limit === undefined || !metric.target.includes('×') ? metric.target : `${metric.target} (${formatValue(metric.limit, metric.unit)})`,
    metric.measured === null ? 'n/a' : metric.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => (column === 0 || column === 4 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  const notes = metrics.filter((metric) => metric.note).map((metric) => `  note (${metric.id}): ${metric.note}`);
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line), ...notes].join('\n');
}

export interface Report {
  readonly version: 1;
  readonly date: string;
  readonly environment: Readonly<Record<string, unknown>>;
  readonly durationSeconds: number;
  readonly metrics: readonly Metric[];
}

/** One-minute load average; above the core count, other processes skew every timing. */
export function currentLoad(): number {
  return loadavg()[0];
}

export function buildReport(metrics: readonly Metric[], durationSeconds: number, loadAtStart: number): Report {
  return {
    version: 1,
    date: new Date().toISOString(),
    environment: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAtStart, loadAtEnd: currentLoad() },
    durationSeconds,
    metrics,
  };
}

export function writeReport(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
}

// systemd's own scorer as an oracle: `systemd-analyze security --offline=true` reads unit files
// without a running manager. With SYSTEMD_ANALYZE_DEBUG=1 it also prints each check's weight,
// badness and range, so whole tables can be compared, not just the overall number. Many units
// go through one invocation (a few hundred take a fraction of a second).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The release the exposure engine emulates; other releases score differently. */
export const EMULATED_SYSTEMD_MAJOR = 252;

export interface OracleCheck {
  readonly weight: number;
  /** null when systemd prints it as not applicable. */
  readonly badness: number | null;
  readonly range: number;
  /** The EXPOSURE column (`0.2`), empty when systemd leaves it blank. */
  readonly exposure: string;
}

export interface OracleScore {
  /** `9.6` */
  readonly text: string;
  readonly label: string;
  readonly checks: ReadonlyMap<string, OracleCheck>;
}

export interface OracleUnit {
  /** File name, `name.service`. */
  readonly name: string;
  readonly text: string;
}

let status: { available: boolean; reason: string } | undefined;

/** Whether systemd-analyze 252 runs here; otherwise the reason, for `this.skip()` messages. */
export function systemdAnalyzeStatus(): { available: boolean; reason: string } {
  if (status) return status;
  const result = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    status = { available: false, reason: 'systemd-analyze is not installed (Debian package systemd; .ci/run installs it)' };
  } else {
    const major = Number(/^systemd (\d+)/.exec(result.stdout)?.[1]);
    status =
      major === EMULATED_SYSTEMD_MAJOR
        ? { available: true, reason: '' }
        : { available: false, reason: `systemd-analyze is version ${major}, the engine emulates ${EMULATED_SYSTEMD_MAJOR}` };
  }
  return status;
}

const NOT_APPLICABLE = '18446744073709551615';

/** Parses one row of the debug table: mark, name, description, weight, badness, range, exposure. */
function parseCheckRow(line: string): [string, OracleCheck] | undefined {
  const fields = line.slice(2).trim().split(/\s+/);
  if (fields.length < 4) return undefined;
  let exposure = '';
  if (/^\d+\.\d$/.test(fields[fields.length - 1])) exposure = fields.pop() as string;
  const range = fields.pop() as string;
  const badness = fields.pop() as string;
  const weight = fields.pop() as string;
  if (![range, badness, weight].every((field) => /^\d+$/.test(field))) return undefined;
  return [fields[0], { weight: Number(weight), badness: badness === NOT_APPLICABLE ? null : Number(badness), range: Number(range), exposure }];
}

/**
 * Scores every unit with one `systemd-analyze security --offline=true` run. A unit systemd
 * refuses to load has no entry (systemd prints the reason on stderr and goes on).
 */
export function analyzeUnits(units: readonly OracleUnit[]): Map<string, OracleScore> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-oracle-'));
  try {
    const files = units.map((unit) => {
      const file = path.join(directory, unit.name);
      fs.writeFileSync(file, unit.text);
      return file;
    });
    const result = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', ...files], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      env: { PATH: process.env.PATH, SYSTEMD_ANALYZE_DEBUG: '1', SYSTEMD_COLORS: '0', LANG: 'C.UTF-8', HOME: directory },
    });
    if (result.error) throw result.error;
    const scores = new Map<string, OracleScore>();
    let checks = new Map<string, OracleCheck>();
    for (const line of result.stdout.split('\n')) {
      const overall = /Overall exposure level for (\S+): (\d+\.\d) (\S+)/.exec(line);
      if (overall) {
        scores.set(overall[1], { text: overall[2], label: overall[3], checks });
        checks = new Map();
        continue;
      }
      if (line.startsWith('  NAME')) continue;
      const row = parseCheckRow(line);
      if (row) checks.set(row[0], row[1]);
    }
    return scores;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

// Nix's own parser as an oracle: `nix-instantiate --parse -` reads the text from stdin and exits
// non-zero on a syntax error. Nix 2.8 also resolves variables while parsing, so "undefined
// variable" errors are scope errors of a snippet, not syntax errors, and count as accepted.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';

export interface NixVerdict {
  readonly accepted: boolean;
  /** Nix's error message when rejected. */
  readonly message: string;
}

let available: boolean | undefined;

/** Whether `nix-instantiate` runs here; tests that need it call `this.skip()` when not. */
export function hasNixInstantiate(): boolean {
  available ??= spawnSync('nix-instantiate', ['--version'], { encoding: 'utf8', env: nixEnvironment() }).status === 0;
  return available;
}

export const NIX_MISSING_MESSAGE = 'nix-instantiate is not installed (Debian package nix-bin; .ci/run installs it)';

/** No `$HOME`: Nix must not read or write the user's files from tests. */
function nixEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: os.tmpdir(), NIX_REMOTE: '', LANG: 'C.UTF-8' };
}

export function nixParse(text: string): NixVerdict {
  const result = spawnSync('nix-instantiate', ['--parse', '-'], { input: text, encoding: 'utf8', env: nixEnvironment(), timeout: 30_000 });
  if (result.error) throw result.error;
  const message = (result.stderr ?? '').trim();
  if (result.status === 0) return { accepted: true, message: '' };
  if (/error: undefined variable/.test(message) && !/syntax error/.test(message)) return { accepted: true, message };
  return { accepted: false, message };
}

/**
 * Verdicts for many files with few processes: one `nix-instantiate --parse` over all of them,
 * which stops at the first rejected file; that file is judged alone and the rest go again.
 * (One process per file costs ~0.2 s each, which adds up over every fixture.)
 */
export function nixParseFiles(files: readonly string[]): Map<string, NixVerdict> {
  const verdicts = new Map<string, NixVerdict>();
  let remaining = [...files];
  while (remaining.length > 0) {
    const result = spawnSync('nix-instantiate', ['--parse', ...remaining], { encoding: 'utf8', env: nixEnvironment(), timeout: 60_000 });
    if (result.error) throw result.error;
    if (result.status === 0) break;
    const stderr = result.stderr ?? '';
    const failed = remaining.find((file) => stderr.includes(`at ${file}:`)) ?? remaining[0];
    verdicts.set(failed, nixParse(fs.readFileSync(failed, 'utf8')));
    remaining = remaining.filter((file) => file !== failed);
  }
  for (const file of files) if (!verdicts.has(file)) verdicts.set(file, { accepted: true, message: '' });
  return verdicts;
}

// The server package's own name, version and home page, for `--version` and SARIF's tool driver.
import * as fs from 'fs';
import * as path from 'path';

export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly informationUri: string;
}

/** Used until package.json names a home page. */
const FALLBACK_INFORMATION_URI = 'https://github.com/nixguard/nixguard';

let cached: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
  } catch {
    // Keep the defaults below: a missing package.json must not stop a lint run.
  }
  const repository = json.repository;
  const repositoryUrl = typeof repository === 'string' ? repository : repository && typeof repository === 'object' ? (repository as Record<string, unknown>).url : undefined;
  const homepage = typeof json.homepage === 'string' ? json.homepage : typeof repositoryUrl === 'string' ? repositoryUrl.replace(/^git\+/, '').replace(/\.git$/, '') : undefined;
  cached = {
    name: typeof json.name === 'string' ? json.name : 'nixguard',
    version: typeof json.version === 'string' ? json.version : '0.0.0',
    informationUri: homepage ?? FALLBACK_INFORMATION_URI,
  };
  return cached;
}

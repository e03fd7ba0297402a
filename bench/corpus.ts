// The benchmark corpus: generated Nix (bench/generate.ts) plus every fixture of the repository.
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import { generateAllPackages, generateFlake, generateModule } from './generate';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

/** Bindings of the all-packages-style file, as issue 2 specifies. */
export const ALL_PACKAGES_BINDINGS = 20_000;
export const TYPICAL_MODULE_LINES = 300;

export interface CorpusFile {
  readonly name: string;
  readonly text: string;
}

export function allPackagesFile(): CorpusFile {
  return { name: 'generated/all-packages.nix', text: generateAllPackages(ALL_PACKAGES_BINDINGS) };
}

export function typicalModuleFile(seed = 1): CorpusFile {
  return { name: `generated/modules/module-${seed}.nix`, text: generateModule(seed, TYPICAL_MODULE_LINES) };
}

/** `*.nix` under `fixtures/`, sorted, walked iteratively. */
function fixtureFiles(): CorpusFile[] {
  const files: CorpusFile[] = [];
  const pending = [join(REPOSITORY_ROOT, 'fixtures')];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && entry.name.endsWith('.nix')) files.push({ name: relative(REPOSITORY_ROOT, path), text: readFileSync(path, 'utf8') });
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The throughput corpus: the all-packages file, a dozen modules, flakes and the fixtures. */
export function throughputCorpus(): CorpusFile[] {
  const files = [allPackagesFile()];
  for (let seed = 1; seed <= 12; seed++) files.push(typicalModuleFile(seed));
  for (let seed = 1; seed <= 6; seed++) files.push({ name: `generated/flakes/flake-${seed}.nix`, text: generateFlake(seed) });
  return files.concat(fixtureFiles());
}

/** Varied modules for the memory section: different seeds and sizes (100 to 500 lines). */
export function variedModules(count: number): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (let index = 0; index < count; index++) {
    const seed = 1000 + index;
    files.push({ name: `generated/open/module-${seed}.nix`, text: generateModule(seed, 100 + ((index * 37) % 401)) });
  }
  return files;
}

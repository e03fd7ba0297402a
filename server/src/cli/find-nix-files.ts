// Turns the paths on the command line into the list of files to check. Folders are walked
// iteratively for `*.nix`, skipping VCS and dependency folders, `result*` symlinks (Nix build
// outputs pointing into the store) and the config's exclude globs. A path named explicitly is
// always checked, whatever its name and whatever the excludes say.
import * as fs from 'fs';
import * as path from 'path';
import { describeIoError } from './file-report';
import type { ProjectConfigs } from './project-configs';

/** Folders that never hold the user's own Nix code, or hold huge copies of other people's. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.direnv']);

export interface FoundFiles {
  /** Absolute paths, without duplicates. */
  readonly files: string[];
  /** One line per path that could not be read. */
  readonly errors: string[];
}

/** `onFound` hears the running count, so a caller can get ready for a large tree early. */
export function findNixFiles(paths: readonly string[], configs: ProjectConfigs, onFound: (count: number) => void = () => undefined): FoundFiles {
  const files = new Set<string>();
  const errors: string[] = [];
  const visitedDirectories = new Set<string>();
  /** Folders to walk, each with its real path (symlinks resolved), for cycle detection. */
  const pending: { directory: string; real: string }[] = [];
  const enqueue = (directory: string, real: string | undefined): void => {
    try {
      // Only the roots and symlinked folders need a system call: a plain subfolder's real
      // path is its parent's real path plus its name.
      real ??= fs.realpathSync.native(directory);
    } catch (error) {
      errors.push(`cannot read '${directory}': ${describeIoError(error)}`);
      return;
    }
    if (visitedDirectories.has(real)) return;
    visitedDirectories.add(real);
    pending.push({ directory, real });
  };

  for (const given of paths) {
    const absolute = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      errors.push(`cannot read '${given}': ${describeIoError(error)}`);
      continue;
    }
    if (stat.isDirectory()) enqueue(absolute, undefined);
    else files.add(absolute);
  }

  while (pending.length > 0) {
    const { directory, real } = pending.pop() as { directory: string; real: string };
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      errors.push(`cannot read '${directory}': ${describeIoError(error)}`);
      continue;
    }
    configs.noteDirectoryListing(directory, entries.map((entry) => entry.name));
    for (const entry of entries) {
      const entryPath = path.join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      const isLink = entry.isSymbolicLink();
      if (isLink) {
        if (entry.name.startsWith('result')) continue;
        try {
          const target = fs.statSync(entryPath);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // A dangling link found while walking is not the user's request: skip it.
        }
      }
      if (isDirectory) {
        if (SKIPPED_DIRECTORIES.has(entry.name) || configs.isDirectoryExcluded(entryPath)) continue;
        enqueue(entryPath, isLink ? undefined : path.join(real, entry.name));
      } else if (isFile && entry.name.endsWith('.nix') && !configs.isFileExcluded(entryPath)) {
        files.add(entryPath);
        onFound(files.size);
      }
    }
  }
  return { files: [...files], errors };
}

// Walking fixture and source folders, iteratively: several tests list the files below a folder.
import * as fs from 'fs';
import * as path from 'path';

/** Every file below `folder` (at any depth) whose name `accept` takes, as full paths, sorted. */
export function filesUnder(folder: string, accept: (name: string) => boolean = () => true): string[] {
  const found: string[] = [];
  const pending = [folder];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (accept(entry.name)) found.push(full);
    }
  }
  return found.sort();
}

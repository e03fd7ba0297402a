// Where the repository's folders are, for tests compiled to out/test/**: found by walking up to
// the workspace root rather than counting `..`, so helpers can move without breaking paths.
import * as fs from 'fs';
import * as path from 'path';

function findRepositoryRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && fs.existsSync(path.join(dir, 'server', 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${start}`);
  }
}

export const REPOSITORY_ROOT = findRepositoryRoot(__dirname);
export const SERVER_SOURCE = path.join(REPOSITORY_ROOT, 'server', 'src');
export const RULE_FIXTURES = path.join(REPOSITORY_ROOT, 'fixtures', 'rules');
export const RULE_DOCS = path.join(REPOSITORY_ROOT, 'docs', 'rules');

/** Path relative to the repository root with forward slashes, for messages. */
export function repositoryPath(file: string): string {
  return path.relative(REPOSITORY_ROOT, file).split(path.sep).join('/');
}

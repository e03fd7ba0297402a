// The markdown explanation of each rule (docs/rules/<id>.md), for hover on a finding, and (through
// cli/rule-docs.ts) for `nixguard explain` and the SARIF `help`. An installed package has no docs/
// folder, so the build bundles the docs into out/rule-docs.json (server/scripts/bundle-docs.js);
// in a checkout whose bundle is missing or older than a new rule, the docs are read from the
// repository instead.
import * as fs from 'fs';
import * as path from 'path';

/** Written by server/scripts/bundle-docs.js: `{ "<rule-id>": "<markdown>" }`. */
const BUNDLED_DOCS_FILE = path.join(__dirname, '..', 'rule-docs.json');
const REPOSITORY_DOCS_DIRECTORY = path.join(__dirname, '..', '..', '..', 'docs', 'rules');

let bundledDocs: Readonly<Record<string, string>> | undefined;

function bundled(): Readonly<Record<string, string>> {
  if (bundledDocs) return bundledDocs;
  bundledDocs = {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(BUNDLED_DOCS_FILE, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const docs: Record<string, string> = {};
      for (const [id, text] of Object.entries(parsed)) if (typeof text === 'string') docs[id] = text;
      bundledDocs = docs;
    }
  } catch {
    // No bundle (a checkout built with plain `tsc -b`): fall back to the repository below.
  }
  return bundledDocs;
}

/** The rule's markdown documentation, if it has one. */
export function ruleDoc(ruleId: string): string | undefined {
  const fromBundle = bundled()[ruleId];
  if (fromBundle !== undefined) return fromBundle;
  try {
    return fs.readFileSync(path.join(REPOSITORY_DOCS_DIRECTORY, `${ruleId}.md`), 'utf8');
  } catch {
    return undefined;
  }
}

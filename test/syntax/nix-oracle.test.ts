// Nix's own parser as the judge of every fixture: `nix-instantiate --parse` (Nix 2.8) and nixguard
// must agree on whether each `.nix` file under fixtures/ is syntactically valid. Nix's parse also
// resolves names, so "undefined variable", "attribute … already defined" and "duplicate formal"
// are semantic complaints about valid syntax, and count as accepted. Nix's parse-time checks that
// nixguard leaves to a rule other than `syntax-error` (dynamic attributes in `inherit` or `let`:
// `invalid-dynamic-attribute`) count as valid syntax that the named rule must flag.
//
// Speed: one `nix-instantiate` call parses many files and stops at the first one it rejects, so
// the files are split into a few batches run in parallel; a rejected file is recorded and its
// batch resumes after it. A call that fails without naming a file falls back to one call per file.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalyzedFile, findRule, runRules, SourceFile } from 'nixguard';
import { hasNixInstantiate, NIX_MISSING_MESSAGE } from '../helpers/nix-parser';
import { REPOSITORY_ROOT, repositoryPath } from '../helpers/paths';
import { filesUnder } from '../helpers/files';

const FIXTURES = path.join(REPOSITORY_ROOT, 'fixtures');
const PARALLEL_BATCHES = Math.max(2, Math.min(4, os.cpus().length));
const CALL_TIMEOUT_MS = 60_000;
/** Nix complaints that are about names, not syntax. */
const SEMANTIC_ERRORS = /error: (undefined variable|attribute '.*' already defined|duplicate formal function argument)/;

/** Nix parse errors that nixguard reports under another rule than `syntax-error`. */
const OTHER_RULE_ERRORS: readonly { readonly pattern: RegExp; readonly ruleId: string }[] = [
  { pattern: /error: dynamic attributes not allowed in (inherit|let)/, ruleId: 'invalid-dynamic-attribute' },
];

interface Verdict {
  /** Syntactically valid for Nix. */
  readonly accepted: boolean;
  readonly message: string;
  /** Rejected by Nix for a reason this rule of nixguard reports (the syntax itself is fine). */
  readonly otherRule?: string;
}

/** No `$HOME` and no daemon: Nix must not touch the user's files from tests. */
function nixEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: os.tmpdir(), NIX_REMOTE: '', LANG: 'C.UTF-8' };
}

function runNix(files: readonly string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nix-instantiate', ['--parse', ...files], { env: nixEnvironment(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CALL_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

function verdictOf(stderr: string): Verdict {
  const message = stderr.trim();
  if (/syntax error/.test(message)) return { accepted: false, message };
  const other = OTHER_RULE_ERRORS.find(({ pattern }) => pattern.test(message));
  if (other) return { accepted: true, message, otherRule: other.ruleId };
  return { accepted: SEMANTIC_ERRORS.test(message), message };
}

/** Parses `files` in order, resuming after each rejected file. */
async function parseBatch(files: readonly string[], verdicts: Map<string, Verdict>): Promise<void> {
  let rest = files;
  while (rest.length > 0) {
    const { status, stderr } = await runNix(rest);
    if (status === 0) {
      for (const file of rest) verdicts.set(file, { accepted: true, message: '' });
      return;
    }
    // Nix names the file in the error position: `at /path/file.nix:1:2`.
    const failed = rest.findIndex((file) => stderr.includes(`${file}:`));
    if (failed < 0) {
      for (const file of rest) {
        const single = await runNix([file]);
        verdicts.set(file, single.status === 0 ? { accepted: true, message: '' } : verdictOf(single.stderr));
      }
      return;
    }
    for (const file of rest.slice(0, failed)) verdicts.set(file, { accepted: true, message: '' });
    verdicts.set(rest[failed], verdictOf(stderr));
    rest = rest.slice(failed + 1);
  }
}

async function nixVerdicts(files: readonly string[]): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const batches: string[][] = Array.from({ length: PARALLEL_BATCHES }, () => []);
  files.forEach((file, index) => batches[index % PARALLEL_BATCHES].push(file));
  await Promise.all(batches.map((batch) => parseBatch(batch, verdicts)));
  return verdicts;
}

/** Messages of the findings of `ruleId` in `file`; undefined when no such rule exists (yet). */
function findingsOf(file: string, ruleId: string): string[] | undefined {
  const rule = findRule(ruleId);
  if (!rule) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const result = runRules(new AnalyzedFile(SourceFile.parse(text), file), { rules: [rule] });
  return result.findings.map((finding) => finding.message);
}

describe('nix-instantiate --parse agrees with nixguard on every fixture', function () {
  this.timeout(10 * CALL_TIMEOUT_MS);
  const files = filesUnder(FIXTURES, (name) => name.endsWith('.nix'));
  let verdicts: Map<string, Verdict> | undefined;

  before(async function () {
    if (!hasNixInstantiate()) {
      console.log(`      skipped: ${NIX_MISSING_MESSAGE}`);
      this.skip();
    }
    verdicts = await nixVerdicts(files);
  });

  it('finds fixtures to judge', () => {
    assert.ok(files.length > 0, 'no .nix files under fixtures/');
  });

  it('gives the same verdict as Nix for every fixture', () => {
    const disagreements: string[] = [];
    for (const file of files) {
      const verdict = verdicts?.get(file);
      assert.ok(verdict, `no Nix verdict for ${repositoryPath(file)}`);
      const ours = findingsOf(file, 'syntax-error') ?? [];
      const other = verdict.otherRule === undefined ? undefined : findingsOf(file, verdict.otherRule);
      if (other !== undefined && other.length === 0) disagreements.push(`${repositoryPath(file)}: Nix rejects it (${verdict.message.split('\n')[0]}), nixguard's ${verdict.otherRule} reports nothing`);
      if (verdict.accepted && ours.length > 0) disagreements.push(`${repositoryPath(file)}: Nix accepts it, nixguard reports ${JSON.stringify(ours[0])}`);
      if (!verdict.accepted && ours.length === 0) disagreements.push(`${repositoryPath(file)}: Nix rejects it (${verdict.message.split('\n')[0]}), nixguard reports no syntax error`);
    }
    assert.deepStrictEqual(disagreements, []);
  });

  it('rejects every fixture under fixtures/syntax/err and accepts the others (but those of the rule Nix agrees with)', () => {
    const misplaced: string[] = [];
    const errFolder = path.join(FIXTURES, 'syntax', 'err') + path.sep;
    for (const file of files) {
      const verdict = verdicts?.get(file);
      if (!verdict) continue;
      const meantBroken = file.startsWith(errFolder);
      // Rule fixtures that annotate a syntax error on purpose are broken by design too.
      const annotatesSyntaxError = !meantBroken && /#\s*(\^+>?|\|)\s+syntax-error\b/.test(fs.readFileSync(file, 'utf8'));
      if (meantBroken && verdict.accepted) misplaced.push(`${repositoryPath(file)}: Nix accepts it, but it is in fixtures/syntax/err`);
      if (!meantBroken && !annotatesSyntaxError && (!verdict.accepted || verdict.otherRule !== undefined) && !file.includes(`${path.sep}${verdict.otherRule}${path.sep}`)) misplaced.push(`${repositoryPath(file)}: Nix rejects it: ${verdict.message.split('\n')[0]}`);
    }
    assert.deepStrictEqual(misplaced, []);
  });
});

// The checks behind test/rules.test.ts, one function per assertion so the walker stays a loop.
//
// Layout (house style item 10): `fixtures/rules/<id>/{valid,invalid}-<what>.nix` and
// `issue-<n>-<what>.nix`, each with caret annotations (see annotations.ts), plus an optional
// `<name>.fixed.nix` holding the text after every safe fix, with the annotation lines removed.
// A sub-folder is one case of several files, each checked under its path inside the folder
// (so a case can hold a `flake.nix`).
//
// Compared findings: those of `<id>`, plus `syntax-error` (a fixture that does not parse tests
// nothing, so syntax errors must be annotated like any finding), plus any rule an annotation of
// the file names (to pin down how rules interact in one file). The same rules' safe fixes, and
// only theirs, make the `.fixed.nix` text, so a new rule never changes another rule's goldens.
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, applyFixes, checkText, findRule, fixText, LineIndex, SourceFile } from 'nixguard';
import type { Finding, SeveritySetting } from 'nixguard';
import type { Annotation } from './annotations';
import { formatMismatch, lineTexts, matchAnnotations, parseAnnotations, stripAnnotationLines } from './annotations';
import { repositoryPath, RULE_FIXTURES } from './paths';
import { filesUnder } from './files';

export const SYNTAX_ERROR_RULE = 'syntax-error';
const FIXED_SUFFIX = '.fixed.nix';
const ALL_FIXED_SUFFIX = '.all-fixed.nix';

export interface RuleFixture {
  readonly ruleId: string;
  /** Name inside the rule's folder: `invalid-x.nix` or `case-folder/flake.nix`. */
  readonly name: string;
  readonly file: string;
  /** Path the file is checked under (relative to its case folder). */
  readonly checkPath: string;
  readonly fixedFile: string;
  /** `<name>.all-fixed.nix`: the text after every offered fix, safe or not (see assertAllFixesMatchGolden). */
  readonly allFixedFile: string;
}

export function ruleFixtureFolders(): string[] {
  if (!fs.existsSync(RULE_FIXTURES)) return [];
  return fs
    .readdirSync(RULE_FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Every fixture of a rule, in name order; `.fixed.nix` goldens are not fixtures. */
export function ruleFixtures(ruleId: string): RuleFixture[] {
  const folder = path.join(RULE_FIXTURES, ruleId);
  const fixtures: RuleFixture[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.isDirectory()) {
      for (const inner of filesUnder(path.join(folder, entry.name), isFixtureName)) {
        const relative = path.relative(path.join(folder, entry.name), inner).split(path.sep).join('/');
        fixtures.push(makeFixture(ruleId, `${entry.name}/${relative}`, inner, relative));
      }
    } else if (isFixtureName(entry.name)) {
      fixtures.push(makeFixture(ruleId, entry.name, path.join(folder, entry.name), entry.name));
    }
  }
  return fixtures;
}

/** A fixture's own file, not one of its goldens. */
function isFixtureName(name: string): boolean {
  return name.endsWith('.nix') && !name.endsWith(FIXED_SUFFIX) && !name.endsWith(ALL_FIXED_SUFFIX);
}

function makeFixture(ruleId: string, name: string, file: string, checkPath: string): RuleFixture {
  const stem = file.slice(0, -'.nix'.length);
  return { ruleId, name, file, checkPath, fixedFile: stem + FIXED_SUFFIX, allFixedFile: stem + ALL_FIXED_SUFFIX };
}

/** `.fixed.nix` files whose fixture does not exist. */
export function orphanGoldens(ruleId: string): string[] {
  const orphans: string[] = [];
  for (const file of filesUnder(path.join(RULE_FIXTURES, ruleId))) {
    const suffix = [FIXED_SUFFIX, ALL_FIXED_SUFFIX].find((goldenSuffix) => file.endsWith(goldenSuffix));
    if (suffix !== undefined && !fs.existsSync(file.slice(0, -suffix.length) + '.nix')) orphans.push(repositoryPath(file));
  }
  return orphans.sort();
}

export function updatingGoldens(): boolean {
  return process.env.UPDATE_EXPECT === '1';
}

/** Throws with a readable report when findings and annotations differ. */
export function assertFindingsMatchAnnotations(fixture: RuleFixture): void {
  const text = fs.readFileSync(fixture.file, 'utf8');
  const label = repositoryPath(fixture.file);
  const parsed = parseAnnotations(text);
  if (parsed.problems.length > 0) throw new Error(`${label}: bad annotations\n  ${parsed.problems.join('\n  ')}`);

  const ownAnnotations = parsed.annotations.filter((a) => a.ruleId === fixture.ruleId).length;
  const baseName = path.basename(fixture.name);
  if (baseName.startsWith('valid-') && ownAnnotations > 0) {
    throw new Error(`${label}: a \`valid-\` fixture must not expect \`${fixture.ruleId}\` findings; rename it \`invalid-...\``);
  }
  if (baseName.startsWith('invalid-') && ownAnnotations === 0) {
    throw new Error(`${label}: an \`invalid-\` fixture must annotate at least one \`${fixture.ruleId}\` finding (see test/helpers/annotations.ts)`);
  }
  for (const annotation of parsed.annotations) {
    if (!findRule(annotation.ruleId)) throw new Error(`${label}:${annotation.annotationLine + 1}: annotation names unknown rule \`${annotation.ruleId}\``);
  }

  const compared = comparedRules(fixture.ruleId, parsed.annotations);
  const result = checkText(text, { path: fixture.checkPath });
  if (result.failures.length > 0) {
    throw new Error(`${label}: rules crashed:\n${result.failures.map((f) => `  ${f.ruleId}: ${f.message}`).join('\n')}`);
  }
  const findings = result.findings.filter((finding) => compared.has(finding.ruleId));
  const mismatch = matchAnnotations(text, parsed.annotations, findings);
  if (mismatch.missing.length > 0 || mismatch.unexpected.length > 0) throw new Error(formatMismatch(label, text, mismatch));
}

function comparedRules(ruleId: string, annotations: readonly Annotation[]): Set<string> {
  return new Set([ruleId, SYNTAX_ERROR_RULE, ...annotations.map((a) => a.ruleId)]);
}

/** Severity settings that turn off every rule but the compared ones. */
function onlyRules(compared: ReadonlySet<string>): Map<string, SeveritySetting> {
  return new Map(ALL_RULES.filter((rule) => !compared.has(rule.id)).map((rule) => [rule.id, 'off' as const]));
}

export interface FixOutcome {
  /** The fixed text with annotation lines removed, as stored in `.fixed.nix`; undefined when no safe fix applies. */
  readonly fixedText: string | undefined;
  /** A note for the test log (a golden was written), if any. */
  readonly note: string | undefined;
}

/**
 * Applies every safe fix of the compared rules and compares with `<name>.fixed.nix`. The fixed
 * text must parse, and no finding with a safe fix may remain (the fix loop converged: fixes do
 * not re-trigger their rule).
 */
export function assertFixesMatchGolden(fixture: RuleFixture): FixOutcome {
  const text = fs.readFileSync(fixture.file, 'utf8');
  const label = repositoryPath(fixture.file);
  const goldenLabel = repositoryPath(fixture.fixedFile);
  const golden = fs.existsSync(fixture.fixedFile) ? fs.readFileSync(fixture.fixedFile, 'utf8') : undefined;
  const compared = comparedRules(fixture.ruleId, parseAnnotations(text).annotations);
  const result = fixText(text, { path: fixture.checkPath, severities: onlyRules(compared) });

  if (result.fixed.length === 0) {
    if (golden !== undefined) throw new Error(`${goldenLabel} exists but no safe fix applies to ${label}: delete it, or check why the fix is missing`);
    return { fixedText: undefined, note: undefined };
  }

  const problems: string[] = [];
  if (SourceFile.parse(result.text).hasSyntaxErrors) {
    const errors = result.remaining.findings.filter((f) => f.ruleId === SYNTAX_ERROR_RULE);
    problems.push(`the fixed text has syntax errors:\n${describeFindings(result.text, errors)}`);
  }
  const stillFixable = result.remaining.findings.filter((f) => f.fixes?.some((fix) => fix.safe));
  if (stillFixable.length > 0) {
    problems.push(`safe fixes still apply after fixing (the fix loop did not converge):\n${describeFindings(result.text, stillFixable)}`);
  }
  if (problems.length > 0) throw new Error(`${label}: ${problems.join('\n')}\nfixed text:\n${numbered(result.text)}`);

  const fixedText = stripAnnotationLines(result.text);
  if (golden === fixedText) return { fixedText, note: undefined };
  if (updatingGoldens()) {
    fs.writeFileSync(fixture.fixedFile, fixedText);
    return { fixedText, note: `wrote ${goldenLabel}` };
  }
  if (golden === undefined) {
    const fixedRules = [...new Set(result.fixed.map((f) => f.ruleId))].join(', ');
    throw new Error(
      `${label} has findings with safe fixes (${fixedRules}) but no ${path.basename(fixture.fixedFile)}: ` +
        `create it with \`UPDATE_EXPECT=1 npm test\` and review it. The fixed text would be:\n${numbered(fixedText)}`,
    );
  }
  throw new Error(`${goldenLabel} differs from the text after safe fixes (rewrite with UPDATE_EXPECT=1 and review the diff):\n${lineDiff(golden, fixedText)}`);
}

function describeFindings(text: string, findings: readonly Finding[]): string {
  const index = new LineIndex(text);
  return findings
    .map((finding) => {
      const position = index.position(finding.range.start);
      return `  ${position.line + 1}:${position.character + 1} [${finding.ruleId}] ${finding.message}`;
    })
    .join('\n');
}

function numbered(text: string): string {
  return lineTexts(text)
    .map((line, i) => `  ${String(i + 1).padStart(4)} | ${line}`)
    .join('\n');
}

/** A small line diff (LCS) between expected and actual, with 1-based line numbers. */
export function lineDiff(expected: string, actual: string): string {
  const a = lineTexts(expected);
  const b = lineTexts(actual);
  const lengths: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
  }
  const out: string[] = ['  --- expected (.fixed.nix)', '  +++ actual (after safe fixes)'];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`   ${String(i + 1).padStart(4)}   ${a[i]}`);
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || lengths[i][j + 1] >= lengths[i + 1][j])) {
      out.push(`  +${String(j + 1).padStart(4)}   ${JSON.stringify(b[j]).slice(1, -1)}`);
      j++;
    } else {
      out.push(`  -${String(i + 1).padStart(4)}   ${JSON.stringify(a[i]).slice(1, -1)}`);
      i++;
    }
  }
  if (expected.endsWith('\n') !== actual.endsWith('\n')) out.push(`  (final newline: expected ${expected.endsWith('\n') ? 'one' : 'none'}, actual ${actual.endsWith('\n') ? 'one' : 'none'})`);
  return out.join('\n');
}

/**
 * Applies each fix of each finding of the fixture's own rule alone, safe or not (the editor
 * offers all of them), and checks the result: it adds no syntax error, and that finding is gone
 * (no finding with its message at its start, moved by the edits). A fix may reveal another
 * finding (a binding used only by the removed one), which is the next fix's business. Returns the
 * number of fixes tried.
 */
export function assertEveryFixRemovesItsFinding(fixture: RuleFixture): number {
  const text = fs.readFileSync(fixture.file, 'utf8');
  const label = repositoryPath(fixture.file);
  // Nix rejects duplicate attributes when parsing, so they count as syntax errors here.
  const parseErrors = new Set([SYNTAX_ERROR_RULE, 'duplicate-attribute']);
  const severities = onlyRules(new Set([fixture.ruleId, ...parseErrors]));
  const check = (source: string) => checkText(source, { path: fixture.checkPath, severities }).findings;
  const before = check(text);
  const syntaxErrorsBefore = before.filter((f) => parseErrors.has(f.ruleId) && f.ruleId !== fixture.ruleId).length;
  let tried = 0;
  for (const finding of before) {
    if (finding.ruleId !== fixture.ruleId) continue;
    for (const fix of finding.fixes ?? []) {
      tried++;
      const edits = [...fix.edits].sort((a, b) => b.range.start - a.range.start);
      let fixed = text;
      for (const edit of edits) fixed = fixed.slice(0, edit.range.start) + edit.newText + fixed.slice(edit.range.end);
      const where = `${label}: fix "${fix.title}" of "${finding.message}"`;
      const after = check(fixed);
      if (after.filter((f) => parseErrors.has(f.ruleId) && f.ruleId !== fixture.ruleId).length > syntaxErrorsBefore) throw new Error(`${where} leaves a syntax error:\n${fixed}`);
      const movedStart = moveOffset(finding.range.start, fix.edits);
      const still = after.find((f) => f.ruleId === finding.ruleId && f.message === finding.message && f.range.start === movedStart);
      if (still) throw new Error(`${where} does not remove the finding:\n${fixed}`);
    }
  }
  return tried;
}

/** Where `offset` lands after `edits` (non-overlapping); an offset inside an edit goes to its start. */
function moveOffset(offset: number, edits: readonly { range: { start: number; end: number }; newText: string }[]): number {
  let moved = offset;
  for (const edit of edits) {
    if (edit.range.end <= offset) moved += edit.newText.length - (edit.range.end - edit.range.start);
    else if (edit.range.start < offset) moved -= offset - edit.range.start;
  }
  return moved;
}

/**
 * Fixes that are not safe are offered in the editor only, so `.fixed.nix` never shows them. When
 * a finding of the fixture's rule offers one first, `<name>.all-fixed.nix` pins down the text
 * after accepting the first fix of the first finding of that rule, one at a time until none is
 * offered, as a user clicking through the lightbulbs would: it must parse.
 */
export function assertAllFixesMatchGolden(fixture: RuleFixture): FixOutcome {
  const text = fs.readFileSync(fixture.file, 'utf8');
  const label = repositoryPath(fixture.file);
  const goldenLabel = repositoryPath(fixture.allFixedFile);
  const golden = fs.existsSync(fixture.allFixedFile) ? fs.readFileSync(fixture.allFixedFile, 'utf8') : undefined;
  const severities = onlyRules(new Set([fixture.ruleId]));
  const own = (source: string) => checkText(source, { path: fixture.checkPath, severities }).findings.filter((f) => f.ruleId === fixture.ruleId && (f.fixes?.length ?? 0) > 0);
  let findings = own(text);
  if (!findings.some((finding) => finding.fixes?.[0]?.safe === false)) {
    if (golden !== undefined) throw new Error(`${goldenLabel} exists but no finding of ${fixture.ruleId} in ${label} offers an unsafe fix first: delete it`);
    return { fixedText: undefined, note: undefined };
  }
  let current = text;
  // One fix per pass, as a user accepts them: each is computed on the text the last one left.
  for (let pass = 0; pass < 50 && findings.length > 0; pass++) {
    const { text: next, applied } = applyFixes(current, [(findings[0].fixes as NonNullable<Finding['fixes']>)[0]]);
    if (applied.length === 0) break;
    current = next;
    findings = own(current);
  }
  if (findings.length > 0) throw new Error(`${label}: fixes still offered after accepting every first fix:\n${describeFindings(current, findings)}`);
  if (SourceFile.parse(current).hasSyntaxErrors) throw new Error(`${label}: accepting every fix leaves syntax errors:\n${numbered(current)}`);
  const fixedText = stripAnnotationLines(current);
  if (golden === fixedText) return { fixedText, note: undefined };
  if (updatingGoldens()) {
    fs.writeFileSync(fixture.allFixedFile, fixedText);
    return { fixedText, note: `wrote ${goldenLabel}` };
  }
  if (golden === undefined) {
    throw new Error(`${label} offers unsafe fixes but has no ${path.basename(fixture.allFixedFile)}: create it with \`UPDATE_EXPECT=1 npm test\` and review it. It would be:\n${numbered(fixedText)}`);
  }
  throw new Error(`${goldenLabel} differs from the text after every fix (rewrite with UPDATE_EXPECT=1 and review the diff):\n${lineDiff(golden, fixedText)}`);
}

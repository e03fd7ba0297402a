// The one pipeline behind `nixguard check`, the server's diagnostics and the tests:
// text → SourceFile → AnalyzedFile → rules → findings, and the fix loop on top.
import { AnalyzedFile } from '../analysis/analyzed-file';
import { ALL_RULES } from '../rules';
import { runRules, RunResult, RunState } from '../rules/runner';
import type { Finding, Fix, SeveritySetting } from '../rules/types';
import { SourceFile } from '../syntax/source-file';
import { applyFixes } from './fix-all';

export interface CheckOptions {
  readonly path?: string;
  readonly severities?: ReadonlyMap<string, SeveritySetting>;
  readonly previous?: RunState;
  readonly maxFindings?: number;
}

export function checkFile(file: AnalyzedFile, options: CheckOptions = {}): RunResult {
  return runRules(file, { rules: ALL_RULES, severities: options.severities, previous: options.previous, maxFindings: options.maxFindings });
}

/** Checks one version that will not be edited: its tree is freed as soon as its table is built. */
export function checkText(text: string, options: CheckOptions = {}): RunResult & { file: AnalyzedFile } {
  const file = new AnalyzedFile(SourceFile.parse(text, { keepTree: false }), options.path);
  return { ...checkFile(file, options), file };
}

export interface FixResult {
  readonly text: string;
  /** Findings whose safe fix was applied, in the order applied. */
  readonly fixed: readonly Finding[];
  /** The findings left in the final text. */
  readonly remaining: RunResult;
}

export const MAX_FIX_PASSES = 10;

/** The first safe fix of each finding, which is the one `--fix` and fix-all apply. */
export function safeFixOf(finding: Finding): Fix | undefined {
  return finding.fixes?.find((fix) => fix.safe);
}

/**
 * Applies every safe fix, re-checking between passes so that fixes which overlapped in one pass
 * get their turn in the next. A pass whose result does not parse is rolled back.
 */
export function fixText(text: string, options: CheckOptions = {}): FixResult {
  let current = checkText(text, options);
  let currentText = text;
  const fixed: Finding[] = [];
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const candidates = current.findings.filter((finding) => safeFixOf(finding));
    if (candidates.length === 0) break;
    const byFix = new Map<Fix, Finding>(candidates.map((finding) => [safeFixOf(finding) as Fix, finding]));
    const { text: nextText, applied } = applyFixes(currentText, [...byFix.keys()]);
    if (applied.length === 0 || nextText === currentText) break;
    const next = checkText(nextText, options);
    if (next.file.source.hasSyntaxErrors && !current.file.source.hasSyntaxErrors) break;
    fixed.push(...applied.map((fix) => byFix.get(fix) as Finding));
    currentText = nextText;
    current = next;
  }
  return { text: currentText, fixed, remaining: current };
}

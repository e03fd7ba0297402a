// Code actions from findings: one quick fix per fix of each finding that touches the requested
// range (a finding's safe fix is the preferred one), and "fix all": every safe fix of the file
// applied by the same loop as `nixguard check --fix`, returned as one minimal edit.
import type { Finding, Fix, OffsetRange, TextEdit } from '../rules/types';
import { CheckOptions, fixText, safeFixOf } from './check';

export interface QuickFix {
  readonly finding: Finding;
  readonly fix: Fix;
  /** The finding's safe fix, which editors may apply without asking (`isPreferred`). */
  readonly preferred: boolean;
}

/** Whether a finding touches `range`; an empty range (a cursor) touches a finding at its ends too. */
function touches(finding: Finding, range: OffsetRange): boolean {
  return finding.range.start <= range.end && range.start <= finding.range.end;
}

export function quickFixes(findings: readonly Finding[], range: OffsetRange): QuickFix[] {
  const result: QuickFix[] = [];
  for (const finding of findings) {
    if (!finding.fixes?.length || !touches(finding, range)) continue;
    const preferredFix = safeFixOf(finding);
    for (const fix of finding.fixes) result.push({ finding, fix, preferred: fix === preferredFix });
  }
  return result;
}

export function hasSafeFix(findings: readonly Finding[]): boolean {
  return findings.some((finding) => safeFixOf(finding) !== undefined);
}

/**
 * All safe fixes of `text` as one edit replacing only the span between the unchanged prefix and
 * suffix, so that the editor keeps cursors and folding outside it. Undefined when nothing changes.
 */
export function fixAllEdit(text: string, options: CheckOptions = {}): TextEdit | undefined {
  const fixed = fixText(text, options).text;
  if (fixed === text) return undefined;
  return minimalEdit(text, fixed);
}

export function minimalEdit(before: string, after: string): TextEdit {
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Never split a surrogate pair: editors count UTF-16 units but some clients reject half pairs.
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { range: { start: prefix, end: before.length - suffix }, newText: after.slice(prefix, after.length - suffix) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

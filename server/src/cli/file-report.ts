// What checking one file produces, in a form that crosses a worker-thread boundary (plain JSON)
// and that every output format can print without the file's text: positions are already lines
// and characters, computed once from the offsets through LineIndex.
import * as fs from 'fs';
import { fixText, checkText, safeFixOf } from '../features/check';
import type { Finding, Severity, SeveritySetting } from '../rules/types';
import { LineIndex, LineCharacter } from '../syntax/line-index';

export interface LineRange {
  /** Zero-based line and character, the character in UTF-16 code units (as LSP counts). */
  readonly start: LineCharacter;
  readonly end: LineCharacter;
}

export interface ReportedEdit {
  readonly range: LineRange;
  readonly newText: string;
}

export interface ReportedFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: LineRange;
  /** One-based column of the start in Unicode characters (code points), for the text format. */
  readonly column: number;
  /** The fix `--fix` would apply, if any. */
  readonly safeFix?: { readonly title: string; readonly edits: readonly ReportedEdit[] };
}

export interface FileReport {
  /** As printed: relative to the working directory. */
  readonly path: string;
  readonly findings: readonly ReportedFinding[];
  /** Problems fixed in place by `--fix`. */
  readonly fixedCount: number;
  /** Set when the file could not be read or written; then `findings` is empty. */
  readonly ioError?: string;
  /** Rules that crashed on this file (a bug in nixguard, not in the user's code). */
  readonly ruleFailures: readonly { readonly ruleId: string; readonly message: string }[];
}

export interface CheckTask {
  readonly file: string;
  readonly displayPath: string;
  readonly severities: readonly (readonly [string, SeveritySetting])[];
  readonly fix: boolean;
}

/** Reads, checks (and with `fix`, fixes and rewrites) one file. Never throws. */
export function checkFileOnDisk(task: CheckTask): FileReport {
  let text: string;
  try {
    text = fs.readFileSync(task.file, 'utf8');
  } catch (error) {
    return { path: task.displayPath, findings: [], fixedCount: 0, ioError: describeIoError(error), ruleFailures: [] };
  }
  const report = checkSourceText(text, task);
  if (report.fixedText === undefined || report.fixedText === text) return report.report;
  try {
    fs.writeFileSync(task.file, report.fixedText, 'utf8');
  } catch (error) {
    return { ...report.report, fixedCount: 0, ioError: `cannot write fixes: ${describeIoError(error)}` };
  }
  return report.report;
}

/** Checks a text that is already in memory (a file or stdin); with `fix`, also returns the fixed text. */
export function checkSourceText(text: string, task: Omit<CheckTask, 'file'>): { report: FileReport; fixedText?: string } {
  const options = { path: task.displayPath, severities: new Map(task.severities) };
  if (task.fix) {
    const result = fixText(text, options);
    const lineIndex = new LineIndex(result.text);
    const report: FileReport = {
      path: task.displayPath,
      findings: result.remaining.findings.map((finding) => reportFinding(finding, result.text, lineIndex)),
      fixedCount: result.fixed.length,
      ruleFailures: result.remaining.failures.map(({ ruleId, message }) => ({ ruleId, message })),
    };
    return { report, fixedText: result.text };
  }
  const result = checkText(text, options);
  const lineIndex = result.file.source.lineIndex;
  return {
    report: {
      path: task.displayPath,
      findings: result.findings.map((finding) => reportFinding(finding, text, lineIndex)),
      fixedCount: 0,
      ruleFailures: result.failures.map(({ ruleId, message }) => ({ ruleId, message })),
    },
  };
}

function reportFinding(finding: Finding, text: string, lineIndex: LineIndex): ReportedFinding {
  const toRange = (range: { start: number; end: number }): LineRange => ({ start: lineIndex.position(range.start), end: lineIndex.position(range.end) });
  const range = toRange(finding.range);
  const lineStart = lineIndex.lineStart(range.start.line);
  const column = countCodePoints(text, lineStart, lineStart + range.start.character) + 1;
  const fix = safeFixOf(finding);
  const reported: ReportedFinding = { ruleId: finding.ruleId, severity: finding.severity, message: finding.message, range, column };
  if (!fix) return reported;
  return { ...reported, safeFix: { title: fix.title, edits: fix.edits.map((edit) => ({ range: toRange(edit.range), newText: edit.newText })) } };
}

function countCodePoints(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < to) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** "no such file or directory" rather than Node's "ENOENT: no such file or directory, open '...'". */
export function describeIoError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = (error as { code?: unknown }).code;
    switch (code) {
      case 'ENOENT':
        return 'no such file or directory';
      case 'EACCES':
      case 'EPERM':
        return 'permission denied';
      case 'EISDIR':
        return 'is a directory';
      case 'ENOTDIR':
        return 'not a directory';
      case 'ELOOP':
        return 'too many levels of symbolic links';
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

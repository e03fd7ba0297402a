// The one place where internal offsets (UTF-16 code units into the document text) become LSP
// positions and back, and where nixguard's plain data becomes LSP types. LSP's default position
// encoding is UTF-16 as well, so a character is `offset - lineStart` through `LineIndex`; we do
// not negotiate another encoding.
import {
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  Position,
  Range,
  TextDocumentContentChangeEvent,
  TextEdit,
} from 'vscode-languageserver';
import type { TextChange } from '../syntax/source-file';
import { LineIndex } from '../syntax/line-index';
import type { Finding, FindingTag, OffsetRange, Severity, TextEdit as OffsetTextEdit } from '../rules/types';

export const DIAGNOSTIC_SOURCE = 'nixguard';
export const RULE_DOCS_BASE = 'https://github.com/nixguard/nixguard/blob/main/docs/rules/';

export function toPosition(lineIndex: LineIndex, offset: number): Position {
  const { line, character } = lineIndex.position(offset);
  return { line, character };
}

export function toRange(lineIndex: LineIndex, range: OffsetRange): Range {
  return { start: toPosition(lineIndex, range.start), end: toPosition(lineIndex, range.end) };
}

/** Clamps out-of-range positions to the text, as the LSP specification asks. */
export function toOffset(lineIndex: LineIndex, position: Position): number {
  return lineIndex.offset(position);
}

export function toOffsetRange(lineIndex: LineIndex, range: Range): OffsetRange {
  const start = toOffset(lineIndex, range.start);
  const end = toOffset(lineIndex, range.end);
  return start <= end ? { start, end } : { start: end, end: start };
}

/**
 * One content change of `textDocument/didChange` as an offset change on `text`. Full-text
 * changes (no range) replace everything. `lineIndex` must describe `text`.
 */
export function toTextChange(lineIndex: LineIndex, textLength: number, change: TextDocumentContentChangeEvent): TextChange {
  if (!('range' in change) || change.range === undefined) return { start: 0, end: textLength, text: change.text };
  const { start, end } = toOffsetRange(lineIndex, change.range);
  return { start, end, text: change.text };
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAGS: Record<FindingTag, DiagnosticTag> = {
  unnecessary: DiagnosticTag.Unnecessary,
  deprecated: DiagnosticTag.Deprecated,
};

export function ruleDocUrl(ruleId: string): string {
  return `${RULE_DOCS_BASE}${ruleId}.md`;
}

export function toDiagnostic(finding: Finding, lineIndex: LineIndex, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(lineIndex, finding.range),
    severity: SEVERITIES[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.tags?.length) diagnostic.tags = finding.tags.map((tag) => TAGS[tag]);
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((related) => ({
      location: { uri, range: toRange(lineIndex, related.range) },
      message: related.message,
    }));
  }
  return diagnostic;
}

export function toDiagnostics(findings: readonly Finding[], lineIndex: LineIndex, uri: string): Diagnostic[] {
  return findings.map((finding) => toDiagnostic(finding, lineIndex, uri));
}

export function toLspTextEdit(edit: OffsetTextEdit, lineIndex: LineIndex): TextEdit {
  return { range: toRange(lineIndex, edit.range), newText: edit.newText };
}

/** A diagnostic that is not a rule's finding (configuration problems, skipped files). */
export function plainDiagnostic(range: Range, severity: Severity, code: string, message: string): Diagnostic {
  return { range, severity: SEVERITIES[severity], code, source: DIAGNOSTIC_SOURCE, message };
}

// The one place where internal offsets (UTF-16 code units into the document text) become LSP
// positions and back, and where nixguard's plain data becomes LSP types. LSP's default position
// encoding is UTF-16 as well, so a character is `offset - lineStart` through `LineIndex`; we do
// not negotiate another encoding.
import {
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  DocumentHighlight,
  DocumentHighlightKind,
  DocumentSymbol,
  FoldingRange,
  FoldingRangeKind,
  Location,
  Position,
  Range,
  SelectionRange,
  SymbolInformation,
  SymbolKind,
  TextDocumentContentChangeEvent,
  TextEdit,
} from 'vscode-languageserver';
import type { Highlight } from '../features/document-highlight';
import type { DocumentSymbol as NixSymbol, SymbolKind as NixSymbolKind } from '../features/document-symbols';
import type { FoldingRegion } from '../features/folding-ranges';
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

export function toLocation(uri: string, lineIndex: LineIndex, range: OffsetRange): Location {
  return { uri, range: toRange(lineIndex, range) };
}

export function toDocumentHighlight(lineIndex: LineIndex, highlight: Highlight): DocumentHighlight {
  return { range: toRange(lineIndex, highlight.range), kind: highlight.access === 'write' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read };
}

const SYMBOL_KINDS: Record<NixSymbolKind, SymbolKind> = {
  variable: SymbolKind.Variable,
  field: SymbolKind.Field,
  formal: SymbolKind.TypeParameter,
  function: SymbolKind.Function,
  object: SymbolKind.Object,
  array: SymbolKind.Array,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Null,
  path: SymbolKind.File,
};

/** The symbol tree (converted with an explicit stack: trees are never walked recursively). */
export function toDocumentSymbols(lineIndex: LineIndex, symbols: readonly NixSymbol[]): DocumentSymbol[] {
  const convert = (symbol: NixSymbol): DocumentSymbol => ({
    name: symbol.name,
    detail: symbol.detail,
    kind: SYMBOL_KINDS[symbol.kind],
    range: toRange(lineIndex, symbol.range),
    selectionRange: toRange(lineIndex, symbol.selectionRange),
    children: [],
  });
  const result = symbols.map(convert);
  const pending: [NixSymbol, DocumentSymbol][] = symbols.map((symbol, index) => [symbol, result[index]]);
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [symbol, converted] = item;
    for (const child of symbol.children) {
      const convertedChild = convert(child);
      converted.children?.push(convertedChild);
      pending.push([child, convertedChild]);
    }
  }
  return result;
}

/** For clients without hierarchical symbols: the tree flattened in document order, with container names. */
export function toSymbolInformation(uri: string, lineIndex: LineIndex, symbols: readonly NixSymbol[]): SymbolInformation[] {
  const result: SymbolInformation[] = [];
  const pending: { symbol: NixSymbol; container: string | undefined }[] = symbols.map((symbol) => ({ symbol, container: undefined })).reverse();
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { symbol, container } = item;
    result.push({ name: symbol.name, kind: SYMBOL_KINDS[symbol.kind], location: toLocation(uri, lineIndex, symbol.range), containerName: container });
    for (let i = symbol.children.length - 1; i >= 0; i--) pending.push({ symbol: symbol.children[i], container: symbol.name });
  }
  return result;
}

/**
 * Folding regions as whole lines: one-line regions are dropped, and of regions that start on the
 * same line the longest is kept (clients fold one region per line). At most `limit` when given.
 */
export function toFoldingRanges(lineIndex: LineIndex, regions: readonly FoldingRegion[], limit?: number): FoldingRange[] {
  const byStartLine = new Map<number, FoldingRange>();
  for (const region of regions) {
    const startLine = lineIndex.position(region.start).line;
    const endLine = lineIndex.position(Math.max(region.start, region.end - 1)).line;
    if (endLine <= startLine) continue;
    const existing = byStartLine.get(startLine);
    if (existing && existing.endLine >= endLine) continue;
    byStartLine.set(startLine, { startLine, endLine, kind: region.kind === 'comment' ? FoldingRangeKind.Comment : undefined });
  }
  const ranges = [...byStartLine.values()].sort((a, b) => a.startLine - b.startLine);
  return limit !== undefined && limit >= 0 ? ranges.slice(0, limit) : ranges;
}

/** Ranges innermost first, as the linked list LSP wants (each range's parent is the next one). */
export function toSelectionRange(lineIndex: LineIndex, ranges: readonly OffsetRange[]): SelectionRange {
  let result: SelectionRange | undefined;
  for (let i = ranges.length - 1; i >= 0; i--) result = { range: toRange(lineIndex, ranges[i]), parent: result };
  return result ?? { range: toRange(lineIndex, { start: 0, end: 0 }) };
}

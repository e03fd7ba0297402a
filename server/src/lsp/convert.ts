// The one place where internal offsets (UTF-16 code units into the document text) become LSP
// positions and back, and where nixguard's plain data becomes LSP types. A position's character
// counts code units of the encoding negotiated at initialize (LSP 3.17 `positionEncoding`:
// UTF-16, the default and ours, or UTF-8 or UTF-32), through `LineIndex`.
//
// The encoding is connection state kept here rather than passed along: one server process serves
// one client, the encoding is fixed for the connection's life, and every position and length on
// the wire (incoming changes and request positions included) goes through this file, so no
// caller can forget it.
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
import { SEMANTIC_TOKEN_TYPES, SemanticToken, SemanticTokenType } from '../features/semantic-tokens';
import type { TextChange } from '../syntax/source-file';
import { LineIndex, PositionEncoding } from '../syntax/line-index';
import type { Finding, FindingTag, OffsetRange, Severity, TextEdit as OffsetTextEdit } from '../rules/types';

export const DIAGNOSTIC_SOURCE = 'nixguard';
export const RULE_DOCS_BASE = 'https://github.com/nixguard/nixguard/blob/main/docs/rules/';

let positionEncoding: PositionEncoding = 'utf-16';

/** Sets the encoding of every position converted from now on (at initialize, once per connection). */
export function usePositionEncoding(encoding: PositionEncoding): void {
  positionEncoding = encoding;
}

export function toPosition(lineIndex: LineIndex, offset: number): Position {
  const { line, character } = lineIndex.position(offset, positionEncoding);
  return { line, character };
}

export function toRange(lineIndex: LineIndex, range: OffsetRange): Range {
  return { start: toPosition(lineIndex, range.start), end: toPosition(lineIndex, range.end) };
}

/** Clamps out-of-range positions to the text, as the LSP specification asks. */
export function toOffset(lineIndex: LineIndex, position: Position): number {
  return lineIndex.offset(position, positionEncoding);
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

const SEMANTIC_TOKEN_TYPE_INDEX: Readonly<Record<SemanticTokenType, number>> = Object.fromEntries(SEMANTIC_TOKEN_TYPES.map((type, index) => [type, index])) as Record<SemanticTokenType, number>;

/**
 * Semantic tokens (sorted, non-overlapping offsets) in LSP's relative encoding: five integers per
 * token (line delta, start character delta, length, type index in SEMANTIC_TOKEN_TYPES order,
 * modifier bits), each token split at line ends for clients without `multilineTokenSupport`.
 * Lines are found by walking forward, as the tokens are in order. Starts and lengths count code
 * units of the negotiated encoding; in UTF-8 or UTF-32 each line is measured once, left to right,
 * from one token to the next.
 */
export function toSemanticTokensData(lineIndex: LineIndex, tokens: readonly SemanticToken[]): number[] {
  if (tokens.length === 0) return [];
  // Written by index into a preallocated array: pushing 700,000 integers one by one costs several
  // times more (growth and garbage). Tokens split across lines extend it past the estimate.
  const data: number[] = new Array<number>(tokens.length * 5);
  let used = 0;
  let line = lineIndex.position(tokens[0].start).line;
  let lineStart = lineIndex.lineStart(line);
  let nextLineStart = line + 1 < lineIndex.lineCount ? lineIndex.lineStart(line + 1) : Number.POSITIVE_INFINITY;
  let previousLine = 0;
  let previousCharacter = 0;
  const encoding = positionEncoding;
  const measured = encoding !== 'utf-16';
  // Measured so far on the current line (UTF-8/32): the encoded character at `measuredOffset`.
  let measuredOffset = lineStart;
  let measuredCharacter = 0;
  const characterAt = (offset: number): number => {
    if (!measured) return offset - lineStart;
    if (measuredOffset < lineStart || measuredOffset > offset) {
      measuredOffset = lineStart;
      measuredCharacter = 0;
    }
    measuredCharacter += lineIndex.encodedLength(measuredOffset, offset, encoding);
    measuredOffset = offset;
    return measuredCharacter;
  };
  const nextLine = (): void => {
    line++;
    lineStart = nextLineStart;
    nextLineStart = line + 1 < lineIndex.lineCount ? lineIndex.lineStart(line + 1) : Number.POSITIVE_INFINITY;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const type = SEMANTIC_TOKEN_TYPE_INDEX[token.type];
    let start = token.start;
    const end = token.start + token.length;
    while (start >= nextLineStart) nextLine();
    for (;;) {
      // The part of the token on this line, without the line terminator (a token that ends
      // before the next line starts is on this line alone: the common case, answered first).
      const pieceEnd = end < nextLineStart ? end : Math.min(end, lineIndex.lineEnd(line));
      if (pieceEnd > start) {
        const character = characterAt(start);
        data[used++] = line - previousLine;
        data[used++] = line === previousLine ? character - previousCharacter : character;
        data[used++] = measured ? characterAt(pieceEnd) - character : pieceEnd - start;
        data[used++] = type;
        data[used++] = token.modifiers;
        previousLine = line;
        previousCharacter = character;
      }
      if (end <= nextLineStart) break;
      nextLine();
      start = lineStart;
    }
  }
  data.length = used;
  return data;
}

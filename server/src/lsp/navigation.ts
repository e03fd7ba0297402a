// Navigation requests on the wire: definition, references, highlights, rename, symbols, folding,
// selection ranges and links. Each handler looks up the document's analysis (no rules run),
// converts the position, calls one features/ function and converts the answer. The only IO is
// checking which file a path literal names.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  DefinitionParams,
  DocumentHighlight,
  DocumentHighlightParams,
  DocumentLink,
  DocumentLinkParams,
  DocumentSymbol,
  DocumentSymbolParams,
  FoldingRange,
  FoldingRangeParams,
  Location,
  LSPErrorCodes,
  PrepareRenameParams,
  Range,
  ReferenceParams,
  RenameParams,
  ResponseError,
  SelectionRange,
  SelectionRangeParams,
  SymbolInformation,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { findDefinition } from '../features/definition';
import { documentHighlights } from '../features/document-highlight';
import { documentLinks, LinkTarget, pathLinkAt } from '../features/document-links';
import { documentSymbols, SymbolTruncation } from '../features/document-symbols';
import { foldingRegions } from '../features/folding-ranges';
import { findReferences } from '../features/references';
import { prepareRename, rename } from '../features/rename';
import { selectionRanges } from '../features/selection-ranges';
import type { LineIndex } from '../syntax/line-index';
import { workspaceEdit } from './actions';
import type { ClientFeatures } from './capabilities';
import {
  toDocumentHighlight,
  toDocumentSymbols,
  toFoldingRanges,
  toLocation,
  toOffset,
  toRange,
  toSelectionRange,
  toSymbolInformation,
} from './convert';
import type { DocumentStore, OpenDocument } from './documents';

export interface NavigationContext {
  readonly documents: DocumentStore;
  readonly features: ClientFeatures;
  readonly outlineNotices: OutlineNotices;
}

/**
 * Tells the user (one `window/logMessage` per document version, however often the client asks
 * for symbols) that an outline was cut short, and by which limit; otherwise a missing binding in
 * the outline of a huge file looks like a bug.
 */
export class OutlineNotices {
  /** Document → the last version told about; a reopened document is a new object. */
  private readonly told = new WeakMap<OpenDocument, number>();

  constructor(private readonly log: (message: string) => void) {}

  tell(document: OpenDocument, truncation: SymbolTruncation): void {
    if (this.told.get(document) === document.version) return;
    this.told.set(document, document.version);
    this.log(outlineNotice(document.uri, document.version, truncation));
  }
}

export function outlineNotice(uri: string, version: number, truncation: SymbolTruncation): string {
  const reasons: string[] = [];
  if (truncation.maxSymbols !== undefined) reasons.push(`the outline stops at ${truncation.maxSymbols} symbols (shallow bindings first)`);
  if (truncation.maxDepth !== undefined) reasons.push(`it leaves out bindings nested more than ${truncation.maxDepth} levels deep`);
  return `document symbols of ${uri} (version ${version}): showing ${truncation.shown} symbols; ${reasons.join(', and ')}`;
}

interface OpenFile {
  readonly document: OpenDocument;
  readonly file: AnalyzedFile;
  readonly lineIndex: LineIndex;
}

function openFile(context: NavigationContext, uri: string): OpenFile | undefined {
  const document = context.documents.get(uri);
  const file = document?.file();
  return document && file ? { document, file, lineIndex: file.source.lineIndex } : undefined;
}

/** The first candidate that is an existing file, as a URI. */
function existingFileUri(target: LinkTarget): string | undefined {
  if (target.kind === 'url') return target.url;
  const found = target.candidates.find((candidate) => fs.statSync(candidate, { throwIfNoEntry: false })?.isFile() === true);
  return found === undefined ? undefined : pathToFileURL(found).toString();
}

function folderOf(document: OpenDocument): string | undefined {
  return document.path === undefined ? undefined : path.dirname(document.path);
}

const START_OF_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function definition(context: NavigationContext, params: DefinitionParams): Location[] {
  const open = openFile(context, params.textDocument.uri);
  if (!open) return [];
  const offset = toOffset(open.lineIndex, params.position);
  const ranges = findDefinition(open.file, offset);
  if (ranges.length > 0) return ranges.map((range) => toLocation(open.document.uri, open.lineIndex, range));
  // `./foo.nix` leads to that file.
  const link = pathLinkAt(open.file, offset, folderOf(open.document));
  const uri = link && existingFileUri(link.target);
  return uri ? [{ uri, range: START_OF_FILE }] : [];
}

export function references(context: NavigationContext, params: ReferenceParams): Location[] {
  const open = openFile(context, params.textDocument.uri);
  if (!open) return [];
  const ranges = findReferences(open.file, toOffset(open.lineIndex, params.position), params.context.includeDeclaration);
  return ranges.map((range) => toLocation(open.document.uri, open.lineIndex, range));
}

export function highlights(context: NavigationContext, params: DocumentHighlightParams): DocumentHighlight[] {
  const open = openFile(context, params.textDocument.uri);
  if (!open) return [];
  return documentHighlights(open.file, toOffset(open.lineIndex, params.position)).map((highlight) => toDocumentHighlight(open.lineIndex, highlight));
}

export function prepareRenameAt(context: NavigationContext, params: PrepareRenameParams): { range: Range; placeholder: string } | ResponseError | null {
  const open = openFile(context, params.textDocument.uri);
  const result = open && prepareRename(open.file, toOffset(open.lineIndex, params.position));
  if (!open || !result) return null;
  if (result.kind === 'refused') return new ResponseError(LSPErrorCodes.RequestFailed, result.message);
  return { range: toRange(open.lineIndex, result.range), placeholder: result.placeholder };
}

export function renameAt(context: NavigationContext, params: RenameParams): WorkspaceEdit | ResponseError | null {
  const open = openFile(context, params.textDocument.uri);
  const result = open && rename(open.file, toOffset(open.lineIndex, params.position), params.newName);
  if (!open || !result) return null;
  if (result.kind === 'refused') return new ResponseError(LSPErrorCodes.RequestFailed, result.message);
  return workspaceEdit(context.features, open.document, result.edits, open.lineIndex);
}

export function symbols(context: NavigationContext, params: DocumentSymbolParams): DocumentSymbol[] | SymbolInformation[] {
  const open = openFile(context, params.textDocument.uri);
  if (!open) return [];
  const found = documentSymbols(open.file);
  if (found.truncated) context.outlineNotices.tell(open.document, found.truncated);
  return context.features.hierarchicalSymbols ? toDocumentSymbols(open.lineIndex, found.symbols) : toSymbolInformation(open.document.uri, open.lineIndex, found.symbols);
}

export function foldingRanges(context: NavigationContext, params: FoldingRangeParams): FoldingRange[] {
  const open = openFile(context, params.textDocument.uri);
  return open ? toFoldingRanges(open.lineIndex, foldingRegions(open.file), context.features.foldingRangeLimit) : [];
}

export function selections(context: NavigationContext, params: SelectionRangeParams): SelectionRange[] {
  const open = openFile(context, params.textDocument.uri);
  if (!open) return [];
  const offsets = params.positions.map((position) => toOffset(open.lineIndex, position));
  return selectionRanges(open.file, offsets).map((ranges) => toSelectionRange(open.lineIndex, ranges));
}

export function links(context: NavigationContext, params: DocumentLinkParams): DocumentLink[] {
  const open = openFile(context, params.textDocument.uri);
  if (!open) return [];
  const result: DocumentLink[] = [];
  for (const link of documentLinks(open.file, folderOf(open.document))) {
    const target = existingFileUri(link.target);
    if (target) result.push({ range: toRange(open.lineIndex, link.range), target });
  }
  return result;
}

// What the server offers, built in one function from what the client says it supports. Every
// capability is registered statically in the initialize result: Neovim 0.7 ignores dynamic
// registration. Dynamic registration is used only for the two notifications that have no static
// form (configuration changes and watched `.nixguard.json` files), and only when offered.
import {
  ClientCapabilities,
  CodeActionKind,
  ServerCapabilities,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import type { PositionEncoding } from '../syntax/line-index';
import { SEMANTIC_TOKENS_LEGEND } from './semantic-tokens';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.nixguard`;

/** `only: ["source.fixAll"]` admits `source.fixAll.nixguard`: kinds are dot-separated hierarchies. */
export function kindRequested(kind: string, only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

const SUPPORTED_ENCODINGS: readonly string[] = ['utf-8', 'utf-16', 'utf-32'] satisfies PositionEncoding[];

/**
 * The position encoding for a client offering `offered` (LSP 3.17 `general.positionEncodings`,
 * most preferred first): the first one we support, since we support all three and the client
 * knows what it converts cheapest; UTF-16, the protocol's default that every client supports,
 * when it offers none we know.
 */
export function negotiatePositionEncoding(offered: readonly string[] | undefined): PositionEncoding {
  const chosen = offered?.find((encoding) => SUPPORTED_ENCODINGS.includes(encoding));
  return (chosen as PositionEncoding | undefined) ?? 'utf-16';
}

/** The parts of the client's capabilities that change how the server behaves. */
export interface ClientFeatures {
  /** What a position's character counts, announced in the initialize result. */
  readonly positionEncoding: PositionEncoding;
  /** The client pulls diagnostics (`textDocument/diagnostic`): the server then never pushes them. */
  readonly pullDiagnostics: boolean;
  readonly diagnosticRefresh: boolean;
  /** The client answers `workspace/configuration`. */
  readonly pullSettings: boolean;
  readonly registerConfigurationChange: boolean;
  readonly registerWatchedFiles: boolean;
  /** The client resolves a code action's `edit` lazily (`codeAction/resolve`). */
  readonly resolveCodeActionEdit: boolean;
  /** Workspace edits may carry document versions (`documentChanges`). */
  readonly versionedEdits: boolean;
  /** The client sends `textDocument/prepareRename` before a rename. */
  readonly prepareRename: boolean;
  /** Document symbols as a tree (`DocumentSymbol[]`) rather than a flat `SymbolInformation[]`. */
  readonly hierarchicalSymbols: boolean;
  /** The most folding ranges the client wants, if it says. */
  readonly foldingRangeLimit: number | undefined;
  /** Completion items may be snippets (`$1`, `$0`); otherwise they insert plain text. */
  readonly snippetSupport: boolean;
  /** Hover contents may be markdown (else the markdown is sent as plain text). */
  readonly markdownHover: boolean;
  /** Completion item documentation may be markdown. */
  readonly markdownCompletionDocs: boolean;
}

export function clientFeatures(client: ClientCapabilities): ClientFeatures {
  return {
    positionEncoding: negotiatePositionEncoding(client.general?.positionEncodings),
    pullDiagnostics: client.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: client.workspace?.diagnostics?.refreshSupport === true,
    pullSettings: client.workspace?.configuration === true,
    registerConfigurationChange: client.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    registerWatchedFiles: client.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    resolveCodeActionEdit: client.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true,
    versionedEdits: client.workspace?.workspaceEdit?.documentChanges === true,
    prepareRename: client.textDocument?.rename?.prepareSupport === true,
    hierarchicalSymbols: client.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    foldingRangeLimit: client.textDocument?.foldingRange?.rangeLimit,
    snippetSupport: client.textDocument?.completion?.completionItem?.snippetSupport === true,
    markdownHover: client.textDocument?.hover?.contentFormat?.includes('markdown') === true,
    markdownCompletionDocs: client.textDocument?.completion?.completionItem?.documentationFormat?.includes('markdown') === true,
  };
}

export function serverCapabilities(features: ClientFeatures): ServerCapabilities {
  const capabilities: ServerCapabilities = {
    positionEncoding: features.positionEncoding,
    textDocumentSync: {
      openClose: true,
      change: TextDocumentSyncKind.Incremental,
      save: { includeText: false },
    },
    codeActionProvider: {
      codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND],
      resolveProvider: features.resolveCodeActionEdit,
    },
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    // Rename options (with `prepareProvider`) may only be sent to clients that support prepareRename.
    renameProvider: features.prepareRename ? { prepareProvider: true } : true,
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    selectionRangeProvider: true,
    documentLinkProvider: { resolveProvider: false },
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['.'], resolveProvider: false },
    semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: { delta: true }, range: true },
    // Static, for every client: one that does not know inlay hints ignores it (LSP 3.17).
    inlayHintProvider: { resolveProvider: false },
  };
  // Advertised only to clients that pull, so that no client gets the same diagnostics twice.
  if (features.pullDiagnostics) {
    capabilities.diagnosticProvider = { identifier: 'nixguard', interFileDependencies: false, workspaceDiagnostics: false };
  }
  return capabilities;
}

// textDocument/semanticTokens/full, /full/delta and /range on the wire: the legend, result ids
// and deltas. convert.ts encodes features/semantic-tokens.ts's offset tokens into LSP's relative
// integers (five per token), in the legend's order.
//
// Tokens that span lines (indented strings, block comments) are always split into one token per
// line: that is what clients without `multilineTokenSupport` need (VS Code and Neovim among
// them), and clients with it accept it too, so the answer does not depend on the client.
//
// `full` remembers the last encoded array per document (under a result id) so that `full/delta`
// can answer with one edit: the tokens between the common prefix and the common suffix of the
// old and new arrays, which for a typing edit is a handful of tokens.
import type {
  SemanticTokens,
  SemanticTokensDelta,
  SemanticTokensDeltaParams,
  SemanticTokensEdit,
  SemanticTokensLegend,
  SemanticTokensParams,
  SemanticTokensRangeParams,
} from 'vscode-languageserver';
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES, semanticTokens } from '../features/semantic-tokens';
import { toOffsetRange, toSemanticTokensData } from './convert';
import type { OpenDocument } from './documents';
import type { NavigationContext } from './navigation';

/** Modifier bits are sent as the feature sets them: the legend lists modifiers in bit order. */
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...SEMANTIC_TOKEN_TYPES],
  tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS],
};

/** Integers per encoded token. */
const TOKEN_WIDTH = 5;

/**
 * One edit that turns `previous` into `next`: everything between their common prefix and common
 * suffix, both whole tokens. None when they are equal.
 */
export function semanticTokensEdits(previous: readonly number[], next: readonly number[]): SemanticTokensEdit[] {
  const shorter = Math.min(previous.length, next.length);
  let prefix = 0;
  while (prefix < shorter && previous[prefix] === next[prefix]) prefix++;
  prefix -= prefix % TOKEN_WIDTH;
  if (prefix === shorter && previous.length === next.length) return [];
  let suffix = 0;
  while (suffix < shorter - prefix && previous[previous.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
  suffix -= suffix % TOKEN_WIDTH;
  return [{ start: prefix, deleteCount: previous.length - prefix - suffix, data: next.slice(prefix, next.length - suffix) }];
}

/** The last `full` answer for a document: its version's source, result id and encoded tokens. */
interface SentTokens {
  readonly sourceId: number;
  readonly resultId: string;
  /** Sent to the client and kept for the next delta; never changed. */
  readonly data: number[];
}

/**
 * The last answer per open document, to compute deltas from. Keyed weakly by the document object,
 * so a closed document's entry goes with it. The array is the one sent (never changed after):
 * about 6 MB for the 2.4 MB benchmark file, 40 KB for a typical module.
 */
const sentTokens = new WeakMap<OpenDocument, SentTokens>();
let lastResultId = 0;

function analyzedDocument(context: NavigationContext, uri: string): { document: OpenDocument; file: AnalyzedFile } | undefined {
  const document = context.documents.get(uri);
  const file = document?.file();
  return document && file ? { document, file } : undefined;
}

/** The encoded tokens of the document's current version (reused when the version has not changed). */
function currentTokens(document: OpenDocument, file: AnalyzedFile): SentTokens {
  const previous = sentTokens.get(document);
  if (previous && previous.sourceId === file.source.id) return previous;
  const sent: SentTokens = { sourceId: file.source.id, resultId: String(++lastResultId), data: toSemanticTokensData(file.source.lineIndex, semanticTokens(file)) };
  sentTokens.set(document, sent);
  return sent;
}

export const NO_TOKENS: SemanticTokens = { data: [] };

export function fullTokens(context: NavigationContext, params: SemanticTokensParams): SemanticTokens {
  const open = analyzedDocument(context, params.textDocument.uri);
  if (!open) return NO_TOKENS;
  const sent = currentTokens(open.document, open.file);
  return { resultId: sent.resultId, data: sent.data };
}

export function deltaTokens(context: NavigationContext, params: SemanticTokensDeltaParams): SemanticTokens | SemanticTokensDelta {
  const open = analyzedDocument(context, params.textDocument.uri);
  if (!open) return NO_TOKENS;
  const previous = sentTokens.get(open.document);
  const sent = currentTokens(open.document, open.file);
  // Only a delta from what this server last sent for the document can be computed.
  if (!previous || previous.resultId !== params.previousResultId) return { resultId: sent.resultId, data: sent.data };
  return { resultId: sent.resultId, edits: semanticTokensEdits(previous.data, sent.data) };
}

export function rangeTokens(context: NavigationContext, params: SemanticTokensRangeParams): SemanticTokens {
  const open = analyzedDocument(context, params.textDocument.uri);
  if (!open) return NO_TOKENS;
  const lineIndex = open.file.source.lineIndex;
  return { data: toSemanticTokensData(lineIndex, semanticTokens(open.file, toOffsetRange(lineIndex, params.range))) };
}

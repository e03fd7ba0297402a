// textDocument/hover and textDocument/completion on the wire: look up the document, convert the
// position, call features/hover.ts or features/completion.ts, convert the answer. Hover also
// needs the findings (from the document's cached check of its current version), the rule docs and
// Nix's builtin docs; reading those is IO, done here and handed in.
import type { CancellationToken, CompletionItem, CompletionList, CompletionParams, Hover, HoverParams, MarkupContent } from 'vscode-languageserver';
import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import { completionsAt, CompletionItemKind as NixCompletionKind, CompletionList as NixCompletionList } from '../features/completion';
import { hoverAt } from '../features/hover';
import type { Finding } from '../rules/types';
import type { LineIndex } from '../syntax/line-index';
import type { ClientFeatures } from './capabilities';
import type { ConfigManager } from './config';
import { ruleDocUrl, toOffset, toRange } from './convert';
import type { DocumentStore } from './documents';
import { throwIfCancelled } from './guard';
import type { NixBuiltinDocs } from './nix-builtin-docs';
import { ruleDoc } from './rule-docs';

export interface HoverCompletionContext {
  readonly config: ConfigManager;
  readonly documents: DocumentStore;
  readonly features: ClientFeatures;
  readonly builtinDocs: NixBuiltinDocs;
}

function markup(markdown: string, supportsMarkdown: boolean): MarkupContent {
  return { kind: supportsMarkdown ? MarkupKind.Markdown : MarkupKind.PlainText, value: markdown };
}

export async function hover(context: HoverCompletionContext, params: HoverParams, token: CancellationToken): Promise<Hover | null> {
  const document = context.documents.get(params.textDocument.uri);
  if (!document) return null;
  const nixBuiltinDocs = context.builtinDocs.current();
  const settings = await context.config.settingsFor(document.uri, document.path);
  throwIfCancelled(token);
  let findings: readonly Finding[] = [];
  if (!settings.excluded) {
    const analysis = document.analyze(settings);
    if (analysis.kind === 'skipped') return null;
    findings = analysis.result.findings;
  }
  const file = document.file();
  if (!file) return null;
  const lineIndex = file.source.lineIndex;
  const result = hoverAt({ file, offset: toOffset(lineIndex, params.position), findings, environment: { ruleDoc, ruleDocUrl, nixBuiltinDocs } });
  return result ? { contents: markup(result.markdown, context.features.markdownHover), range: toRange(lineIndex, result.range) } : null;
}

const COMPLETION_KINDS: Readonly<Record<NixCompletionKind, CompletionItemKind>> = {
  variable: CompletionItemKind.Variable,
  function: CompletionItemKind.Function,
  keyword: CompletionItemKind.Keyword,
  property: CompletionItemKind.Property,
  module: CompletionItemKind.Module,
  constant: CompletionItemKind.Constant,
};

function toCompletionList(list: NixCompletionList, lineIndex: LineIndex, features: ClientFeatures): CompletionList {
  const range = toRange(lineIndex, list.range);
  const items = list.items.map(
    (item): CompletionItem => ({
      label: item.label,
      kind: COMPLETION_KINDS[item.kind],
      detail: item.detail,
      documentation: item.documentation === undefined ? undefined : markup(item.documentation, features.markdownCompletionDocs),
      sortText: item.sortText,
      insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      // `insertText` is for clients that ignore `textEdit`; the edit replaces the typed word.
      insertText: item.insertText,
      textEdit: { range, newText: item.insertText },
    }),
  );
  return { isIncomplete: list.incomplete, items };
}

export function completion(context: HoverCompletionContext, params: CompletionParams): CompletionList | null {
  const document = context.documents.get(params.textDocument.uri);
  const file = document?.file();
  if (!file) return null;
  void context.builtinDocs.start();
  const lineIndex = file.source.lineIndex;
  const list = completionsAt(file, toOffset(lineIndex, params.position), { snippets: context.features.snippetSupport });
  return list ? toCompletionList(list, lineIndex, context.features) : null;
}

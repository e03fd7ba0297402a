// Code actions on the wire: quick fixes for the findings in the requested range and
// `source.fixAll.nixguard`. Findings are recomputed for the request (from the document's cached
// check of its current version); nothing is remembered between requests, and a lazily resolved
// fix-all carries in its `data` everything the resolve needs.
import type { CancellationToken, CodeAction, CodeActionParams, Connection, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import { fixAllEdit, hasSafeFix, quickFixes } from '../features/code-actions';
import type { TextEdit as OffsetTextEdit } from '../rules/types';
import type { LineIndex } from '../syntax/line-index';
import { ClientFeatures, FIX_ALL_KIND, kindRequested } from './capabilities';
import type { ConfigManager } from './config';
import { toDiagnostic, toLspTextEdit, toOffsetRange } from './convert';
import type { DocumentStore, OpenDocument } from './documents';
import { throwIfCancelled } from './guard';

export const FIX_ALL_TITLE = 'Fix all safely fixable nixguard problems';

interface FixAllData {
  readonly uri: string;
}

function isFixAllData(value: unknown): value is FixAllData {
  return typeof value === 'object' && value !== null && typeof (value as { uri?: unknown }).uri === 'string';
}

export interface ActionContext {
  readonly connection: Connection;
  readonly config: ConfigManager;
  readonly documents: DocumentStore;
  readonly features: ClientFeatures;
}

export async function codeActions(context: ActionContext, params: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
  const document = context.documents.get(params.textDocument.uri);
  if (!document) return [];
  const settings = await context.config.settingsFor(document.uri, document.path);
  throwIfCancelled(token);
  if (settings.excluded) return [];
  const analysis = document.analyze(settings);
  if (analysis.kind === 'skipped') return [];
  const lineIndex = analysis.file.source.lineIndex;
  const findings = analysis.result.findings;
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (kindRequested(CodeActionKind.QuickFix, only)) {
    for (const { finding, fix, preferred } of quickFixes(findings, toOffsetRange(lineIndex, params.range))) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toDiagnostic(finding, lineIndex, document.uri)],
        isPreferred: preferred || undefined,
        edit: workspaceEdit(context.features, document, fix.edits, lineIndex),
      });
    }
  }
  // Fix-all re-checks the whole file, up to ten times: offered on a bare lightbulb request only
  // when the client resolves it lazily, always when asked for by kind (e.g. on save).
  const explicitlyAsked = only !== undefined && kindRequested(FIX_ALL_KIND, only);
  if ((explicitlyAsked || (only === undefined && context.features.resolveCodeActionEdit)) && hasSafeFix(findings)) {
    const action: CodeAction = { title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, data: { uri: document.uri } satisfies FixAllData };
    actions.push(context.features.resolveCodeActionEdit ? action : await resolveFixAll(context, action, token));
  }
  return actions;
}

/** Computes the edit of a fix-all action on the document's current version. */
export async function resolveFixAll(context: ActionContext, action: CodeAction, token: CancellationToken): Promise<CodeAction> {
  if (action.kind !== FIX_ALL_KIND || !isFixAllData(action.data)) return action;
  const document = context.documents.get(action.data.uri);
  if (!document) return action;
  const settings = await context.config.settingsFor(document.uri, document.path);
  throwIfCancelled(token);
  const { text, source } = document.current();
  if (!source || settings.excluded) return action;
  const edit = fixAllEdit(text, { severities: settings.severities, path: document.path });
  return { ...action, edit: workspaceEdit(context.features, document, edit ? [edit] : [], source.lineIndex) };
}

export function workspaceEdit(features: ClientFeatures, document: OpenDocument, edits: readonly OffsetTextEdit[], lineIndex: LineIndex): WorkspaceEdit {
  const lspEdits: TextEdit[] = edits.map((edit) => toLspTextEdit(edit, lineIndex));
  if (features.versionedEdits) return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: lspEdits }] };
  return { changes: { [document.uri]: lspEdits } };
}

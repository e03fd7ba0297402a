// textDocument/inlayHint on the wire: the requested range to offsets, features/inlay-hints.ts,
// offsets back to positions. The hints are sent whole (label, tooltip), so no `inlayHint/resolve`;
// and since clients ask again per range after each edit, no `workspace/inlayHint/refresh`.
import type { InlayHint, InlayHintParams } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import { inlayHints as hintsIn } from '../features/inlay-hints';
import { toOffsetRange, toPosition } from './convert';
import type { NavigationContext } from './navigation';

export function inlayHints(context: NavigationContext, params: InlayHintParams): InlayHint[] {
  const file = context.documents.get(params.textDocument.uri)?.file();
  if (!file) return [];
  const lineIndex = file.source.lineIndex;
  const tooltipKind = context.features.markdownHover ? MarkupKind.Markdown : MarkupKind.PlainText;
  return hintsIn(file, toOffsetRange(lineIndex, params.range)).map((hint) => ({
    position: toPosition(lineIndex, hint.offset),
    label: hint.label,
    paddingLeft: hint.paddingLeft,
    tooltip: { kind: tooltipKind, value: hint.tooltip },
  }));
}

// textDocument/documentHighlight: the occurrences of the name at the cursor, the sites that bind
// it marked as writes and its uses as reads (see references.ts for what counts).
import type { AnalyzedFile } from '../analysis/analyzed-file';
import type { OffsetRange } from '../rules/types';
import { occurrencesAt } from './references';

export interface Highlight {
  readonly range: OffsetRange;
  readonly access: 'read' | 'write';
}

export function documentHighlights(file: AnalyzedFile, offset: number): Highlight[] {
  return (occurrencesAt(file, offset) ?? []).map((occurrence) => ({ range: occurrence.range, access: occurrence.role === 'definition' ? 'write' : 'read' }));
}

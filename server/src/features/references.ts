// textDocument/references (and the occurrences that documentHighlight and rename build on): every
// place that names the same variable as the cursor. For a lexically bound name that is its
// definition sites and the references the scope model resolved to it, plus `args.a` for a formal
// `a` of `args@{ a, ... }`. Names that no binding defines (builtins, names that a `with` may
// supply, undefined names) have no definition to gather around: their occurrences are the other
// references that resolve the same way (same builtin, same innermost `with`).
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { definitionSites, formalAttributeSites, nameAtCursor } from '../analysis/name-sites';
import type { Definition, Reference, Resolution } from '../analysis/scopes';
import type { OffsetRange } from '../rules/types';
import type { NodeId, SyntaxTable } from '../syntax/syntax-table';

export interface Occurrence {
  readonly range: OffsetRange;
  /** `definition`: a site that binds the name (written); `reference`: a use (read). */
  readonly role: 'definition' | 'reference';
}

export function nodeRange(table: SyntaxTable, node: NodeId): OffsetRange {
  return { start: table.start(node), end: table.end(node) };
}

/** The definition the name at `offset` belongs to (for an `inherit a;` of a let: the one it defines). */
export function definitionAtCursor(file: AnalyzedFile, offset: number): Definition | undefined {
  const name = nameAtCursor(file.table, file.scopes, offset);
  if (!name) return undefined;
  if (name.kind === 'reference') return name.reference.resolution.kind === 'definition' ? name.reference.resolution.definition : undefined;
  return name.definition;
}

/** Every site and use of `definition`, in document order. */
export function occurrencesOfDefinition(file: AnalyzedFile, definition: Definition): Occurrence[] {
  const table = file.table;
  const occurrences: Occurrence[] = definitionSites(definition).map((node) => ({ range: nodeRange(table, node), role: 'definition' as const }));
  for (const reference of definition.references) occurrences.push({ range: nodeRange(table, reference.node), role: 'reference' });
  for (const node of formalAttributeSites(table, file.scopes, definition)) occurrences.push({ range: nodeRange(table, node), role: 'reference' });
  return occurrences.sort((a, b) => a.range.start - b.range.start);
}

function resolvesLike(reference: Reference, name: string, resolution: Resolution): boolean {
  if (reference.name !== name || reference.resolution.kind !== resolution.kind) return false;
  if (resolution.kind === 'with' && reference.resolution.kind === 'with') return reference.resolution.withs[0] === resolution.withs[0];
  return true;
}

/** Occurrences of the name at `offset`, or undefined when the cursor is on no variable. */
export function occurrencesAt(file: AnalyzedFile, offset: number): Occurrence[] | undefined {
  const name = nameAtCursor(file.table, file.scopes, offset);
  if (!name) return undefined;
  if (name.kind !== 'reference') return occurrencesOfDefinition(file, name.definition);
  const { resolution } = name.reference;
  if (resolution.kind === 'definition') return occurrencesOfDefinition(file, resolution.definition);
  return file.scopes.references
    .filter((reference) => resolvesLike(reference, name.reference.name, resolution))
    .map((reference) => ({ range: nodeRange(file.table, reference.node), role: 'reference' as const }));
}

/** textDocument/references: the ranges of every occurrence, definition sites only when asked for. */
export function findReferences(file: AnalyzedFile, offset: number, includeDeclaration: boolean): OffsetRange[] {
  const occurrences = occurrencesAt(file, offset) ?? [];
  return occurrences.filter((occurrence) => includeDeclaration || occurrence.role === 'reference').map((occurrence) => occurrence.range);
}

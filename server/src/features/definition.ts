// textDocument/definition: from a use of a name to the site that binds it. `inherit a;` of a let
// or rec reads the outer `a`, so it leads there (as nil does); `inherit a;` of a plain set is a
// use of `a` like any other; `args.a` leads to the formal `a` of `args@{ a, ... }`. A name that
// only a `with` can supply leads to the environment of every `with` that may supply it,
// innermost first. Builtins and undefined names have no definition in the file.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { definitionSites, nameAtCursor } from '../analysis/name-sites';
import type { Resolution } from '../analysis/scopes';
import { Field } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import type { OffsetRange } from '../rules/types';
import { nodeRange } from './references';

function targetsOf(file: AnalyzedFile, resolution: Resolution): OffsetRange[] {
  const table = file.table;
  if (resolution.kind === 'definition') return definitionSites(resolution.definition).map((node) => nodeRange(table, node));
  if (resolution.kind === 'with') {
    const environments = resolution.withs.map((info) => table.childByField(info.node, Field.Environment)).filter((node) => node !== NO_NODE);
    return environments.map((node) => nodeRange(table, node));
  }
  return [];
}

/** Where the name at `offset` is defined; empty when it is not a variable or not defined in the file. */
export function findDefinition(file: AnalyzedFile, offset: number): OffsetRange[] {
  const name = nameAtCursor(file.table, file.scopes, offset);
  if (!name) return [];
  if (name.kind === 'reference') return targetsOf(file, name.reference.resolution);
  if (name.kind === 'definition' && name.inherits) return targetsOf(file, name.inherits.resolution);
  return definitionSites(name.definition).map((node) => nodeRange(file.table, node));
}

// unused-lambda-argument: a function argument (`x: …`) that the body never reads.
//   map (x: "constant") list    →  map (_x: "constant") list
// The argument cannot be removed (the function still takes one), so the fix does what deadnix
// does: it renames the argument to `_x`, the convention for "unused on purpose", which silences
// this rule, deadnix and nil alike. If the body already mentions `_x` the rename would capture it,
// so the fix renames to `_` instead, and offers nothing when that is taken too.
// Names starting with `_` are skipped.
import type { Definition, ScopeModel } from '../analysis/scopes';
import { isReportablyUnused } from '../analysis/unused-definitions';
import { NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';
import type { Fix } from './types';

/** Whether some reference inside the function is spelled `name` (a rename to it would capture it). */
function mentions(table: SyntaxTable, scopes: ScopeModel, fn: NodeId, name: string): boolean {
  const end = table.subtreeEnd(fn);
  const references = scopes.references;
  // References are in row order: find the first inside the function by binary search.
  let low = 0;
  let high = references.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (references[mid].node < fn) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < references.length && references[i].node < end; i++) if (references[i].name === name) return true;
  return false;
}

export default defineRule({
  id: 'unused-lambda-argument',
  meta: {
    severity: 'warning',
    category: 'dead-code',
    description: 'Function argument that is never used',
    fixable: true,
    messages: { unused: 'Unused lambda argument `{{name}}`' },
  },
  check(context) {
    const file = context.file;
    return {
      file() {
        const table = file.table;
        // A use may hide in a syntax error the parser could not read: there, fixes wait for a request.
        const safe = !file.source.hasSyntaxErrors;
        const scopes = file.scopes;
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const definitions = scopes.definitions;
        for (let index = 0; index < definitions.length; index++) {
          const definition = definitions[index];
          if (definition.kind !== 'lambda' || !isReportablyUnused(table, definition)) continue;
          const name = definition.name;
          const replacement = [`_${name}`, '_'].find((candidate) => !mentions(table, scopes, definition.scope, candidate));
          context.report({
            node: definition.node,
            messageId: 'unused',
            data: { name },
            tags: ['unnecessary'],
            fixes: replacement ? [renameFix(table, definition, replacement, safe)] : undefined,
          });
        }
      },
    };
  },
});

function renameFix(table: SyntaxTable, definition: Definition, replacement: string, safe: boolean): Fix {
  return {
    title: `Rename \`${definition.name}\` to \`${replacement}\``,
    edits: [{ range: { start: table.start(definition.node), end: table.end(definition.node) }, newText: replacement }],
    safe,
  };
}

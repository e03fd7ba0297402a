// unused-rec: a `rec { }` whose bindings never refer to each other.
//   rec { a = 1; b = 2; }     →  { a = 1; b = 2; }
// `rec` puts every attribute in scope of the others; when no name resolves to one of them, it
// changes nothing but invites accidental self-reference (`rec { src = src; }` loops forever)
// and makes readers look for the dependency. A use of a name the set itself inherits
// (`rec { inherit pkgs; x = pkgs.a; }`) does not need `rec`: `pkgs` is the same value either
// way. The fix removes the keyword.
import { removeRec } from '../analysis/removal-edits';
import { Kind, Token } from '../syntax/grammar';
import { NO_NODE, NodeId } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'unused-rec',
  meta: {
    severity: 'warning',
    category: 'dead-code',
    description: '`rec` attribute set whose bindings do not refer to each other',
    fixable: true,
    messages: { unused: 'Unused `rec`: no binding refers to another' },
  },
  check(context) {
    const file = context.file;
    return {
      file() {
        const table = file.table;
        // A use may hide in a syntax error the parser could not read: there, fixes wait for a request.
        const safe = !file.source.hasSyntaxErrors;
        // Per rec set, whether any of its names is read; from the definitions alone (no tree
        // walk), so a `rec` without static names (`rec { }`) is not seen.
        const used = new Map<NodeId, boolean>();
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const definitions = file.scopes.definitions;
        for (let index = 0; index < definitions.length; index++) {
          const definition = definitions[index];
          if (definition.kind !== 'rec' && definition.kind !== 'rec-inherit') continue;
          if (table.kind(definition.scope) !== Kind.RecAttrsetExpression) continue;
          // `inherit a;` reads `a` from outside the set: without `rec`, a use of `a` in the set
          // reads that same `a`, so it does not need the `rec`.
          const readsOutside = definition.kind === 'rec-inherit' && table.kind(definition.inheritNode) === Kind.Inherit;
          const needsRec = definition.references.length > 0 && !readsOutside;
          used.set(definition.scope, (used.get(definition.scope) ?? false) || needsRec);
        }
        for (const [recSet, isUsed] of used) {
          if (isUsed) continue;
          const keyword = table.firstChild(recSet);
          if (keyword === NO_NODE || table.kind(keyword) !== Token.rec) continue;
          const edit = removeRec(file.text, table, recSet);
          context.report({
            node: keyword,
            messageId: 'unused',
            tags: ['unnecessary'],
            fixes: edit ? [{ title: 'Remove `rec`', edits: [edit], safe }] : undefined,
          });
        }
      },
    };
  },
});

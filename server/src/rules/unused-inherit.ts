// unused-inherit: a name inherited into a `let` that nothing reads.
//   let inherit (lib) mkIf unused; in mkIf c x   →  let inherit (lib) mkIf; in mkIf c x
//   let inherit (lib) unused; x = 1; in x        →  let x = 1; in x
// The name is dead code, like an unused let binding. The fix removes just that name, the whole
// `inherit` when none of its names is used, and the whole `let … in` when nothing in it is.
// Names starting with `_` are skipped. Inherits in attribute sets define attributes, not
// variables, and are never reported.
import { removeEntry, removeInheritedName, removeLetExpression } from '../analysis/removal-edits';
import type { PlainTextEdit } from '../analysis/text-edits';
import { isReportablyUnused, isWholeInheritUnused, isWholeLetUnused } from '../analysis/unused-definitions';
import { defineRule } from './types';

export default defineRule({
  id: 'unused-inherit',
  meta: {
    severity: 'warning',
    category: 'dead-code',
    description: 'Name inherited into a `let` that is never used',
    fixable: true,
    messages: { unused: 'Unused inherited name `{{name}}`' },
  },
  check(context) {
    const file = context.file;
    return {
      file() {
        const table = file.table;
        // A use may hide in a syntax error the parser could not read: there, fixes wait for a request.
        const safe = !file.source.hasSyntaxErrors;
        const scopes = file.scopes;
        const wholeLet = new Map<number, boolean>();
        const wholeInherit = new Map<number, boolean>();
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const definitions = scopes.definitions;
        for (let index = 0; index < definitions.length; index++) {
          const definition = definitions[index];
          if (definition.kind !== 'let-inherit' || !isReportablyUnused(table, definition)) continue;
          const inherit = definition.inheritNode;
          let removesLet = wholeLet.get(definition.scope);
          if (removesLet === undefined) wholeLet.set(definition.scope, (removesLet = isWholeLetUnused(table, scopes, definition.scope)));
          let removesInherit = wholeInherit.get(inherit);
          if (removesInherit === undefined) wholeInherit.set(inherit, (removesInherit = isWholeInheritUnused(table, scopes, inherit)));
          // A name repeated in the same let (`inherit a; inherit a;`) is a duplicate Nix rejects.
          let edit: PlainTextEdit | undefined;
          if (definition.otherNodes.length === 0) {
            if (removesLet) edit = removeLetExpression(file.text, table, definition.scope);
            if (!edit && removesInherit) edit = removeEntry(file.text, table, inherit);
            if (!edit && !removesInherit) edit = removeInheritedName(file.text, table, definition.node);
          }
          const name = definition.name;
          context.report({
            node: definition.node,
            messageId: 'unused',
            data: { name },
            tags: ['unnecessary'],
            fixes: edit ? [{ title: `Remove the unused inherited name \`${name}\``, edits: [edit], safe }] : undefined,
          });
        }
      },
    };
  },
});

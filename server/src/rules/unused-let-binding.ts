// unused-let-binding: a `let` binding that nothing reads.
//   let unused = 1; x = 2; in x    →  let x = 2; in x
//   let unused = 1; in x           →  x            (the last binding takes the `let … in` with it)
// Nix never evaluates it, so it is dead code: usually left over from an edit, or a typo in the
// name where it is used. A binding that only refers to itself (`f = n: f (n - 1);`) is unused
// too; names starting with `_` are unused on purpose and skipped, as deadnix does.
// Inherited names in a let are unused-inherit's.
import { isReportablyUnused, isWholeLetUnused, bindingsOf } from '../analysis/unused-definitions';
import { removeEntry, removeLetExpression } from '../analysis/removal-edits';
import type { PlainTextEdit } from '../analysis/text-edits';
import { defineRule } from './types';

export default defineRule({
  id: 'unused-let-binding',
  meta: {
    severity: 'warning',
    category: 'dead-code',
    description: '`let` binding that is never used',
    fixable: true,
    messages: { unused: 'Unused `let` binding `{{name}}`' },
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
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const definitions = scopes.definitions;
        for (let index = 0; index < definitions.length; index++) {
          const definition = definitions[index];
          if (definition.kind !== 'let' || !isReportablyUnused(table, definition)) continue;
          const bindings = bindingsOf(table, definition);
          if (bindings.length === 0) continue;
          let removesLet = wholeLet.get(definition.scope);
          if (removesLet === undefined) wholeLet.set(definition.scope, (removesLet = isWholeLetUnused(table, scopes, definition.scope)));
          let edits: (PlainTextEdit | undefined)[] = bindings.map((binding) => removeEntry(file.text, table, binding));
          if (removesLet) {
            const letEdit = removeLetExpression(file.text, table, definition.scope);
            if (letEdit) edits = [letEdit];
          }
          const name = definition.name;
          context.report({
            node: definition.node,
            messageId: 'unused',
            data: { name },
            tags: ['unnecessary'],
            fixes: edits.every((edit) => edit) ? [{ title: `Remove the unused binding \`${name}\``, edits: edits as PlainTextEdit[], safe }] : undefined,
          });
        }
      },
    };
  },
});

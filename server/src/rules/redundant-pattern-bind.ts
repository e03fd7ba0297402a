// redundant-pattern-bind: `args @ { ... }` where the pattern names nothing.
//   inputs @ { ... }: inputs.nixpkgs   →   inputs: inputs.nixpkgs
// The set pattern adds nothing but a check that the argument is a set. `{ }@args` (no `...`)
// is left alone: there the pattern insists on an empty set, which may be intended.
import { fixOf, replaceSpan } from '../analysis/text-edits';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

/** Whether a comment of `node`'s subtree lies in `[start, end)` (the header comes first, so the scan stops early). */
function hasCommentIn(table: SyntaxTable, node: NodeId, start: number, end: number): boolean {
  const last = table.subtreeEnd(node);
  for (let row = node + 1; row < last && table.start(row) < end; row++) {
    if (table.kind(row) === Kind.Comment && table.start(row) >= start) return true;
  }
  return false;
}

export default defineRule({
  id: 'redundant-pattern-bind',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Pattern `name @ { ... }` that binds nothing but `name`',
    fixable: true,
    messages: { redundant: 'The pattern `{ ... }` binds nothing: use `{{name}}:`' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.FunctionExpression](node) {
        const formals = table.childByField(node, Field.Formals);
        if (formals === NO_NODE) return;
        const universal = table.childByField(node, Field.Universal);
        if (universal === NO_NODE || table.isMissing(universal)) return;
        if (table.childByField(formals, Field.Formal) !== NO_NODE || table.childByField(formals, Field.Ellipses) === NO_NODE) return;
        const start = Math.min(table.start(formals), table.start(universal));
        const end = Math.max(table.end(formals), table.end(universal));
        const name = table.nodeText(universal);
        context.report({
          range: { start, end },
          messageId: 'redundant',
          data: { name },
          tags: ['unnecessary'],
          fixes: hasCommentIn(table, node, start, end)
            ? undefined
            : fixOf(`Replace the pattern with \`${name}\``, [replaceSpan(context.file.text, start, end, name)]),
        });
      },
    };
  },
});

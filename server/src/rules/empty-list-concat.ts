// empty-list-concat: concatenation with `[]`, which does nothing.
//   [ ] ++ extraPackages   →   extraPackages
//   xs ++ [ ]              →   xs
// The other operand already stands at the level of `++`, so it can take the concatenation's
// place without new parentheses (checked anyway). An empty list holding a comment keeps the
// finding but drops the fix.
import { needsParentheses, precedenceOf } from '../analysis/precedence';
import { fixOf, isBlank, replaceSpan } from '../analysis/text-edits';
import { Field, Kind, Token } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

function isEmptyList(table: SyntaxTable, node: NodeId): boolean {
  if (table.kind(node) !== Kind.ListExpression || table.text.charAt(table.end(node) - 1) !== ']') return false;
  return table.childByField(node, Field.Element) === NO_NODE;
}

export default defineRule({
  id: 'empty-list-concat',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Concatenation with the empty list `[]`',
    fixable: true,
    messages: { empty: 'Concatenating with `[]` does nothing' },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    return {
      [Kind.BinaryExpression](node) {
        const operator = table.childByField(node, Field.Operator);
        if (operator === NO_NODE || table.kind(operator) !== Token['++']) return;
        const left = table.childByField(node, Field.Left);
        const right = table.childByField(node, Field.Right);
        if (left === NO_NODE || right === NO_NODE) return;
        const emptyOnLeft = isEmptyList(table, left);
        if (!emptyOnLeft && !isEmptyList(table, right)) return;
        const empty = emptyOnLeft ? left : right;
        const kept = emptyOnLeft ? right : left;
        // Delete the empty list and the operator; only whitespace may go with them.
        const removed = emptyOnLeft ? { start: table.start(node), end: table.start(kept) } : { start: table.end(kept), end: table.end(node) };
        const removesOnlyTokens = emptyOnLeft
          ? isBlank(text, table.end(empty), table.start(operator)) && isBlank(text, table.end(operator), table.start(kept))
          : isBlank(text, table.end(kept), table.start(operator)) && isBlank(text, table.end(operator), table.start(empty));
        const fixable = removesOnlyTokens && table.childOfKind(empty, Kind.Comment) === NO_NODE && !table.isMissing(kept) && !needsParentheses(table, node, precedenceOf(table, kept));
        context.report({
          range: emptyOnLeft ? { start: table.start(empty), end: table.end(operator) } : { start: table.start(operator), end: table.end(empty) },
          messageId: 'empty',
          tags: ['unnecessary'],
          fixes: fixable ? fixOf('Remove the concatenation with `[]`', [replaceSpan(text, removed.start, removed.end, '')]) : undefined,
        });
      },
    };
  },
});

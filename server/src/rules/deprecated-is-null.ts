// deprecated-is-null: `isNull x`, deprecated in favour of a comparison.
//   if isNull x then a else b   →   if x == null then a else b
// `isNull x` is true exactly when `x == null` is, and both force `x`, so the rewrite is exact.
// Parentheses are added where a comparison cannot stand bare (`f (isNull x)` keeps them,
// `isNull x || y` needs none).
import { needsParentheses, Precedence } from '../analysis/precedence';
import { abbreviate, containsComment, fixOf, nodeSpells, replaceSpan } from '../analysis/text-edits';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

/** `isNull` or `builtins.isNull`. */
function isIsNull(table: SyntaxTable, node: NodeId): boolean {
  const kind = table.kind(node);
  if (kind === Kind.VariableExpression) return nodeSpells(table, node, 'isNull');
  if (kind !== Kind.SelectExpression || table.childByField(node, Field.Default) !== NO_NODE) return false;
  const base = table.firstChild(node);
  const attrpath = table.childByField(node, Field.Attrpath);
  if (base === NO_NODE || attrpath === NO_NODE || table.kind(base) !== Kind.VariableExpression) return false;
  const attr = table.firstChild(attrpath);
  return nodeSpells(table, base, 'builtins') && attr !== NO_NODE && table.nextSibling(attr) === NO_NODE && nodeSpells(table, attr, 'isNull');
}

export default defineRule({
  id: 'deprecated-is-null',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Use of the deprecated `isNull` instead of `== null`',
    fixable: true,
    messages: { deprecated: '`isNull` is deprecated: compare with `null` instead' },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    return {
      [Kind.ApplyExpression](node) {
        const applied = table.firstChild(node);
        if (applied === NO_NODE || !isIsNull(table, applied)) return;
        const argument = table.childByField(node, Field.Argument);
        if (argument === NO_NODE || table.isMissing(argument)) return;
        const comparison = `${table.nodeText(argument)} == null`;
        const replacement = needsParentheses(table, node, Precedence.Equality) ? `(${comparison})` : comparison;
        context.report({
          node: applied,
          messageId: 'deprecated',
          tags: ['deprecated'],
          fixes: containsComment(table, node)
            ? undefined
            : fixOf(`Replace with \`${abbreviate(replacement)}\``, [replaceSpan(text, table.start(node), table.end(node), replacement)]),
        });
      },
    };
  },
});

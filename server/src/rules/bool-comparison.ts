// bool-comparison: comparing with a boolean literal.
//   if enable == true then …   →  if enable then …
//   x != false                 →  x
//   x == false                 →  !x
// Nix's `==` on a non-boolean against `true` is simply false, so the rewrite is only exact when
// the other side is a boolean; it almost always is, as in statix's check of the same name.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

const ATOMIC_KINDS = new Set<number>([
  Kind.VariableExpression,
  Kind.SelectExpression,
  Kind.ParenthesizedExpression,
  Kind.AttrsetExpression,
  Kind.ListExpression,
  Kind.StringExpression,
  Kind.IndentedStringExpression,
  Kind.IntegerExpression,
  Kind.FloatExpression,
]);

export default defineRule({
  id: 'bool-comparison',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Comparison with a boolean literal',
    fixable: true,
    messages: { compare: 'Comparison with `{{literal}}` is redundant: use the expression directly' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.BinaryExpression](node) {
        const operatorNode = table.childByField(node, Field.Operator);
        const operator = operatorNode === NO_NODE ? '' : table.nodeText(operatorNode);
        if (operator !== '==' && operator !== '!=') return;
        const left = table.childByField(node, Field.Left);
        const right = table.childByField(node, Field.Right);
        if (left === NO_NODE || right === NO_NODE) return;
        const literalOf = (side: number): string | undefined => {
          if (table.kind(side) !== Kind.VariableExpression) return undefined;
          const name = table.nodeText(side);
          return name === 'true' || name === 'false' ? name : undefined;
        };
        const leftLiteral = literalOf(left);
        const rightLiteral = literalOf(right);
        const literal = rightLiteral ?? leftLiteral;
        if (literal === undefined || (leftLiteral && rightLiteral)) return;
        const other = rightLiteral ? left : right;
        const otherText = table.nodeText(other);
        const keeps = (operator === '==') === (literal === 'true');
        const wrapped = ATOMIC_KINDS.has(table.kind(other)) ? otherText : `(${otherText})`;
        const replacement = keeps ? otherText : `!${wrapped}`;
        context.report({
          node,
          messageId: 'compare',
          data: { literal },
          fixes: [
            {
              title: keeps ? `Replace with \`${truncate(otherText)}\`` : `Replace with \`!${truncate(wrapped)}\``,
              edits: [{ range: { start: table.start(node), end: table.end(node) }, newText: replacement }],
              safe: true,
            },
          ],
        });
      },
    };
  },
});

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

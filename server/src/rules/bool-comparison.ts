// bool-comparison: comparing with a boolean literal.
//   if enable == true then …   →  if enable then …
//   x != false                 →  x
//   x == false                 →  !x
//   !x == false                →  x         (no double negation)
//   f x == false               →  !(f x)    (parentheses where `!` would bind tighter)
// Nix's `==` on a non-boolean against `true` is simply false, so the rewrite is only exact when
// the other side is a boolean; it almost always is, as in statix's check of the same name.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId } from '../syntax/syntax-table';
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

    /** `!other`, parenthesized unless `other` binds tighter than `!`; `!!x` becomes `x`. */
    function negation(other: NodeId): string {
      if (table.kind(other) === Kind.UnaryExpression) {
        const operator = table.childByField(other, Field.Operator);
        const argument = table.childByField(other, Field.Argument);
        if (operator !== NO_NODE && table.nodeText(operator) === '!' && argument !== NO_NODE) return table.nodeText(argument);
      }
      // `a.b or c` binds tighter than `!` too, but `!a.b or c` reads like `(!a.b) or c`.
      const hasDefault = table.kind(other) === Kind.SelectExpression && table.childByField(other, Field.Default) !== NO_NODE;
      const text = table.nodeText(other);
      return ATOMIC_KINDS.has(table.kind(other)) && !hasDefault ? `!${text}` : `!(${text})`;
    }

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
        const replacement = keeps ? otherText : negation(other);
        context.report({
          node,
          messageId: 'compare',
          data: { literal },
          fixes: [
            {
              title: `Replace with \`${truncate(replacement)}\``,
              edits: [{ range: { start: table.start(node), end: table.end(node) }, newText: replacement }],
              safe: true,
            },
          ],
        });
      },
    };
  },
});

/** One line of at most 40 characters, for fix titles. */
function truncate(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}

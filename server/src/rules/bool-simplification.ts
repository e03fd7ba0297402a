// bool-simplification: a negated equality test.
//   if !(x == y) then a else b   →  if x != y then a else b
//   !(x != y)                    →  x == y
// `a != b` is defined as `!(a == b)`, so the rewrite is exact. Where the comparison would not
// stand bare (`!(a == b) == c`: `==` does not chain) the parentheses stay and only `!` goes.
import { needsParentheses, Precedence } from '../analysis/precedence';
import { abbreviate, fixOf, isBlank, PlainTextEdit, unwrapEdits } from '../analysis/text-edits';
import { Field, Kind, Token } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'bool-simplification',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Negated `==` or `!=` comparison that the opposite operator says directly',
    fixable: true,
    messages: { negated: '`!(… {{operator}} …)` can be written with `{{inverse}}`' },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    return {
      [Kind.UnaryExpression](node) {
        const bang = table.firstChild(node);
        if (bang === NO_NODE || table.kind(bang) !== Token['!']) return;
        const parenthesized = table.childByField(node, Field.Argument);
        if (parenthesized === NO_NODE || table.kind(parenthesized) !== Kind.ParenthesizedExpression) return;
        const comparison = table.childByField(parenthesized, Field.Expression);
        if (comparison === NO_NODE || table.kind(comparison) !== Kind.BinaryExpression) return;
        const operatorNode = table.childByField(comparison, Field.Operator);
        if (operatorNode === NO_NODE) return;
        const operatorKind = table.kind(operatorNode);
        if (operatorKind !== Token['=='] && operatorKind !== Token['!=']) return;
        const left = table.childByField(comparison, Field.Left);
        const right = table.childByField(comparison, Field.Right);
        if (left === NO_NODE || right === NO_NODE) return;

        const operator = operatorKind === Token['=='] ? '==' : '!=';
        const inverse = operatorKind === Token['=='] ? '!=' : '==';
        const close = table.end(parenthesized) - 1;
        const operatorEdit: PlainTextEdit = { range: { start: table.start(operatorNode), end: table.end(operatorNode) }, newText: inverse };
        let edits: (PlainTextEdit | undefined)[] | undefined;
        if (isBlank(text, table.end(bang), table.start(parenthesized)) && text.charAt(close) === ')') {
          const unwrap = needsParentheses(table, node, Precedence.Equality)
            ? [{ range: { start: table.start(node), end: table.start(parenthesized) }, newText: '' }]
            : unwrapEdits(text, table.start(parenthesized), table.start(comparison), table.end(comparison), close, table.start(node));
          edits = unwrap && [...unwrap, operatorEdit];
        }
        const rewritten = `${table.nodeText(left)} ${inverse} ${table.nodeText(right)}`;
        context.report({
          node,
          messageId: 'negated',
          data: { operator, inverse },
          fixes: fixOf(`Rewrite as \`${abbreviate(rewritten)}\``, edits),
        });
      },
    };
  },
});

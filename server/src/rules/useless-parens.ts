// useless-parens: parentheses that change nothing.
//   double = (x: 2 * x);        →  double = x: 2 * x;
//   in (a + b)                  →  in a + b
//   map (double) [ 1 2 3 ]      →  map double [ 1 2 3 ]
//   (f x) + 1                   →  f x + 1
// Flagged: the value of a binding, the body of a `let`, the whole file, parentheses directly
// inside parentheses, an application as an operand of a binary operator (as statix), and a
// simple expression (name, literal, list, set, selection without `or`) anywhere it can stand
// bare. Not flagged where removal could change the parse: before an `or` (`(a.b) or c` applies
// `a.b` to a variable named `or`, `a.b or c` selects with a default), a number or path before
// `.`, a selection that is the base of a selection with `or` (`(a.b).c or d` fails when `a.b`
// is missing, `a.b.c or d` does not).
import { fixOf, skipTrivia, unwrapEdits, wordAt } from '../analysis/text-edits';
import { Field, Kind, KindId, Token } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

/** Expressions that bind tighter than anything around them. */
const SIMPLE_KINDS = new Set<KindId>([
  Kind.VariableExpression,
  Kind.IntegerExpression,
  Kind.FloatExpression,
  Kind.StringExpression,
  Kind.IndentedStringExpression,
  Kind.PathExpression,
  Kind.HpathExpression,
  Kind.SpathExpression,
  Kind.UriExpression,
  Kind.ListExpression,
  Kind.AttrsetExpression,
  Kind.RecAttrsetExpression,
  Kind.LetAttrsetExpression,
]);

/** Simple expressions that may be followed directly by `.attr` (numbers and paths would swallow the dot). */
const SELECTABLE_KINDS = new Set<KindId>([
  Kind.VariableExpression,
  Kind.StringExpression,
  Kind.IndentedStringExpression,
  Kind.SpathExpression,
  Kind.ListExpression,
  Kind.AttrsetExpression,
  Kind.RecAttrsetExpression,
  Kind.LetAttrsetExpression,
]);

type Place = 'bindingValue' | 'letBody' | 'file' | 'nested' | 'operand' | 'simple';

function hasDefault(table: SyntaxTable, select: NodeId): boolean {
  return table.childByField(select, Field.Default) !== NO_NODE;
}

/** Why the parentheses `node` around `inner` are useless, or undefined when they are not. */
function uselessBecause(table: SyntaxTable, node: NodeId, inner: NodeId): Place | undefined {
  const parent = table.parent(node);
  if (parent < 0) return undefined;
  const parentKind = table.kind(parent);
  const innerKind = table.kind(inner);
  // `((e))`: the inner pair is the one reported, as 'nested'.
  if (innerKind === Kind.ParenthesizedExpression) return undefined;
  if (parentKind === Kind.Binding) return 'bindingValue';
  if (parentKind === Kind.LetExpression) return 'letBody';
  if (parentKind === Kind.SourceCode) return 'file';
  if (parentKind === Kind.ParenthesizedExpression) return 'nested';
  if (parentKind === Kind.Error) return undefined;
  if (parentKind === Kind.BinaryExpression && innerKind === Kind.ApplyExpression) return 'operand';
  const simple = SIMPLE_KINDS.has(innerKind) || (innerKind === Kind.SelectExpression && !hasDefault(table, inner));
  if (!simple) return undefined;
  if (parentKind === Kind.SelectExpression && table.field(node) === Field.Expression) {
    const selectable = SELECTABLE_KINDS.has(innerKind) || (innerKind === Kind.SelectExpression && !hasDefault(table, parent));
    if (!selectable) return undefined;
  }
  return 'simple';
}

export default defineRule({
  id: 'useless-parens',
  meta: {
    severity: 'hint',
    category: 'style',
    description: 'Parentheses that do not change how the expression parses',
    fixable: true,
    messages: {
      bindingValue: 'Useless parentheses around the value of a binding',
      letBody: 'Useless parentheses around the body of a `let`',
      file: 'Useless parentheses around the whole file',
      nested: 'Useless parentheses directly inside parentheses',
      operand: 'Useless parentheses around a function application used as an operand',
      simple: 'Useless parentheses around a simple expression',
    },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    return {
      [Kind.ParenthesizedExpression](node) {
        const inner = table.childByField(node, Field.Expression);
        if (inner === NO_NODE) return;
        const place = uselessBecause(table, node, inner);
        if (!place) return;
        const close = table.end(node) - 1;
        const closeToken = table.childOfKind(node, Token[')']);
        if (closeToken === NO_NODE || table.isMissing(closeToken) || table.start(closeToken) !== close) return;
        // `(a.b) or c` applies `(a.b)` to a variable named `or`; without parentheses it is a default.
        if (wordAt(text, skipTrivia(text, table.end(node)), 'or')) return;
        if (table.kind(inner) === Kind.VariableExpression && table.nodeText(inner) === 'or') return;
        if (table.isError(inner) || table.isMissing(inner)) return;
        context.report({
          node,
          messageId: place,
          tags: ['unnecessary'],
          fixes: fixOf('Remove the parentheses', unwrapEdits(text, table.start(node), table.start(inner), table.end(inner), close)),
        });
      },
    };
  },
});

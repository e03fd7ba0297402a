// eta-reduction: a function that only passes its argument on.
//   map (x: toString x) xs   →   map toString xs
// Fires when the body applies some `f` to the argument and `f` does not mention the argument.
// The fix is not applied automatically: `x: f x` and `f` differ where Nix looks at a function
// itself (`builtins.functionArgs`, which callPackage and the module system read; a set with
// `__functor` is not a lambda), and `f` is evaluated once instead of at every call.
import { abbreviate, fixOf, replaceSpan } from '../analysis/text-edits';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

/** Whether an identifier spelled `name` occurs anywhere in `node` (attribute names included: conservative). */
function mentions(table: SyntaxTable, node: NodeId, name: string): boolean {
  const end = table.subtreeEnd(node);
  const length = name.length;
  for (let row = node; row < end; row++) {
    if (table.kind(row) === Kind.Identifier && table.end(row) - table.start(row) === length && table.nodeText(row) === name) return true;
  }
  return false;
}

export default defineRule({
  id: 'eta-reduction',
  meta: {
    severity: 'info',
    category: 'style',
    description: 'Function `x: f x` that could be just `f`',
    fixable: true,
    messages: { reducible: '`{{argument}}: {{function}} {{argument}}` can be written `{{function}}`' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.FunctionExpression](node) {
        const body = table.childByField(node, Field.Body);
        if (body === NO_NODE || table.kind(body) !== Kind.ApplyExpression) return;
        const parameter = table.childByField(node, Field.Universal);
        if (parameter === NO_NODE || table.childByField(node, Field.Formals) !== NO_NODE) return;
        const argument = table.childByField(body, Field.Argument);
        if (argument === NO_NODE || table.kind(argument) !== Kind.VariableExpression) return;
        const name = table.nodeText(parameter);
        if (table.isMissing(parameter) || table.nodeText(argument) !== name) return;
        const applied = table.childByField(body, Field.Function);
        if (applied === NO_NODE) return;
        // `x: a.b or c x` reads as a default applied to `x`; leave it alone.
        if (table.kind(applied) === Kind.SelectExpression && table.childByField(applied, Field.Default) !== NO_NODE) return;
        if (mentions(table, applied, name)) return;
        const functionText = table.nodeText(applied);
        context.report({
          node,
          messageId: 'reducible',
          data: { argument: name, function: abbreviate(functionText, 30) },
          fixes: fixOf(`Replace with \`${abbreviate(functionText)}\``, [replaceSpan(context.file.text, table.start(node), table.end(node), functionText)], false),
        });
      },
    };
  },
});

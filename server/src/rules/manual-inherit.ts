// manual-inherit: `a = a;` in an attribute set.
//   { hello = hello; }   →  { inherit hello; }
// Only in plain (non-`rec`) sets: there the value `a` is looked up outside the set, exactly as
// `inherit a;` does. In `let` and `rec { }` the value would be the binding itself (infinite
// recursion) while `inherit a;` still reads the outer `a`, so the two mean different things.
import { containsComment } from '../analysis/text-edits';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'manual-inherit',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Binding `a = a;` that `inherit a;` expresses directly',
    fixable: true,
    messages: { manual: '`{{name}} = {{name}};` is better written `inherit {{name}};`' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.Binding](node) {
        const value = table.childByField(node, Field.Expression);
        if (value === NO_NODE || table.kind(value) !== Kind.VariableExpression) return;
        const attrpath = table.childByField(node, Field.Attrpath);
        if (attrpath === NO_NODE) return;
        const key = table.firstChild(attrpath);
        if (key === NO_NODE || table.kind(key) !== Kind.Identifier || table.nextSibling(key) !== NO_NODE) return;
        const container = table.parent(table.parent(node));
        if (container < 0 || table.kind(container) !== Kind.AttrsetExpression) return;
        const keyLength = table.end(key) - table.start(key);
        if (keyLength !== table.end(value) - table.start(value)) return;
        const name = table.nodeText(key);
        if (name !== table.nodeText(value) || table.isMissing(key)) return;
        const semicolon = table.end(node) - 1;
        if (context.file.text.charAt(semicolon) !== ';') return;
        context.report({
          node,
          messageId: 'manual',
          data: { name },
          // A comment inside the binding would be lost by the rewrite.
          fixes: containsComment(table, node)
            ? undefined
            : [{ title: `Replace with \`inherit ${name};\``, edits: [{ range: { start: table.start(node), end: table.end(node) }, newText: `inherit ${name};` }], safe: true }],
        });
      },
    };
  },
});

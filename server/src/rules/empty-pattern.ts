// empty-pattern: a function whose set pattern names nothing.
//   map ({ ... }: 42) xs   →   map (_: 42) xs
// `_:` says "the argument is ignored" directly. The only difference is that `{ ... }:` fails
// when called with something other than a set, which no working code relies on.
// Judgement call: a file whose whole expression is such a function is not flagged. That is a
// NixOS module or a callPackage-style file, where `{ ... }:` (or `{ }:`) is the idiomatic
// header and readers expect the set pattern; statix flags those too, which users tend to
// silence. The fix is withheld when the body mentions `_`, which the new `_:` would capture.
import { containsComment, fixOf, replaceSpan } from '../analysis/text-edits';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

function mentionsUnderscore(table: SyntaxTable, node: NodeId): boolean {
  const end = table.subtreeEnd(node);
  for (let row = node; row < end; row++) {
    if (table.kind(row) === Kind.Identifier && table.end(row) - table.start(row) === 1 && table.nodeText(row) === '_') return true;
  }
  return false;
}

export default defineRule({
  id: 'empty-pattern',
  meta: {
    severity: 'hint',
    category: 'style',
    description: 'Function pattern `{ ... }:` that names no attribute, where `_:` says the same',
    fixable: true,
    messages: { empty: 'The pattern `{{pattern}}` names nothing: use `_:` for an ignored argument' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.FunctionExpression](node) {
        const formals = table.childByField(node, Field.Formals);
        if (formals === NO_NODE || table.childByField(node, Field.Universal) !== NO_NODE) return;
        if (table.childByField(formals, Field.Formal) !== NO_NODE) return;
        if (table.kind(table.parent(node)) === Kind.SourceCode) return;
        const close = table.end(formals) - 1;
        if (context.file.text.charAt(close) !== '}') return;
        const pattern = table.childByField(formals, Field.Ellipses) === NO_NODE ? '{ }' : '{ ... }';
        const body = table.childByField(node, Field.Body);
        const fixable = body !== NO_NODE && !containsComment(table, formals) && !mentionsUnderscore(table, body);
        context.report({
          node: formals,
          messageId: 'empty',
          data: { pattern },
          fixes: fixable ? fixOf('Replace the pattern with `_`', [replaceSpan(context.file.text, table.start(formals), table.end(formals), '_')]) : undefined,
        });
      },
    };
  },
});

// empty-inherit: an `inherit` that names nothing.
//   { inherit; a = 1; }   →   { a = 1; }
// Valid Nix that does nothing, usually what a refactoring left behind. `inherit (e);` is the
// same (and `e` is never evaluated). The grammar parses the empty list as a missing name; the
// syntax-error rule leaves that to this one.
// The fix deletes the statement with its line when it stands alone on one, otherwise with the
// spaces before it: the edit reaches past the node only into that whitespace.
import { containsComment, removalSpan } from '../analysis/text-edits';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

function namesNothing(table: SyntaxTable, attrs: NodeId): boolean {
  for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
    if (!table.isMissing(attr) && table.kind(attr) !== Kind.Comment) return false;
  }
  return true;
}

export default defineRule({
  id: 'empty-inherit',
  meta: {
    severity: 'warning',
    category: 'style',
    description: '`inherit` statement that names no attribute',
    fixable: true,
    messages: { empty: 'This `inherit` names nothing' },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    const visit = (node: NodeId): void => {
      const attrs = table.childByField(node, Field.Attrs);
      if (attrs !== NO_NODE && !namesNothing(table, attrs)) return;
      if (text.charAt(table.end(node) - 1) !== ';') return;
      const span = removalSpan(text, table.start(node), table.end(node));
      context.report({
        node,
        messageId: 'empty',
        tags: ['unnecessary'],
        fixes: containsComment(table, node) ? undefined : [{ title: 'Remove the empty `inherit`', edits: [{ range: span, newText: '' }], safe: true }],
      });
    };
    return { [Kind.Inherit]: visit, [Kind.InheritFrom]: visit };
  },
});

// useless-has-attr: `if x ? a then x.a else d`, which `or` says in one step.
//   if cfg ? port then cfg.port else 80   →   cfg.port or 80
// `x.a or d` gives `x.a` when the path exists and `d` otherwise, including when some step of
// the path is not a set, exactly as `x ? a` tests it. The default is parenthesized unless it is
// a simple expression, since `or` binds tighter than application.
import { needsParentheses, precedenceOf, Precedence } from '../analysis/precedence';
import { abbreviate, containsComment, fixOf, replaceSpan } from '../analysis/text-edits';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

/** The texts of the tokens (leaf rows) of `node`, comments left out. */
function tokens(table: SyntaxTable, node: NodeId, into: string[]): string[] {
  const end = table.subtreeEnd(node);
  for (let row = node; row < end; row++) {
    if (table.firstChild(row) === NO_NODE && table.kind(row) !== Kind.Comment) into.push(table.nodeText(row));
  }
  return into;
}

/** Whether `x ? a.b` (or `x.a ? b`) and the selection `x.a.b` spell the same path, token by token. */
function samePath(table: SyntaxTable, testedSet: NodeId, testedPath: NodeId, selection: NodeId): boolean {
  const tested = tokens(table, testedSet, []);
  tested.push('.');
  tokens(table, testedPath, tested);
  const selected = tokens(table, selection, []);
  return tested.length === selected.length && tested.every((token, i) => token === selected[i]);
}

export default defineRule({
  id: 'useless-has-attr',
  meta: {
    severity: 'warning',
    category: 'style',
    description: '`if x ? a then x.a else d` instead of `x.a or d`',
    fixable: true,
    messages: { useless: 'This `if` can be written `{{replacement}}`' },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    return {
      [Kind.IfExpression](node) {
        const condition = table.childByField(node, Field.Condition);
        if (condition === NO_NODE || table.kind(condition) !== Kind.HasAttrExpression) return;
        const consequence = table.childByField(node, Field.Consequence);
        if (consequence === NO_NODE || table.kind(consequence) !== Kind.SelectExpression) return;
        if (table.childByField(consequence, Field.Default) !== NO_NODE) return;
        const alternative = table.childByField(node, Field.Alternative);
        const testedSet = table.childByField(condition, Field.Expression);
        const testedPath = table.childByField(condition, Field.Attrpath);
        const selectedPath = table.childByField(consequence, Field.Attrpath);
        if (alternative === NO_NODE || testedSet === NO_NODE || testedPath === NO_NODE || selectedPath === NO_NODE) return;
        if (table.isMissing(alternative) || table.isError(alternative)) return;
        // `x ? a.b` and `x.a.b` (or `x.a ? b` and `x.a.b`) name the same path.
        if (!samePath(table, testedSet, testedPath, consequence)) return;

        const alternativeText = table.nodeText(alternative);
        const simpleDefault = precedenceOf(table, alternative) === Precedence.Atom || (table.kind(alternative) === Kind.SelectExpression && table.childByField(alternative, Field.Default) === NO_NODE);
        const selection = `${table.nodeText(consequence)} or ${simpleDefault ? alternativeText : `(${alternativeText})`}`;
        const replacement = needsParentheses(table, node, Precedence.Selection) ? `(${selection})` : selection;
        context.report({
          node,
          messageId: 'useless',
          data: { replacement: abbreviate(replacement, 60) },
          fixes: containsComment(table, node)
            ? undefined
            : fixOf(`Replace with \`${abbreviate(replacement)}\``, [replaceSpan(text, table.start(node), table.end(node), replacement)]),
        });
      },
    };
  },
});

// empty-let-in: a `let` that binds nothing.
//   let in pkgs.hello   →  pkgs.hello
// Usually left over from editing. The body can stand wherever the `let` stood, since a `let` is
// always delimited on both sides. A comment between `let` and `in` keeps the finding but drops
// the fix, which would delete it.
import { fixOf, isBlank, replaceSpan } from '../analysis/text-edits';
import { Field, Kind, Token } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'empty-let-in',
  meta: {
    severity: 'warning',
    category: 'style',
    description: '`let ... in` expression without bindings',
    fixable: true,
    messages: { empty: 'This `let` binds nothing: use its body directly' },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    return {
      [Kind.LetExpression](node) {
        if (table.childOfKind(node, Kind.BindingSet) !== NO_NODE) return;
        const body = table.childByField(node, Field.Body);
        const inKeyword = table.childOfKind(node, Token.in);
        if (body === NO_NODE || inKeyword === NO_NODE || table.isMissing(inKeyword)) return;
        const letKeyword = table.firstChild(node);
        // The fix deletes `let`, `in` and the whitespace up to the body (up to a comment there);
        // a comment between `let` and `in` would go with them, so then there is no fix.
        const onlyKeywords = isBlank(text, table.end(letKeyword), table.start(inKeyword));
        let removedEnd = table.end(inKeyword);
        if (isBlank(text, removedEnd, table.start(body))) removedEnd = table.start(body);
        else while (text.charAt(removedEnd) === ' ' || text.charAt(removedEnd) === '\t') removedEnd++;
        context.report({
          range: { start: table.start(node), end: table.end(inKeyword) },
          messageId: 'empty',
          tags: ['unnecessary'],
          fixes: onlyKeywords ? fixOf('Remove the empty `let ... in`', [replaceSpan(text, table.start(node), removedEnd, '')]) : undefined,
        });
      },
    };
  },
});

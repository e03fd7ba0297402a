// legacy-let-syntax: the undocumented `let { … }` form.
//   let { x = 1; body = x + 1; }   →   rec { x = 1; body = x + 1; }.body
// Nix's parser itself desugars `let { … }` to `(rec { … }).body`, so the rewrite is exact; the
// parentheses are added only where a selection could not stand bare (as the base of another
// selection).
import { needsParentheses, Precedence } from '../analysis/precedence';
import { Kind, Token } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'legacy-let-syntax',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Undocumented `let { … }` syntax instead of `rec { … }.body`',
    fixable: true,
    messages: { legacy: 'Undocumented `let { … }` syntax: use `rec { … }.body`' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.LetAttrsetExpression](node) {
        const letKeyword = table.firstChild(node);
        if (letKeyword === NO_NODE || table.kind(letKeyword) !== Token.let) return;
        const close = table.childOfKind(node, Token['}']);
        const wrap = needsParentheses(table, node, Precedence.Selection);
        context.report({
          range: { start: table.start(letKeyword), end: table.end(letKeyword) },
          messageId: 'legacy',
          tags: ['deprecated'],
          fixes:
            close === NO_NODE || table.isMissing(close)
              ? undefined
              : [
                  {
                    title: 'Rewrite as `rec { … }.body`',
                    edits: [
                      { range: { start: table.start(letKeyword), end: table.end(letKeyword) }, newText: wrap ? '(rec' : 'rec' },
                      { range: { start: table.end(node), end: table.end(node) }, newText: wrap ? ').body' : '.body' },
                    ],
                    safe: true,
                  },
                ],
        });
      },
    };
  },
});

// unused-with: a `with` from which no name in its body can come.
//   with lib; { a = 1; }         →  { a = 1; }
//   { lib }: with lib; lib.id    →  { lib }: lib.id      (`lib` is the formal, not `lib.lib`)
// Nix looks a name up in a `with`'s set only when no let, rec, argument or builtin defines it, so a
// body whose names are all defined elsewhere never reads the set, and the `with` only costs the
// reader the question of where names come from. Nested `with`s that could each supply a name all
// count as used. The fix keeps the body.
import { removeWith } from '../analysis/removal-edits';
import { Field, Token } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'unused-with',
  meta: {
    severity: 'warning',
    category: 'dead-code',
    description: '`with` expression that no name in its body comes from',
    fixable: true,
    messages: { unused: 'Unused `with`: no name in its body comes from it' },
  },
  check(context) {
    const file = context.file;
    return {
      file() {
        const table = file.table;
        // A use may hide in a syntax error the parser could not read: there, fixes wait for a request.
        const safe = !file.source.hasSyntaxErrors;
        for (const info of file.scopes.withs) {
          if (info.references.length > 0) continue;
          const withNode = info.node;
          const environment = table.childByField(withNode, Field.Environment);
          const body = table.childByField(withNode, Field.Body);
          if (environment === NO_NODE || body === NO_NODE || table.isMissing(environment)) continue;
          const semicolon = table.childOfKind(withNode, Token[';']);
          const edit = removeWith(file.text, table, withNode);
          context.report({
            // The header `with e;`, not the body it scopes.
            range: { start: table.start(withNode), end: semicolon === NO_NODE ? table.end(environment) : table.end(semicolon) },
            messageId: 'unused',
            tags: ['unnecessary'],
            fixes: edit ? [{ title: 'Remove the unused `with`', edits: [edit], safe }] : undefined,
          });
        }
      },
    };
  },
});

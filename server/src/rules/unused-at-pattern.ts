// unused-at-pattern: the `args@` name of a function with formals that the body never reads.
//   args@{ pkgs, ... }: pkgs.hello    →  { pkgs, ... }: pkgs.hello
// Dead code, as deadnix reports it ("unused lambda @-binding"). A use in a formal's default
// (`args@{ a ? args.b }: a`) counts. The fix removes the name and its `@`, which changes nothing
// for callers. Names starting with `_` are skipped.
import { removeAtPattern } from '../analysis/removal-edits';
import { isReportablyUnused } from '../analysis/unused-definitions';
import { defineRule } from './types';

export default defineRule({
  id: 'unused-at-pattern',
  meta: {
    severity: 'warning',
    category: 'dead-code',
    description: '`@` name of a function that is never used',
    fixable: true,
    messages: { unused: 'Unused `@` name `{{name}}`' },
  },
  check(context) {
    const file = context.file;
    return {
      file() {
        const table = file.table;
        // A use may hide in a syntax error the parser could not read: there, fixes wait for a request.
        const safe = !file.source.hasSyntaxErrors;
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const definitions = file.scopes.definitions;
        for (let index = 0; index < definitions.length; index++) {
          const definition = definitions[index];
          if (definition.kind !== 'at-pattern' || !isReportablyUnused(table, definition)) continue;
          const edit = removeAtPattern(table, definition.scope);
          const name = definition.name;
          context.report({
            node: definition.node,
            messageId: 'unused',
            data: { name },
            tags: ['unnecessary'],
            fixes: edit ? [{ title: `Remove \`${name}@\``, edits: [edit], safe }] : undefined,
          });
        }
      },
    };
  },
});

// redundant-builtins-prefix: `builtins.` in front of a builtin that is in scope anyway.
//   builtins.map f xs   →   map f xs
// `map`, `toString`, `import`, `throw`, `true`, ... are bound in the global scope (the list is
// in analysis/builtins.ts), and a `with` cannot hide them: Nix consults `with` only for names
// that are bound nowhere else. So the prefix adds nothing, unless something in the file binds the
// bare name (`let map = …;`), in which case the rule stays quiet. A hint, since some projects
// spell every builtin with the prefix on purpose.
//
// Runs as a file hook: whether the bare name is bound depends on let/rec bindings elsewhere.
import { BUILTINS } from '../analysis/builtins';
import { LexicalNames } from '../analysis/lexical-names';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'redundant-builtins-prefix',
  meta: {
    severity: 'hint',
    category: 'style',
    description: '`builtins.` prefix on a builtin that is in scope without it',
    fixable: true,
    messages: { redundant: '`{{name}}` is in scope without the `builtins.` prefix' },
  },
  check(context) {
    const table = context.file.table;
    return {
      file() {
        let names: LexicalNames | undefined;
        const size = table.size;
        for (let row = 0; row < size; row++) {
          if (table.kind(row) !== Kind.SelectExpression) continue;
          const expression = table.childByField(row, Field.Expression);
          if (expression === NO_NODE || table.kind(expression) !== Kind.VariableExpression) continue;
          if (table.end(expression) - table.start(expression) !== 8 || table.nodeText(expression) !== 'builtins') continue;
          // Only `builtins.name` itself: `builtins.name or x` and `builtins.name.more` stay as written.
          if (table.childByField(row, Field.Default) !== NO_NODE) continue;
          const attrpath = table.childByField(row, Field.Attrpath);
          const attrs = attrpath === NO_NODE ? [] : table.childrenByField(attrpath, Field.Attr);
          if (attrs.length !== 1 || table.kind(attrs[0]) !== Kind.Identifier) continue;
          const name = table.nodeText(attrs[0]);
          if (!BUILTINS.get(name)?.global) continue;
          names ??= new LexicalNames(table);
          if (names.resolveBareName(row, 'builtins').lexicallyBound || names.resolveBareName(row, name).lexicallyBound) continue;
          const prefix = { start: table.start(row), end: table.start(attrs[0]) };
          context.report({
            range: prefix,
            messageId: 'redundant',
            data: { name },
            tags: ['unnecessary'],
            fixes: [{ title: `Replace with \`${name}\``, edits: [{ range: prefix, newText: '' }], safe: true }],
          });
        }
      },
    };
  },
});

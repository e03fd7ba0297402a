// redundant-builtins-prefix: `builtins.` in front of a builtin that is in scope anyway.
//   builtins.map f xs   →   map f xs
// `map`, `toString`, `import`, `throw`, `true`, ... are bound in the global scope (the list is
// in analysis/builtins.ts), and a `with` cannot hide them: Nix consults `with` only for names
// that are bound nowhere else. So the prefix adds nothing, unless something in the file binds the
// bare name (`let map = …;`), in which case the rule stays quiet. A hint, since some projects
// spell every builtin with the prefix on purpose.
//
// Runs as a file hook over the scope model: whether `builtins` and the bare name are bound
// depends on bindings anywhere in the file.
import { BUILTINS } from '../analysis/builtins';
import { LexicalNames, selectOnVariable } from '../analysis/lexical-names';
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
    return {
      file() {
        const table = context.file.table;
        let names: LexicalNames | undefined;
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const references = context.file.scopes.references;
        for (let index = 0; index < references.length; index++) {
          const reference = references[index];
          // The global `builtins` only (a local variable of that name is another set).
          if (reference.resolution.kind !== 'builtin' || reference.name !== 'builtins') continue;
          const select = selectOnVariable(table, reference.node);
          if (select === NO_NODE) continue;
          const attrpath = table.childByField(select, Field.Attrpath);
          const attrs = attrpath === NO_NODE ? [] : table.childrenByField(attrpath, Field.Attr);
          // Only `builtins.name` itself: `builtins.name or x` and `builtins.name.more` stay as written.
          if (attrs.length !== 1 || table.kind(attrs[0]) !== Kind.Identifier) continue;
          const name = table.nodeText(attrs[0]);
          if (!BUILTINS.get(name)?.global || table.childByField(select, Field.Default) !== NO_NODE) continue;
          names ??= new LexicalNames(table);
          if (names.resolveBareName(select, name).lexicallyBound) continue;
          const prefix = { start: table.start(select), end: table.start(attrs[0]) };
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

// builtin-needs-prefix: a builtin used by its bare name, which Nix does not bind globally.
//   toJSON { a = 1; }   →   builtins.toJSON { a = 1; }
// Only some builtins are in scope without `builtins.` (`map`, `toString`, `import`, ...; see
// analysis/builtins.ts); the others are reachable as `builtins.name` (or the obscure `__name`).
// A bare `toJSON` that nothing binds is an undefined variable, so evaluation fails. Under a
// `with` the name may come from the `with`'s set (`with builtins; toJSON x` is fine), so the
// rule stays quiet there.
//
// Runs as a file hook: whether the name is bound depends on let/rec bindings elsewhere in the file.
import { BUILTINS } from '../analysis/builtins';
import { LexicalNames } from '../analysis/lexical-names';
import { Kind } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

/** Builtins whose bare name is not in scope, and the longest such name (a cheap length filter). */
const PREFIXED_ONLY = new Set([...BUILTINS.values()].filter((info) => !info.global).map((info) => info.name));
const LONGEST = Math.max(...[...PREFIXED_ONLY].map((name) => name.length));

export default defineRule({
  id: 'builtin-needs-prefix',
  meta: {
    severity: 'error',
    category: 'correctness',
    description: 'Builtin used without the `builtins.` prefix it needs',
    fixable: true,
    messages: { needsPrefix: '`{{name}}` is not in scope without a prefix: write `builtins.{{name}}`' },
  },
  check(context) {
    const table = context.file.table;
    return {
      file() {
        let names: LexicalNames | undefined;
        const size = table.size;
        for (let row = 0; row < size; row++) {
          if (table.kind(row) !== Kind.VariableExpression) continue;
          const identifier = table.firstChild(row);
          if (identifier === NO_NODE || table.kind(identifier) !== Kind.Identifier) continue;
          if (table.end(identifier) - table.start(identifier) > LONGEST) continue;
          const name = table.nodeText(identifier);
          if (!PREFIXED_ONLY.has(name)) continue;
          names ??= new LexicalNames(table);
          const resolution = names.resolveBareName(row, name);
          if (resolution.lexicallyBound || resolution.underWith) continue;
          if (names.resolveBareName(row, 'builtins').lexicallyBound) continue;
          context.report({
            node: identifier,
            messageId: 'needsPrefix',
            data: { name },
            fixes: [
              {
                title: `Replace with \`builtins.${name}\``,
                edits: [{ range: { start: table.start(identifier), end: table.start(identifier) }, newText: 'builtins.' }],
                safe: true,
              },
            ],
          });
        }
      },
    };
  },
});

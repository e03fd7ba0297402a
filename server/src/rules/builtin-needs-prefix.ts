// builtin-needs-prefix: a builtin used by its bare name, which Nix does not bind globally.
//   toJSON { a = 1; }   →   builtins.toJSON { a = 1; }
// Only some builtins are in scope without `builtins.` (`map`, `toString`, `import`, ...; see
// analysis/builtins.ts); the others are reachable as `builtins.name` (or the obscure `__name`).
// A bare `toJSON` that nothing binds is an undefined variable, so evaluation fails. Under a
// `with` the name may come from the `with`'s set (`with builtins; toJSON x` is fine), so the
// rule stays quiet there.
//
// Runs as a file hook over the scope model (analysis/scopes.ts): whether the name is bound depends
// on bindings anywhere in the file. undefined-variable leaves these names to this rule.
import { BUILTINS } from '../analysis/builtins';
import { LexicalNames } from '../analysis/lexical-names';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

/** Builtins whose bare name is not in scope. */
const PREFIXED_ONLY = new Set([...BUILTINS.values()].filter((info) => !info.global).map((info) => info.name));

function insideSyntaxError(table: SyntaxTable, node: NodeId): boolean {
  for (let up = table.parent(node); up !== NO_NODE; up = table.parent(up)) if (table.isError(up)) return true;
  return false;
}

export default defineRule({
  id: 'builtin-needs-prefix',
  meta: {
    severity: 'error',
    category: 'correctness',
    description: 'Builtin used without the `builtins.` prefix it needs',
    fixable: true,
    messages: {
      needsPrefix: '`{{name}}` is not in scope without a prefix: write `builtins.{{name}}`',
      inheritNeedsPrefix: '`{{name}}` is not in scope without a prefix: write `inherit (builtins) {{name}};`',
    },
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
          if (reference.resolution.kind !== 'undefined' || !PREFIXED_ONLY.has(reference.name)) continue;
          if (insideSyntaxError(table, reference.node)) continue;
          const name = reference.name;
          const start = table.start(reference.node);
          // `builtins.` only helps where `builtins` is the global one; `inherit toJSON;` needs `inherit (builtins) toJSON;`.
          names ??= new LexicalNames(table);
          const fixable = !reference.inherited && !names.resolveBareName(reference.node, 'builtins').lexicallyBound;
          context.report({
            node: reference.node,
            messageId: reference.inherited ? 'inheritNeedsPrefix' : 'needsPrefix',
            data: { name },
            fixes: fixable ? [{ title: `Replace with \`builtins.${name}\``, edits: [{ range: { start, end: start }, newText: 'builtins.' }], safe: true }] : undefined,
          });
        }
      },
    };
  },
});

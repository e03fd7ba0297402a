// undefined-variable: a name that nothing defines.
//   { lib }: mkIf cond x     →  error on `mkIf` (and `cond`, `x`)
//   fix (on request): { lib, mkIf }: …
// Nix resolves every variable while parsing and refuses the whole file when one is undefined
// ("undefined variable 'mkIf'"), so this is an error, and the rule gives exactly Nix's verdict:
// lexical scopes (let, rec, lambda arguments, formals, inherit), then the global builtins, and a
// name under a `with` is never reported, as the `with`'s set may hold it.
//
// A builtin that needs its prefix (`toJSON` for `builtins.toJSON`) is left to
// builtin-needs-prefix, which says so and fixes it. References inside a syntax error are skipped:
// the parser's recovery may have cut their scope apart.
//
// Runs as a file hook over the scope model, since a definition anywhere in the file can matter.
import { BUILTINS } from '../analysis/builtins';
import { addFormal } from '../analysis/removal-edits';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

const NIX_KEYWORDS = new Set(['assert', 'else', 'if', 'in', 'inherit', 'let', 'or', 'rec', 'then', 'with']);

/** Whether `name` can be written as a formal without quoting. */
function isPlainIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) && !NIX_KEYWORDS.has(name);
}

function insideSyntaxError(table: SyntaxTable, node: NodeId): boolean {
  for (let up = table.parent(node); up !== NO_NODE; up = table.parent(up)) if (table.isError(up)) return true;
  return false;
}

/** The formals of the file's top-level function (`{ … }: …`), or NO_NODE. */
function topLevelFormals(table: SyntaxTable): NodeId {
  const expression = table.childByField(table.root, Field.Expression);
  if (expression === NO_NODE || table.kind(expression) !== Kind.FunctionExpression) return NO_NODE;
  return table.childByField(expression, Field.Formals);
}

export default defineRule({
  id: 'undefined-variable',
  meta: {
    severity: 'error',
    category: 'correctness',
    description: 'Variable that is not defined in any enclosing scope',
    fixable: true,
    messages: { undefined: 'Undefined variable `{{name}}`' },
  },
  check(context) {
    const file = context.file;
    return {
      file() {
        const table = file.table;
        let formals: NodeId | undefined;
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const references = file.scopes.references;
        for (let index = 0; index < references.length; index++) {
          const reference = references[index];
          if (reference.resolution.kind !== 'undefined') continue;
          const name = reference.name;
          const builtin = BUILTINS.get(name);
          if (builtin && !builtin.global) continue;
          if (insideSyntaxError(table, reference.node)) continue;
          formals ??= topLevelFormals(table);
          const edit = formals !== NO_NODE && isPlainIdentifier(name) ? addFormal(file.text, table, formals, name) : undefined;
          context.report({
            node: reference.node,
            messageId: 'undefined',
            data: { name },
            fixes: edit ? [{ title: `Add \`${name}\` to the function's formals`, edits: [edit], safe: false }] : undefined,
          });
        }
      },
    };
  },
});

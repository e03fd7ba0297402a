// unknown-builtin: `builtins.<name>` where no Nix release has a builtin of that name.
//   builtins.toJson x   →  error: `builtins.toJson` does not exist (fix: `builtins.toJSON`)
// Evaluating it fails with "attribute 'toJson' missing". The list of builtins (analysis/builtins.ts)
// covers every release up to the newest we know of, so code written for a newer Nix is not
// flagged; nor are uses behind a guard (`builtins.foo or …`, `if builtins ? foo then …`), the
// usual way to support several Nix versions. The suggested fix is the nearest known name; it is
// not applied automatically, since the author may have meant something else.
//
// Runs as a file hook over the scope model: whether `builtins` is the global one depends on
// bindings anywhere in the file.
import { staticAttributeName } from '../analysis/attribute-names';
import { BUILTINS } from '../analysis/builtins';
import { isBuiltinsVariable, selectOnVariable } from '../analysis/lexical-names';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

const BUILTIN_NAMES = [...BUILTINS.keys()];

export default defineRule({
  id: 'unknown-builtin',
  meta: {
    severity: 'error',
    category: 'correctness',
    description: '`builtins.<name>` that does not exist in any Nix release',
    fixable: true,
    messages: {
      unknown: '`builtins.{{name}}` does not exist',
      unknownWithSuggestion: '`builtins.{{name}}` does not exist: did you mean `builtins.{{suggestion}}`?',
    },
  },
  check(context) {
    return {
      file() {
        const table = context.file.table;
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const references = context.file.scopes.references;
        for (let index = 0; index < references.length; index++) {
          const reference = references[index];
          // The global `builtins` only (a local variable of that name may have any attribute).
          if (reference.resolution.kind !== 'builtin' || reference.name !== 'builtins') continue;
          const select = selectOnVariable(table, reference.node);
          if (select === NO_NODE) continue;
          const attrpath = table.childByField(select, Field.Attrpath);
          const attr = attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
          const name = attr === NO_NODE ? undefined : staticAttributeName(table, attr);
          if (name === undefined || BUILTINS.has(name)) continue;
          if (table.childByField(select, Field.Default) !== NO_NODE || isGuarded(table, select, name)) continue;
          const suggestion = nearestBuiltin(name);
          const range = { start: table.start(attr), end: table.end(attr) };
          context.report({
            range,
            messageId: suggestion ? 'unknownWithSuggestion' : 'unknown',
            data: suggestion ? { name, suggestion } : { name },
            fixes: suggestion ? [{ title: `Replace with \`builtins.${suggestion}\``, edits: [{ range, newText: suggestion }], safe: false }] : undefined,
          });
        }
      },
    };
  },
});

/**
 * Whether the select only runs after a check that the builtin exists: it sits in the branches of
 * an `if`, after `&&`/`||`/`->`, or under an `assert`, whose condition tests `builtins ? name`.
 */
function isGuarded(table: SyntaxTable, node: NodeId, name: string): boolean {
  let child = node;
  for (let up = table.parent(node); up !== NO_NODE; child = up, up = table.parent(up)) {
    const kind = table.kind(up);
    let condition = NO_NODE;
    if (kind === Kind.IfExpression && table.field(child) !== Field.Condition) condition = table.childByField(up, Field.Condition);
    else if (kind === Kind.AssertExpression && table.field(child) === Field.Body) condition = table.childByField(up, Field.Condition);
    else if (kind === Kind.BinaryExpression && table.field(child) === Field.Right) condition = table.childByField(up, Field.Left);
    if (condition !== NO_NODE && testsForBuiltin(table, condition, name)) return true;
  }
  return false;
}

function testsForBuiltin(table: SyntaxTable, condition: NodeId, name: string): boolean {
  const end = table.subtreeEnd(condition);
  for (let row = condition; row < end; row++) {
    if (table.kind(row) !== Kind.HasAttrExpression) continue;
    const expression = table.childByField(row, Field.Expression);
    if (expression === NO_NODE || !isBuiltinsVariable(table, expression)) continue;
    const attrpath = table.childByField(row, Field.Attrpath);
    const attr = attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
    if (attr !== NO_NODE && staticAttributeName(table, attr) === name) return true;
  }
  return false;
}

/** The known builtin closest to `name` (case-insensitive match first, then edit distance), if close enough. */
function nearestBuiltin(name: string): string | undefined {
  const lower = name.toLowerCase();
  const sameLetters = BUILTIN_NAMES.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  // `builtins.__add`: the `__` alias is a global name, not an attribute of `builtins`.
  if (name.startsWith('__') && BUILTINS.has(name.slice(2))) return name.slice(2);
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of BUILTIN_NAMES) {
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus transpositions), giving up above `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previousPrevious[j - 2] + 1);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > cap) return cap + 1;
    previousPrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

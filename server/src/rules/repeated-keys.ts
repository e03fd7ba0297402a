// repeated-keys: the same first key spelled out in three or more paths of one set.
//   { foo.a = 1; foo.b = 2; foo.c = 3; }   →   { foo = { a = 1; b = 2; c = 3; }; }
// statix's threshold (3). Only dotted paths count (`foo.a = …`), not a plain `foo = …` next to
// them. No fix: nesting moves bindings and their comments around, which is for the author.
// Cost: the visitor runs for every set, and again for each enclosing set on every edit, so the
// common case (no dotted paths at all) is one cheap pass over the bindings without allocation.
import { Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

const REPEATED_KEY_THRESHOLD = 3;

/** The first attribute of a binding's path when the path has more than one, or NO_NODE. */
function firstOfDottedPath(table: SyntaxTable, binding: NodeId): NodeId {
  if (table.kind(binding) !== Kind.Binding) return NO_NODE;
  const attrpath = table.firstChild(binding);
  if (attrpath === NO_NODE || table.kind(attrpath) !== Kind.Attrpath) return NO_NODE;
  const first = table.firstChild(attrpath);
  if (first === NO_NODE || table.nextSibling(first) === NO_NODE) return NO_NODE;
  return first;
}

/** A static key's name: an identifier, or a string without interpolation or escapes. */
function keyName(table: SyntaxTable, attr: NodeId): string | undefined {
  if (table.isMissing(attr)) return undefined;
  const kind = table.kind(attr);
  if (kind === Kind.Identifier) return table.nodeText(attr);
  if (kind !== Kind.StringExpression) return undefined;
  let name = '';
  for (let part = table.firstChild(attr); part !== NO_NODE; part = table.nextSibling(part)) {
    const partKind = table.kind(part);
    if (partKind === Kind.StringFragment) name += table.nodeText(part);
    else if (partKind === Kind.EscapeSequence || partKind === Kind.Interpolation || partKind === Kind.DollarEscape) return undefined;
  }
  return name;
}

/**
 * How many bindings of the set have a dotted path. A function of its own because V8 compiles a
 * long loop (a 20,000-binding set) while it runs: the comparison after the loop had no type
 * feedback yet at that point, and every later long loop entered that compiled code and was sent
 * back to the interpreter where it ended (~3,500 deoptimizations in ten checks of the benchmark's
 * package set).
 */
function dottedBindingCount(table: SyntaxTable, bindingSet: NodeId): number {
  let dotted = 0;
  for (let binding = table.firstChild(bindingSet); binding !== NO_NODE; binding = table.nextSibling(binding)) {
    if (firstOfDottedPath(table, binding) !== NO_NODE) dotted++;
  }
  return dotted;
}

export default defineRule({
  id: 'repeated-keys',
  meta: {
    severity: 'info',
    category: 'style',
    description: 'The same first key repeated in three or more dotted paths of one set',
    fixable: false,
    messages: { repeated: 'Key `{{name}}` starts {{count}} paths in this set: nest them under `{{name}} = { … };`' },
  },
  check(context) {
    const table = context.file.table;
    const visit = (node: NodeId): void => {
      const bindingSet = table.childOfKind(node, Kind.BindingSet);
      if (bindingSet === NO_NODE) return;
      if (dottedBindingCount(table, bindingSet) < REPEATED_KEY_THRESHOLD) return;
      const occurrences = new Map<string, NodeId[]>();
      for (let binding = table.firstChild(bindingSet); binding !== NO_NODE; binding = table.nextSibling(binding)) {
        const first = firstOfDottedPath(table, binding);
        const name = first === NO_NODE ? undefined : keyName(table, first);
        if (name === undefined) continue;
        const list = occurrences.get(name);
        if (list) list.push(first);
        else occurrences.set(name, [first]);
      }
      for (const [name, keys] of occurrences) {
        if (keys.length < REPEATED_KEY_THRESHOLD) continue;
        context.report({
          node: keys[0],
          messageId: 'repeated',
          data: { name, count: keys.length },
          related: keys.slice(1).map((key) => ({ range: { start: table.start(key), end: table.end(key) }, message: `\`${name}\` repeated here` })),
        });
      }
    };
    return { [Kind.AttrsetExpression]: visit, [Kind.RecAttrsetExpression]: visit };
  },
});

// collapsible-let-in: a `let` whose body is another `let`.
//   let a = 1; in let b = a + 1; in b   →   let a = 1; b = a + 1; in b
// Merging moves the inner bindings into the outer scope. That is exact unless a name is bound
// by both (the merged `let` would bind it twice) or the outer bindings mention a name the inner
// `let` binds (after the merge they would see the inner binding instead of the outer one).
// Unlike statix, those cases are not reported: they are not collapsible as they stand.
import { fixOf, isBlank, replaceSpan } from '../analysis/text-edits';
import { Field, Kind, Token } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

/** The names a binding set binds, or undefined when one of them is not a plain name. */
function boundNames(table: SyntaxTable, bindingSet: NodeId): Set<string> | undefined {
  const names = new Set<string>();
  for (let binding = table.firstChild(bindingSet); binding !== NO_NODE; binding = table.nextSibling(binding)) {
    const kind = table.kind(binding);
    if (kind === Kind.Binding) {
      const attrpath = table.childByField(binding, Field.Attrpath);
      const first = attrpath === NO_NODE ? NO_NODE : table.firstChild(attrpath);
      if (first === NO_NODE || table.kind(first) !== Kind.Identifier || table.isMissing(first)) return undefined;
      names.add(table.nodeText(first));
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      const attrs = table.childByField(binding, Field.Attrs);
      if (attrs === NO_NODE) return undefined;
      for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
        if (table.kind(attr) === Kind.Comment) continue;
        if (table.kind(attr) !== Kind.Identifier || table.isMissing(attr)) return undefined;
        names.add(table.nodeText(attr));
      }
    } else if (kind !== Kind.Comment) {
      return undefined;
    }
  }
  return names;
}

/** Whether any variable or inherited name under `node` is one of `names` (shadowing ignored: conservative). */
function mentionsAny(table: SyntaxTable, node: NodeId, names: ReadonlySet<string>): boolean {
  const end = table.subtreeEnd(node);
  for (let row = node + 1; row < end; row++) {
    if (table.kind(row) !== Kind.Identifier) continue;
    const parentKind = table.kind(table.parent(row));
    if (parentKind !== Kind.VariableExpression && parentKind !== Kind.InheritedAttrs) continue;
    if (names.has(table.nodeText(row))) return true;
  }
  return false;
}

export default defineRule({
  id: 'collapsible-let-in',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Nested `let ... in` that can be merged into the enclosing one',
    fixable: true,
    messages: { collapsible: 'This `let` is the whole body of another `let`: merge their bindings' },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    return {
      [Kind.LetExpression](node) {
        const inner = table.childByField(node, Field.Body);
        if (inner === NO_NODE || table.kind(inner) !== Kind.LetExpression) return;
        const outerBindings = table.childOfKind(node, Kind.BindingSet);
        const innerBindings = table.childOfKind(inner, Kind.BindingSet);
        // An empty `let` on either side is empty-let-in's finding.
        if (outerBindings === NO_NODE || innerBindings === NO_NODE) return;
        const outerIn = table.childOfKind(node, Token.in);
        const innerLet = table.firstChild(inner);
        if (outerIn === NO_NODE || table.isMissing(outerIn) || table.kind(innerLet) !== Token.let) return;
        const innerNames = boundNames(table, innerBindings);
        const outerNames = boundNames(table, outerBindings);
        if (!innerNames || !outerNames) return;
        for (const name of innerNames) if (outerNames.has(name)) return;
        if (mentionsAny(table, outerBindings, innerNames)) return;

        // Delete from the end of the outer bindings (or of a comment after them) through the
        // inner `let`. A line comment needs the newline after it: when the inner bindings do
        // not start on a new line, start at `in` instead.
        const seamEnd = table.end(innerLet);
        let seamStart = table.start(outerIn);
        while (seamStart > 0 && /\s/.test(text.charAt(seamStart - 1))) seamStart--;
        if (!isBlank(text, table.end(outerBindings), seamStart) && !/^[ \t]*\r?\n/.test(text.slice(seamEnd, seamEnd + 200))) seamStart = table.start(outerIn);
        const fixable = isBlank(text, table.end(outerIn), table.start(innerLet));
        context.report({
          range: { start: table.start(innerLet), end: seamEnd },
          messageId: 'collapsible',
          fixes: fixable ? fixOf('Merge the nested `let` into this one', [replaceSpan(text, seamStart, seamEnd, '')]) : undefined,
        });
      },
    };
  },
});

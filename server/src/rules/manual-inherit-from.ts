// manual-inherit-from: `a = b.a;` where `inherit (b) a;` says the same.
//   let mtl = pkgs.haskellPackages.mtl; in …   →  let inherit (pkgs.haskellPackages) mtl; in …
// `inherit (e) a` evaluates `e` in the same scope as the binding's value would be (the outer
// scope in a plain set, the set's own scope in `let` and `rec`), so the rewrite is exact. The
// one case left out is `let a = a.a;` (and the `rec` twin): there `a` is the binding itself,
// which is certainly not what the author meant, and the rewrite would hide that.
import { abbreviate, containsComment } from '../analysis/text-edits';
import { Field, Kind, KindId } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

const RECURSIVE_CONTAINERS = new Set<KindId>([Kind.LetExpression, Kind.RecAttrsetExpression, Kind.LetAttrsetExpression]);

export default defineRule({
  id: 'manual-inherit-from',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Binding `a = b.a;` that `inherit (b) a;` expresses directly',
    fixable: true,
    messages: { manual: '`{{name}}` is better written with `inherit ({{from}}) {{name}};`' },
  },
  check(context) {
    const table = context.file.table;
    const text = context.file.text;
    return {
      [Kind.Binding](node) {
        const value = table.childByField(node, Field.Expression);
        if (value === NO_NODE || table.kind(value) !== Kind.SelectExpression) return;
        if (table.childByField(value, Field.Default) !== NO_NODE) return;
        const base = table.childByField(value, Field.Expression);
        if (base === NO_NODE || table.kind(base) !== Kind.VariableExpression) return;
        const attrpath = table.childByField(node, Field.Attrpath);
        if (attrpath === NO_NODE) return;
        const key = table.firstChild(attrpath);
        if (key === NO_NODE || table.kind(key) !== Kind.Identifier || table.nextSibling(key) !== NO_NODE) return;
        const selected = table.childByField(value, Field.Attrpath);
        if (selected === NO_NODE) return;
        // The last attribute of the selected path, and the end of everything before it.
        let last = NO_NODE;
        let fromEnd = table.end(base);
        for (let attr = table.firstChild(selected); attr !== NO_NODE; attr = table.nextSibling(attr)) {
          if (table.field(attr) !== Field.Attr) continue;
          if (last !== NO_NODE) fromEnd = table.end(last);
          last = attr;
        }
        if (last === NO_NODE || table.kind(last) !== Kind.Identifier) return;
        const keyLength = table.end(key) - table.start(key);
        if (keyLength !== table.end(last) - table.start(last) || table.isMissing(key)) return;
        const name = table.nodeText(key);
        if (name !== table.nodeText(last)) return;
        const bindingSet = table.parent(node);
        const container = table.parent(bindingSet);
        if (container < 0) return;
        const containerKind = table.kind(container);
        if (containerKind !== Kind.AttrsetExpression && !RECURSIVE_CONTAINERS.has(containerKind)) return;
        if (RECURSIVE_CONTAINERS.has(containerKind) && table.nodeText(base) === name) return;
        if (text.charAt(table.end(node) - 1) !== ';') return;

        const from = text.slice(table.start(value), fromEnd);
        const replacement = `inherit (${from}) ${name};`;
        context.report({
          node,
          messageId: 'manual',
          data: { name, from: abbreviate(from, 30) },
          fixes: containsComment(table, node)
            ? undefined
            : [{ title: `Replace with \`${abbreviate(replacement)}\``, edits: [{ range: { start: table.start(node), end: table.end(node) }, newText: replacement }], safe: true }],
        });
      },
    };
  },
});

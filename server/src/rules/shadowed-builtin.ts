// shadowed-builtin: a variable named like a global builtin, which hides the builtin.
//   let true = false; in …        →  warning: `true` now means `false` below
//   let map = f: …; in map g xs   →  warning: `map` no longer is the builtin `map`
// Readers expect `map`, `toString`, `import`, `true`, ... to mean what they always mean. Reported
// for let and rec bindings, lambda arguments and `@` names, for every builtin bound in the
// global scope. Formals of `{ … }:` functions are the function's interface, chosen by its
// callers (callPackage passes `fetchurl`, nixpkgs' `lazyDerivation` takes `derivation`), so
// there only `true`, `false`, `null` and `import` are reported, which no interface should need.
// `inherit (builtins) map;` and `inherit map;` rebind the same value and are not reported.
import { staticAttributeName } from '../analysis/attribute-names';
import { BUILTINS } from '../analysis/builtins';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId } from '../syntax/syntax-table';
import { defineRule } from './types';

const GLOBAL_NAMES = new Set([...BUILTINS.values()].filter((info) => info.global).map((info) => info.name));
const ALWAYS_REPORTED = new Set(['true', 'false', 'null', 'import']);

export default defineRule({
  id: 'shadowed-builtin',
  meta: {
    severity: 'warning',
    category: 'correctness',
    description: 'Variable that hides a global builtin such as `map`, `true` or `import`',
    fixable: false,
    messages: {
      binding: '`{{name}}` hides the builtin `{{name}}` in this scope',
      argument: 'Argument `{{name}}` hides the builtin `{{name}}` in the function body',
    },
  },
  check(context) {
    const table = context.file.table;

    const isScopeBindingSet = (bindingSet: NodeId): boolean => {
      const owner = table.parent(bindingSet);
      if (owner === NO_NODE) return false;
      const kind = table.kind(owner);
      return kind === Kind.LetExpression || kind === Kind.RecAttrsetExpression || kind === Kind.LetAttrsetExpression;
    };

    return {
      [Kind.Binding](binding) {
        if (!isScopeBindingSet(table.parent(binding))) return;
        const attrpath = table.childByField(binding, Field.Attrpath);
        const first = attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
        if (first === NO_NODE) return;
        const name = staticAttributeName(table, first);
        if (name !== undefined && GLOBAL_NAMES.has(name)) context.report({ node: first, messageId: 'binding', data: { name } });
      },
      [Kind.InheritFrom](inherit) {
        if (!isScopeBindingSet(table.parent(inherit))) return;
        const source = table.childByField(inherit, Field.Expression);
        if (source !== NO_NODE && table.kind(source) === Kind.VariableExpression && table.nodeText(source) === 'builtins') return;
        const attrs = table.childByField(inherit, Field.Attrs);
        if (attrs === NO_NODE) return;
        for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
          const name = staticAttributeName(table, attr);
          if (name !== undefined && GLOBAL_NAMES.has(name)) context.report({ node: attr, messageId: 'binding', data: { name } });
        }
      },
      [Kind.FunctionExpression](fn) {
        const universal = table.childByField(fn, Field.Universal);
        if (universal !== NO_NODE && !table.isMissing(universal)) {
          const name = table.nodeText(universal);
          if (GLOBAL_NAMES.has(name)) context.report({ node: universal, messageId: 'argument', data: { name } });
        }
        const formals = table.childByField(fn, Field.Formals);
        if (formals === NO_NODE) return;
        for (let formal = table.firstChild(formals); formal !== NO_NODE; formal = table.nextSibling(formal)) {
          if (table.kind(formal) !== Kind.Formal) continue;
          const nameNode = table.childByField(formal, Field.Name);
          if (nameNode === NO_NODE || table.isMissing(nameNode)) continue;
          const name = table.nodeText(nameNode);
          if (ALWAYS_REPORTED.has(name)) context.report({ node: nameNode, messageId: 'argument', data: { name } });
        }
      },
    };
  },
});

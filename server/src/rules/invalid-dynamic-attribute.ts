// invalid-dynamic-attribute: a `${…}` name where Nix needs a name it knows while parsing.
//   let ${name} = 1; in …     →  error: dynamic attributes are not allowed in `let`
//   { inherit ${name}; }      →  error: dynamic attributes are not allowed in `inherit`
// Nix rejects both while parsing: a `let` binds variables, whose names must be static, and
// `inherit x` reads the variable `x`. Deeper parts of a path are fine (`let a.${k} = 1;`), as is
// `${"a"}`, which Nix folds to the static name `a`. Legacy `let { }` accepts dynamic bindings.
import { isDynamicAttribute } from '../analysis/attribute-names';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'invalid-dynamic-attribute',
  meta: {
    severity: 'error',
    category: 'correctness',
    description: 'Dynamic attribute in `let` or `inherit`',
    fixable: false,
    messages: {
      inLet: 'Dynamic attributes are not allowed in `let`: the name must be known without evaluating',
      inInherit: 'Dynamic attributes are not allowed in `inherit`: it needs a variable name',
    },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.Binding](binding) {
        const bindingSet = table.parent(binding);
        if (bindingSet === NO_NODE || table.kind(table.parent(bindingSet)) !== Kind.LetExpression) return;
        const attrpath = table.childByField(binding, Field.Attrpath);
        const first = attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
        if (first !== NO_NODE && isDynamicAttribute(table, first)) context.report({ node: first, messageId: 'inLet' });
      },
      [Kind.InheritedAttrs](attrs) {
        for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
          if (isDynamicAttribute(table, attr)) context.report({ node: attr, messageId: 'inInherit' });
        }
      },
    };
  },
});

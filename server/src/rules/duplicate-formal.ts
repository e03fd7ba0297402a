// duplicate-formal: a function declares the same argument name twice.
//   { a, b, a }: …     →  error on the second `a`
//   args@{ args }: …   →  error: the `@` name is also a formal
// Nix rejects both while parsing ("duplicate formal function argument"), so the file cannot be
// evaluated. No fix: which of the two the author meant (and which default to keep) is unknown.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'duplicate-formal',
  meta: {
    severity: 'error',
    category: 'correctness',
    description: 'Function argument declared more than once',
    fixable: false,
    messages: {
      duplicate: 'Formal argument `{{name}}` is declared twice',
      atName: 'The `@` name `{{name}}` is also a formal argument',
    },
  },
  check(context) {
    const table = context.file.table;
    const rangeOf = (node: NodeId) => ({ start: table.start(node), end: table.end(node) });
    return {
      [Kind.FunctionExpression](fn) {
        const formals = table.childByField(fn, Field.Formals);
        if (formals === NO_NODE) return;
        const firstByName = new Map<string, NodeId>();
        for (let formal = table.firstChild(formals); formal !== NO_NODE; formal = table.nextSibling(formal)) {
          if (table.kind(formal) !== Kind.Formal) continue;
          const name = table.childByField(formal, Field.Name);
          if (name === NO_NODE || table.isMissing(name)) continue;
          const text = table.nodeText(name);
          const first = firstByName.get(text);
          if (first === undefined) {
            firstByName.set(text, name);
            continue;
          }
          context.report({
            node: name,
            messageId: 'duplicate',
            data: { name: text },
            related: [{ range: rangeOf(first), message: `\`${text}\` is first declared here` }],
          });
        }
        const universal = table.childByField(fn, Field.Universal);
        if (universal === NO_NODE || table.isMissing(universal)) return;
        const atName = table.nodeText(universal);
        const formal = firstByName.get(atName);
        if (formal === undefined) return;
        context.report({
          node: universal,
          messageId: 'atName',
          data: { name: atName },
          related: [{ range: rangeOf(formal), message: `The formal \`${atName}\`` }],
        });
      },
    };
  },
});

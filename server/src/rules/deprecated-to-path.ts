// deprecated-to-path: `builtins.toPath`, deprecated since Nix 2.0.
//   builtins.toPath "/etc/hosts"   →   /. + "/etc/hosts"   (a path)  or just "/etc/hosts"
// `toPath` returns a string, not a path, despite its name, which is why it was deprecated.
// There is no fix: whether the caller wants a path or a string is for the author to say.
// Bare `toPath` (brought in by `with builtins;` or `inherit (builtins) toPath;`) is flagged
// where it is applied, as statix does; `__toPath` everywhere.
import { nodeSpells } from '../analysis/text-edits';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'deprecated-to-path',
  meta: {
    severity: 'warning',
    category: 'style',
    description: 'Use of the deprecated `builtins.toPath`',
    fixable: false,
    messages: { deprecated: '`{{name}}` is deprecated: use `/. + str` for a path, or the string itself' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.SelectExpression](node) {
        const base = table.firstChild(node);
        if (base === NO_NODE || table.kind(base) !== Kind.VariableExpression || !nodeSpells(table, base, 'builtins')) return;
        const attrpath = table.childByField(node, Field.Attrpath);
        const attr = attrpath === NO_NODE ? NO_NODE : table.firstChild(attrpath);
        if (attr === NO_NODE || !nodeSpells(table, attr, 'toPath')) return;
        context.report({ range: { start: table.start(base), end: table.end(attr) }, messageId: 'deprecated', data: { name: 'builtins.toPath' }, tags: ['deprecated'] });
      },
      [Kind.VariableExpression](node) {
        if (!nodeSpells(table, node, '__toPath')) return;
        context.report({ node, messageId: 'deprecated', data: { name: '__toPath' }, tags: ['deprecated'] });
      },
      [Kind.ApplyExpression](node) {
        const applied = table.firstChild(node);
        if (applied === NO_NODE || table.kind(applied) !== Kind.VariableExpression || !nodeSpells(table, applied, 'toPath')) return;
        context.report({ node: applied, messageId: 'deprecated', data: { name: 'toPath' }, tags: ['deprecated'] });
      },
    };
  },
});

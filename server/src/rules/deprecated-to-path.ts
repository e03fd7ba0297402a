// deprecated-to-path: `builtins.toPath`, deprecated since Nix 2.0.
//   builtins.toPath "/etc/hosts"   →   /. + "/etc/hosts"   (a path)  or just "/etc/hosts"
// `toPath` returns a string, not a path, despite its name, which is why it was deprecated.
// There is no fix: whether the caller wants a path or a string is for the author to say.
// Bare `toPath` brought in by a `with` (`with builtins;`) is flagged where it is applied, as
// statix does; `__toPath` everywhere; a local binding of either name never.
import { selectOnVariable } from '../analysis/lexical-names';
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
      // A file hook over the scope model: a local `toPath` or `builtins` is someone else's.
      file() {
        // Indexed: this loop runs once per version over the whole file, mostly before V8 optimizes it,
        // and for-of then allocated an iterator result per item.
        const references = context.file.scopes.references;
        for (let index = 0; index < references.length; index++) {
          const reference = references[index];
          const { name, resolution } = reference;
          if (name === 'builtins' && resolution.kind === 'builtin') {
            const select = selectOnVariable(table, reference.node);
            const attrpath = select === NO_NODE ? NO_NODE : table.childByField(select, Field.Attrpath);
            const attr = attrpath === NO_NODE ? NO_NODE : table.firstChild(attrpath);
            if (attr === NO_NODE || !nodeSpells(table, attr, 'toPath')) continue;
            context.report({ range: { start: table.start(reference.node), end: table.end(attr) }, messageId: 'deprecated', data: { name: 'builtins.toPath' }, tags: ['deprecated'] });
          } else if (name === '__toPath' && resolution.kind === 'builtin') {
            context.report({ node: reference.node, messageId: 'deprecated', data: { name }, tags: ['deprecated'] });
          } else if (name === 'toPath' && resolution.kind === 'with') {
            // Only through a `with` (most likely `with builtins;`), and only where it is applied.
            const variable = table.parent(reference.node);
            const apply = table.parent(variable);
            if (apply === NO_NODE || table.kind(apply) !== Kind.ApplyExpression || table.firstChild(apply) !== variable) continue;
            context.report({ node: variable, messageId: 'deprecated', data: { name }, tags: ['deprecated'] });
          }
        }
      },
    };
  },
});

// sudo-nopasswd-all: a sudo rule that runs every command as root without a password.
//   security.sudo.extraRules = [ { users = [ "deploy" ]; commands = [ { command = "ALL"; options = [ "NOPASSWD" ]; } ]; } ];
//   →  … options = [ "PASSWD" ]; …   (or, by hand, a `command` naming the one program needed)
// It is `wheelNeedsPassword = false` hidden in a rule: whoever runs as that user owns the machine.
// Grant the one command a script needs instead.
import { attributeNames, bindingsOf, readLiteral, readLiteralElements, readStringElements, severityIn } from '../analysis/module-model';
import type { LiteralValue } from '../analysis/module-model';
import { Field } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import type { NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'sudo-nopasswd-all',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'A sudo rule allows every command without a password',
    fixable: true,
    messages: { all: 'This sudo rule lets its users run any command as root without a password' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const definition of context.file.modules.get(['security', 'sudo', 'extraRules'])) {
          for (const rule of readLiteralElements(table, definition.value)) {
            for (const command of readLiteralElements(table, attributeValue(table, rule.value, 'commands'))) {
              const name = readLiteral(table, attributeValue(table, command.value, 'command'));
              if (name.kind !== 'string' || name.value !== 'ALL') continue;
              for (const option of readStringElements(table, attributeValue(table, command.value, 'options'))) {
                if (option.value !== 'NOPASSWD') continue;
                context.report({
                  severity: severityIn(definition),
                  node: option.node,
                  messageId: 'all',
                  // Unsafe: the scripts relying on it would start to wait for a password.
                  fixes: [{ title: 'Require the password (`PASSWD`)', edits: [{ range: { start: table.start(option.node), end: table.end(option.node) }, newText: '"PASSWD"' }], safe: false }],
                });
              }
            }
          }
        }
      },
    };
  },
});

/** The value node of `name = …;` in a literal attrset, or NO_NODE. */
function attributeValue(table: SyntaxTable, set: LiteralValue, name: string): NodeId {
  if (set.kind !== 'attrset') return NO_NODE;
  for (const binding of bindingsOf(table, set.node)) {
    const names = attributeNames(table, binding);
    if (names?.length === 1 && names[0] === name) return table.childByField(binding, Field.Expression);
  }
  return NO_NODE;
}

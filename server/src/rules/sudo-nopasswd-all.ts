// sudo-nopasswd-all: a sudo rule that runs every command as root without a password.
//   security.sudo.extraRules = [ { users = [ "deploy" ]; commands = [ { command = "ALL"; options = [ "NOPASSWD" ]; } ]; } ];
// It is `wheelNeedsPassword = false` hidden in a rule: whoever runs as that user owns the machine.
// Grant the one command a script needs instead.
import { attributeNames, bindingsOf, readLiteral, severityIn } from '../analysis/module-model';
import type { LiteralValue } from '../analysis/module-model';
import { Field } from '../syntax/grammar';
import type { SyntaxTable } from '../syntax/syntax-table';
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
          const rules = readLiteral(table, definition.value);
          if (rules.kind !== 'list') continue;
          for (const rule of rules.elements) {
            const commands = attribute(table, readLiteral(table, rule), 'commands');
            if (commands?.kind !== 'list') continue;
            for (const command of commands.elements) {
              const entry = readLiteral(table, command);
              const name = attribute(table, entry, 'command');
              const options = attribute(table, entry, 'options');
              if (name?.kind !== 'string' || name.value !== 'ALL' || options?.kind !== 'list') continue;
              for (const option of options.elements) {
                const value = readLiteral(table, option);
                if (value.kind !== 'string' || value.value !== 'NOPASSWD') continue;
                context.report({
                  severity: severityIn(definition),
                  node: option,
                  messageId: 'all',
                  // Unsafe: the scripts relying on it would start to wait for a password.
                  fixes: [{ title: 'Require the password (`PASSWD`)', edits: [{ range: { start: table.start(option), end: table.end(option) }, newText: '"PASSWD"' }], safe: false }],
                });
              }
            }
          }
        }
      },
    };
  },
});

/** The literal value of `name` in a literal attrset value. */
function attribute(table: SyntaxTable, set: LiteralValue, name: string): LiteralValue | undefined {
  if (set.kind !== 'attrset') return undefined;
  for (const binding of bindingsOf(table, set.node)) {
    const names = attributeNames(table, binding);
    if (names?.length === 1 && names[0] === name) return readLiteral(table, table.childByField(binding, Field.Expression));
  }
  return undefined;
}

// ssh-root-login: root may log in over SSH with a password.
//   services.openssh.settings.PermitRootLogin = "yes";  →  "prohibit-password"
// The NixOS default, "prohibit-password", already lets root in with a key; "yes" adds password
// guessing against the one account every attacker knows the name of.
import { priorityNote, readLiteral, severityIn } from '../analysis/module-model';
import { replaceValue } from '../analysis/option-edits';
import { fixOf } from '../analysis/text-edits';
import { defineRule } from './types';

const PATHS = [
  ['services', 'openssh', 'settings', 'PermitRootLogin'],
  // The name before NixOS 23.05; ssh-renamed-options moves it.
  ['services', 'openssh', 'permitRootLogin'],
];

export default defineRule({
  id: 'ssh-root-login',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'SSH lets root log in with a password',
    fixable: true,
    messages: { yes: '`PermitRootLogin = "yes"` lets anyone try passwords for root over SSH{{note}}' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const definition of PATHS.flatMap((path) => context.file.modules.get(path))) {
          const value = readLiteral(table, definition.value);
          if (value.kind !== 'string' || value.value !== 'yes') continue;
          // Unsafe: someone may log in as root with a password today.
          const fixes = ['prohibit-password', 'no'].flatMap((replacement) => fixOf(`Set \`PermitRootLogin\` to "${replacement}"`, [replaceValue(table, definition, `"${replacement}"`)], false) ?? []);
          context.report({ severity: severityIn(definition), node: definition.value, messageId: 'yes', data: { note: priorityNote(definition) }, fixes });
        }
      },
    };
  },
});

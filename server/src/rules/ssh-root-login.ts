// ssh-root-login: root may log in over SSH with a password.
//   services.openssh.settings.PermitRootLogin = "yes";  →  "prohibit-password"
// The NixOS default, "prohibit-password", already lets root in with a key; "yes" adds password
// guessing against the one account every attacker knows the name of.
import { priorityNote, readLiteral, severityIn } from '../analysis/module-model';
import { replaceValue } from '../analysis/option-edits';
import { defineRule } from './types';
import type { Fix } from './types';

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
        for (const path of PATHS) {
          for (const definition of context.file.modules.get(path)) {
            const value = readLiteral(table, definition.value);
            if (value.kind !== 'string' || value.value !== 'yes') continue;
            const fixes: Fix[] = [];
            for (const replacement of ['prohibit-password', 'no']) {
              const edit = replaceValue(table, definition, `"${replacement}"`);
              // Unsafe: someone may log in as root with a password today.
              if (edit) fixes.push({ title: `Set \`PermitRootLogin\` to "${replacement}"`, edits: [edit], safe: false });
            }
            context.report({ severity: severityIn(definition), node: definition.value, messageId: 'yes', data: { note: priorityNote(definition) }, fixes });
          }
        }
      },
    };
  },
});

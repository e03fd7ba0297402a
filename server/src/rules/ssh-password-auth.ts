// ssh-password-auth: sshd is enabled and accepts passwords.
//   services.openssh.enable = true;                 (PasswordAuthentication defaults to true)
//   → services.openssh.enable = true;
//     services.openssh.settings.PasswordAuthentication = false;
// Passwords over SSH invite brute force from the whole internet; keys are the norm. The fix is
// offered only when the same file gives some user an authorized key: without one, turning
// passwords off could lock everybody out of the machine.
import { priorityNote, readLiteral, severityIn } from '../analysis/module-model';
import type { ModuleModel, OptionDefinition } from '../analysis/module-model';
import { addSiblingDefinition, replaceValue } from '../analysis/option-edits';
import { fixOf } from '../analysis/text-edits';
import { NO_NODE } from '../syntax/syntax-table';
import type { SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';
import type { TextEdit } from './types';

const SETTING = ['services', 'openssh', 'settings', 'PasswordAuthentication'];
const LEGACY_SETTING = ['services', 'openssh', 'passwordAuthentication'];

export default defineRule({
  id: 'ssh-password-auth',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'SSH accepts password logins',
    fixable: true,
    messages: {
      explicit: 'SSH password logins are enabled: keys resist guessing, passwords do not{{note}}',
      byDefault: 'sshd accepts passwords (the default): set `settings.PasswordAuthentication = false`',
      explicitNoKeys: 'SSH password logins are on; no fix offered, as no user here has an SSH key{{note}}',
      byDefaultNoKeys: 'sshd accepts passwords (the default); no fix offered, as no user here has an SSH key',
    },
  },
  check(context) {
    const { table, text } = context.file;
    return {
      file() {
        const model = context.file.modules;
        const settings = [...model.get(SETTING), ...model.get(LEGACY_SETTING)];
        const keyed = hasAuthorizedKeys(model, table);
        for (const definition of settings) {
          const value = readLiteral(table, definition.value);
          if (value.kind === 'bool' && value.value) report(definition, 'explicit', replaceValue(table, definition, 'false'));
        }
        if (settings.length > 0) return;
        for (const enable of model.get(['services', 'openssh', 'enable'])) {
          const value = readLiteral(table, enable.value);
          if (value.kind === 'bool' && value.value) report(enable, 'byDefault', addSiblingDefinition(text, table, enable, ['settings', 'PasswordAuthentication'], 'false'));
        }

        /** Without a key in this file, turning passwords off could lock everybody out: no fix then. */
        function report(definition: OptionDefinition, messageId: 'explicit' | 'byDefault', edit: TextEdit | undefined): void {
          const data = { note: priorityNote(definition) };
          if (keyed) context.report({ severity: severityIn(definition), node: definition.value, messageId, data, fixes: fixOf('Turn off SSH password logins', [edit], false) });
          else context.report({ severity: severityIn(definition), node: definition.value, messageId: messageId === 'explicit' ? 'explicitNoKeys' : 'byDefaultNoKeys', data });
        }
      },
    };
  },
});

/** Whether some user gets an authorized key in this file (so key logins keep working). */
function hasAuthorizedKeys(model: ModuleModel, table: SyntaxTable): boolean {
  for (const field of ['keys', 'keyFiles']) {
    for (const { definition } of model.match(['users', 'users', '*', 'openssh', 'authorizedKeys', field])) {
      if (definition.value === NO_NODE) return true;
      const value = readLiteral(table, definition.value);
      // A non-literal list (`map … keys`) most likely holds keys too.
      if (value.kind !== 'list' || value.elements.length > 0) return true;
    }
  }
  return false;
}

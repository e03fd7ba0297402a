// nix-trusted-users: users other than root that the Nix daemon trusts.
//   nix.settings.trusted-users = [ "root" "@wheel" ];   (`@wheel` flagged)
// A trusted user may set any substituter, import unsigned store paths and change sandboxing:
// Nix's manual calls this essentially root. `allowed-users` is the setting for "may use Nix".
import { priorityNote, readLiteral, severityIn } from '../analysis/module-model';
import { defineRule } from './types';

const PATHS = [
  ['nix', 'settings', 'trusted-users'],
  ['nix', 'trustedUsers'],
];

export default defineRule({
  id: 'nix-trusted-users',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'Users besides root are trusted by the Nix daemon',
    fixable: false,
    messages: { trusted: 'Trusting `{{entry}}` is as good as making it root; use `allowed-users` to grant Nix access{{note}}' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const path of PATHS) {
          for (const definition of context.file.modules.get(path)) {
            const value = readLiteral(table, definition.value);
            if (value.kind !== 'list') continue;
            for (const element of value.elements) {
              const entry = readLiteral(table, element);
              if (entry.kind !== 'string' || entry.value === 'root') continue;
              context.report({ severity: severityIn(definition), node: element, messageId: 'trusted', data: { entry: entry.value, note: priorityNote(definition) } });
            }
          }
        }
      },
    };
  },
});

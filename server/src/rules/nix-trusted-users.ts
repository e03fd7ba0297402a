// nix-trusted-users: users other than root that the Nix daemon trusts.
//   nix.settings.trusted-users = [ "root" "@wheel" ];
//   →  trusted-users = [ "root" ]; allowed-users = [ "@wheel" ];   (by hand)
// A trusted user may set any substituter, import unsigned store paths and change sandboxing:
// Nix's manual calls this essentially root. `allowed-users` is the setting for "may use Nix".
import { priorityNote, readStringElements, severityIn } from '../analysis/module-model';
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
    messages: { trusted: 'Trusting `{{entry}}` makes it root in effect; `allowed-users` grants Nix access only{{note}}' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const definition of PATHS.flatMap((path) => context.file.modules.get(path))) {
          for (const entry of readStringElements(table, definition.value)) {
            if (entry.value === 'root') continue;
            context.report({ severity: severityIn(definition), node: entry.node, messageId: 'trusted', data: { entry: entry.value, note: priorityNote(definition) } });
          }
        }
      },
    };
  },
});

// ssh-renamed-options: OpenSSH options under their pre-23.05 names.
//   services.openssh.permitRootLogin = "no";  →  services.openssh.settings.PermitRootLogin = "no";
// NixOS moved sshd settings to the freeform `settings` set (named as in sshd_config). The old
// names still work through a rename shim that warns on every rebuild, until it is removed.
import { priorityNote } from '../analysis/module-model';
import type { OptionDefinition } from '../analysis/module-model';
import { renameLastAttribute } from '../analysis/option-edits';
import { fixOf } from '../analysis/text-edits';
import { defineRule } from './types';

/** Old option under `services.openssh` → its key under `services.openssh.settings`. */
const RENAMED: ReadonlyMap<string, string> = new Map([
  ['permitRootLogin', 'PermitRootLogin'],
  ['passwordAuthentication', 'PasswordAuthentication'],
  ['kbdInteractiveAuthentication', 'KbdInteractiveAuthentication'],
  ['challengeResponseAuthentication', 'KbdInteractiveAuthentication'],
  ['forwardX11', 'X11Forwarding'],
  ['gatewayPorts', 'GatewayPorts'],
  ['kexAlgorithms', 'KexAlgorithms'],
  ['ciphers', 'Ciphers'],
  ['macs', 'Macs'],
  ['logLevel', 'LogLevel'],
  ['useDns', 'UseDns'],
]);

export default defineRule({
  id: 'ssh-renamed-options',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'OpenSSH option set under its old, renamed name',
    fixable: true,
    messages: { renamed: '`services.openssh.{{old}}` was renamed to `services.openssh.settings.{{new}}`{{note}}' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        const model = context.file.modules;
        const renamed = model.match(['services', 'openssh', '*']).filter(({ definition, captures }) => RENAMED.has(captures[0]) && definition.attrs.length > 0);
        const settings = model.under(['services', 'openssh', 'settings']);
        for (const { definition, captures } of renamed) {
          const newName = RENAMED.get(captures[0]) as string;
          // Nix merges `a.b.x = …;` with `a = { … };` one level deep only: `settings.X` written
          // here and `settings.Y` in another set of the same module is "already defined". Then
          // the rename needs a look by the user (or another pass, once the others are done).
          const set = table.parent(definition.binding);
          const elsewhere = (other: OptionDefinition) => other !== definition && table.parent(other.binding) !== set;
          // A `settings` key in another set already collides: renaming here would not parse.
          const collides = settings.some(elsewhere);
          // Another old name in another set collides once both are renamed: offer, do not apply.
          const mayCollide = renamed.some((match) => elsewhere(match.definition));
          context.report({
            node: definition.attrs[definition.attrs.length - 1],
            messageId: 'renamed',
            data: { old: captures[0], new: newName, note: priorityNote(definition) },
            tags: ['deprecated'],
            // Safe when nothing conflicts: the rename shim maps the old name to exactly this key
            // (challengeResponseAuthentication included: sshd treats it as KbdInteractive…).
            fixes: collides ? undefined : fixOf(`Rename to \`settings.${newName}\``, [renameLastAttribute(table, definition, ['settings', newName])], !mayCollide),
          });
        }
      },
    };
  },
});

// docker-group: a user in a group whose members are effectively root.
//   users.users.alice.extraGroups = [ "wheel" "docker" ];
//   →  [ "wheel" ] with `virtualisation.docker.rootless.enable = true;`   (by hand)
// Whoever can talk to the Docker (or LXD, Incus) daemon can start a privileged container with
// the host's / mounted, and so read or change anything: membership is root without a password.
import { readStringElements, severityIn, USER_SETS } from '../analysis/module-model';
import { defineRule } from './types';

const ROOT_EQUIVALENT_GROUPS: ReadonlyMap<string, string> = new Map([
  ['docker', 'Docker'],
  ['lxd', 'LXD'],
  ['incus-admin', 'Incus'],
]);

export default defineRule({
  id: 'docker-group',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'A user is in a root-equivalent container group',
    fixable: false,
    messages: { member: '`{{group}}` membership gives `{{user}}` root through the {{daemon}} daemon; consider rootless mode' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const { definition, captures } of context.file.modules.match(['users', USER_SETS, '*', ['extraGroups', 'groups']])) {
          for (const group of readStringElements(table, definition.value)) {
            const daemon = ROOT_EQUIVALENT_GROUPS.get(group.value);
            if (daemon) context.report({ severity: severityIn(definition), node: group.node, messageId: 'member', data: { group: group.value, user: captures[0], daemon } });
          }
        }
        // `users.groups.docker.members = [ "alice" ];` says the same from the other side.
        for (const { definition, captures } of context.file.modules.match(['users', 'groups', '*', 'members'])) {
          const daemon = ROOT_EQUIVALENT_GROUPS.get(captures[0]);
          if (!daemon) continue;
          for (const user of readStringElements(table, definition.value)) {
            context.report({ severity: severityIn(definition), node: user.node, messageId: 'member', data: { group: captures[0], user: user.value, daemon } });
          }
        }
      },
    };
  },
});

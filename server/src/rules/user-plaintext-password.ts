// user-plaintext-password: a user's password written in the configuration.
//   users.users.alice.password = "hunter2";
//   →  users.users.alice.hashedPasswordFile = "/run/secrets/alice-password";
// Everything in a NixOS configuration is copied to the world-readable /nix/store, so every local
// user and process can read the password; it also sits in the repository's history. An error
// when the user is root or in `wheel`, where the password is the key to root.
import { readLiteral, readStringElements, severityIn, USER_SETS } from '../analysis/module-model';
import type { ModuleModel } from '../analysis/module-model';
import { replaceValue, renameLastAttribute, stringText } from '../analysis/option-edits';
import type { SyntaxTable } from '../syntax/syntax-table';
import { fixOf } from '../analysis/text-edits';
import { defineRule } from './types';

const FIELDS = ['password', 'initialPassword'];

export default defineRule({
  id: 'user-plaintext-password',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'A user password is written in plain text',
    fixable: true,
    messages: {
      plaintext: 'The password of `{{user}}` is in plain text and ends up in the world-readable Nix store',
    },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        const model = context.file.modules;
        for (const { definition, captures } of model.match(['users', USER_SETS, '*', FIELDS])) {
          const value = readLiteral(table, definition.value);
          if (value.kind !== 'string' || value.value === '') continue;
          const user = captures[0];
          const rename = renameLastAttribute(table, definition, ['hashedPasswordFile']);
          const path = replaceValue(table, definition, stringText(`/run/secrets/${user}-password`));
          context.report({
            node: definition.value,
            messageId: 'plaintext',
            data: { user },
            severity: severityIn(definition, isPrivileged(model, table, definition.path[1], user) ? 'error' : undefined),
            // Unsafe: the file must exist (agenix, sops-nix…) and hold a hash made with mkpasswd.
            fixes: fixOf(`Read a hash from /run/secrets/${user}-password instead`, [rename, path], false),
          });
        }
      },
    };
  },
});

/** root, or a member of `wheel` according to this file. */
function isPrivileged(model: ModuleModel, table: SyntaxTable, users: string, user: string): boolean {
  if (user === 'root') return true;
  return model.get(['users', users, user, ['extraGroups', 'groups']]).some((definition) => readStringElements(table, definition.value).some((group) => group.value === 'wheel'));
}

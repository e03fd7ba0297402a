// user-empty-password: an account with an empty password.
//   users.users.guest.hashedPassword = "";  →  hashedPassword = "!";   (account locked)
// An empty hash means "no password": anyone at the console, and over SSH if password logins are
// on, logs in as that user by pressing Enter.
import { readLiteral, severityIn } from '../analysis/module-model';
import { replaceValue, renameLastAttribute } from '../analysis/option-edits';
import { defineRule } from './types';
import type { Fix } from './types';

const FIELDS = ['hashedPassword', 'initialHashedPassword', 'password', 'initialPassword'];

export default defineRule({
  id: 'user-empty-password',
  meta: {
    severity: 'error',
    category: 'security',
    description: 'A user account has an empty password',
    fixable: true,
    messages: { empty: 'User `{{user}}` has an empty `{{field}}`: anyone can log in as `{{user}}` without a password' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const users of ['users', 'extraUsers']) {
          for (const field of FIELDS) {
            for (const { definition, captures } of context.file.modules.match(['users', users, '*', field])) {
              const value = readLiteral(table, definition.value);
              if (value.kind !== 'string' || value.value !== '') continue;
              const fixes: Fix[] = [];
              const lock = replaceValue(table, definition, '"!"');
              // `password = ""` becomes `hashedPassword = "!"`: "!" is a hash no password matches.
              const hashedField = field === 'password' ? 'hashedPassword' : field === 'initialPassword' ? 'initialHashedPassword' : undefined;
              const rename = hashedField ? renameLastAttribute(table, definition, [hashedField]) : undefined;
              // Unsafe: locking the account changes who can log in.
              if (lock && (rename || !hashedField)) fixes.push({ title: 'Lock the account (hash `"!"`)', edits: rename ? [rename, lock] : [lock], safe: false });
              context.report({ severity: severityIn(definition), node: definition.value, messageId: 'empty', data: { user: captures[0], field }, fixes });
            }
          }
        }
      },
    };
  },
});

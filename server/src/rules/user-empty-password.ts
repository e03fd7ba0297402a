// user-empty-password: an account with an empty password.
//   users.users.guest.hashedPassword = "";  →  hashedPassword = "!";   (account locked)
// An empty hash means "no password": anyone at the console, and over SSH if password logins are
// on, logs in as that user by pressing Enter.
import { readLiteral, severityIn, USER_SETS } from '../analysis/module-model';
import { replaceValue, renameLastAttribute } from '../analysis/option-edits';
import { fixOf } from '../analysis/text-edits';
import { defineRule } from './types';

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
        for (const { definition, captures } of context.file.modules.match(['users', USER_SETS, '*', FIELDS])) {
          const value = readLiteral(table, definition.value);
          if (value.kind !== 'string' || value.value !== '') continue;
          const field = definition.path[3];
          // `password = ""` becomes `hashedPassword = "!"`: "!" is a hash no password matches.
          const hashedField = field === 'password' ? 'hashedPassword' : field === 'initialPassword' ? 'initialHashedPassword' : undefined;
          const lock = replaceValue(table, definition, '"!"');
          const edits = hashedField ? [renameLastAttribute(table, definition, [hashedField]), lock] : [lock];
          // Unsafe: locking the account changes who can log in.
          const fixes = fixOf('Lock the account (hash `"!"`)', edits, false);
          context.report({ severity: severityIn(definition), node: definition.value, messageId: 'empty', data: { user: captures[0], field }, fixes });
        }
      },
    };
  },
});

// syntax-error: the file does not parse as Nix.
//   { a = 1 }   →  expected `;`
// Messages come from syntax/syntax-errors.ts, which merges cascades and knows the grammar's gaps.
import { describeSyntaxErrors } from '../syntax/syntax-errors';
import { defineRule } from './types';

export default defineRule({
  id: 'syntax-error',
  meta: {
    severity: 'error',
    category: 'syntax',
    description: 'The file is not valid Nix syntax',
    fixable: false,
    messages: { syntax: '{{message}}' },
  },
  check(context) {
    return {
      file() {
        for (const problem of describeSyntaxErrors(context.file.table)) {
          context.report({ range: { start: problem.start, end: problem.end }, messageId: 'syntax', data: { message: problem.message } });
        }
      },
    };
  },
});

// syntax-error: the file does not parse as Nix.
//   { a = 1 }        →  expected `;`
//   let a = 1; a     →  missing `in` after `let` bindings
//   x: x.if          →  `if` is a keyword; quote it to use it as an attribute name: `"if"`
// Messages come from syntax/syntax-errors.ts, which merges cascades and knows the grammar's gaps.
// Parser errors are a file-wide pass over the error rows (merging needs them all); Nix's own checks
// that the grammar lacks (keywords as names, integer overflow, paths ending in `/`) are per node,
// so that they are re-run only where an edit changed the tree.
import { describeStrictSyntax, describeSyntaxErrors, STRICT_SYNTAX_KINDS } from '../syntax/syntax-errors';
import type { SyntaxProblem } from '../syntax/syntax-errors';
import type { NodeId } from '../syntax/syntax-table';
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
    const table = context.file.table;
    const report = (problem: SyntaxProblem): void =>
      context.report({ range: { start: problem.start, end: problem.end }, messageId: 'syntax', data: { message: problem.message } });
    // One visitor for every strict kind, in the object returned (no per-kind closures or copies:
    // this runs for every file).
    const visitors: { [kind: number]: (node: NodeId) => void; file: () => void } = {
      file() {
        describeSyntaxErrors(table, context.file.source.hasSyntaxErrors).forEach(report);
      },
    };
    const visit = (node: NodeId): void => {
      const problems = describeStrictSyntax(table, node);
      for (let index = 0; index < problems.length; index++) report(problems[index]);
    };
    for (const kind of STRICT_SYNTAX_KINDS) visitors[kind] = visit;
    return visitors;
  },
});

// Turns ERROR and MISSING nodes into messages a Nix user can act on.
import { Kind } from './grammar';
import type { SyntaxTable } from './syntax-table';

export interface SyntaxProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export const MAX_SYNTAX_PROBLEMS = 50;

/** One problem per outermost ERROR or MISSING node, capped. */
export function describeSyntaxErrors(table: SyntaxTable): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  let coveredUntil = -1;
  for (const node of table.errorNodes()) {
    if (table.start(node) < coveredUntil) continue;
    coveredUntil = table.end(node);
    if (table.isMissing(node)) {
      problems.push({ start: table.start(node), end: table.end(node), message: `expected \`${table.nodeText(node) || 'token'}\`` });
    } else if (table.kind(node) === Kind.Error) {
      problems.push({ start: table.start(node), end: table.end(node), message: 'unexpected input' });
    }
    if (problems.length >= MAX_SYNTAX_PROBLEMS) break;
  }
  return problems;
}

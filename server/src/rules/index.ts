// Every rule, imported explicitly and sorted by id. A test checks this list against the rule
// files, docs/rules/<id>.md and fixtures/rules/<id>/.
import boolComparison from './bool-comparison';
import invalidSuppression from './invalid-suppression';
import syntaxError from './syntax-error';
import type { Rule } from './types';

export const ALL_RULES: readonly Rule[] = [boolComparison, invalidSuppression, syntaxError];

const RULES_BY_ID = new Map(ALL_RULES.map((rule) => [rule.id, rule]));

export function findRule(id: string): Rule | undefined {
  return RULES_BY_ID.get(id);
}

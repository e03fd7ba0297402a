// "Did you mean" for mistyped rule ids on the command line.
import { closestName } from '../analysis/closest-name';
import { ALL_RULES } from '../rules';

export function unknownRuleMessage(id: string): string {
  const suggestion = closestName(id, ALL_RULES.map((rule) => rule.id));
  const hint = suggestion ? `; did you mean \`${suggestion}\`?` : '';
  return `unknown rule \`${id}\`${hint} (\`nixguard rules\` lists every rule)`;
}

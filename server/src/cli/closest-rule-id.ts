// "Did you mean" for mistyped rule ids on the command line.
import { ALL_RULES } from '../rules';

/** The known rule id nearest to `id` (edit distance at most 3, or a prefix match), if any. */
export function closestRuleId(id: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const rule of ALL_RULES) {
    const distance = rule.id.startsWith(id) || id.startsWith(rule.id) ? 1 : editDistance(id, rule.id);
    if (distance < bestDistance) {
      best = rule.id;
      bestDistance = distance;
    }
  }
  return best;
}

export function unknownRuleMessage(id: string): string {
  const suggestion = closestRuleId(id);
  const hint = suggestion ? `; did you mean \`${suggestion}\`?` : '';
  return `unknown rule \`${id}\`${hint} (\`nixguard rules\` lists every rule)`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

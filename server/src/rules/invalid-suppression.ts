// invalid-suppression: a `# nixguard-ignore-*` comment names no rule, or a rule that does not exist.
//   # nixguard-ignore-next-line ssh-rot-login   →  unknown rule `ssh-rot-login`
// A typo in a suppression silently suppresses nothing, so it is worth a warning of its own.
import { defineRule } from './types';

export default defineRule({
  id: 'invalid-suppression',
  meta: {
    severity: 'warning',
    category: 'meta',
    description: 'A suppression comment names no rule or an unknown rule',
    fixable: true,
    messages: {
      unknownRule: 'Unknown rule `{{id}}` in suppression comment',
      noRule: 'Suppression comment names no rule: write `# nixguard-ignore-{{kind}} <rule-id>`',
    },
  },
  check(context) {
    return {
      file() {
        for (const directive of context.file.suppressions.directives) {
          if (directive.ruleIds.length === 0) {
            context.report({ range: { start: directive.start, end: directive.end }, messageId: 'noRule', data: { kind: directive.kind } });
          }
          for (const rule of directive.ruleIds) {
            if (context.ruleIds.has(rule.id)) continue;
            const suggestion = closestRuleId(rule.id, context.ruleIds);
            context.report({
              range: { start: rule.start, end: rule.end },
              messageId: 'unknownRule',
              data: { id: rule.id },
              fixes: suggestion
                ? [{ title: `Change to \`${suggestion}\``, edits: [{ range: { start: rule.start, end: rule.end }, newText: suggestion }], safe: false }]
                : [],
            });
          }
        }
      },
    };
  },
});

/** The known id within edit distance 3, if exactly one is nearest. */
function closestRuleId(id: string, known: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const distance = editDistance(id, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
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

// invalid-suppression: a `# nixguard-ignore-*` comment names no rule, or a rule that does not exist.
//   # nixguard-ignore-next-line ssh-rot-login   →  unknown rule `ssh-rot-login`
// A typo in a suppression silently suppresses nothing, so it is worth a warning of its own.
import { closestName } from '../analysis/closest-name';
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
            const suggestion = closestName(rule.id, context.ruleIds);
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

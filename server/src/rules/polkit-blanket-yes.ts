// polkit-blanket-yes: a polkit rule that says yes to everybody.
//   security.polkit.extraConfig = ''
//     polkit.addRule(function(action, subject) { return polkit.Result.YES; });
//   '';
//   →  … if (subject.isInGroup("wheel")) return polkit.Result.YES; …   (by hand)
// A rule that returns YES without asking who the subject is grants every local user, and every
// program running as one, the admin actions polkit guards: mounting disks, managing units,
// changing network settings, rebooting.
import { isStringExpression, severityIn } from '../analysis/module-model';
import { defineRule } from './types';

export default defineRule({
  id: 'polkit-blanket-yes',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'A polkit rule grants actions without checking the user',
    fixable: false,
    messages: { blanket: 'This polkit rule returns `polkit.Result.YES` without checking `subject`: every local user is allowed' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const definition of context.file.modules.get(['security', 'polkit', 'extraConfig'])) {
          if (!isStringExpression(table, definition.value)) continue;
          // The raw text, interpolations included: the JavaScript around them is what matters.
          const source = table.nodeText(definition.value);
          if (!source.includes('polkit.Result.YES')) continue;
          if (/subject\s*\.\s*(isInGroup|user|local|active)\b/.test(source)) continue;
          context.report({ severity: severityIn(definition), node: definition.value, messageId: 'blanket' });
        }
      },
    };
  },
});

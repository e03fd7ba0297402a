// polkit-blanket-yes: a polkit rule that says yes to everybody.
//   security.polkit.extraConfig = ''
//     polkit.addRule(function(action, subject) { return polkit.Result.YES; });
//   '';
// A rule that returns YES without asking who the subject is grants every local user, and every
// program running as one, the admin actions polkit guards: mounting disks, managing units,
// changing network settings, rebooting.
import { Kind } from '../syntax/grammar';
import { severityIn } from '../analysis/module-model';
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
          const kind = table.kind(definition.value);
          if (kind !== Kind.StringExpression && kind !== Kind.IndentedStringExpression) continue;
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

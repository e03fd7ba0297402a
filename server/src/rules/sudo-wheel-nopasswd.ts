// sudo-wheel-nopasswd: members of `wheel` become root without a password.
//   security.sudo.wheelNeedsPassword = false;  →  true (or remove the line: true is the default)
// Also doas and sudo-rs, which have the same option. Any process running as a wheel user (a
// browser exploit, a malicious package's build script run by hand) then gets root silently.
import { priorityNote, readLiteral, severityIn } from '../analysis/module-model';
import { replaceValue } from '../analysis/option-edits';
import { fixOf } from '../analysis/text-edits';
import { defineRule } from './types';

const TOOLS = ['sudo', 'doas', 'sudo-rs'];

export default defineRule({
  id: 'sudo-wheel-nopasswd',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'Wheel users get root without a password',
    fixable: true,
    messages: { nopasswd: '`{{tool}}.wheelNeedsPassword = false`: any process of a wheel user can become root{{note}}' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const definition of context.file.modules.get(['security', TOOLS, 'wheelNeedsPassword'])) {
          const value = readLiteral(table, definition.value);
          if (value.kind !== 'bool' || value.value) continue;
          context.report({
            severity: severityIn(definition),
            node: definition.value,
            messageId: 'nopasswd',
            data: { tool: definition.path[1], note: priorityNote(definition) },
            // Unsafe: scripts that run sudo non-interactively would start to hang or fail.
            fixes: fixOf('Require the password', [replaceValue(table, definition, 'true')], false),
          });
        }
      },
    };
  },
});

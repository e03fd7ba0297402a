// sudo-wheel-nopasswd: members of `wheel` become root without a password.
//   security.sudo.wheelNeedsPassword = false;  →  true (or remove the line: true is the default)
// Also doas and sudo-rs, which have the same option. Any process running as a wheel user (a
// browser exploit, a malicious package's build script run by hand) then gets root silently.
import { priorityNote, readLiteral, severityIn } from '../analysis/module-model';
import { replaceValue } from '../analysis/option-edits';
import { defineRule } from './types';

const TOOLS = ['sudo', 'doas', 'sudo-rs'];

export default defineRule({
  id: 'sudo-wheel-nopasswd',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'Wheel users get root without a password',
    fixable: true,
    messages: { nopasswd: '`{{tool}}.wheelNeedsPassword = false`: anything running as a wheel user can become root{{note}}' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const tool of TOOLS) {
          for (const definition of context.file.modules.get(['security', tool, 'wheelNeedsPassword'])) {
            const value = readLiteral(table, definition.value);
            if (value.kind !== 'bool' || value.value) continue;
            const edit = replaceValue(table, definition, 'true');
            context.report({
              severity: severityIn(definition),
              node: definition.value,
              messageId: 'nopasswd',
              data: { tool, note: priorityNote(definition) },
              // Unsafe: scripts that run sudo non-interactively would start to hang or fail.
              fixes: edit ? [{ title: 'Require the password', edits: [edit], safe: false }] : [],
            });
          }
        }
      },
    };
  },
});

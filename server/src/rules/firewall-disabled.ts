// firewall-disabled: `networking.firewall.enable = false`.
//   networking.firewall.enable = false;   →  networking.firewall.enable = true;
// NixOS turns the firewall on by default; switching it off exposes every listening socket of
// every service on every interface, including ones that were only meant for localhost or a VPN.
import { DEFAULT_PRIORITY, priorityNote, readLiteral, severityIn } from '../analysis/module-model';
import { replaceValue } from '../analysis/option-edits';
import { fixOf } from '../analysis/text-edits';
import { defineRule } from './types';

export default defineRule({
  id: 'firewall-disabled',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'The NixOS firewall is turned off',
    fixable: true,
    messages: { disabled: 'The firewall is off: every listening port is reachable from the network{{note}}' },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const definition of context.file.modules.get(['networking', 'firewall', 'enable'])) {
          const value = readLiteral(table, definition.value);
          if (value.kind !== 'bool' || value.value) continue;
          context.report({
            node: definition.value,
            messageId: 'disabled',
            data: { note: priorityNote(definition) },
            // Weaker evidence: a `mkDefault false` is usually overridden by the host's own config.
            severity: severityIn(definition, definition.priority > DEFAULT_PRIORITY ? 'info' : undefined),
            // Unsafe: turning the firewall on can cut off services that relied on open ports.
            fixes: fixOf('Enable the firewall', [replaceValue(table, definition, 'true')], false),
          });
        }
      },
    };
  },
});

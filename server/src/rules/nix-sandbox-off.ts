// nix-sandbox-off: builds run outside Nix's sandbox.
//   nix.settings.sandbox = false;   →  true (the default on Linux)
// Also `"relaxed"` and the old `nix.useSandbox`. Without the sandbox a build sees the host's
// files, network and processes: results stop being reproducible, and any package's build
// script can read what the build user can read.
import { priorityNote, readLiteral, severityIn } from '../analysis/module-model';
import { replaceValue } from '../analysis/option-edits';
import { fixOf } from '../analysis/text-edits';
import { defineRule } from './types';

const PATHS = [
  ['nix', 'settings', 'sandbox'],
  ['nix', 'useSandbox'],
];

export default defineRule({
  id: 'nix-sandbox-off',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'Nix builds run without the sandbox',
    fixable: true,
    messages: {
      off: 'The Nix build sandbox is off: builds can read the host and use the network{{note}}',
      relaxed: '`sandbox = "relaxed"` lets derivations opt out of the build sandbox{{note}}',
    },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        for (const definition of PATHS.flatMap((path) => context.file.modules.get(path))) {
          const value = readLiteral(table, definition.value);
          const relaxed = value.kind === 'string' && value.value === 'relaxed';
          const off = (value.kind === 'bool' && !value.value) || (value.kind === 'string' && value.value === 'false');
          if (!relaxed && !off) continue;
          context.report({
            severity: severityIn(definition),
            node: definition.value,
            messageId: relaxed ? 'relaxed' : 'off',
            data: { note: priorityNote(definition) },
            // Unsafe: builds that reach the network or /usr would start failing.
            fixes: fixOf('Turn the sandbox on', [replaceValue(table, definition, 'true')], false),
          });
        }
      },
    };
  },
});

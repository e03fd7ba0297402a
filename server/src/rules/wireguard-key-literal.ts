// wireguard-key-literal: a WireGuard private key written into the configuration.
//   networking.wireguard.interfaces.wg0.privateKey = "cGxhY2Vob2xkZXIgbm90IGEgcmVhbCBrZXkgYXQgYWw=";
//   →  networking.wireguard.interfaces.wg0.privateKeyFile = "/run/secrets/wg-wg0";
// The key ends up in the world-readable Nix store (the generated unit or wg-quick config holds
// it), so any local user can impersonate the peer. Both NixOS WireGuard modules, and networkd's
// `wireguardConfig`, offer a file variant for this reason. The fix renames the option and points
// it at `/run/secrets/wg-<interface>`; it is unsafe because that file must be provisioned (agenix,
// sops-nix, `wg genkey`), and it is left out when the file option is already set.
import { readLiteral } from '../analysis/module-model';
import type { ModuleModel, OptionDefinition } from '../analysis/module-model';
import { renameLastAttribute, replaceValue, stringText } from '../analysis/option-edits';
import { isSecretReference, testCodeSeverity } from '../analysis/secrets';
import { defineRule } from './types';
import type { Fix } from './types';

/** Where a literal key can be written, and the option that reads it from a file instead. */
const KEY_OPTIONS: ReadonlyArray<{ readonly pattern: readonly string[]; readonly fileOption: string }> = [
  { pattern: ['networking', 'wireguard', 'interfaces', '*', 'privateKey'], fileOption: 'privateKeyFile' },
  { pattern: ['networking', 'wg-quick', 'interfaces', '*', 'privateKey'], fileOption: 'privateKeyFile' },
  { pattern: ['systemd', 'network', 'netdevs', '*', 'wireguardConfig', 'PrivateKey'], fileOption: 'PrivateKeyFile' },
];

export default defineRule({
  id: 'wireguard-key-literal',
  meta: {
    severity: 'error',
    category: 'secrets',
    description: 'A WireGuard private key is written into the configuration',
    fixable: true,
    messages: {
      literal: 'WireGuard private key of `{{interface}}` is world-readable in the Nix store: use `{{fileOption}}`',
    },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        const model = context.file.modules;
        for (const { pattern, fileOption } of KEY_OPTIONS) {
          for (const { definition, captures } of model.match(pattern)) {
            const value = readLiteral(table, definition.value);
            if (value.kind !== 'string' || isSecretReference(value.value)) continue;
            const netdev = captures[0];
            const fixes: Fix[] = [];
            if (!hasFileOption(model, definition, fileOption)) {
              const runtimePath = `/run/secrets/wg-${netdev}`;
              const rename = renameLastAttribute(table, definition, [fileOption]);
              const path = replaceValue(table, definition, stringText(runtimePath));
              if (rename && path) fixes.push({ title: `Read the key from ${runtimePath} (provision that file yourself)`, edits: [rename, path], safe: false });
            }
            context.report({
              node: definition.value,
              messageId: 'literal',
              data: { interface: netdev, fileOption },
              severity: testCodeSeverity(context.file.path, definition),
              fixes,
            });
          }
        }
      },
    };
  },
});

/** Whether the same interface already sets the file option (the rename would define it twice). */
function hasFileOption(model: ModuleModel, definition: OptionDefinition, fileOption: string): boolean {
  return model.get([...definition.path.slice(0, -1), fileOption]).length > 0;
}

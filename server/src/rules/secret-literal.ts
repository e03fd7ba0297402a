// secret-literal: a password, token or key written as a literal string.
//   services.foo.password = "hunter2";   →  services.foo.passwordFile = "/run/secrets/foo";  (by hand)
// Every string a configuration uses ends up in the Nix store, which any local user can read, and
// in the repository. Names count when their last attribute ends (in any case, ignoring `_`/`-`)
// in password, passwd, secret, token, apiKey, privateKey, psk or credentials; hashes
// (`hashedPassword`), references to a secret (`/run/secrets/x`, `$TOKEN`, `@password@`) and
// option examples (`example = { … }`) do not. `users.users.<name>.password`, WireGuard's
// `privateKey` and systemd services' `environment` are left to `user-plaintext-password`,
// `wireguard-key-literal` and `systemd-secret-env`, which know their fix. The message suggests the `…File` option most NixOS modules offer next to the
// literal one; there is no automatic fix, since whether that option exists needs evaluation.
// In test files (see `isTestFilePath`) the finding is a hint: VM tests use throwaway passwords.
import { enclosingAttributeNames, isInsideExample, isSecretName, isSecretReference, secretCandidateName, testCodeSeverity } from '../analysis/secrets';
import { isStringExpression, stringLiteralValue, unwrapValue } from '../analysis/module-model';
import { Field, Kind } from '../syntax/grammar';
import { defineRule } from './types';

export default defineRule({
  id: 'secret-literal',
  meta: {
    severity: 'warning',
    category: 'secrets',
    description: 'A secret (password, token, key) is written as a literal string',
    fixable: false,
    messages: {
      literal: '`{{name}}` is a literal secret, world-readable in the Nix store: use `{{fileName}}` if it exists',
      environment: '`{{name}}` is a literal secret, world-readable in the Nix store: load it from an environment file',
    },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.Binding](node) {
        const name = secretCandidateName(table, node);
        if (name === undefined || !isSecretName(name)) return;
        const value = unwrapValue(table, table.childByField(node, Field.Expression), true);
        if (!isStringExpression(table, value)) return;
        const literal = stringLiteralValue(table, value);
        if (literal === undefined || isSecretReference(literal) || isInsideExample(table, node)) return;
        if (isLeftToOtherRules(enclosingAttributeNames(table, node))) return;
        const environmentVariable = /^[A-Z0-9_]+$/.test(name);
        context.report({
          node: value,
          messageId: environmentVariable ? 'environment' : 'literal',
          data: { name, fileName: fileOptionName(name) },
          severity: testCodeSeverity(context.file.path),
        });
      },
    };
  },
});

/** The conventional name of the option that reads the secret from a file, in the name's own style. */
function fileOptionName(name: string): string {
  if (name.includes('_')) return `${name}_file`;
  if (name.includes('-')) return `${name}-file`;
  return `${name}File`;
}

/**
 * Options another rule reports with a better fix: `users.users.<name>.password` and
 * `initialPassword` (`user-plaintext-password`), WireGuard's `privateKey` (`wireguard-key-literal`),
 * and a systemd service's `environment.<KEY>` (`systemd-secret-env`).
 */
function isLeftToOtherRules(path: readonly string[]): boolean {
  const length = path.length;
  const last = path[length - 1];
  if (length >= 5 && path[length - 2] === 'environment' && path[length - 4] === 'services') {
    if (path[length - 5] === 'systemd' || (path[length - 5] === 'user' && path[length - 6] === 'systemd')) return true;
  }
  if (length >= 4 && (last === 'password' || last === 'initialPassword')) {
    return path[length - 4] === 'users' && (path[length - 3] === 'users' || path[length - 3] === 'extraUsers');
  }
  if (length >= 5 && last === 'privateKey') {
    return path[length - 5] === 'networking' && (path[length - 4] === 'wireguard' || path[length - 4] === 'wg-quick') && path[length - 3] === 'interfaces';
  }
  return length >= 3 && last === 'PrivateKey' && path[length - 2] === 'wireguardConfig';
}

// private-key-literal: private key material written into a Nix string.
//   sslKey = ''
//     -----BEGIN PRIVATE KEY-----        →  sslKeyFile = "/run/secrets/ssl.key";  (by hand)
//     MIIEvQIBADANBgkqhkiG9w0BAQEFAASC…
//   '';
//   identity = "AGE-SECRET-KEY-1…";
//   signingKey = "cache.example.org-1:<88 base64 characters>";   (a Nix binary cache key)
// A key in an expression is in the repository and, as soon as anything uses the string, in the
// world-readable Nix store. PEM blocks need a base64 body after the header (a script grepping
// for the header is fine), age keys a valid bech32 checksum (placeholders are fine), and Nix
// signing keys a public half matching their seed (signatures look the same otherwise), so
// public keys, certificates and documentation stay silent. No fix: the key has to move to a
// secret manager, and it should be rotated. In test files (see `isTestFilePath`) the finding
// is a hint: snakeoil keys for VM tests are published on purpose.
import { findKeyMaterial, testCodeSeverity } from '../analysis/secrets';
import { Kind } from '../syntax/grammar';
import { NO_NODE, NodeId } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'private-key-literal',
  meta: {
    severity: 'error',
    category: 'secrets',
    description: 'A private key (PEM block, age or Nix signing key) is written into a string',
    fixable: false,
    messages: {
      pem: 'Private key (`{{label}}`) in a string ends up in the world-readable Nix store',
      age: 'age secret key in a string ends up in the world-readable Nix store',
      nix: 'Nix signing key `{{label}}` in a string ends up in the world-readable Nix store',
    },
  },
  check(context) {
    const table = context.file.table;

    function visitString(node: NodeId): void {
      const text = table.nodeText(node);
      if (!text.includes('PRIVATE KEY') && !text.includes('AGE-SECRET-KEY-1') && !text.includes('==')) return;
      const base = table.start(node);
      const interpolations: Array<{ start: number; end: number }> = [];
      for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) {
        if (table.kind(child) === Kind.Interpolation) interpolations.push({ start: table.start(child) - base, end: table.end(child) - base });
      }
      for (const key of findKeyMaterial(text)) {
        // Strings inside `${…}` are visited on their own.
        if (interpolations.some((span) => key.start >= span.start && key.start < span.end)) continue;
        context.report({
          range: { start: base + key.start, end: base + key.end },
          messageId: key.kind,
          data: { label: key.label },
          severity: testCodeSeverity(context.file.path),
        });
      }
    }

    return {
      [Kind.StringExpression]: visitString,
      [Kind.IndentedStringExpression]: visitString,
    };
  },
});

// etc-secret: a secret written to /etc through the Nix store.
//   environment.etc."foo/config.ini".text = "password = hunter2";
//   environment.etc."ssh/ssh_host_ed25519_key".source = ./host-key;
//   →  sops.secrets."foo/config.ini".path = "/etc/foo/config.ini";   (by hand)
// Every `environment.etc` entry is built in the Nix store and linked (or, with `mode`, copied)
// into /etc, so its content is world-readable in /nix/store whatever mode /etc shows. Flags a
// `text` with a `key = value` line whose key names a secret (see `findSecretAssignments`) or
// written to a file named like a secret (`nix/secret-key`), and a `source` (or `text =
// builtins.readFile …`) that is a path literal whose file name looks like a secret (see
// `isSecretFileBaseName`). Key material in `text` is `private-key-literal`'s. No fix:
// the file has to come from a secret manager, which can place it at the same /etc path.
import { isStringExpression, stringLiteralValue } from '../analysis/module-model';
import type { OptionDefinition } from '../analysis/module-model';
import { copiedPathLiteral, findKeyMaterial, findSecretAssignments, isSecretFileBaseName, pathFileName, readFileCall, testCodeSeverity } from '../analysis/secrets';
import { Kind } from '../syntax/grammar';
import { NO_NODE, NodeId } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'etc-secret',
  meta: {
    severity: 'warning',
    category: 'secrets',
    description: 'A secret is written to /etc through the world-readable Nix store',
    fixable: false,
    messages: {
      text: '`/etc/{{file}}` sets `{{key}}`: /etc files are built in the world-readable Nix store',
      source: '`{{path}}` looks like a secret: /etc files are built in the world-readable Nix store',
      named: '`/etc/{{file}}` looks like a secret: /etc files are built in the world-readable Nix store',
    },
  },
  check(context) {
    const { table } = context.file;
    return {
      file() {
        const model = context.file.modules;
        for (const { definition, captures } of model.match(['environment', 'etc', '*', 'text'])) {
          const file = captures[0];
          const read = readFileCall(table, definition.value);
          if (read) {
            reportSecretPath(definition, read.path);
            continue;
          }
          if (!isStringExpression(table, definition.value)) continue;
          // Search between the quotes, so that the first line starts where the file does.
          const quote = table.kind(definition.value) === Kind.IndentedStringExpression ? 2 : 1;
          const text = table.nodeText(definition.value).slice(quote, -quote);
          const base = table.start(definition.value) + quote;
          const assignments = findSecretAssignments(text);
          for (const assignment of assignments) {
            context.report({
              range: { start: base + assignment.start, end: base + assignment.end },
              messageId: 'text',
              data: { file, key: assignment.key },
              severity: testCodeSeverity(context.file.path, definition),
            });
          }
          // A file named like a secret (`nix/secret-key`) holds one whatever its syntax; key
          // material itself is `private-key-literal`'s finding.
          const literal = stringLiteralValue(table, definition.value);
          if (assignments.length > 0 || literal === undefined || literal.trim() === '' || !isSecretFileBaseName(pathFileName(file))) continue;
          if (findKeyMaterial(text).length > 0) continue;
          context.report({ node: definition.value, messageId: 'named', data: { file }, severity: testCodeSeverity(context.file.path, definition) });
        }
        for (const { definition } of model.match(['environment', 'etc', '*', 'source'])) {
          const path = copiedPathLiteral(table, definition.value);
          if (path !== NO_NODE) reportSecretPath(definition, path);
        }
      },
    };

    function reportSecretPath(definition: OptionDefinition, path: NodeId): void {
      const text = table.nodeText(path);
      if (!isSecretFileBaseName(pathFileName(text))) return;
      context.report({ node: path, messageId: 'source', data: { path: text }, severity: testCodeSeverity(context.file.path, definition) });
    }
  },
});

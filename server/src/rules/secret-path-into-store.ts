// secret-path-into-store: a secret file given as a path literal, which copies it into the store.
//   services.foo.passwordFile = ./secrets/db-password;   →  services.foo.passwordFile = "/run/secrets/db-password";
//   sslCertificateKey = "${./key.pem}";                  →  sslCertificateKey = "/run/secrets/key.pem";
//   password = builtins.readFile ./password;             (no fix: the content itself is inlined)
// Nix copies every path literal a configuration uses into the world-readable store, so a
// `*File` option fed `./secret.key` publishes the very file it was meant to keep private. A
// string with an absolute path is read at run time instead. Names count when they end in
// File/Path/Key (or plurals) and name a secret (see `isSecretFileName`); public keys, `.nix`,
// `.pub`, `.age` and `.gpg` files stay silent. The fix writes `"/run/secrets/<file name>"`,
// where sops-nix puts secrets by default; it is unsafe because the user must provision that
// file. In test files (see `isTestFilePath`) the finding is a hint.
import { unwrapValue, valueOrElements } from '../analysis/module-model';
import { stringText } from '../analysis/option-edits';
import {
  copiedPathLiteral,
  hasAncestorAttribute,
  isHarmlessFileName,
  isInsideExample,
  isPublicKeyName,
  isSecretFileName,
  isSecretName,
  pathFileName,
  readFileCall,
  secretCandidateName,
  testCodeSeverity,
} from '../analysis/secrets';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE } from '../syntax/syntax-table';
import { defineRule } from './types';

export default defineRule({
  id: 'secret-path-into-store',
  meta: {
    severity: 'error',
    category: 'secrets',
    description: 'A secret file is given as a path literal, which copies it into the world-readable store',
    fixable: true,
    messages: {
      path: '`{{path}}` is copied into the world-readable Nix store: give `{{name}}` a runtime path string',
      readFile: '`{{function}} {{path}}` puts the secret into the world-readable Nix store',
    },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.Binding](node) {
        const name = secretCandidateName(table, node);
        if (name === undefined) return;
        const fileValued = isSecretFileName(name);
        const secretValued = !fileValued && isSecretName(name);
        if (!fileValued && !secretValued) return;
        if (hasAncestorAttribute(table, node, isPublicKeyName) || isInsideExample(table, node)) return;
        const value = unwrapValue(table, table.childByField(node, Field.Expression), true);
        if (value === NO_NODE) return;
        if (secretValued) {
          const read = readFileCall(table, value);
          if (read === undefined) return;
          const path = table.nodeText(read.path);
          if (isHarmlessFileName(path)) return;
          context.report({ node: value, messageId: 'readFile', data: { function: read.function, path }, severity: testCodeSeverity(context.file.path) });
          return;
        }
        for (const element of valueOrElements(table, value)) {
          const path = copiedPathLiteral(table, element);
          if (path === NO_NODE) continue;
          const pathText = table.nodeText(path);
          const fileName = pathFileName(pathText);
          if (fileName === '' || fileName === '.' || fileName === '..' || isHarmlessFileName(fileName)) continue;
          const runtimePath = `/run/secrets/${fileName}`;
          context.report({
            node: element,
            messageId: 'path',
            data: { path: pathText, name },
            severity: testCodeSeverity(context.file.path),
            fixes: [
              {
                title: `Replace with the runtime path \`"${runtimePath}"\` (provision that file yourself)`,
                edits: [{ range: { start: table.start(element), end: table.end(element) }, newText: stringText(runtimePath) }],
                safe: false,
              },
            ],
          });
        }
      },
    };
  },
});

// systemd-secret-env: a password or token written into a service's environment.
//   systemd.services.web.environment.DB_PASSWORD = "hunter2";
//   →  systemd.services.web.serviceConfig.EnvironmentFile = "/run/secrets/web.env";
// NixOS writes the environment into the unit file, which lives in the world-readable Nix store
// (and `systemctl show` prints it to any user). Flags `environment.<KEY>` and
// `serviceConfig.Environment` entries whose key names a secret (PASS, SECRET, TOKEN, API_KEY,
// PRIVATE_KEY in any case) and whose value is a literal that is not a path, number or boolean.
import { isStringExpression, severityIn, valueOrElements } from '../analysis/module-model';
import type { OptionDefinition } from '../analysis/module-model';
import { stringText } from '../analysis/option-edits';
import { removeEntry } from '../analysis/removal-edits';
import { addServiceConfigKeys, setsServiceOption, systemdServices } from '../analysis/systemd-services';
import type { SystemdService } from '../analysis/systemd-services';
import { renderedLines } from '../analysis/systemd-unit';
import { splitWords } from '../analysis/systemd-values';
import { Kind } from '../syntax/grammar';
import type { SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';
import type { Fix, TextEdit } from './types';

const SECRET_KEY = /PASS|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY/i;
/** Keys that name where a secret is, or a setting about secrets, rather than the secret. */
const NOT_A_SECRET_KEY = /(FILE|FILES|PATH|DIR|URL|URI|ENDPOINT|LENGTH|LEN|TTL|TIMEOUT|EXPIRY|MODE|TYPE|METHOD|HEADER|NAME)$/i;
const NOT_A_SECRET_VALUE = /^(\/\S*|\d+|true|false|yes|no|on|off)$/i;

function isSecret(key: string, value: string): boolean {
  return SECRET_KEY.test(key) && !NOT_A_SECRET_KEY.test(key) && value.trim() !== '' && !NOT_A_SECRET_VALUE.test(value.trim());
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  return a.range.start <= b.range.end && b.range.start <= a.range.end;
}

/** Moves `environment.<key>` out of the unit: drop the binding and load an EnvironmentFile. */
function moveToEnvironmentFile(text: string, table: SyntaxTable, service: SystemdService, definition: OptionDefinition, key: string): Fix[] {
  if (table.kind(definition.binding) !== Kind.Binding) return [];
  const removal = removeEntry(text, table, definition.binding);
  const file = `/run/secrets/${service.name}.env`;
  if (service.serviceConfig.has('EnvironmentFile')) {
    return [{ title: `Remove \`${key}\` and keep it in the service's \`EnvironmentFile\``, edits: [removal], safe: false }];
  }
  const insertion = addServiceConfigKeys(text, table, service, [['EnvironmentFile', stringText(file)]]);
  if (!insertion) return [];
  // Where the new binding would touch the removed one, write it in the removed one's place.
  const edits = overlaps(insertion, removal)
    ? [{ range: { start: table.start(definition.binding), end: table.end(definition.binding) }, newText: insertion.newText.replace(/^\s+/, '') }]
    : [removal, insertion];
  // The program must now find the value in that file, which someone has to create.
  return [{ title: `Move \`${key}\` to \`EnvironmentFile = "${file}"\``, edits, safe: false }];
}

export default defineRule({
  id: 'systemd-secret-env',
  meta: {
    severity: 'warning',
    category: 'systemd',
    description: 'A secret in a systemd service environment ends up in the world-readable Nix store',
    fixable: true,
    messages: { secret: '`{{key}}` puts a secret into the unit file, which anyone can read in the Nix store' },
  },
  check(context) {
    const { table, text } = context.file;
    return {
      file() {
        for (const service of systemdServices(table, context.file.modules)) {
          for (const definition of service.definitions) {
            const severity = severityIn(definition);
            if (setsServiceOption(service, definition, ['environment', '*'])) {
              const lines = renderedLines(table, definition.value);
              const key = definition.path[definition.path.length - 1];
              // A literal string only: a list, number or boolean holds no secret to move.
              if (!isStringExpression(table, definition.value) || lines?.length !== 1 || !isSecret(key, lines[0])) continue;
              context.report({ node: definition.value, messageId: 'secret', data: { key }, severity, fixes: moveToEnvironmentFile(text, table, service, definition, key) });
            } else if (setsServiceOption(service, definition, ['serviceConfig', 'Environment'])) {
              for (const element of valueOrElements(table, definition.value)) {
                const lines = renderedLines(table, element);
                if (lines?.length !== 1) continue;
                // One Environment= line may hold several quoted `KEY=value` assignments.
                const secret = splitWords(lines[0], true).words.find((word) => {
                  const equals = word.indexOf('=');
                  return equals > 0 && isSecret(word.slice(0, equals), word.slice(equals + 1));
                });
                if (secret) context.report({ node: element, messageId: 'secret', data: { key: secret.slice(0, secret.indexOf('=')) }, severity });
              }
            }
          }
        }
      },
    };
  },
});

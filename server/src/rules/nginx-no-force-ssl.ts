// nginx-no-force-ssl: a virtual host with a certificate that still serves plain HTTP.
//   services.nginx.virtualHosts."example.org" = { enableACME = true; };
//   → { enableACME = true; forceSSL = true; }
// With a certificate but no redirect, the site answers on port 80 too: a network attacker can
// keep users on HTTP (SSL stripping) and read or change what they send.
import { priorityNote, readLiteral, severityIn } from '../analysis/module-model';
import type { OptionDefinition } from '../analysis/module-model';
import { addSiblingDefinition } from '../analysis/option-edits';
import { fixOf } from '../analysis/text-edits';
import { defineRule } from './types';

const CERTIFICATE_OPTIONS = ['enableACME', 'useACMEHost', 'sslCertificate'];
const TLS_MODES = ['forceSSL', 'onlySSL', 'addSSL', 'rejectSSL'];

export default defineRule({
  id: 'nginx-no-force-ssl',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'An nginx virtual host with a certificate also serves plain HTTP',
    fixable: true,
    messages: { plainHttp: 'Virtual host `{{host}}` has a certificate but no `forceSSL`: it still serves HTTP{{note}}' },
  },
  check(context) {
    const { table, text } = context.file;
    return {
      file() {
        const model = context.file.modules;
        const certificates = new Map<string, OptionDefinition>();
        for (const option of CERTIFICATE_OPTIONS) {
          for (const { definition, captures } of model.match(['services', 'nginx', 'virtualHosts', '*', option])) {
            const value = readLiteral(table, definition.value);
            const configured = option === 'enableACME' ? value.kind === 'bool' && value.value : value.kind !== 'null' && value.kind !== 'bool';
            if (configured && !certificates.has(captures[0])) certificates.set(captures[0], definition);
          }
        }
        for (const [host, definition] of certificates) {
          // Any TLS mode counts, even a non-literal one: the user has made a choice.
          if (TLS_MODES.some((mode) => model.get(['services', 'nginx', 'virtualHosts', host, mode]).length > 0)) continue;
          context.report({
            severity: severityIn(definition),
            node: definition.value,
            messageId: 'plainHttp',
            data: { host, note: priorityNote(definition) },
            // Unsafe: clients that only speak HTTP (some health checks) get redirected.
            fixes: fixOf('Redirect HTTP to HTTPS (`forceSSL = true`)', [addSiblingDefinition(text, table, definition, ['forceSSL'], 'true')], false),
          });
        }
      },
    };
  },
});

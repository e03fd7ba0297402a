// systemd-runs-as-root: a service with no `User` and no `DynamicUser = true` runs as root.
//   systemd.services.web = { script = "…"; };
//   →  systemd.services.web = { script = "…"; serviceConfig = { DynamicUser = true; }; };
// User= is the heaviest single item of systemd's exposure score: whatever the service does
// wrong, it does as root. DynamicUser= gives it a fresh unprivileged user (and StateDirectory=
// a place to keep data owned by that user). Silent for services only adjusted in this file
// (no `script` or `ExecStart` here: their module decides the user) and when the settings are
// not literals.
import { severityIn } from '../analysis/module-model';
import { parseBoolean } from '../analysis/systemd-values';
import { addServiceConfigKeys, systemdServices } from '../analysis/systemd-services';
import type { SystemdService } from '../analysis/systemd-services';
import { Kind } from '../syntax/grammar';
import type { SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';
import type { Fix } from './types';

/** Whether `DynamicUser` is known to be off (absent or a literal false). */
function dynamicUserOff(service: SystemdService): boolean {
  const dynamicUser = service.serviceConfig.get('DynamicUser');
  if (!dynamicUser) return true;
  const lines = dynamicUser.lines;
  return lines !== undefined && lines.length > 0 && parseBoolean(lines[lines.length - 1]) === false;
}

/** Whether the service's strings mention `/var/lib/<name>`, its state directory under DynamicUser=. */
function mentionsStateDirectory(table: SyntaxTable, service: SystemdService): boolean {
  const needle = `/var/lib/${service.name}`;
  for (const definition of service.definitions) {
    const from = definition.value;
    if (from < 0) continue;
    const end = table.subtreeEnd(from);
    for (let row = from; row < end; row++) {
      if (table.kind(row) === Kind.StringFragment && table.nodeText(row).includes(needle)) return true;
    }
  }
  return false;
}

export default defineRule({
  id: 'systemd-runs-as-root',
  meta: {
    severity: 'info',
    category: 'systemd',
    description: 'A systemd service without `User` or `DynamicUser` runs as root',
    fixable: true,
    messages: { root: 'Service `{{name}}` runs as root: it sets neither `User` nor `DynamicUser = true`' },
  },
  check(context) {
    const { table, text } = context.file;
    return {
      file() {
        for (const service of systemdServices(table, context.file.modules)) {
          if (service.opaque || !service.definesCommand || service.serviceConfig.has('User') || !dynamicUserOff(service)) continue;
          // A `DynamicUser = false` is a choice the fix must not overturn by adding a second one.
          const fixes: Fix[] = [];
          if (!service.serviceConfig.has('DynamicUser')) {
            const entries: [string, string][] = [['DynamicUser', 'true']];
            if (!service.serviceConfig.has('StateDirectory') && mentionsStateDirectory(table, service)) entries.push(['StateDirectory', JSON.stringify(service.name)]);
            const edit = addServiceConfigKeys(text, table, service, entries);
            // Files the service wrote as root stay root-owned; the new user cannot read them.
            if (edit) fixes.push({ title: entries.length > 1 ? 'Set `DynamicUser = true` with a `StateDirectory`' : 'Set `DynamicUser = true`', edits: [edit], safe: false });
          }
          context.report({ node: service.nameNode, messageId: 'root', data: { name: service.name }, severity: severityIn(service.definitions[0]), fixes });
        }
      },
    };
  },
});

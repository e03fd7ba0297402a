// systemd-missing-sandboxing: a whole group of systemd's sandboxing is missing, one finding per group.
//   file system:   no ProtectSystem, ProtectHome, PrivateTmp (nor DynamicUser, which implies them)
//                  →  ProtectSystem = "strict"; ProtectHome = true; PrivateTmp = true;
//   system calls:  no SystemCallFilter
//                  →  SystemCallArchitectures = "native"; SystemCallFilter = [ "@system-service" "~@privileged" "~@resources" ];
//   capabilities:  a root service with no CapabilityBoundingSet  →  CapabilityBoundingSet = [ "" ];
//                  or AmbientCapabilities that grant CAP_SYS_ADMIN
// Each group is a large block of systemd's exposure score (the 11 system call rows alone weigh
// 8,900 of 56,160), and each fix adds just that block. Silent for services only adjusted here
// and when the relevant settings are not literals.
import { severityIn } from '../analysis/module-model';
import { capabilitiesAfter } from '../analysis/systemd-exposure';
import { parseBoolean } from '../analysis/systemd-values';
import { addServiceConfigKeys, systemdServices } from '../analysis/systemd-services';
import type { SystemdService } from '../analysis/systemd-services';
import { defineRule } from './types';
import type { Fix } from './types';

interface Group {
  readonly messageId: 'fileSystem' | 'systemCalls' | 'capabilities';
  /** Any of these present (whatever its value) means the group is not missing. */
  readonly present: readonly string[];
  readonly fix: readonly (readonly [string, string])[];
  readonly applies: (service: SystemdService) => boolean;
}

/** Whether the service runs as root, as far as its literal settings tell; undefined when unknown. */
function runsAsRoot(service: SystemdService): boolean | undefined {
  const user = service.serviceConfig.get('User');
  const dynamicUser = service.serviceConfig.get('DynamicUser');
  if ((user && user.lines === undefined) || (dynamicUser && dynamicUser.lines === undefined)) return undefined;
  const userName = user?.lines?.[user.lines.length - 1];
  if (userName === 'root' || userName === '0') return true;
  const dynamic = dynamicUser?.lines?.length ? parseBoolean(dynamicUser.lines[dynamicUser.lines.length - 1]) === true : false;
  return !dynamic && (userName === undefined || userName === '');
}

const GROUPS: readonly Group[] = [
  {
    messageId: 'fileSystem',
    present: ['ProtectSystem', 'ProtectHome', 'PrivateTmp', 'DynamicUser', 'RootDirectory', 'RootImage'],
    fix: [
      ['ProtectSystem', '"strict"'],
      ['ProtectHome', 'true'],
      ['PrivateTmp', 'true'],
    ],
    applies: (service) => !service.definitions.some((definition) => definition.path[service.path.length] === 'confinement'),
  },
  {
    messageId: 'systemCalls',
    present: ['SystemCallFilter'],
    fix: [
      ['SystemCallArchitectures', '"native"'],
      ['SystemCallFilter', '[ "@system-service" "~@privileged" "~@resources" ]'],
    ],
    applies: () => true,
  },
  {
    messageId: 'capabilities',
    present: ['CapabilityBoundingSet'],
    fix: [['CapabilityBoundingSet', '[ "" ]']],
    applies: (service) => runsAsRoot(service) === true,
  },
];

export default defineRule({
  id: 'systemd-missing-sandboxing',
  meta: {
    severity: 'info',
    category: 'systemd',
    description: 'A systemd service lacks a whole group of sandboxing settings',
    fixable: true,
    messages: {
      fileSystem: 'Service `{{name}}` has no file system sandbox (`ProtectSystem`, `ProtectHome`, `PrivateTmp`)',
      systemCalls: 'Service `{{name}}` may make any system call: no `SystemCallFilter`',
      capabilities: 'Service `{{name}}` runs as root with every capability: no `CapabilityBoundingSet`',
      ambientAdmin: '`AmbientCapabilities` gives service `{{name}}` `CAP_SYS_ADMIN`, nearly full root power',
    },
  },
  check(context) {
    const { table, text } = context.file;
    return {
      file() {
        for (const service of systemdServices(table, context.file.modules)) {
          if (service.opaque) continue;
          const severity = severityIn(service.definitions[0]);
          if (service.definesCommand) {
            for (const group of GROUPS) {
              if (group.present.some((key) => service.serviceConfig.has(key)) || !group.applies(service)) continue;
              const entries = group.fix.filter(([key]) => !service.serviceConfig.has(key));
              const edit = addServiceConfigKeys(text, table, service, entries);
              // Tighter sandboxes can break a service (files it writes, system calls it makes).
              const fixes: Fix[] = edit ? [{ title: `Add ${entries.map(([key]) => `\`${key}\``).join(', ')}`, edits: [edit], safe: false }] : [];
              context.report({ node: service.nameNode, messageId: group.messageId, data: { name: service.name }, severity, fixes });
            }
          }
          // Wherever it is set: an ambient CAP_SYS_ADMIN is wrong even in an adjustment.
          const ambient = service.serviceConfig.get('AmbientCapabilities');
          const grantsAdmin = ambient?.lines !== undefined && capabilitiesAfter('AmbientCapabilities', ambient.lines).includes('CAP_SYS_ADMIN');
          if (ambient && grantsAdmin) {
            context.report({ node: ambient.definitions[0].value, messageId: 'ambientAdmin', data: { name: service.name }, severity });
          }
        }
      },
    };
  },
});

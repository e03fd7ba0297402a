// systemd-exposure: a service `systemd-analyze security` would rate EXPOSED or worse.
//   systemd.services.web = { script = "…"; };   (9.6 UNSAFE)
//   →  systemd.services.web = { script = "…"; serviceConfig = { DynamicUser = true; … }; };   (1.3 OK)
// The score is the one systemd 252 prints (analysis/systemd-exposure.ts, checked against the
// real tool), computed from the service's literal `serviceConfig`. When a setting that changes
// the score is not a literal, or the service is only adjusted here (no `script`/`ExecStart`),
// the rule says nothing.
import type { ModuleModel } from '../analysis/module-model';
import { severityIn } from '../analysis/module-model';
import { exposureOf, exposureText, ServiceUnit } from '../analysis/systemd-exposure';
import { addServiceConfigKeys, scoredUnit, serviceExposure, SystemdService, systemdServices, weaklyDefinedScoredKeys } from '../analysis/systemd-services';
import type { ScoredUnit } from '../analysis/systemd-services';
import type { SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';
import type { Fix } from './types';

const EXPOSED = 75;
const UNSAFE = 90;

/**
 * The sandbox the fix adds, key by key; keys the service already sets are never touched.
 * MemoryDenyWriteExecute= (breaks JIT compilers) and PrivateUsers= (breaks setuid helpers)
 * are offered as separate, opt-in variants.
 */
const BASELINE_SANDBOX: readonly (readonly [string, string])[] = [
  ['DynamicUser', 'true'],
  ['NoNewPrivileges', 'true'],
  ['ProtectSystem', '"strict"'],
  ['ProtectHome', 'true'],
  ['PrivateTmp', 'true'],
  ['PrivateDevices', 'true'],
  ['PrivateMounts', 'true'],
  ['ProtectKernelTunables', 'true'],
  ['ProtectKernelModules', 'true'],
  ['ProtectKernelLogs', 'true'],
  ['ProtectControlGroups', 'true'],
  ['ProtectClock', 'true'],
  ['ProtectHostname', 'true'],
  ['ProtectProc', '"invisible"'],
  ['ProcSubset', '"pid"'],
  ['RestrictNamespaces', 'true'],
  ['RestrictRealtime', 'true'],
  ['RestrictSUIDSGID', 'true'],
  ['LockPersonality', 'true'],
  ['SystemCallArchitectures', '"native"'],
  ['SystemCallFilter', '[ "@system-service" "~@privileged" "~@resources" ]'],
  ['CapabilityBoundingSet', '[ "" ]'],
  ['RestrictAddressFamilies', '[ "AF_INET" "AF_INET6" "AF_UNIX" ]'],
  ['UMask', '"0077"'],
];
const OPT_IN: readonly { key: string; value: string; breaks: string }[] = [
  { key: 'MemoryDenyWriteExecute', value: 'true', breaks: 'breaks JIT compilers' },
  { key: 'PrivateUsers', value: 'true', breaks: 'breaks setuid helpers' },
];

/** What NixOS renders for one of our value texts. */
function renderValue(valueText: string): string[] {
  if (valueText.startsWith('[')) return [...valueText.matchAll(/"([^"]*)"/g)].map((match) => match[1]);
  return [valueText.replace(/^"|"$/g, '')];
}

/** The rendering of every value text above, made once: a sandbox is scored for every service and variant. */
const RENDERED_VALUES: ReadonlyMap<string, readonly string[]> = new Map(
  [...BASELINE_SANDBOX.map(([, value]) => value), ...OPT_IN.map((option) => option.value)].map((value) => [value, renderValue(value)]),
);

function renderedValue(valueText: string): readonly string[] {
  return RENDERED_VALUES.get(valueText) ?? renderValue(valueText);
}

/** The keys to add: the missing ones; DynamicUser only when the service has no identity of its own. */
function missingEntries(service: SystemdService, extra: readonly (readonly [string, string])[]): (readonly [string, string])[] {
  const hasIdentity = service.serviceConfig.has('User') || service.serviceConfig.has('Group');
  return [...BASELINE_SANDBOX, ...extra].filter(([key]) => !service.serviceConfig.has(key) && !(key === 'DynamicUser' && hasIdentity));
}

function scoreWith(unit: ServiceUnit, entries: readonly (readonly [string, string])[]): number | undefined {
  const lines = new Map(unit.service);
  for (const [key, value] of entries) lines.set(key, renderedValue(value));
  return exposureOf({ ...unit, service: lines });
}

function sandboxFixes(text: string, table: SyntaxTable, service: SystemdService, unit: ServiceUnit): Fix[] {
  const fixes: Fix[] = [];
  const variants: { title: string; extra: (readonly [string, string])[] }[] = [
    { title: 'Add a systemd sandbox', extra: [] },
    ...OPT_IN.filter((option) => !service.serviceConfig.has(option.key)).map((option) => ({
      title: `Add a systemd sandbox with \`${option.key}\`, which ${option.breaks}`,
      extra: [[option.key, option.value] as const],
    })),
  ];
  for (const variant of variants) {
    const entries = missingEntries(service, variant.extra);
    // Offer only what brings the service below EXPOSED: keys it already sets may keep it high.
    const after = scoreWith(unit, entries);
    if (after === undefined || after >= EXPOSED) continue;
    const edit = addServiceConfigKeys(text, table, service, entries);
    // Sandboxing can break a service (paths it writes, devices it opens), so never automatic.
    if (edit) fixes.push({ title: `${variant.title} (exposure ${exposureText(after)})`, edits: [edit], safe: false });
  }
  return fixes;
}

export default defineRule({
  id: 'systemd-exposure',
  meta: {
    severity: 'warning',
    category: 'systemd',
    description: 'A systemd service that `systemd-analyze security` rates EXPOSED or UNSAFE',
    fixable: true,
    messages: {
      exposed: 'Service `{{name}}` scores {{score}} {{label}} in `systemd-analyze security`{{note}}',
    },
  },
  check(context) {
    const { table, text } = context.file;
    return {
      file() {
        const model: ModuleModel = context.file.modules;
        for (const service of systemdServices(table, model)) {
          const score = serviceExposure(table, service);
          if (!score || score.exposure < EXPOSED) continue;
          const unit = (scoredUnit(table, service) as ScoredUnit).unit;
          context.report({
            node: service.nameNode,
            messageId: 'exposed',
            data: { name: service.name, score: score.text, label: score.label, note: weaklyDefinedScoredKeys(service).length > 0 ? ' (with `mkDefault` values)' : '' },
            severity: severityIn(service.definitions[0], score.exposure >= UNSAFE ? 'warning' : 'info'),
            fixes: sandboxFixes(text, table, service, unit),
          });
        }
      },
    };
  },
});

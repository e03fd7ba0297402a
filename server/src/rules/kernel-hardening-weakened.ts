// kernel-hardening-weakened: CPU vulnerability mitigations switched off, or kernel hardening
// sysctls set to weaker values than NixOS's hardened profile uses.
//   boot.kernelParams = [ "quiet" "mitigations=off" ];  →  boot.kernelParams = [ "quiet" ];
//   boot.kernel.sysctl."kernel.kptr_restrict" = 0;       (info, no fix: set the hardened value)
// The mitigations keep one process from reading another's memory through speculative-execution
// side channels (Spectre, Meltdown, MDS, …); the sysctls hide kernel addresses and close
// network tricks such as ICMP redirects.
import { priorityNote, readLiteral, readStringElements, severityIn } from '../analysis/module-model';
import { removeEntry } from '../analysis/removal-edits';
import type { LiteralValue } from '../analysis/module-model';
import { defineRule } from './types';

/** Kernel command-line switches that turn off side-channel mitigations or address randomisation. */
const WEAKENING_PARAMETERS = new Set([
  'mitigations=off', 'nopti', 'pti=off', 'spectre_v2=off', 'nospectre_v1', 'nospectre_v2',
  'spectre_v2_user=off', 'spec_store_bypass_disable=off', 'nospec_store_bypass_disable',
  'l1tf=off', 'mds=off', 'tsx_async_abort=off', 'mmio_stale_data=off', 'retbleed=off',
  'srbds=off', 'gather_data_sampling=off', 'spectre_bhi=off', 'reg_file_data_sampling=off',
  'nokaslr', 'kpti=0',
]);

/** Hardened-profile sysctl values (nixos/modules/profiles/hardened.nix). */
const HARDENED_SYSCTLS: ReadonlyMap<string, number> = new Map([
  ['kernel.kptr_restrict', 2],
  ['kernel.dmesg_restrict', 1],
  ['kernel.unprivileged_bpf_disabled', 1],
  ['kernel.yama.ptrace_scope', 1],
  ['kernel.ftrace_enabled', 0],
  ['net.core.bpf_jit_enable', 0],
  ['net.core.bpf_jit_harden', 2],
  ['net.ipv4.conf.all.rp_filter', 1],
  ['net.ipv4.conf.default.rp_filter', 1],
  ['net.ipv4.conf.all.log_martians', 1],
  ['net.ipv4.conf.default.log_martians', 1],
  ['net.ipv4.icmp_echo_ignore_broadcasts', 1],
  ['net.ipv4.conf.all.accept_redirects', 0],
  ['net.ipv4.conf.default.accept_redirects', 0],
  ['net.ipv4.conf.all.secure_redirects', 0],
  ['net.ipv4.conf.default.secure_redirects', 0],
  ['net.ipv6.conf.all.accept_redirects', 0],
  ['net.ipv6.conf.default.accept_redirects', 0],
  ['net.ipv4.conf.all.send_redirects', 0],
  ['net.ipv4.conf.default.send_redirects', 0],
  ['vm.unprivileged_userfaultfd', 0],
]);

/** A sysctl value as a number: booleans are 0/1, numeric strings count. */
function sysctlNumber(value: LiteralValue): number | undefined {
  if (value.kind === 'bool') return value.value ? 1 : 0;
  if (value.kind === 'int') return value.value;
  if (value.kind === 'string' && /^-?\d+$/.test(value.value.trim())) return Number(value.value.trim());
  return undefined;
}

export default defineRule({
  id: 'kernel-hardening-weakened',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'CPU mitigations or kernel hardening settings are turned off',
    fixable: true,
    messages: {
      parameter: '`{{parameter}}` turns off {{protection}}{{note}}',
      sysctl: '`{{key}} = {{value}}` is weaker than the hardened value `{{hardened}}`{{note}}',
    },
  },
  check(context) {
    const { table, text } = context.file;
    return {
      file() {
        const model = context.file.modules;
        for (const definition of model.get(['boot', 'kernelParams'])) {
          for (const parameter of readStringElements(table, definition.value)) {
            if (!WEAKENING_PARAMETERS.has(parameter.value)) continue;
            context.report({
              severity: severityIn(definition),
              node: parameter.node,
              messageId: 'parameter',
              data: { parameter: parameter.value, protection: parameter.value === 'nokaslr' ? 'kernel address randomisation (KASLR)' : 'protection against CPU side-channel attacks', note: priorityNote(definition) },
              // Unsafe: the mitigations cost performance, which is why they were turned off.
              fixes: [{ title: `Remove \`${parameter.value}\``, edits: [removeEntry(text, table, parameter.node)], safe: false }],
            });
          }
        }
        for (const { definition, captures } of model.match(['boot', 'kernel', 'sysctl', '*'])) {
          const hardened = HARDENED_SYSCTLS.get(captures[0]);
          if (hardened === undefined) continue;
          const number = sysctlNumber(readLiteral(table, definition.value));
          // Only "switched off" counts: a feature the profile disables turned on, or a protection it
          // turns on set to 0. Partial values (kptr_restrict 1, loose rp_filter 2) are choices.
          if (number === undefined || (hardened === 0 ? number === 0 : number !== 0)) continue;
          context.report({
            node: definition.value,
            messageId: 'sysctl',
            data: { key: captures[0], value: table.nodeText(definition.value), hardened, note: priorityNote(definition) },
            severity: severityIn(definition, 'info'),
          });
        }
      },
    };
  },
});

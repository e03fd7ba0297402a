// The systemd exposure engine (analysis/systemd-exposure.ts) against systemd itself: hand-written
// units and seeded random ones go through `systemd-analyze security --offline=true`, and the
// overall score, the label and every check's weight, range, badness and exposure column must
// be equal. Also: systemd-unit.ts, which turns NixOS `serviceConfig` literals into those units.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { SourceFile } from 'nixguard/out/syntax/source-file';
import { Kind } from 'nixguard/out/syntax/grammar';
import { NodeId } from 'nixguard/out/syntax/syntax-table';
import { SYSCALL_DATA_SOURCE } from 'nixguard/out/analysis/syscall-groups';
import {
  ADDRESS_FAMILY_NAMES,
  assessExposure,
  EXPOSURE_CHECKS,
  ExposureResult,
  ExposureScore,
  SCORED_DIRECTIVES,
  ServiceUnit,
  topContributors,
} from 'nixguard/out/analysis/systemd-exposure';
import { readSection, renderedLines, renderUnitFile, withConfinement } from 'nixguard/out/analysis/systemd-unit';
import { analyzeUnits, OracleScore, OracleUnit, systemdAnalyzeStatus } from '../helpers/systemd-analyze';
import { REPOSITORY_ROOT } from '../helpers/paths';
import { seededRandom } from '../helpers/seeded-random';

type Lines = Record<string, string | string[]>;

interface Case {
  readonly name: string;
  readonly service: Lines;
  readonly unit?: Lines;
}

function directives(lines: Lines | undefined): Map<string, string[]> {
  return new Map(Object.entries(lines ?? {}).map(([key, value]) => [key, Array.isArray(value) ? value : [value]]));
}

function toServiceUnit(testCase: Case): ServiceUnit {
  return { service: directives(testCase.service), unit: directives(testCase.unit), name: testCase.name };
}

/** Our unit file for a case; systemd refuses a service without ExecStart=, so every one gets it. */
function oracleUnit(testCase: Case): OracleUnit {
  const unit = toServiceUnit(testCase);
  const service = new Map(unit.service);
  service.set('ExecStart', ['/bin/true', ...(service.get('ExecStart') ?? [])]);
  return { name: testCase.name, text: renderUnitFile({ ...unit, service }) };
}

function score(testCase: Case): ExposureScore {
  const result = assessExposure(toServiceUnit(testCase));
  assert.strictEqual(result.kind, 'score', `${testCase.name} was refused`);
  return result as ExposureScore;
}

/** Differences between our result and systemd's, as readable lines (empty when they agree). */
function differences(ours: ExposureResult, theirs: OracleScore | undefined): string[] {
  if (theirs === undefined) return ours.kind === 'refused' ? [] : [`systemd refused the unit, we scored ${ours.text}`];
  if (ours.kind === 'refused') return [`we refused the unit (${ours.directive}: ${ours.reason}), systemd scored ${theirs.text}`];
  const found: string[] = [];
  if (ours.text !== theirs.text || ours.label !== theirs.label) found.push(`overall: ours ${ours.text} ${ours.label}, systemd ${theirs.text} ${theirs.label}`);
  for (const check of ours.checks) {
    const oracle = theirs.checks.get(check.id);
    if (!oracle) {
      found.push(`${check.id}: systemd has no such check`);
      continue;
    }
    const exposure = check.exposure === 0 ? '' : `${Math.floor(check.exposure / 10)}.${check.exposure % 10}`;
    if (oracle.badness !== check.badness || oracle.weight !== check.weight || oracle.range !== check.range || oracle.exposure !== exposure) {
      found.push(`${check.id}: ours ${check.badness}/${check.range} w${check.weight} ${exposure}, systemd ${oracle.badness}/${oracle.range} w${oracle.weight} ${oracle.exposure}`);
    }
  }
  if (theirs.checks.size !== ours.checks.length) found.push(`systemd has ${theirs.checks.size} checks, we have ${ours.checks.length}`);
  return found;
}

/** Runs the cases through systemd in one batch; fails listing the first disagreements. */
function compareWithSystemd(cases: readonly Case[]): { compared: number } {
  const scores = analyzeUnits(cases.map(oracleUnit));
  const failures: string[] = [];
  for (const testCase of cases) {
    const found = differences(assessExposure(toServiceUnit(testCase)), scores.get(testCase.name));
    if (found.length > 0 && failures.length < 8) failures.push(`${oracleUnit(testCase).text}  → ${found.join('\n    ')}`);
  }
  assert.deepStrictEqual(failures, []);
  return { compared: cases.length };
}

// ---------------------------------------------------------------------------------------------
// Hand-written configurations

/**
 * The sandbox of the systemd-exposure quick fix with both opt-in keys (MemoryDenyWriteExecute,
 * PrivateUsers), rendered as NixOS would.
 */
const BASELINE: Lines = {
  DynamicUser: 'true',
  NoNewPrivileges: 'true',
  ProtectSystem: 'strict',
  ProtectHome: 'true',
  PrivateTmp: 'true',
  PrivateDevices: 'true',
  ProtectKernelTunables: 'true',
  ProtectKernelModules: 'true',
  ProtectKernelLogs: 'true',
  ProtectControlGroups: 'true',
  ProtectClock: 'true',
  ProtectHostname: 'true',
  ProtectProc: 'invisible',
  ProcSubset: 'pid',
  RestrictNamespaces: 'true',
  RestrictRealtime: 'true',
  RestrictSUIDSGID: 'true',
  LockPersonality: 'true',
  MemoryDenyWriteExecute: 'true',
  SystemCallArchitectures: 'native',
  SystemCallFilter: ['@system-service', '~@privileged', '~@resources'],
  CapabilityBoundingSet: [''],
  RestrictAddressFamilies: ['AF_INET', 'AF_INET6', 'AF_UNIX'],
  UMask: '0077',
  PrivateUsers: 'true',
  PrivateMounts: 'true',
};

const HAND_WRITTEN: Case[] = [
  { name: 'empty.service', service: {} },
  { name: 'dynamic-user.service', service: { DynamicUser: 'yes' } },
  { name: 'baseline.service', service: BASELINE },
  { name: 'baseline-offline.service', service: { ...BASELINE, PrivateNetwork: 'true', IPAddressDeny: 'any', RestrictAddressFamilies: 'none' } },
  { name: 'static-user.service', service: { User: 'web', Group: 'web', SupplementaryGroups: 'keys' } },
  { name: 'nobody-user.service', service: { User: 'nobody' } },
  { name: 'root-explicit.service', service: { User: 'root', DynamicUser: 'true' } },
  { name: 'nobody.service', service: { DynamicUser: 'true' } },
  { name: 'root.service', service: { DynamicUser: 'true' } },
  { name: 'worker@root.service', service: { User: '%i' } },
  { name: 'early-boot.service', service: { PrivateTmp: 'true', ProtectSystem: 'full' }, unit: { DefaultDependencies: 'no' } },
  { name: 'nginx-like.service', service: { User: 'nginx', AmbientCapabilities: 'CAP_NET_BIND_SERVICE', CapabilityBoundingSet: 'CAP_NET_BIND_SERVICE', NoNewPrivileges: 'true', ProtectSystem: 'strict', ProtectHome: 'true', PrivateTmp: 'true', PrivateDevices: 'true', SystemCallFilter: ['~@cpu-emulation @debug @keyring @mount @obsolete @privileged @setuid'], UMask: '0027' } },
  { name: 'caps-merge.service', service: { CapabilityBoundingSet: ['CAP_NET_ADMIN CAP_KILL', '~CAP_KILL', 'cap_sys_time 12'] } },
  { name: 'caps-reset.service', service: { CapabilityBoundingSet: ['~', 'CAP_KILL'], AmbientCapabilities: ['~', 'CAP_KILL'] } },
  { name: 'caps-quoted.service', service: { CapabilityBoundingSet: 'CAP_KILL "CAP_NET_RAW' } },
  { name: 'families-none-then-deny.service', service: { RestrictAddressFamilies: ['none', '~AF_INET'] } },
  { name: 'families-allow-then-remove.service', service: { RestrictAddressFamilies: ['AF_INET AF_UNIX', '~AF_UNIX', 'af_packet AF_BOGUS'] } },
  { name: 'namespaces.service', service: { RestrictNamespaces: ['net ipc', '~net', 'pid'] } },
  { name: 'namespaces-bad-word.service', service: { RestrictNamespaces: ['yes', 'net bogus'] } },
  { name: 'syscalls-allow.service', service: { SystemCallFilter: ['@mount', 'ioperm'] } },
  { name: 'syscalls-deny-raw-io.service', service: { SystemCallFilter: ['~ioperm iopl'] } },
  { name: 'syscalls-known.service', service: { SystemCallFilter: ['~@known'] } },
  { name: 'syscalls-errno.service', service: { SystemCallFilter: ['~@mount:EPERM @swap:EBOGUS', 'mount:EPERM'] } },
  { name: 'syscalls-reset.service', service: { SystemCallFilter: ['@system-service', ''], SystemCallArchitectures: ['native', 'native'] } },
  { name: 'architectures.service', service: { SystemCallArchitectures: 'native x86' } },
  { name: 'ip-localhost.service', service: { IPAddressDeny: 'any', IPAddressAllow: ['localhost', '127.5.5.5/8'] } },
  { name: 'ip-masked.service', service: { IPAddressDeny: 'any bogus', IPAddressAllow: '127.0.0.1/0' } },
  { name: 'ip-ipv4-only.service', service: { IPAddressDeny: '0.0.0.0/0' } },
  { name: 'ip-filter-program.service', service: { IPIngressFilterPath: '/sys/fs/bpf/ingress' } },
  { name: 'devices-closed.service', service: { DevicePolicy: 'closed', DeviceAllow: ['/dev/null rw', ''] } },
  { name: 'devices-rtc.service', service: { PrivateDevices: 'true', ProtectClock: 'true' } },
  { name: 'devices-image.service', service: { PrivateDevices: 'true', RootImage: '/var/lib/machines/a.raw' } },
  { name: 'devices-invalid.service', service: { DevicePolicy: 'strict', DeviceAllow: ['/tmp/x rw', '/dev/../dev/null', '/dev/null xyz'] } },
  { name: 'umask-group.service', service: { UMask: '027' } },
  { name: 'umask-invalid.service', service: { UMask: ['0077', '0o77', '99999'] } },
  { name: 'enums.service', service: { KeyringMode: 'shared', ProtectProc: 'noaccess', ProcSubset: 'pid', NotifyAccess: 'all', Delegate: 'cpu bogus' } },
  { name: 'booleans-spelled.service', service: { PrivateTmp: 'YES', PrivateNetwork: 't', PrivateUsers: 'On', NoNewPrivileges: ['yes', ''], LockPersonality: '"yes"' } },
  { name: 'protect-home-dynamic.service', service: { DynamicUser: 'true', ProtectHome: 'tmpfs', ProtectSystem: 'no', RemoveIPC: 'no' } },
  { name: 'root-directory.service', service: { RootDirectory: ['/srv/chroot', '//'] } },
  { name: 'refused-dynamic-user.service', service: { DynamicUser: 'maybe' } },
  { name: 'refused-user.service', service: { User: 'a:b' } },
  { name: 'refused-root-directory.service', service: { RootDirectory: 'srv' } },
  { name: 'refused-groups.service', service: { User: 'web', SupplementaryGroups: 'ok bad/name' } },
];

// ---------------------------------------------------------------------------------------------
// Seeded random configurations

const BOOLEAN_DIRECTIVES = [
  'PrivateDevices', 'PrivateMounts', 'PrivateNetwork', 'PrivateTmp', 'PrivateUsers', 'ProtectControlGroups', 'ProtectKernelModules',
  'ProtectKernelTunables', 'ProtectKernelLogs', 'ProtectClock', 'ProtectHostname', 'LockPersonality', 'MemoryDenyWriteExecute',
  'NoNewPrivileges', 'RemoveIPC', 'RestrictRealtime', 'RestrictSUIDSGID',
];
const BOOLEAN_VALUES = ['yes', 'no', 'true', 'false', '1', '0', 'on', 'off', 'YES', 'maybe', ''];
const CAPABILITY_WORDS = ['CAP_SYS_ADMIN', 'CAP_NET_ADMIN', 'CAP_NET_BIND_SERVICE', 'CAP_KILL', 'cap_sys_time', 'CAP_SYSLOG', 'CAP_MKNOD', 'CAP_SYS_RAWIO', 'CAP_SETUID', 'CAP_BPF', 'CAP_WAKE_ALARM', '21', 'NET_ADMIN', 'CAP_BOGUS'];
const FAMILY_WORDS = ['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_NETLINK', 'AF_PACKET', 'AF_CAN', 'AF_BLUETOOTH', 'AF_LOCAL', 'af_inet', 'AF_BOGUS'];
const NAMESPACE_WORDS = ['user', 'mnt', 'ipc', 'pid', 'cgroup', 'net', 'uts'];
const SYSCALL_WORDS = [
  '@system-service', '@privileged', '@resources', '@mount', '@clock', '@debug', '@module', '@raw-io', '@reboot', '@swap', '@obsolete',
  '@cpu-emulation', '@known', '@basic-io', '@file-system', '@setuid', '@chown', 'mount', 'umount2', 'ioperm', 'iopl', 'reboot', 'swapon',
  'ptrace', 'settimeofday', 'personality', '_sysctl', 'pciconfig_read', '@bogus', 'mount:EPERM',
];

/** Values for the other scored directives; a few are invalid on purpose. */
const VALUE_POOLS: Record<string, readonly string[]> = {
  // Rare invalid values of the directives whose errors make systemd refuse the whole unit.
  DynamicUser: ['yes', 'no', 'true', 'false', 'yes', 'no', 'true', 'false', 'yes', 'maybe'],
  User: ['root', '0', 'nobody', 'alice', '1000', '', '65534', '%u', 'root', 'alice', 'nobody', 'a:b'],
  SupplementaryGroups: ['wheel', 'audio video', ''],
  ProtectHome: ['yes', 'no', 'true', 'read-only', 'tmpfs', 'bogus', ''],
  ProtectSystem: ['yes', 'no', 'full', 'strict', 'STRICT', ''],
  RootDirectory: ['/srv/root', '/', '/var/empty', '', '/srv/root', '/', 'relative'],
  RootImage: ['/images/a.raw', ''],
  MountImages: ['/images/b.raw:/mnt', ''],
  UMask: ['0077', '0027', '0022', '0002', '0000', '077', '77', '0o77', 'bogus', '0007', '0070', '0020'],
  KeyringMode: ['private', 'shared', 'inherit', 'bogus'],
  ProtectProc: ['default', 'noaccess', 'invisible', 'ptraceable', 'bogus'],
  ProcSubset: ['all', 'pid', 'bogus'],
  NotifyAccess: ['none', 'main', 'exec', 'all', 'bogus'],
  Delegate: ['yes', 'no', '', 'cpu memory', 'bogus'],
  SystemCallArchitectures: ['native', 'x86-64', 'native x86', 'x86', '', 'bogus'],
  DevicePolicy: ['auto', 'closed', 'strict', 'bogus'],
  DeviceAllow: ['/dev/null rw', 'char-rtc r', '/dev/sda', 'block-loop rwm', '/tmp/x', ''],
  IPAddressDeny: ['any', '0.0.0.0/0', '::/0', '0.0.0.0/0 ::/0', '10.0.0.0/8', ''],
  IPAddressAllow: ['localhost', '127.0.0.1', '10.0.0.0/8', '::1', 'link-local', ''],
  IPEgressFilterPath: ['/sys/fs/bpf/egress', ''],
};

function randomCase(index: number, random: () => number): Case {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const subset = (words: readonly string[]): string => words.filter(() => random() < 0.3).join(' ');
  const tilde = (): string => (random() < 0.4 ? '~' : '');
  const generators: Record<string, () => string> = {
    CapabilityBoundingSet: () => (random() < 0.15 ? '' : tilde() + subset(CAPABILITY_WORDS)),
    AmbientCapabilities: () => (random() < 0.3 ? '' : tilde() + subset(CAPABILITY_WORDS)),
    RestrictNamespaces: () => pick(['yes', 'no', '', tilde() + subset(NAMESPACE_WORDS), tilde() + subset(NAMESPACE_WORDS)]),
    RestrictAddressFamilies: () => pick(['none', '', tilde() + subset(FAMILY_WORDS), tilde() + subset(FAMILY_WORDS), tilde() + subset(FAMILY_WORDS)]),
    SystemCallFilter: () => (random() < 0.1 ? '' : tilde() + subset(SYSCALL_WORDS)),
  };
  for (const directive of BOOLEAN_DIRECTIVES) generators[directive] = () => pick(BOOLEAN_VALUES);
  for (const [directive, pool] of Object.entries(VALUE_POOLS)) generators[directive] = () => pick(pool);

  // Half the cases start from the hardened baseline, so that low scores and their labels occur too.
  const service: Lines = random() < 0.5 ? { ...BASELINE } : {};
  const probability = 0.2 + random() * 0.3;
  for (const [directive, generate] of Object.entries(generators)) {
    if (random() >= probability) continue;
    const count = 1 + Math.floor(random() * random() * 3);
    service[directive] = Array.from({ length: count }, generate);
  }
  const unit: Lines = random() < 0.1 ? { DefaultDependencies: pick(['no', 'yes', 'bogus']) } : {};
  return { name: `random-${index}.service`, service, unit };
}

const RANDOM_SEED = Number(process.env.NIXGUARD_SYSTEMD_SEED ?? 20252);
const RANDOM_COUNT = 400;

// ---------------------------------------------------------------------------------------------

describe('systemd exposure engine', () => {
  it('scores an unhardened root service 9.6 UNSAFE', () => {
    const result = score({ name: 'x.service', service: {} });
    assert.deepStrictEqual([result.exposure, result.text, result.label], [96, '9.6', 'UNSAFE']);
  });

  it('scores `DynamicUser=yes` alone 8.4 EXPOSED, as systemd 252 does', () => {
    const result = score({ name: 'x.service', service: { DynamicUser: 'yes' } });
    assert.deepStrictEqual([result.text, result.label], ['8.4', 'EXPOSED']);
    const badness = (id: string): number | null | undefined => result.checks.find((check) => check.id === id)?.badness;
    assert.deepStrictEqual(
      ['PrivateTmp=', 'ProtectSystem=', 'ProtectHome=', 'RemoveIPC=', 'NoNewPrivileges=', 'RestrictSUIDSGID=', 'PrivateMounts='].map(badness),
      [0, 0, 5, 0, 0, 0, 1],
    );
  });

  it('drops the four early-boot checks when DefaultDependencies is off', () => {
    const result = score({ name: 'x.service', service: {}, unit: { DefaultDependencies: 'false' } });
    const notApplicable = result.checks.filter((check) => check.badness === null).map((check) => check.id);
    assert.deepStrictEqual(notApplicable.sort(), ['PrivateTmp=', 'ProtectHome=', 'ProtectSystem=', 'RemoveIPC=', 'RootDirectory=/RootImage=', 'SupplementaryGroups=']);
  });

  it('refuses units systemd refuses to load', () => {
    for (const [service, directive] of [
      [{ DynamicUser: 'maybe' }, 'DynamicUser'],
      [{ User: 'a/b' }, 'User'],
      [{ RootImage: 'relative.raw' }, 'RootImage'],
    ] as const) {
      const result = assessExposure({ service: directives(service) });
      assert.strictEqual(result.kind === 'refused' && result.directive, directive);
    }
  });

  it('lists the costliest checks first', () => {
    const top = topContributors(score({ name: 'x.service', service: {} }), 3).map((check) => check.id);
    // 2500, 2000, then the first of the 1500-weight checks in systemd's order.
    assert.deepStrictEqual(top, ['PrivateNetwork=', 'User=/DynamicUser=', 'CapabilityBoundingSet=~CAP_SYS_ADMIN']);
  });

  it('knows which directives can change the score', () => {
    assert.ok(SCORED_DIRECTIVES.has('SystemCallFilter') && SCORED_DIRECTIVES.has('DynamicUser') && SCORED_DIRECTIVES.has('DevicePolicy'));
    assert.ok(!SCORED_DIRECTIVES.has('ExecStart') && !SCORED_DIRECTIVES.has('Restart'));
  });

  describe('against systemd-analyze security', function () {
    this.timeout(60_000);
    before(function () {
      const status = systemdAnalyzeStatus();
      if (!status.available) {
        console.log(`      skipping: ${status.reason}`);
        this.skip();
      }
    });

    it('has the same checks, weights and ranges as systemd', () => {
      const oracle = analyzeUnits([oracleUnit({ name: 'plain.service', service: {} })]).get('plain.service');
      assert.ok(oracle);
      const theirs = [...oracle.checks].map(([id, check]) => `${id} ${check.weight}/${check.range}`).sort();
      const ours = EXPOSURE_CHECKS.map((check) => `${check.id} ${check.weight}/${check.range}`).sort();
      assert.deepStrictEqual(ours, theirs);
    });

    it(`agrees on ${HAND_WRITTEN.length} hand-written units, check by check`, () => {
      compareWithSystemd(HAND_WRITTEN);
    });

    it(`agrees on ${RANDOM_COUNT} seeded random units (seed ${RANDOM_SEED}), check by check`, () => {
      const random = seededRandom(RANDOM_SEED);
      const cases = Array.from({ length: RANDOM_COUNT }, (_, index) => randomCase(index, random));
      // The generator must reach the common labels and refusals, or it tests too little.
      const labels = new Set<string>(cases.map((testCase) => assessExposure(toServiceUnit(testCase))).map((result) => (result.kind === 'score' ? result.label : 'refused')));
      for (const label of ['OK', 'MEDIUM', 'EXPOSED', 'UNSAFE', 'refused']) assert.ok(labels.has(label), `no ${label} case`);
      compareWithSystemd(cases);
    });

    it('reads every address family name as systemd does', () => {
      const names = [...ADDRESS_FAMILY_NAMES, 'AF_UNSPEC', 'AF_MAX', 'AF_decnet', 'AF_NOSUCH'];
      compareWithSystemd(names.map((name, index) => ({ name: `family-${index}.service`, service: { RestrictAddressFamilies: name } })));
    });

    it('matches the installed systemd syscall groups (scripts/generate-syscall-groups.js --check)', function () {
      const architecture = process.arch === 'x64' ? 'x86-64' : process.arch;
      if (architecture !== SYSCALL_DATA_SOURCE.architecture) {
        console.log(`      skipping: the data are for ${SYSCALL_DATA_SOURCE.architecture}, this is ${architecture}`);
        this.skip();
      }
      const result = spawnSync(process.execPath, [path.join(REPOSITORY_ROOT, 'scripts', 'generate-syscall-groups.js'), '--check'], { encoding: 'utf8' });
      assert.strictEqual(result.status, 0, result.stderr);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// NixOS attrsets → unit lines

/** The first attrset literal of the text, read as a section. */
function readFirstAttrset(text: string): { table: ReturnType<typeof SourceFile.parse>['table']; reading: ReturnType<typeof readSection> } {
  const table = SourceFile.parse(text).table;
  let node: NodeId = -1;
  for (let row = 0; row < table.size; row++) {
    if (table.kind(row) === Kind.AttrsetExpression || table.kind(row) === Kind.RecAttrsetExpression) {
      node = row;
      break;
    }
  }
  assert.notStrictEqual(node, -1, 'no attrset');
  return { table, reading: readSection(table, node) };
}

describe('systemd unit rendering of NixOS serviceConfig', () => {
  it('renders literals as NixOS does: booleans as words, lists one line per element, null as an empty assignment', () => {
    const { reading } = readFirstAttrset(`{
      DynamicUser = true; PrivateTmp = false; UMask = 0077; Nice = -5; Type = "simple";
      SystemCallFilter = [ "@system-service" "~@privileged" ]; CapabilityBoundingSet = [ "" ];
      RestrictAddressFamilies = [ ]; User = null; Escaped = "a\\"b"; Indented = ''  x y'';
    }`);
    assert.deepStrictEqual(Object.fromEntries(reading.directives), {
      DynamicUser: ['true'],
      PrivateTmp: ['false'],
      UMask: ['77'],
      Nice: ['-5'],
      Type: ['simple'],
      SystemCallFilter: ['@system-service', '~@privileged'],
      CapabilityBoundingSet: [''],
      RestrictAddressFamilies: [],
      User: [''],
      Escaped: ['a"b'],
      Indented: ['x y'],
    });
    assert.deepStrictEqual(reading.unknown, []);
    assert.strictEqual(reading.dynamicKeys, false);
  });

  it('sees through mkDefault, mkForce and mkOverride but not mkIf', () => {
    const { reading } = readFirstAttrset(`{
      A = lib.mkDefault true; B = mkForce [ "x" ]; C = lib.mkOverride 10 "y"; D = (lib.mkForce (false));
      E = lib.mkIf cfg.enable true; F = lib.mkOverride true;
    }`);
    assert.deepStrictEqual(Object.fromEntries(reading.directives), { A: ['true'], B: ['x'], C: ['y'], D: ['false'] });
    assert.deepStrictEqual(reading.unknown.map((entry) => entry.key), ['E', 'F']);
  });

  it('reports non-literal values as unknown', () => {
    const { table, reading } = readFirstAttrset(`{
      ExecStart = "\${pkgs.hello}/bin/hello"; User = cfg.user; RootDirectory = ./root; CPUQuota = 1.5;
      Environment = [ [ "A=1" ] ]; ExecStartPre = ''
        multi
        line
      ''; inherit (cfg) Group; Sub.Key = 1; ReadWritePaths = [ "/var/lib/x" ] ++ extra;
    }`);
    assert.deepStrictEqual(reading.unknown.map((entry) => entry.key).sort(), ['CPUQuota', 'Environment', 'ExecStart', 'ExecStartPre', 'Group', 'ReadWritePaths', 'RootDirectory', 'Sub', 'User']);
    assert.deepStrictEqual([...reading.directives.keys()], []);
    assert.strictEqual(table.nodeText(reading.unknown.find((entry) => entry.key === 'User')?.node ?? -1), 'cfg.user');
  });

  it('notices computed keys and records where each key is', () => {
    const { table, reading } = readFirstAttrset('{ ${name} = true; "Quoted" = "yes"; PrivateTmp = true; PrivateTmp = false; }');
    assert.strictEqual(reading.dynamicKeys, true);
    assert.deepStrictEqual(Object.fromEntries(reading.directives), { Quoted: ['yes'], PrivateTmp: ['true'] });
    assert.strictEqual(table.nodeText(reading.keys.get('Quoted') ?? -1), '"Quoted"');
  });

  it('renders a single value for callers that collect `serviceConfig.X = v` themselves', () => {
    const table = SourceFile.parse('[ (lib.mkForce [ "a" true 3 null ]) x ]').table;
    const lists = [];
    for (let row = 0; row < table.size; row++) if (table.kind(row) === Kind.ListExpression) lists.push(row);
    assert.deepStrictEqual(renderedLines(table, lists[1]), ['a', 'true', '3', '']);
    assert.strictEqual(renderedLines(table, lists[0]), undefined);
  });

  it('adds what confinement.enable sets, leaving the service its own keys', () => {
    const service = withConfinement(new Map([['PrivateTmp', ['false']]]), 'full-apivfs', 'web');
    assert.deepStrictEqual(service.get('PrivateTmp'), ['false']);
    assert.deepStrictEqual([service.get('PrivateDevices'), service.get('PrivateMounts')], [['true'], ['true']]);
    assert.ok((service.get('RootDirectory')?.[0] ?? '/') !== '/');
    const chrootOnly = withConfinement(new Map(), 'chroot-only', 'web');
    assert.deepStrictEqual(chrootOnly.get('PrivateDevices'), ['false']);
  });

  it('writes unit files with sorted keys and a [Unit] section only when needed', () => {
    const text = renderUnitFile({ service: new Map([['User', ['a']], ['CapabilityBoundingSet', ['', 'CAP_KILL']]]), unit: new Map() });
    assert.strictEqual(text, '[Service]\nCapabilityBoundingSet=\nCapabilityBoundingSet=CAP_KILL\nUser=a\n');
  });

  describe('scored by systemd-analyze', function () {
    this.timeout(30_000);
    before(function () {
      const status = systemdAnalyzeStatus();
      if (!status.available) {
        console.log(`      skipping: ${status.reason}`);
        this.skip();
      }
    });

    it('scores NixOS attrsets as systemd scores their rendered units', () => {
      const configurations = [
        '{ DynamicUser = true; }',
        '{ User = "web"; NoNewPrivileges = true; ProtectSystem = "strict"; ProtectHome = true; PrivateTmp = lib.mkDefault true; }',
        '{ CapabilityBoundingSet = [ "" ]; AmbientCapabilities = null; SystemCallFilter = [ "@system-service" "~@privileged" "~@resources" ]; }',
        '{ DynamicUser = true; UMask = 0077; RestrictAddressFamilies = [ "AF_UNIX" ]; IPAddressDeny = "any"; PrivateNetwork = true; }',
      ];
      const cases = configurations.map((text, index): Case => {
        const { reading } = readFirstAttrset(text);
        assert.deepStrictEqual(reading.unknown, []);
        return { name: `nix-${index}.service`, service: Object.fromEntries(reading.directives) };
      });
      compareWithSystemd(cases);
    });
  });
});

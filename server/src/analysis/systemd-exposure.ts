// The exposure score of a systemd service, computed as `systemd-analyze security` of systemd 252
// computes it (`--offline=true`, system manager), without running systemd.
//
// Two steps, both mirroring systemd. First the unit's lines are read into the settings the
// service ends up with: repeated lines merge the way systemd merges them (a `~` line subtracts
// from an allow list, an empty line resets, invalid values are ignored or refuse the whole
// unit), and the settings systemd implies are added (DynamicUser= turns on PrivateTmp=,
// ProtectSystem=strict and four more; PrivateDevices= closes the device policy and drops two
// capabilities; ProtectKernelModules=, ProtectKernelLogs= and ProtectClock= drop theirs). Then
// each of systemd's 81 checks gives a badness in [0, range] or "not applicable", and
//   exposure = ceil(100 · Σ ceil(badness · weight / range) / Σ weight)    (applicable checks)
// which systemd prints as `exposure / 10` with one decimal: 96 is "9.6 UNSAFE".
//
// Everything here was checked line by line against the real tool, which is also the oracle of
// test/analysis/systemd-exposure.test.ts; docs/systemd-exposure.md describes the model and
// its limits. The system call groups come from the installed systemd (syscall-groups.ts).
import { SYSCALL_GROUPS, UNAVAILABLE_SYSCALLS } from './syscall-groups';
import {
  AddressPrefix,
  addressKeywordPrefixes,
  expandSpecifiers,
  isLocalhostAddress,
  isStrictUserName,
  isValidUserOrGroup,
  parseAddressPrefix,
  parseBoolean,
  parseCInteger,
  parseMode,
  pathStartsWith,
  simplifyPath,
  splitFirstWord,
  splitWords,
  stripValue,
  UnitName,
  unitNameParts,
} from './systemd-values';

/** A unit file section: directive → its values, one per line, in file order. */
export type UnitDirectives = ReadonlyMap<string, readonly string[]>;

export interface ServiceUnit {
  /** The `[Service]` section. */
  readonly service: UnitDirectives;
  /** The `[Unit]` section; only `DefaultDependencies=` matters here. */
  readonly unit?: UnitDirectives;
  /** The unit's file name, e.g. `web.service` (default `service.service`): `%n` and DynamicUser= read it. */
  readonly name?: string;
}

export type ExposureLabel = 'PERFECT' | 'SAFE' | 'OK' | 'MEDIUM' | 'EXPOSED' | 'UNSAFE' | 'DANGEROUS';

export interface ExposureCheck {
  /** systemd's name of the check, e.g. `PrivateTmp=` or `RestrictNamespaces=~user`. */
  readonly id: string;
  /** What the service may do while this check is not satisfied. */
  readonly description: string;
  /** The directives that decide this check. */
  readonly directives: readonly string[];
  readonly weight: number;
  readonly range: number;
  /** 0 (best) to `range` (worst), or null when systemd says the check does not apply. */
  readonly badness: number | null;
  /** systemd's EXPOSURE column in tenths (0 when the badness is 0 or not applicable). */
  readonly exposure: number;
  /** This check's share of the badness sum, `ceil(badness · weight / range)`. */
  readonly contribution: number;
}

export interface ExposureScore {
  readonly kind: 'score';
  /** 0 to 100; systemd prints it in tenths. */
  readonly exposure: number;
  /** As systemd prints it: `9.6`. */
  readonly text: string;
  readonly label: ExposureLabel;
  readonly checks: readonly ExposureCheck[];
  /** Lines whose value depends on the host (`%H`, ...); they were read as ordinary strings. */
  readonly approximations: readonly string[];
}

/** systemd refuses to load the unit, so `systemd-analyze security` prints no score. */
export interface RefusedUnit {
  readonly kind: 'refused';
  readonly directive: string;
  readonly value: string;
  readonly reason: string;
}

export type ExposureResult = ExposureScore | RefusedUnit;

// ---------------------------------------------------------------------------------------------
// Names systemd 252 knows

const CAPABILITY_NAMES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
];
const CAPABILITY_NUMBERS = new Map(CAPABILITY_NAMES.map((name, index) => [`CAP_${name}`, index]));
const ALL_CAPABILITY_BITS = (1n << 64n) - 1n;

function capabilityMask(...names: string[]): bigint {
  return names.reduce((mask, name) => mask | (1n << BigInt(CAPABILITY_NUMBERS.get(`CAP_${name}`) as number)), 0n);
}

/** capability_from_name: a number 0-63 or a name, `CAP_` prefix required, any case. */
function capabilityFromName(word: string): number | undefined {
  const number = parseCInteger(word);
  if (number !== undefined) return number >= 0 && number < 64 ? number : undefined;
  return CAPABILITY_NUMBERS.get(word.toUpperCase());
}

/** Address families by the names systemd's af_from_name accepts (any case). */
const ADDRESS_FAMILIES = new Map<string, number>([
  ['AF_LOCAL', 1], ['AF_UNIX', 1], ['AF_FILE', 1], ['AF_INET', 2], ['AF_AX25', 3], ['AF_IPX', 4],
  ['AF_APPLETALK', 5], ['AF_NETROM', 6], ['AF_BRIDGE', 7], ['AF_ATMPVC', 8], ['AF_X25', 9], ['AF_INET6', 10],
  ['AF_ROSE', 11], ['AF_DECNET', 12], ['AF_NETBEUI', 13], ['AF_SECURITY', 14], ['AF_KEY', 15], ['AF_NETLINK', 16],
  ['AF_ROUTE', 16], ['AF_PACKET', 17], ['AF_ASH', 18], ['AF_ECONET', 19], ['AF_ATMSVC', 20], ['AF_RDS', 21],
  ['AF_SNA', 22], ['AF_IRDA', 23], ['AF_PPPOX', 24], ['AF_WANPIPE', 25], ['AF_LLC', 26], ['AF_IB', 27],
  ['AF_MPLS', 28], ['AF_CAN', 29], ['AF_TIPC', 30], ['AF_BLUETOOTH', 31], ['AF_IUCV', 32], ['AF_RXRPC', 33],
  ['AF_ISDN', 34], ['AF_PHONET', 35], ['AF_IEEE802154', 36], ['AF_CAIF', 37], ['AF_ALG', 38], ['AF_NFC', 39],
  ['AF_VSOCK', 40], ['AF_KCM', 41], ['AF_QIPCRTR', 42], ['AF_SMC', 43], ['AF_XDP', 44], ['AF_MCTP', 45],
]);
export const ADDRESS_FAMILY_NAMES: readonly string[] = [...ADDRESS_FAMILIES.keys()];
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const AF_PACKET = 17;

const NAMESPACE_TYPES = ['cgroup', 'ipc', 'net', 'mnt', 'pid', 'user', 'uts'] as const;
type NamespaceType = (typeof NAMESPACE_TYPES)[number];
const ALL_NAMESPACES = (1 << NAMESPACE_TYPES.length) - 1;
/** RestrictNamespaces= never set: systemd's ULONG_MAX, "everything allowed". */
const NAMESPACES_INITIAL = -1;

function namespaceBit(type: NamespaceType): number {
  return 1 << NAMESPACE_TYPES.indexOf(type);
}

/** seccomp_arch_from_string (systemd 252 on x86-64 builds). */
const SYSCALL_ARCHITECTURES = new Set([
  'native', 'x86', 'x86-64', 'x32', 'arm', 'arm64', 'mips', 'mips64', 'mips64-n32', 'mips-le', 'mips64-le',
  'mips64-le-n32', 'parisc', 'parisc64', 'ppc', 'ppc64', 'ppc64-le', 's390', 's390x', 'riscv64',
]);

/** errno names that `SystemCallFilter=~name:ERRNO` accepts. */
const ERRNO_NAMES = new Set(
  ('EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT ENOTBLK EBUSY ' +
    'EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK ' +
    'EPIPE EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP EWOULDBLOCK ENOMSG EIDRM ECHRNG ' +
    'EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT EDEADLOCK ' +
    'EBFONT ENOSTR ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP ' +
    'EDOTDOT EBADMSG EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ' +
    'ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ' +
    'ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ' +
    'ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ' +
    'ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM ' +
    'EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED ' +
    'EOWNERDEAD ENOTRECOVERABLE ERFKILL EHWPOISON').split(' '),
);

const GROUP_MEMBERS = new Map(SYSCALL_GROUPS.map((group) => [group.name, group.members]));

const expandedGroups = new Map<string, readonly string[]>();

/** Every system call a name stands for: itself, or a group's members with nested groups expanded. */
function expandSyscallName(name: string): readonly string[] | undefined {
  if (!name.startsWith('@')) return [name];
  if (!GROUP_MEMBERS.has(name)) return undefined;
  let names = expandedGroups.get(name);
  if (names === undefined) {
    names = expandGroup(name);
    expandedGroups.set(name, names);
  }
  return names;
}

function expandGroup(name: string): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const pending = [name];
  while (pending.length > 0) {
    const group = pending.pop() as string;
    if (seen.has(group)) continue;
    seen.add(group);
    for (const member of GROUP_MEMBERS.get(group) ?? []) {
      if (member.startsWith('@')) pending.push(member);
      else names.push(member);
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// The settings a service ends up with

type ProtectHome = 'no' | 'yes' | 'read-only' | 'tmpfs';
type ProtectSystem = 'no' | 'yes' | 'full' | 'strict';

interface ServiceSettings {
  user: string | undefined;
  dynamicUser: boolean;
  supplementaryGroups: string[];
  privateDevices: boolean;
  privateMounts: boolean;
  privateNetwork: boolean;
  privateTmp: boolean;
  privateUsers: boolean;
  protectControlGroups: boolean;
  protectKernelModules: boolean;
  protectKernelTunables: boolean;
  protectKernelLogs: boolean;
  protectClock: boolean;
  protectHostname: boolean;
  protectHome: ProtectHome;
  protectSystem: ProtectSystem;
  rootDirectory: string | undefined;
  rootImage: string | undefined;
  mountImages: number;
  lockPersonality: boolean;
  memoryDenyWriteExecute: boolean;
  noNewPrivileges: boolean;
  capabilityBoundingSet: bigint;
  ambientCapabilities: bigint;
  umask: number;
  keyringMode: string;
  protectProc: string;
  procSubset: string;
  notifyAccess: string;
  removeIpc: boolean;
  delegate: boolean;
  restrictRealtime: boolean;
  restrictSuidSgid: boolean;
  /** Bit set of namespace types that may still be created, or NAMESPACES_INITIAL. */
  restrictNamespaces: number;
  /** `families` is undefined until a list is given (systemd's NULL set; `none` leaves it so). */
  addressFamilies: { allowList: boolean; families: Set<number> | undefined };
  syscallArchitectures: Set<string>;
  syscallFilter: SyscallFilter | undefined;
  devicePolicy: string;
  deviceAllow: string[];
  ipAddressAllow: AddressPrefix[];
  ipAddressDeny: AddressPrefix[];
  ipIngressFilters: string[];
  ipEgressFilters: string[];
  defaultDependencies: boolean;
}

function defaultSettings(): ServiceSettings {
  return {
    user: undefined,
    dynamicUser: false,
    supplementaryGroups: [],
    privateDevices: false,
    privateMounts: false,
    privateNetwork: false,
    privateTmp: false,
    privateUsers: false,
    protectControlGroups: false,
    protectKernelModules: false,
    protectKernelTunables: false,
    protectKernelLogs: false,
    protectClock: false,
    protectHostname: false,
    protectHome: 'no',
    protectSystem: 'no',
    rootDirectory: undefined,
    rootImage: undefined,
    mountImages: 0,
    lockPersonality: false,
    memoryDenyWriteExecute: false,
    noNewPrivileges: false,
    capabilityBoundingSet: ALL_CAPABILITY_BITS,
    ambientCapabilities: 0n,
    umask: 0o022,
    // The system manager's default for services.
    keyringMode: 'private',
    protectProc: 'default',
    procSubset: 'all',
    notifyAccess: 'none',
    removeIpc: false,
    delegate: false,
    restrictRealtime: false,
    restrictSuidSgid: false,
    restrictNamespaces: NAMESPACES_INITIAL,
    addressFamilies: { allowList: false, families: undefined },
    syscallArchitectures: new Set(),
    syscallFilter: undefined,
    devicePolicy: 'auto',
    deviceAllow: [],
    ipAddressAllow: [],
    ipAddressDeny: [],
    ipIngressFilters: [],
    ipEgressFilters: [],
    defaultDependencies: true,
  };
}

type BooleanSetting = {
  [K in keyof ServiceSettings]: ServiceSettings[K] extends boolean ? K : never;
}[keyof ServiceSettings];

/** Plain boolean directives: an invalid or empty value is ignored (the previous one stays). */
const BOOLEAN_DIRECTIVES: ReadonlyMap<string, BooleanSetting> = new Map<string, BooleanSetting>([
  ['PrivateDevices', 'privateDevices'],
  ['PrivateMounts', 'privateMounts'],
  ['PrivateNetwork', 'privateNetwork'],
  ['PrivateTmp', 'privateTmp'],
  ['PrivateUsers', 'privateUsers'],
  ['ProtectControlGroups', 'protectControlGroups'],
  ['ProtectKernelModules', 'protectKernelModules'],
  ['ProtectKernelTunables', 'protectKernelTunables'],
  ['ProtectKernelLogs', 'protectKernelLogs'],
  ['ProtectClock', 'protectClock'],
  ['ProtectHostname', 'protectHostname'],
  ['LockPersonality', 'lockPersonality'],
  ['MemoryDenyWriteExecute', 'memoryDenyWriteExecute'],
  ['NoNewPrivileges', 'noNewPrivileges'],
  ['RemoveIPC', 'removeIpc'],
  ['RestrictRealtime', 'restrictRealtime'],
  ['RestrictSUIDSGID', 'restrictSuidSgid'],
]);

/** Directives with a fixed set of words: an invalid or empty value is ignored. */
const ENUM_DIRECTIVES: ReadonlyMap<string, { key: 'keyringMode' | 'protectProc' | 'procSubset' | 'notifyAccess' | 'devicePolicy'; values: readonly string[] }> = new Map([
  ['KeyringMode', { key: 'keyringMode', values: ['inherit', 'private', 'shared'] }],
  ['ProtectProc', { key: 'protectProc', values: ['default', 'noaccess', 'invisible', 'ptraceable'] }],
  ['ProcSubset', { key: 'procSubset', values: ['all', 'pid'] }],
  ['NotifyAccess', { key: 'notifyAccess', values: ['none', 'main', 'exec', 'all'] }],
  ['DevicePolicy', { key: 'devicePolicy', values: ['auto', 'closed', 'strict'] }],
] as const);

class Refusal {
  constructor(
    readonly directive: string,
    readonly value: string,
    readonly reason: string,
  ) {}
}

/** Reads one line of the `[Service]` section into `settings`, as systemd's parser for it does. */
function applyServiceLine(settings: ServiceSettings, directive: string, rawValue: string, unit: UnitName, approximations: string[]): Refusal | undefined {
  const value = stripValue(rawValue);
  const expand = (text: string): string => {
    const expanded = expandSpecifiers(text, unit);
    if (expanded.unknown.length > 0) approximations.push(`${directive}=${rawValue}`);
    return expanded.text;
  };

  const booleanKey = BOOLEAN_DIRECTIVES.get(directive);
  if (booleanKey) {
    const parsed = parseBoolean(value);
    if (parsed !== undefined) settings[booleanKey] = parsed;
    return undefined;
  }
  const enumDirective = ENUM_DIRECTIVES.get(directive);
  if (enumDirective) {
    if (enumDirective.values.includes(value)) settings[enumDirective.key] = value;
    return undefined;
  }

  switch (directive) {
    case 'DynamicUser': {
      // Unlike the other booleans, a bad DynamicUser= value makes systemd refuse the unit.
      const parsed = parseBoolean(value);
      if (parsed === undefined) return new Refusal(directive, rawValue, 'not a boolean');
      settings.dynamicUser = parsed;
      return undefined;
    }
    case 'User': {
      if (value === '') {
        settings.user = undefined;
        return undefined;
      }
      const name = expand(value);
      if (!isValidUserOrGroup(name)) return new Refusal(directive, rawValue, 'not a valid user name or id');
      settings.user = name;
      return undefined;
    }
    case 'SupplementaryGroups': {
      if (value === '') {
        settings.supplementaryGroups = [];
        return undefined;
      }
      const { words, complete } = splitWords(value, false);
      if (!complete) return new Refusal(directive, rawValue, 'invalid quoting');
      for (const word of words) {
        const name = expand(word);
        if (!isValidUserOrGroup(name)) return new Refusal(directive, rawValue, 'not a valid group name or id');
        settings.supplementaryGroups.push(name);
      }
      return undefined;
    }
    case 'ProtectHome': {
      const parsed = parseBoolean(value);
      if (parsed !== undefined) settings.protectHome = parsed ? 'yes' : 'no';
      else if (value === 'read-only' || value === 'tmpfs') settings.protectHome = value;
      return undefined;
    }
    case 'ProtectSystem': {
      const parsed = parseBoolean(value);
      if (parsed !== undefined) settings.protectSystem = parsed ? 'yes' : 'no';
      else if (value === 'full' || value === 'strict') settings.protectSystem = value;
      return undefined;
    }
    case 'RootDirectory':
    case 'RootImage': {
      const key = directive === 'RootDirectory' ? 'rootDirectory' : 'rootImage';
      if (value === '') {
        settings[key] = undefined;
        return undefined;
      }
      const checked = simplifyPath(expand(value), true);
      if ('error' in checked) return new Refusal(directive, rawValue, `path is ${checked.error}`);
      settings[key] = checked.path;
      return undefined;
    }
    case 'MountImages':
      applyMountImages(settings, value);
      return undefined;
    case 'CapabilityBoundingSet':
      settings.capabilityBoundingSet = mergeCapabilities(settings.capabilityBoundingSet, value, ALL_CAPABILITY_BITS);
      return undefined;
    case 'AmbientCapabilities':
      settings.ambientCapabilities = mergeCapabilities(settings.ambientCapabilities, value, 0n);
      return undefined;
    case 'UMask': {
      const mode = parseMode(value);
      if (mode !== undefined) settings.umask = mode;
      return undefined;
    }
    case 'Delegate':
      // Empty, `yes` or a controller list (even of unknown controllers) all turn delegation on.
      settings.delegate = value === '' ? true : (parseBoolean(value) ?? true);
      return undefined;
    case 'RestrictNamespaces':
      settings.restrictNamespaces = mergeNamespaces(settings.restrictNamespaces, value);
      return undefined;
    case 'RestrictAddressFamilies':
      applyAddressFamilies(settings, value);
      return undefined;
    case 'SystemCallArchitectures': {
      if (value === '') {
        settings.syscallArchitectures = new Set();
        return undefined;
      }
      for (const word of splitWords(value, true).words) if (SYSCALL_ARCHITECTURES.has(word)) settings.syscallArchitectures.add(word);
      return undefined;
    }
    case 'SystemCallFilter':
      applySyscallFilter(settings, value);
      return undefined;
    case 'DeviceAllow':
      applyDeviceAllow(settings, value, expand);
      return undefined;
    case 'IPAddressAllow':
    case 'IPAddressDeny': {
      const key = directive === 'IPAddressAllow' ? 'ipAddressAllow' : 'ipAddressDeny';
      if (value === '') {
        settings[key] = [];
        return undefined;
      }
      for (const word of splitWords(value, false).words) {
        const prefixes = addressKeywordPrefixes(word) ?? [parseAddressPrefix(word)];
        for (const prefix of prefixes) if (prefix) settings[key].push(prefix);
      }
      return undefined;
    }
    case 'IPIngressFilterPath':
    case 'IPEgressFilterPath': {
      const key = directive === 'IPIngressFilterPath' ? 'ipIngressFilters' : 'ipEgressFilters';
      if (value === '') {
        settings[key] = [];
        return undefined;
      }
      const checked = simplifyPath(expand(value), true);
      if ('path' in checked) settings[key].push(checked.path);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** config_parse_capability_set: a fresh or `""` line replaces the set, later lines merge. */
function mergeCapabilities(current: bigint, value: string, initial: bigint): bigint {
  const invert = value.startsWith('~');
  const { words } = splitWords(invert ? value.slice(1) : value, true);
  let sum = 0n;
  for (const word of words) {
    const capability = capabilityFromName(word);
    if (capability !== undefined) sum |= 1n << BigInt(capability);
  }
  if (sum === 0n || current === initial) return invert ? ~sum & ALL_CAPABILITY_BITS : sum;
  return invert ? current & ~sum : current | sum;
}

/**
 * The capabilities a `CapabilityBoundingSet=` or `AmbientCapabilities=` setting ends up with
 * after its lines merge (before anything other settings drop), as `CAP_` names.
 */
export function capabilitiesAfter(directive: 'CapabilityBoundingSet' | 'AmbientCapabilities', lines: readonly string[]): string[] {
  const initial = directive === 'CapabilityBoundingSet' ? ALL_CAPABILITY_BITS : 0n;
  let set = initial;
  for (const line of lines) set = mergeCapabilities(set, stripValue(line), initial);
  return CAPABILITY_NAMES.filter((_, index) => (set & (1n << BigInt(index))) !== 0n).map((name) => `CAP_${name}`);
}

/** config_parse_restrict_namespaces: booleans replace, a first list sets, later lists merge. */
function mergeNamespaces(current: number, value: string): number {
  if (value === '') return NAMESPACES_INITIAL;
  const parsed = parseBoolean(value);
  if (parsed !== undefined) return parsed ? 0 : ALL_NAMESPACES;
  const invert = value.startsWith('~');
  let flags = 0;
  const { words, complete } = splitWords(invert ? value.slice(1) : value, false);
  if (!complete) return current;
  for (const word of words) {
    if (!(NAMESPACE_TYPES as readonly string[]).includes(word)) return current; // the whole line is ignored
    flags |= namespaceBit(word as NamespaceType);
  }
  if (current === NAMESPACES_INITIAL) return invert ? ~flags & ALL_NAMESPACES : flags;
  return invert ? current & ~flags : current | flags;
}

/** config_parse_address_families: `none` denies all, the first list after a reset picks allow or deny. */
function applyAddressFamilies(settings: ServiceSettings, value: string): void {
  if (value === '' || value === 'none') {
    settings.addressFamilies = { allowList: value === 'none', families: undefined };
    return;
  }
  const invert = value.startsWith('~');
  const filter = settings.addressFamilies;
  if (filter.families === undefined) {
    filter.families = new Set();
    filter.allowList = !invert;
  }
  for (const word of splitWords(invert ? value.slice(1) : value, true).words) {
    const family = ADDRESS_FAMILIES.get(word.toUpperCase());
    if (family === undefined) continue;
    if (!invert === filter.allowList) filter.families.add(family);
    else filter.families.delete(family);
  }
}

/** config_parse_syscall_filter: the first line decides allow or deny; allow lists start with @default. */
function applySyscallFilter(settings: ServiceSettings, value: string): void {
  settings.syscallFilter = value === '' ? undefined : nextSyscallFilter(settings.syscallFilter, value);
}

/** A system call filter; never changed once made, since it is cached (see `nextSyscallFilter`). */
interface SyscallFilter {
  readonly allowList: boolean;
  readonly names: ReadonlySet<string>;
  /** The filters one more line makes of this one, by line. */
  readonly next: Map<string, SyscallFilter>;
  /** The badness of each `SystemCallFilter=~@group` check, once computed. */
  readonly groupBadness: Map<string, number>;
}

/**
 * Filters by their lines: the same few (a sandbox's `@system-service`, `~@privileged`,
 * `~@resources`) are scored for every service and for each variant of a fix, and expanding their
 * groups into sets was most of the cost of a score. Emptied when it has grown past the limit.
 */
const firstSyscallFilters = new Map<string, SyscallFilter>();
let cachedSyscallFilters = 0;
const CACHED_SYSCALL_FILTER_LIMIT = 64;

/** The filter after one more non-empty `SystemCallFilter=` line (the first when `filter` is undefined). */
function nextSyscallFilter(filter: SyscallFilter | undefined, value: string): SyscallFilter {
  const cache = filter === undefined ? firstSyscallFilters : filter.next;
  let next = cache.get(value);
  if (next === undefined) {
    const invert = value.startsWith('~');
    const names = new Set<string>(filter === undefined ? (invert ? [] : (expandSyscallName('@default') ?? [])) : filter.names);
    next = { allowList: filter === undefined ? !invert : filter.allowList, names, next: new Map(), groupBadness: new Map() };
    addSyscallFilterLine(next.allowList, names, value);
    if (cachedSyscallFilters >= CACHED_SYSCALL_FILTER_LIMIT) {
      firstSyscallFilters.clear();
      cachedSyscallFilters = 0;
    }
    cache.set(value, next);
    cachedSyscallFilters++;
  }
  return next;
}

/** One non-empty `SystemCallFilter=` line applied to the names of a filter being made. */
function addSyscallFilterLine(allowList: boolean, filterNames: Set<string>, value: string): void {
  const invert = value.startsWith('~');
  for (const word of splitWords(invert ? value.slice(1) : value, false).words) {
    const colon = word.indexOf(':');
    const name = colon < 0 ? word : word.slice(0, colon);
    if (colon >= 0) {
      // An errno suffix is refused in allow lists and must name a valid errno in deny lists.
      const errno = word.slice(colon + 1);
      const number = /^[0-9]+$/.test(errno) ? Number(errno) : undefined;
      if (!invert || !(ERRNO_NAMES.has(errno) || (number !== undefined && number <= 4095))) continue;
    }
    const names = expandSyscallName(name);
    if (!names) continue;
    const adding = !invert === allowList;
    for (const syscall of names) {
      if (adding) filterNames.add(syscall);
      else filterNames.delete(syscall);
    }
  }
}

/** config_parse_device_allow: `/dev/...` nodes or `char-`/`block-` classes, rights within `rwm`. */
function applyDeviceAllow(settings: ServiceSettings, value: string, expand: (text: string) => string): void {
  if (value === '') {
    settings.deviceAllow = [];
    return;
  }
  const first = splitFirstWord(value, true);
  if (!first) return;
  const device = expand(first.word);
  const rights = stripValue(first.rest);
  if (!/^(char|block)-/.test(device)) {
    const checked = simplifyPath(device, false);
    if ('error' in checked) return;
    if (!pathStartsWith(checked.path, '/dev') && !pathStartsWith(checked.path, '/run/systemd/inaccessible')) return;
  }
  if (!/^[rwm]*$/.test(rights)) return;
  settings.deviceAllow.push(device);
}

/** config_parse_mount_images: pairs `source:destination[:options]`; empty resets. */
function applyMountImages(settings: ServiceSettings, value: string): void {
  if (value === '') {
    settings.mountImages = 0;
    return;
  }
  for (const word of splitWords(value, true).words) {
    const [source, destination] = word.split(':');
    if (source && destination && source.replace(/^-/, '').startsWith('/') && destination.startsWith('/')) settings.mountImages++;
  }
}

/** unit_patch_contexts: what systemd turns on or drops because of other settings. */
function applyImpliedSettings(settings: ServiceSettings, unit: UnitName): void {
  if (settings.dynamicUser) {
    if (settings.user === undefined) settings.user = isStrictUserName(unit.prefix) ? unit.prefix : `_du-${unit.prefix}`;
    settings.privateTmp = true;
    settings.removeIpc = true;
    settings.protectSystem = 'strict';
    if (settings.protectHome === 'no') settings.protectHome = 'read-only';
    settings.noNewPrivileges = true;
    settings.restrictSuidSgid = true;
  }
  if (settings.privateDevices) settings.capabilityBoundingSet &= ~capabilityMask('MKNOD', 'SYS_RAWIO');
  if (settings.protectKernelModules) settings.capabilityBoundingSet &= ~capabilityMask('SYS_MODULE');
  if (settings.protectKernelLogs) settings.capabilityBoundingSet &= ~capabilityMask('SYSLOG');
  if (settings.protectClock) settings.capabilityBoundingSet &= ~capabilityMask('SYS_TIME', 'WAKE_ALARM');
  if (settings.privateDevices && settings.devicePolicy === 'auto') settings.devicePolicy = 'closed';
  // Images need loop and device-mapper nodes, which systemd adds once devices are restricted.
  if ((settings.rootImage !== undefined || settings.mountImages > 0) && (settings.devicePolicy !== 'auto' || settings.deviceAllow.length > 0)) {
    settings.deviceAllow.push('/dev/loop-control', '/dev/mapper/control', 'block-loop', 'block-blkext', 'block-device-mapper');
  }
  // ProtectClock= keeps read access to the real-time clock.
  if (settings.protectClock) settings.deviceAllow.push('char-rtc');
}

// ---------------------------------------------------------------------------------------------
// The checks

interface CheckDefinition {
  readonly id: string;
  readonly description: string;
  readonly directives: readonly string[];
  readonly weight: number;
  readonly range: number;
  /** PrivateTmp= and three others do not apply to early-boot services (DefaultDependencies=no). */
  readonly needsDefaultDependencies?: boolean;
  /** Badness in [0, range], or null when not applicable. */
  readonly assess: (settings: ServiceSettings) => number | null;
}

function runsPrivileged(settings: ServiceSettings): boolean {
  if (settings.user === 'root' || settings.user === '0') return true;
  if (settings.dynamicUser) return false;
  return settings.user === undefined || settings.user === '';
}

function flag(bad: boolean): number {
  return bad ? 1 : 0;
}

function booleanCheck(id: string, weight: number, description: string, read: (settings: ServiceSettings) => boolean, extra: Partial<CheckDefinition> = {}): CheckDefinition {
  return { id: `${id}=`, description, directives: [id], weight, range: 1, assess: (settings) => flag(!read(settings)), ...extra };
}

function capabilityCheck(label: string, weight: number, description: string, names: string[], implyingDirectives: string[] = []): CheckDefinition {
  const mask = capabilityMask(...names);
  return {
    id: `CapabilityBoundingSet=~${label}`,
    description,
    directives: ['CapabilityBoundingSet', ...implyingDirectives],
    weight,
    range: 1,
    assess: (settings) => flag((settings.capabilityBoundingSet & mask) !== 0n),
  };
}

function namespaceCheck(type: NamespaceType, weight: number, description: string): CheckDefinition {
  const bit = namespaceBit(type);
  return {
    id: `RestrictNamespaces=~${type}`,
    description,
    directives: ['RestrictNamespaces'],
    weight,
    range: 1,
    assess: (settings) => flag(settings.restrictNamespaces === NAMESPACES_INITIAL || (settings.restrictNamespaces & bit) !== 0),
  };
}

/** Whether a family bucket is still allowed: only families the list names change their bucket. */
function addressFamilyCheck(label: string, weight: number, description: string, inBucket: (family: number) => boolean): CheckDefinition {
  return {
    id: `RestrictAddressFamilies=~${label}`,
    description,
    directives: ['RestrictAddressFamilies'],
    weight,
    range: 1,
    assess: (settings) => {
      const filter = settings.addressFamilies;
      const named = [...(filter.families ?? [])].some(inBucket);
      // An allow list restricts the bucket unless it names one of its families; a deny list
      // restricts it as soon as it names one.
      return flag(filter.allowList ? named : !named);
    },
  };
}

function syscallGroupCheck(group: string, weight: number, description: string): CheckDefinition {
  const members = (expandSyscallName(group) ?? []).filter((name) => !UNAVAILABLE_SYSCALLS.has(name));
  return {
    id: `SystemCallFilter=~${group}`,
    description,
    directives: ['SystemCallFilter'],
    weight,
    range: 10,
    assess: (settings) => {
      const filter = settings.syscallFilter;
      if (filter === undefined || (!filter.allowList && filter.names.size === 0)) return 10;
      // Filters are cached and never change (see `nextSyscallFilter`), so neither does this.
      let badness = filter.groupBadness.get(group);
      if (badness === undefined) {
        if (filter.allowList) badness = members.some((name) => filter.names.has(name)) ? 9 : 0;
        else badness = members.every((name) => filter.names.has(name)) ? 0 : 10;
        filter.groupBadness.set(group, badness);
      }
      return badness;
    },
  };
}

const isInet = (family: number): boolean => family === AF_INET || family === AF_INET6;
const isOtherFamily = (family: number): boolean => ![AF_INET, AF_INET6, AF_UNIX, AF_NETLINK, AF_PACKET].includes(family);

/** systemd 252's checks, in its order. */
export const EXPOSURE_CHECKS: readonly CheckDefinition[] = [
  {
    id: 'User=/DynamicUser=',
    description: 'runs as root (or as `nobody`, shared with unrelated services)',
    directives: ['User', 'DynamicUser'],
    weight: 2000,
    range: 10,
    assess: (settings) => {
      if (settings.user === 'nobody') return 9;
      if (settings.dynamicUser && settings.user !== '0' && settings.user !== 'root') return 0;
      if (settings.user !== undefined && !['0', 'root', ''].includes(settings.user)) return 0;
      return 10;
    },
  },
  {
    id: 'SupplementaryGroups=',
    description: 'gains the rights of extra groups',
    directives: ['SupplementaryGroups'],
    weight: 200,
    range: 1,
    assess: (settings) => (runsPrivileged(settings) ? null : flag(settings.supplementaryGroups.length > 0)),
  },
  booleanCheck('PrivateDevices', 1000, 'may access hardware devices in /dev', (s) => s.privateDevices),
  booleanCheck('PrivateMounts', 1000, 'may mount file systems visible to the whole host', (s) => s.privateMounts),
  booleanCheck('PrivateNetwork', 2500, "uses the host's network", (s) => s.privateNetwork),
  booleanCheck('PrivateTmp', 1000, "shares /tmp and /var/tmp with other services' files", (s) => s.privateTmp, {
    needsDefaultDependencies: true,
    directives: ['PrivateTmp', 'DynamicUser'],
  }),
  booleanCheck('PrivateUsers', 1000, 'sees every user and group of the host', (s) => s.privateUsers),
  booleanCheck('ProtectControlGroups', 1000, 'may write to the control group file system', (s) => s.protectControlGroups),
  booleanCheck('ProtectKernelModules', 1000, 'may load kernel modules or read them', (s) => s.protectKernelModules),
  booleanCheck('ProtectKernelTunables', 1000, 'may change kernel settings in /proc/sys and /sys', (s) => s.protectKernelTunables),
  booleanCheck('ProtectKernelLogs', 1000, 'may read and write the kernel log buffer', (s) => s.protectKernelLogs),
  booleanCheck('ProtectClock', 1000, 'may set the system or hardware clock', (s) => s.protectClock),
  {
    id: 'ProtectHome=',
    description: 'may read (or write) /home, /root and /run/user',
    directives: ['ProtectHome', 'DynamicUser'],
    weight: 1000,
    range: 10,
    needsDefaultDependencies: true,
    assess: (settings) => ({ yes: 0, tmpfs: 1, 'read-only': 5, no: 10 })[settings.protectHome],
  },
  booleanCheck('ProtectHostname', 50, 'may change the host and domain name', (s) => s.protectHostname),
  {
    id: 'ProtectSystem=',
    description: 'may write to /usr, /boot and /etc',
    directives: ['ProtectSystem', 'DynamicUser'],
    weight: 1000,
    range: 10,
    needsDefaultDependencies: true,
    assess: (settings) => ({ strict: 0, full: 3, yes: 5, no: 10 })[settings.protectSystem],
  },
  {
    id: 'RootDirectory=/RootImage=',
    description: "runs in the host's root file system",
    directives: ['RootDirectory', 'RootImage'],
    weight: 200,
    range: 1,
    needsDefaultDependencies: true,
    assess: (settings) => flag([settings.rootDirectory, settings.rootImage].every((path) => path === undefined || path === '' || path === '/')),
  },
  booleanCheck('LockPersonality', 100, 'may switch its execution domain (personality)', (s) => s.lockPersonality),
  booleanCheck('MemoryDenyWriteExecute', 100, 'may create memory that is both writable and executable', (s) => s.memoryDenyWriteExecute),
  booleanCheck('NoNewPrivileges', 1000, 'may gain privileges through setuid binaries or file capabilities', (s) => s.noNewPrivileges, {
    directives: ['NoNewPrivileges', 'DynamicUser'],
  }),
  capabilityCheck('CAP_SYS_ADMIN', 1500, 'keeps CAP_SYS_ADMIN: mounts, namespaces, most admin operations', ['SYS_ADMIN']),
  capabilityCheck('CAP_SET(UID|GID|PCAP)', 1500, 'may switch to any user or group identity', ['SETUID', 'SETGID', 'SETPCAP']),
  capabilityCheck('CAP_SYS_PTRACE', 1500, 'may trace and inspect any process', ['SYS_PTRACE']),
  capabilityCheck('CAP_SYS_TIME', 1000, 'may set the system clock', ['SYS_TIME'], ['ProtectClock']),
  capabilityCheck('CAP_NET_ADMIN', 1000, 'may reconfigure interfaces, routes and firewalls', ['NET_ADMIN']),
  capabilityCheck('CAP_SYS_RAWIO', 1000, 'may do raw I/O on devices and ports', ['SYS_RAWIO'], ['PrivateDevices']),
  capabilityCheck('CAP_SYS_MODULE', 1000, 'may load kernel modules', ['SYS_MODULE'], ['ProtectKernelModules']),
  capabilityCheck('CAP_AUDIT_*', 500, 'may read, write or configure the audit log', ['AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE']),
  capabilityCheck('CAP_SYSLOG', 500, 'may use the kernel log with privileges', ['SYSLOG'], ['ProtectKernelLogs']),
  capabilityCheck('CAP_SYS_(NICE|RESOURCE)', 500, 'may raise priorities and override resource limits', ['SYS_NICE', 'SYS_RESOURCE']),
  capabilityCheck('CAP_MKNOD', 500, 'may create device nodes', ['MKNOD'], ['PrivateDevices']),
  capabilityCheck('CAP_(CHOWN|FSETID|SETFCAP)', 1000, 'may change file owners, modes and capabilities freely', ['CHOWN', 'FSETID', 'SETFCAP']),
  capabilityCheck('CAP_(DAC_*|FOWNER|IPC_OWNER)', 1000, 'may bypass file and IPC permission checks', ['DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'IPC_OWNER']),
  capabilityCheck('CAP_KILL', 500, "may signal any user's processes", ['KILL']),
  capabilityCheck('CAP_NET_(BIND_SERVICE|BROADCAST|RAW)', 500, 'may bind low ports and use raw or broadcast sockets', ['NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW']),
  capabilityCheck('CAP_SYS_BOOT', 100, 'may reboot the machine or load a new kernel', ['SYS_BOOT']),
  capabilityCheck('CAP_MAC_*', 100, 'may override or configure mandatory access control', ['MAC_ADMIN', 'MAC_OVERRIDE']),
  capabilityCheck('CAP_LINUX_IMMUTABLE', 75, 'may set immutable and append-only file flags', ['LINUX_IMMUTABLE']),
  capabilityCheck('CAP_IPC_LOCK', 50, 'may lock memory', ['IPC_LOCK']),
  capabilityCheck('CAP_SYS_CHROOT', 50, 'may call chroot()', ['SYS_CHROOT']),
  capabilityCheck('CAP_BLOCK_SUSPEND', 25, 'may keep the system from suspending', ['BLOCK_SUSPEND']),
  capabilityCheck('CAP_WAKE_ALARM', 25, 'may set timers that wake the system', ['WAKE_ALARM'], ['ProtectClock']),
  capabilityCheck('CAP_LEASE', 25, 'may take leases on files it does not own', ['LEASE']),
  capabilityCheck('CAP_SYS_TTY_CONFIG', 25, 'may configure terminals and call vhangup()', ['SYS_TTY_CONFIG']),
  capabilityCheck('CAP_SYS_PACCT', 25, 'may turn process accounting on and off', ['SYS_PACCT']),
  capabilityCheck('CAP_BPF', 25, 'may load BPF programs', ['BPF']),
  {
    id: 'UMask=',
    description: 'creates files other users can read or write',
    directives: ['UMask'],
    weight: 100,
    range: 10,
    assess: ({ umask }) => {
      if ((umask & 0o002) === 0) return 10;
      if ((umask & 0o004) === 0) return 5;
      if ((umask & 0o020) === 0) return 2;
      if ((umask & 0o040) === 0) return 1;
      return 0;
    },
  },
  {
    id: 'KeyringMode=',
    description: 'shares its kernel keyring with other services',
    directives: ['KeyringMode'],
    weight: 1000,
    range: 1,
    assess: (settings) => flag(settings.keyringMode !== 'private'),
  },
  {
    id: 'ProtectProc=',
    description: "sees every process in /proc, with the owners' details",
    directives: ['ProtectProc'],
    weight: 1000,
    range: 3,
    assess: ({ protectProc }) => (protectProc === 'noaccess' ? 1 : protectProc === 'invisible' || protectProc === 'ptraceable' ? 0 : 3),
  },
  {
    id: 'ProcSubset=',
    description: 'sees the kernel and system files of /proc, not just processes',
    directives: ['ProcSubset'],
    weight: 10,
    range: 1,
    assess: (settings) => flag(settings.procSubset !== 'pid'),
  },
  {
    id: 'NotifyAccess=',
    description: "lets any child process change the service's state",
    directives: ['NotifyAccess'],
    weight: 1000,
    range: 1,
    assess: (settings) => flag(settings.notifyAccess === 'all'),
  },
  {
    id: 'RemoveIPC=',
    description: 'may leave System V IPC objects behind after it stops',
    directives: ['RemoveIPC', 'DynamicUser'],
    weight: 100,
    range: 1,
    assess: (settings) => (runsPrivileged(settings) ? null : flag(!settings.removeIpc)),
  },
  {
    id: 'Delegate=',
    description: 'manages its own control group subtree',
    directives: ['Delegate'],
    weight: 100,
    range: 1,
    assess: (settings) => flag(settings.delegate),
  },
  booleanCheck('RestrictRealtime', 500, 'may take realtime scheduling and starve the system', (s) => s.restrictRealtime),
  booleanCheck('RestrictSUIDSGID', 1000, 'may create setuid and setgid files', (s) => s.restrictSuidSgid, { directives: ['RestrictSUIDSGID', 'DynamicUser'] }),
  namespaceCheck('user', 1500, 'may create user namespaces'),
  namespaceCheck('mnt', 500, 'may create mount namespaces'),
  namespaceCheck('ipc', 500, 'may create IPC namespaces'),
  namespaceCheck('pid', 500, 'may create process namespaces'),
  namespaceCheck('cgroup', 500, 'may create cgroup namespaces'),
  namespaceCheck('net', 500, 'may create network namespaces'),
  namespaceCheck('uts', 100, 'may create hostname namespaces'),
  addressFamilyCheck('AF_(INET|INET6)', 1500, 'may open Internet sockets', isInet),
  addressFamilyCheck('AF_UNIX', 25, 'may open local (UNIX) sockets', (family) => family === AF_UNIX),
  addressFamilyCheck('AF_NETLINK', 200, 'may open netlink sockets to talk to the kernel', (family) => family === AF_NETLINK),
  addressFamilyCheck('AF_PACKET', 1000, 'may open packet sockets and sniff the network', (family) => family === AF_PACKET),
  addressFamilyCheck('…', 1250, 'may open sockets of rarely used protocols', isOtherFamily),
  {
    id: 'SystemCallArchitectures=',
    description: 'may make system calls through other ABIs (such as 32-bit x86)',
    directives: ['SystemCallArchitectures'],
    weight: 1000,
    range: 10,
    assess: ({ syscallArchitectures }) => {
      if (syscallArchitectures.size === 0) return 10;
      return syscallArchitectures.size === 1 && syscallArchitectures.has('native') ? 0 : 8;
    },
  },
  syscallGroupCheck('@swap', 1000, 'may turn swap space on and off'),
  syscallGroupCheck('@obsolete', 250, 'may use obsolete system calls'),
  syscallGroupCheck('@clock', 1000, 'may call the clock-setting system calls'),
  syscallGroupCheck('@cpu-emulation', 250, 'may call the CPU emulation system calls'),
  syscallGroupCheck('@debug', 1000, 'may call the debugging and tracing system calls'),
  syscallGroupCheck('@mount', 1000, 'may call the mount system calls'),
  syscallGroupCheck('@module', 1000, 'may call the kernel module system calls'),
  syscallGroupCheck('@raw-io', 1000, 'may call the raw I/O port system calls'),
  syscallGroupCheck('@reboot', 1000, 'may call the reboot and kexec system calls'),
  syscallGroupCheck('@privileged', 700, 'may call the system calls that need root'),
  syscallGroupCheck('@resources', 700, 'may call the system calls that change resource limits'),
  {
    id: 'IPAddressDeny=',
    description: 'may reach any IP address',
    directives: ['IPAddressDeny', 'IPAddressAllow'],
    weight: 1000,
    range: 10,
    assess: (settings) => {
      if (settings.ipIngressFilters.length > 0 || settings.ipEgressFilters.length > 0) return 0;
      const deniesAll = (family: 4 | 6): boolean => settings.ipAddressDeny.some((prefix) => prefix.family === family && prefix.length === 0);
      if (!deniesAll(4) || !deniesAll(6)) return 10;
      if (settings.ipAddressAllow.some((prefix) => !isLocalhostAddress(prefix))) return 5;
      if (settings.ipAddressAllow.length > 0) return 2;
      return 0;
    },
  },
  {
    id: 'DeviceAllow=',
    description: 'may open any device node it can see',
    directives: ['DevicePolicy', 'DeviceAllow', 'PrivateDevices'],
    weight: 1000,
    range: 10,
    assess: ({ devicePolicy, deviceAllow }) => {
      if (devicePolicy !== 'strict' && devicePolicy !== 'closed') return 10;
      return deviceAllow.length > 0 ? 5 : 0;
    },
  },
  {
    id: 'AmbientCapabilities=',
    description: 'starts with ambient capabilities',
    directives: ['AmbientCapabilities'],
    weight: 500,
    range: 1,
    assess: (settings) => flag(settings.ambientCapabilities !== 0n),
  },
];

/** Every directive that can change the score: a caller that cannot read one cannot trust the score. */
export const SCORED_DIRECTIVES: ReadonlySet<string> = new Set([
  ...EXPOSURE_CHECKS.flatMap((check) => check.directives),
  'MountImages',
  'IPIngressFilterPath',
  'IPEgressFilterPath',
]);

// ---------------------------------------------------------------------------------------------
// Scoring

const LABELS: readonly (readonly [number, ExposureLabel])[] = [
  [100, 'DANGEROUS'],
  [90, 'UNSAFE'],
  [75, 'EXPOSED'],
  [50, 'MEDIUM'],
  [10, 'OK'],
  [1, 'SAFE'],
  [0, 'PERFECT'],
];

export function exposureLabel(exposure: number): ExposureLabel {
  for (const [threshold, label] of LABELS) if (exposure >= threshold) return label;
  return 'PERFECT';
}

/** systemd's notation: 96 → `9.6`. */
export function exposureText(exposure: number): string {
  return `${Math.floor(exposure / 10)}.${exposure % 10}`;
}

function divideRoundingUp(numerator: number, denominator: number): number {
  return Math.ceil(numerator / denominator);
}

/** Reads the unit's settings as systemd 252 would and scores them as `systemd-analyze security` does. */
export function assessExposure(unit: ServiceUnit): ExposureResult {
  const approximations: string[] = [];
  const settings = readSettings(unit, approximations);
  if (settings instanceof Refusal) return { kind: 'refused', directive: settings.directive, value: settings.value, reason: settings.reason };
  const badness = EXPOSURE_CHECKS.map((check) => badnessOf(check, settings));
  let badnessSum = 0;
  let weightSum = 0;
  for (let index = 0; index < EXPOSURE_CHECKS.length; index++) {
    const check = EXPOSURE_CHECKS[index];
    const checkBadness = badness[index];
    if (checkBadness === null) continue;
    badnessSum += divideRoundingUp(checkBadness * check.weight, check.range);
    weightSum += check.weight;
  }
  const exposure = divideRoundingUp(badnessSum * 100, weightSum);
  let checks: ExposureCheck[] | undefined;
  return {
    kind: 'score',
    exposure,
    text: exposureText(exposure),
    label: exposureLabel(exposure),
    // The breakdown, which only a hover reads, is built when first read: rules score every service.
    get checks(): readonly ExposureCheck[] {
      checks ??= EXPOSURE_CHECKS.map((check, index): ExposureCheck => checkOf(check, badness[index], weightSum));
      return checks;
    },
    approximations,
  };
}

function checkOf(check: CheckDefinition, badness: number | null, weightSum: number): ExposureCheck {
  return {
    id: check.id,
    description: check.description,
    directives: check.directives,
    weight: check.weight,
    range: check.range,
    badness,
    exposure: badness === null || badness === 0 ? 0 : divideRoundingUp(divideRoundingUp(badness * check.weight * 100, check.range), weightSum),
    contribution: badness === null ? 0 : divideRoundingUp(badness * check.weight, check.range),
  };
}

/**
 * The exposure `assessExposure` scores, without its per-check breakdown: for comparing variants
 * of a unit (a fix's sandbox), where only the number counts. Undefined when the unit is refused.
 */
export function exposureOf(unit: ServiceUnit): number | undefined {
  const settings = readSettings(unit, []);
  if (settings instanceof Refusal) return undefined;
  let badnessSum = 0;
  let weightSum = 0;
  for (let index = 0; index < EXPOSURE_CHECKS.length; index++) {
    const check = EXPOSURE_CHECKS[index];
    const badness = badnessOf(check, settings);
    if (badness === null) continue;
    badnessSum += divideRoundingUp(badness * check.weight, check.range);
    weightSum += check.weight;
  }
  return divideRoundingUp(badnessSum * 100, weightSum);
}

/** The unit's settings after all its lines and what they imply, or the line systemd refuses. */
function readSettings(unit: ServiceUnit, approximations: string[]): ServiceSettings | Refusal {
  const name = unitNameParts(unit.name ?? 'service.service');
  const settings = defaultSettings();
  for (const [directive, values] of unit.service) {
    for (const value of values) {
      const refusal = applyServiceLine(settings, directive, value, name, approximations);
      if (refusal) return refusal;
    }
  }
  for (const value of unit.unit?.get('DefaultDependencies') ?? []) {
    const parsed = parseBoolean(stripValue(value));
    if (parsed !== undefined) settings.defaultDependencies = parsed;
  }
  applyImpliedSettings(settings, name);
  return settings;
}

function badnessOf(check: CheckDefinition, settings: ServiceSettings): number | null {
  return check.needsDefaultDependencies && !settings.defaultDependencies ? null : check.assess(settings);
}

/** The checks that cost the most, largest first (ties in systemd's order). */
export function topContributors(score: ExposureScore, count: number): ExposureCheck[] {
  return [...score.checks]
    .filter((check) => check.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, count);
}

// How systemd 252 reads the values of unit file settings: booleans, word lists (with or
// without quote removal), octal modes, paths, IP address prefixes, user names and `%`
// specifiers. The exposure engine (systemd-exposure.ts) uses these to rebuild the settings a
// unit ends up with exactly as systemd would, including what it silently ignores: an exposure
// score is only right if `PrivateTmp="yes"` (ignored: the quotes make it no boolean) and
// `PrivateTmp=YES` (accepted) come out as systemd decides. Every rule here was checked
// against `systemd-analyze security --offline` (test/analysis/systemd-exposure.test.ts).

/** systemd's WHITESPACE: what it strips around values and splits words on. */
const WHITESPACE = ' \t\n\r';

export function stripValue(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && WHITESPACE.includes(value[start])) start++;
  while (end > start && WHITESPACE.includes(value[end - 1])) end--;
  return value.slice(start, end);
}

/** parse_boolean: yes/no, y/n, true/false, t/f, on/off, 1/0, in any case; undefined otherwise. */
export function parseBoolean(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (['1', 'yes', 'y', 'true', 't', 'on'].includes(lower)) return true;
  if (['0', 'no', 'n', 'false', 'f', 'off'].includes(lower)) return false;
  return undefined;
}

/**
 * extract_first_word over a whole value: words split on whitespace. With `unquote`, single and
 * double quotes group and are removed; a backslash always takes the next character literally.
 * `complete` is false when the value ends inside quotes or after a lone backslash: systemd
 * then keeps the words before the bad one and ignores the rest.
 */
export function splitWords(value: string, unquote: boolean): { words: string[]; complete: boolean } {
  const words: string[] = [];
  let index = 0;
  for (;;) {
    const next = readWord(value, index, unquote);
    if (next === 'end') return { words, complete: true };
    if (next === 'invalid') return { words, complete: false };
    words.push(next.word);
    index = next.end;
  }
}

/** The first word and the text after it, or undefined when there is none or it is malformed. */
export function splitFirstWord(value: string, unquote: boolean): { word: string; rest: string } | undefined {
  const next = readWord(value, 0, unquote);
  return typeof next === 'string' ? undefined : { word: next.word, rest: value.slice(next.end) };
}

function readWord(value: string, from: number, unquote: boolean): { word: string; end: number } | 'end' | 'invalid' {
  let index = from;
  while (index < value.length && WHITESPACE.includes(value[index])) index++;
  if (index >= value.length) return 'end';
  {
    let word = '';
    let quote = '';
    for (; index < value.length; index++) {
      const character = value[index];
      if (character === '\\') {
        if (index + 1 >= value.length) return 'invalid';
        word += value[++index];
      } else if (quote) {
        if (character === quote) quote = '';
        else word += character;
      } else if (unquote && (character === '"' || character === "'")) {
        quote = character;
      } else if (WHITESPACE.includes(character)) {
        break;
      } else {
        word += character;
      }
    }
    if (quote) return 'invalid';
    return { word, end: index };
  }
}

/** parse_mode: octal digits only, at most 07777. */
export function parseMode(value: string): number | undefined {
  if (!/^[0-7]+$/.test(value)) return undefined;
  const mode = parseInt(value, 8);
  return mode <= 0o7777 ? mode : undefined;
}

/** C's strtol with base 0 (`0x` hex, leading `0` octal), as safe_atoi reads numbers. */
export function parseCInteger(value: string): number | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(value);
  if (!match) return undefined;
  const digits = match[2];
  const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : parseInt(digits, 10);
  return match[1] === '-' ? -magnitude : magnitude;
}

export type PathCheck = { readonly path: string } | { readonly error: 'not absolute' | 'not normalized' };

/**
 * path_simplify_and_warn: merges slashes, drops `.` components and a trailing slash, then
 * refuses `..` components (and, when asked, relative paths).
 */
export function simplifyPath(value: string, requireAbsolute: boolean): PathCheck {
  const absolute = value.startsWith('/');
  if (requireAbsolute && !absolute) return { error: 'not absolute' };
  const components = value.split('/').filter((component) => component !== '' && component !== '.');
  if (components.includes('..')) return { error: 'not normalized' };
  const joined = components.join('/');
  return { path: absolute ? `/${joined}` : joined === '' ? '.' : joined };
}

/** Whether `path` lies at or below `prefix`, component-wise (path_startswith). */
export function pathStartsWith(path: string, prefix: string): boolean {
  const pathComponents = path.split('/').filter(Boolean);
  const prefixComponents = prefix.split('/').filter(Boolean);
  if (path.startsWith('/') !== prefix.startsWith('/')) return false;
  return prefixComponents.every((component, index) => pathComponents[index] === component);
}

/**
 * valid_user_group_name in the relaxed mode unit files use, numeric ids allowed: a valid uid
 * (not -1 and not 65535), or a name that is not all digits and has no `:`, `/`, control
 * characters or surrounding blanks and is not `.` or `..`.
 */
export function isValidUserOrGroup(name: string): boolean {
  if (name === '') return false;
  if (/^[0-9]+$/.test(name)) {
    const uid = Number(name);
    return uid <= 4294967294 && uid !== 65535;
  }
  if (/^\s|\s$/.test(name)) return false;
  if (/[:/\u0000-\u001f\u007f]/.test(name)) return false;
  return name !== '.' && name !== '..';
}

/** The strict name rules systemd applies to a unit-name-derived DynamicUser= name. */
export function isStrictUserName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) && name.length <= 31;
}

/** What a unit's name contributes to `%` specifiers. */
export interface UnitName {
  /** `foo@bar.service` */
  readonly full: string;
  /** `foo` */
  readonly prefix: string;
  /** `bar`, or empty for a non-template unit */
  readonly instance: string;
}

export function unitNameParts(full: string): UnitName {
  const withoutSuffix = full.replace(/\.[^.@]*$/, '');
  const at = withoutSuffix.indexOf('@');
  return at < 0 ? { full, prefix: withoutSuffix, instance: '' } : { full, prefix: withoutSuffix.slice(0, at), instance: withoutSuffix.slice(at + 1) };
}

/**
 * Expands the `%` specifiers whose value follows from the unit alone (the system manager runs
 * as root, so `%u` is `root`). `unknown` lists the host-dependent ones (`%H`, `%m`, ...),
 * left in place: the caller treats such a value as an ordinary string.
 */
export function expandSpecifiers(value: string, unit: UnitName): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  const withoutSuffix = unit.full.replace(/\.[^.@]*$/, '');
  const values: Record<string, string> = {
    '%': '%',
    n: unit.full,
    N: withoutSuffix,
    p: unit.prefix,
    P: unit.prefix,
    i: unit.instance,
    I: unit.instance,
    j: unit.prefix.slice(unit.prefix.lastIndexOf('-') + 1),
    J: unit.prefix.slice(unit.prefix.lastIndexOf('-') + 1),
    u: 'root',
    U: '0',
    g: 'root',
    G: '0',
  };
  const text = value.replace(/%(.?)/g, (match, letter: string) => {
    if (letter in values) return values[letter];
    unknown.push(match);
    return match;
  });
  return { text, unknown };
}

/** An address prefix as systemd stores it: the address masked to its length. */
export interface AddressPrefix {
  readonly family: 4 | 6;
  /** 4 or 16 bytes */
  readonly bytes: readonly number[];
  readonly length: number;
}

/** inet_pton for IPv4: four decimal parts, 0-255, no leading zeros. */
function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined;
    bytes.push(Number(part));
  }
  return bytes;
}

/** inet_pton for IPv6, with `::` and a trailing dotted IPv4 part. */
function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string, allowIpv4Tail: boolean): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    const bytes: number[] = [];
    for (let index = 0; index < groups.length; index++) {
      const group = groups[index];
      if (allowIpv4Tail && index === groups.length - 1 && group.includes('.')) {
        const ipv4 = parseIpv4(group);
        if (!ipv4) return undefined;
        bytes.push(...ipv4);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
        const value = parseInt(group, 16);
        bytes.push(value >> 8, value & 0xff);
      }
    }
    return bytes;
  };
  if (halves.length === 1) {
    const bytes = parseGroups(halves[0], true);
    return bytes && bytes.length === 16 ? bytes : undefined;
  }
  const head = parseGroups(halves[0], false);
  const tail = parseGroups(halves[1], true);
  if (!head || !tail || head.length + tail.length > 14) return undefined;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

function maskPrefix(family: 4 | 6, bytes: number[], length: number): AddressPrefix {
  const masked = bytes.map((byte, index) => {
    const bitsKept = Math.max(0, Math.min(8, length - index * 8));
    return byte & ((0xff << (8 - bitsKept)) & 0xff);
  });
  return { family, bytes: masked, length };
}

/** in_addr_prefix_from_string_auto: `address` or `address/length`, the address masked. */
export function parseAddressPrefix(text: string): AddressPrefix | undefined {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const ipv4 = parseIpv4(addressText);
  const family: 4 | 6 = ipv4 ? 4 : 6;
  const bytes = ipv4 ?? parseIpv6(addressText);
  if (!bytes) return undefined;
  const maximum = family === 4 ? 32 : 128;
  let length = maximum;
  if (slash >= 0) {
    const lengthText = text.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(lengthText) || Number(lengthText) > maximum) return undefined;
    length = Number(lengthText);
  }
  return maskPrefix(family, bytes, length);
}

/** The prefixes systemd's IPAddressAllow=/IPAddressDeny= keywords stand for. */
export function addressKeywordPrefixes(word: string): AddressPrefix[] | undefined {
  const prefixes = (texts: string[]): AddressPrefix[] => texts.map((text) => parseAddressPrefix(text) as AddressPrefix);
  if (word === 'any') return prefixes(['0.0.0.0/0', '::/0']);
  if (isLocalhostName(word)) return prefixes(['127.0.0.0/8', '::1/128']);
  if (word === 'link-local') return prefixes(['169.254.0.0/16', 'fe80::/64']);
  if (word === 'multicast') return prefixes(['224.0.0.0/4', 'ff00::/8']);
  return undefined;
}

/** is_localhost: `localhost` and its `.localdomain` and subdomain spellings, any case. */
function isLocalhostName(word: string): boolean {
  const lower = word.toLowerCase().replace(/\.$/, '');
  return lower === 'localhost' || lower === 'localhost.localdomain' || lower.endsWith('.localhost') || lower.endsWith('.localhost.localdomain');
}

/** in_addr_is_localhost: 127.0.0.0/8 for IPv4, exactly ::1 for IPv6. */
export function isLocalhostAddress(prefix: AddressPrefix): boolean {
  if (prefix.family === 4) return prefix.bytes[0] === 127;
  return prefix.bytes.slice(0, 15).every((byte) => byte === 0) && prefix.bytes[15] === 1;
}

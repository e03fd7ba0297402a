// What the secrets rules agree on: which attribute names hold a secret, which values are only a
// reference to one, what private key material looks like, and which files are tests (where
// throwaway passwords and snakeoil keys are the point, so findings there are only hints).
import { createPrivateKey, createPublicKey } from 'crypto';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { lastAttribute, staticAttributeName } from './attribute-names';
import { calleeName, flattenApplication } from './module-model';
import type { OptionDefinition } from './module-model';

/**
 * Endings (compared in lower case, with `_` and `-` ignored) of names whose value is the secret
 * itself: `password`, `initialPassword`, `api_token`, `GITHUB_TOKEN`, `wireless.networks.x.psk`.
 */
const SECRET_NAME_ENDINGS = ['password', 'passwd', 'secret', 'token', 'apikey', 'privatekey', 'psk', 'credentials', 'accesstokens'];
const SECRET_NAME_ENDINGS_BY_LAST_LETTER = byLastLetter(SECRET_NAME_ENDINGS);

/** Wrappers whose last argument is the value itself (`lib.mkDefault "x"` is `"x"`). */
/**
 * Whether the attribute name holds a secret value. Hashes are not secrets in this sense
 * (`hashedPassword`), and `_secret` is NixOS's convention for "read the value from this file".
 */
export function isSecretName(name: string): boolean {
  // Rules ask this of every binding: names that end in no secret word are answered without
  // building the normalized name.
  if (!normalizedMayEndWithAny(name, 0, name.length, SECRET_NAME_ENDINGS_BY_LAST_LETTER)) return false;
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  if (name === '_secret' || normalized.includes('hash')) return false;
  return SECRET_NAME_ENDINGS.some((ending) => normalized.endsWith(ending));
}

/**
 * Whether a string value refers to a secret rather than being one: an absolute path (`/run/…`,
 * `/var/lib/…`), an environment variable (`$TOKEN`, `${TOKEN}`, or its bare name
 * `OPENROUTER_API_KEY`, which some programs take), or a placeholder that a program or a start
 * script replaces at run time (`@password@`, `#token#`, `%SECRET%`, `{env:TOKEN}`, `{{ token }}`).
 */
export function isSecretReference(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return true;
  if (trimmed.startsWith('/') || trimmed.startsWith('$')) return true;
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(trimmed)) return true;
  return /^([@#%])[A-Za-z0-9_.-]+\1$/.test(trimmed) || /^\{[^{}]*\}$/.test(trimmed) || /^\{\{[^{}]*\}\}$/.test(trimmed);
}

/**
 * Whether the binding is part of an option's documentation example (`example = { … }`,
 * nixvim's `settingsExample`): an ancestor binding, or an earlier attribute of its own path,
 * is named `example` or ends in `Example`. Examples are rendered into the manual, not deployed.
 */
export function isInsideExample(table: SyntaxTable, binding: NodeId): boolean {
  return hasAncestorAttribute(table, binding, (name) => name.toLowerCase().endsWith('example'));
}


/**
 * Whether the file is a test by its path: a `test`/`tests` folder, or a name like `test.nix`,
 * `foo-test.nix`, `tests.nix`. NixOS VM tests and module tests there use throwaway passwords and
 * keys on purpose.
 */
export function isTestFilePath(path: string | undefined): boolean {
  if (path === undefined) return false;
  const parts = path.split(/[\\/]/);
  const fileName = parts.pop() ?? '';
  if (parts.some((part) => part === 'test' || part === 'tests')) return true;
  return /(^|[-_.])tests?([-_.]|$)/.test(fileName.replace(/\.nix$/, ''));
}

/**
 * The severity of a finding in test code, where throwaway passwords and snakeoil keys are the
 * point: `hint` in a test file (see `isTestFilePath`) or, for a finding about an option
 * definition, on a NixOS VM test's machine; otherwise undefined (the rule's own severity).
 */
export function testCodeSeverity(filePath: string | undefined, definition?: OptionDefinition): 'hint' | undefined {
  return isTestFilePath(filePath) || definition?.inTest ? 'hint' : undefined;
}

/** What `isSecretFileName` requires at the end of the normalized name: `(file|path|key)s?`. */
const FILE_NAME_ENDINGS = byLastLetter(['file', 'files', 'path', 'paths', 'key', 'keys']);

/**
 * The static name of a binding's last attribute when it may pass `isSecretName` or
 * `isSecretFileName` (see `mayNameSecret`): what the secret rules ask of every binding.
 */
export function secretCandidateName(table: SyntaxTable, binding: NodeId): string | undefined {
  const attr = lastAttribute(table, binding);
  if (attr === NO_NODE || !mayNameSecret(table, attr)) return undefined;
  return staticAttributeName(table, attr);
}

/**
 * Whether the static name of `attr` may pass `isSecretName` or `isSecretFileName`: a first test
 * on the text in place, with no string built, for rules that ask about every binding (almost all
 * of whose names end in no secret word). An identifier is read where it stands; other names
 * (strings) are not tested.
 */
export function mayNameSecret(table: SyntaxTable, attr: NodeId): boolean {
  if (table.kind(attr) !== Kind.Identifier) return true;
  const text = table.text;
  const start = table.start(attr);
  const end = table.end(attr);
  return normalizedMayEndWithAny(text, start, end, SECRET_NAME_ENDINGS_BY_LAST_LETTER) || normalizedMayEndWithAny(text, start, end, FILE_NAME_ENDINGS);
}

/**
 * Whether `text[start, end)` lower-cased and without `-` and `_` (as the name predicates compare
 * names) may end with one of `endings` (lower-case ASCII letters). Read backwards without building
 * that string or a closure; exact for ASCII, and true (may) when it meets another character,
 * whose lower case may differ in length or be ASCII (the Kelvin sign is `k`).
 */
function normalizedMayEndWithAny(text: string, start: number, end: number, endings: EndingsByLastLetter): boolean {
  let last = end - 1;
  while (last >= start && (text.charCodeAt(last) === 0x2d || text.charCodeAt(last) === 0x5f)) last--;
  if (last < start) return false;
  let code = text.charCodeAt(last);
  if (code >= 0x80) return true;
  if (code >= 0x41 && code <= 0x5a) code += 0x20;
  // Only the endings with that last letter can match: for most names, none.
  const candidates = endings[code];
  if (candidates === undefined) return false;
  for (let i = 0; i < candidates.length; i++) if (normalizedMayEndWith(text, start, end, candidates[i])) return true;
  return false;
}

/** Endings (lower-case ASCII letters) by the char code of their last letter. */
type EndingsByLastLetter = readonly (readonly string[] | undefined)[];

function byLastLetter(endings: readonly string[]): EndingsByLastLetter {
  const table: string[][] = [];
  for (const ending of endings) (table[ending.charCodeAt(ending.length - 1)] ??= []).push(ending);
  return table;
}

function normalizedMayEndWith(text: string, start: number, end: number, ending: string): boolean {
  let index = end - 1;
  for (let at = ending.length - 1; at >= 0; at--, index--) {
    let code = index >= start ? text.charCodeAt(index) : -1;
    while (code === 0x2d || code === 0x5f) code = --index >= start ? text.charCodeAt(index) : -1;
    if (index < start) return false;
    if (code >= 0x80) return true;
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    if (code !== ending.charCodeAt(at)) return false;
  }
  return true;
}

/** Words that make a file-valued name secret-ish: `passwordFile`, `sslCertificateKey`, `environmentFile`. */
const SECRET_FILE_WORDS = ['password', 'passwd', 'secret', 'key', 'token', 'credential', 'environment', 'envfile', 'dotenv', 'psk', 'identit'];
/** Words that make it public after all: `publicKeyFile`, `authorizedKeys.keyFiles`. */
const PUBLIC_FILE_WORDS = ['public', 'pubkey', 'authorized', 'trusted', 'known'];

/** Whether an attribute name is about public keys (`publicKeyFile`, `authorizedKeys`, `knownHosts`). */
export function isPublicKeyName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  return PUBLIC_FILE_WORDS.some((word) => normalized.includes(word));
}

/**
 * Whether the attribute name takes a secret file: it ends in `File`, `Path`, `Key` (or their
 * plurals, in any case, ignoring `_`/`-`) and names a secret (`keyFile`, `passwordFile`,
 * `environmentFiles`, `secret-key-files`, `sslCertificateKey`), but no public key.
 */
export function isSecretFileName(name: string): boolean {
  if (!normalizedMayEndWithAny(name, 0, name.length, FILE_NAME_ENDINGS)) return false;
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  if (!/(file|path|key)s?$/.test(normalized)) return false;
  if (isPublicKeyName(name)) return false;
  return SECRET_FILE_WORDS.some((word) => normalized.includes(word));
}

/**
 * Whether a path's file name says it is not a secret to keep out of the store: Nix code
 * (`./test.nix` imported by name), a public key (`.pub`), or already encrypted (`.age`, `.gpg`).
 */
export function isHarmlessFileName(fileName: string): boolean {
  return /\.(nix|pub|age|gpg)$/i.test(fileName);
}

/**
 * The static attribute names from the outermost enclosing binding down to `binding`'s own last
 * attribute (`users.users.alice = { password = …; }` gives users, users, alice, password).
 * Dynamic names are skipped; `config`, `mkIf` and the like are not removed.
 */
export function enclosingAttributeNames(table: SyntaxTable, binding: NodeId): string[] {
  const names: string[] = [];
  for (let node = binding; node !== NO_NODE; node = table.parent(node)) {
    if (table.kind(node) !== Kind.Binding) continue;
    const attrpath = table.childByField(node, Field.Attrpath);
    if (attrpath === NO_NODE) continue;
    const attrs = table.childrenByField(attrpath, Field.Attr);
    for (let i = attrs.length - 1; i >= 0; i--) {
      const name = staticAttributeName(table, attrs[i]);
      if (name !== undefined) names.push(name);
    }
  }
  return names.reverse();
}

/** Whether any ancestor binding (or an earlier part of the binding's own path) matches `test`. */
export function hasAncestorAttribute(table: SyntaxTable, binding: NodeId, test: (name: string) => boolean): boolean {
  for (let node = binding; node !== NO_NODE; node = table.parent(node)) {
    if (table.kind(node) !== Kind.Binding) continue;
    const attrpath = table.childByField(node, Field.Attrpath);
    if (attrpath === NO_NODE) continue;
    const attrs = table.childrenByField(attrpath, Field.Attr);
    for (const attr of node === binding ? attrs.slice(0, -1) : attrs) {
      const name = staticAttributeName(table, attr);
      if (name !== undefined && test(name)) return true;
    }
  }
  return false;
}

/**
 * `key = value` / `key: value` lines of a configuration file whose key names a secret. `passwd`
 * is left out (in nsswitch.conf `passwd: files` names a database), as are values that are
 * references (see `isSecretReference`), booleans and numbers, code (`f(…)`, `config.a.b`,
 * `=>`, `==`), and lines with `${…}`.
 */
const SECRET_ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?(["']?)([A-Za-z0-9_.-]*?(?:password|secret|token|api[_-]?key|private[_-]?key|psk|credentials))\1[ \t]*[:=](?![=>])[ \t]*(.*?)[ \t]*$/gim;
/** Values that are code rather than data: a call (`read_secret(…)`) or an attribute path (`config.x.y`). */
const CODE_VALUE = /^[A-Za-z_][\w.]*\(|^[a-z_]\w*(?:\.[\w-]+)+$/;
const NOT_A_SECRET_VALUE = /^(?:true|false|yes|no|on|off|null|none|~|-?\d+(?:\.\d+)?|\[\]|\{\})$/i;

export interface SecretAssignment {
  /** Offsets in the text searched: the key through the end of the value. */
  readonly start: number;
  readonly end: number;
  readonly key: string;
}

export function findSecretAssignments(text: string): SecretAssignment[] {
  const found: SecretAssignment[] = [];
  for (const match of text.matchAll(SECRET_ASSIGNMENT)) {
    const [line, quote, key, rawValue] = match;
    if (line.includes('${')) continue;
    // JSON and TOML-ish lines end in `,`; the separator is not part of the value.
    const valueText = rawValue.replace(/[ \t]*[,;]$/, '');
    const value = valueText.replace(/^(["'])(.*)\1$/, '$2');
    if (value === '' || NOT_A_SECRET_VALUE.test(value) || CODE_VALUE.test(value) || isSecretReference(value) || /[#;]/.test(value.charAt(0))) continue;
    const lineStart = match.index ?? 0;
    const start = lineStart + line.indexOf(quote + key);
    const end = lineStart + line.lastIndexOf(rawValue) + valueText.length;
    found.push({ start, end, key });
  }
  return found;
}

/**
 * Whether a file name looks like a secret: SSH private keys (`id_ed25519`, `ssh_host_rsa_key`),
 * `*.key`, `*.p12`/`*.pfx`, `.env` files, and names saying secret, password, token or
 * credentials. Public keys and encrypted files are not (see `isHarmlessFileName`).
 */
export function isSecretFileBaseName(fileName: string): boolean {
  if (isHarmlessFileName(fileName)) return false;
  const lower = fileName.toLowerCase();
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(lower) || /^ssh_host_.*_key$/.test(lower)) return true;
  if (/\.(key|p12|pfx)$/.test(lower) || lower === '.env' || lower.endsWith('.env')) return true;
  return /secret|passw|token|credential|private|priv[-_.]?key/.test(lower);
}

/**
 * The path a value copies into the store: `./x`, `../x`, `/abs/x`, `~/x`, or `"${./x}"` (one
 * interpolation of a path and nothing else). NO_NODE otherwise, also for paths with `${…}`,
 * whose file name is not known. `toString ./x` copies nothing and is not one.
 */
export function copiedPathLiteral(table: SyntaxTable, node: NodeId): NodeId {
  if (node === NO_NODE) return NO_NODE;
  let path = node;
  if (table.kind(node) === Kind.StringExpression) {
    const parts = table.children(node).filter((child) => table.kind(child) !== Kind.StringFragment || table.nodeText(child) !== '');
    if (parts.length !== 3 || table.kind(parts[1]) !== Kind.Interpolation) return NO_NODE;
    path = table.childByField(parts[1], Field.Expression);
    if (path === NO_NODE) return NO_NODE;
  }
  const kind = table.kind(path);
  if (kind !== Kind.PathExpression && kind !== Kind.HpathExpression) return NO_NODE;
  for (let child = table.firstChild(path); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.kind(child) !== Kind.PathFragment) return NO_NODE;
  }
  return path;
}

/** `builtins.readFile ./x`, `lib.fileContents ./x`, `readFile ./x`: the function as written and the path. */
export function readFileCall(table: SyntaxTable, value: NodeId): { readonly function: string; readonly path: NodeId } | undefined {
  if (value === NO_NODE || table.kind(value) !== Kind.ApplyExpression) return undefined;
  const { callee, args } = flattenApplication(table, value);
  const name = calleeName(table, callee);
  if ((name !== 'readFile' && name !== 'fileContents') || args.length !== 1) return undefined;
  const path = copiedPathLiteral(table, args[0]);
  return path === NO_NODE ? undefined : { function: table.nodeText(callee), path };
}

/** The file name of a path literal's text: `./keys/a.key` gives `a.key`. */
export function pathFileName(pathText: string): string {
  return pathText.slice(pathText.lastIndexOf('/') + 1);
}

export interface KeyMaterial {
  /** Offsets in the text searched. */
  readonly start: number;
  readonly end: number;
  readonly kind: 'pem' | 'age' | 'nix';
  /** `RSA PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `AGE-SECRET-KEY`, or the Nix key's name. */
  readonly label: string;
}

/**
 * A PEM header (`-----BEGIN RSA PRIVATE KEY-----`, also `OPENSSH`, `EC`, `ENCRYPTED` and PGP's
 * `PRIVATE KEY BLOCK`) followed by some base64 body: a bare header, as in a script that greps for
 * one, is not key material.
 */
const PEM_PRIVATE_KEY = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----(?:\\[nr]|\s)+(?:[A-Za-z-]+: [^\n\\]*(?:\\[nr]|\s)+)*[A-Za-z0-9+/=]{16}/g;

/** age's secret key: `AGE-SECRET-KEY-1` and 58 bech32 characters (32 bytes and a checksum). */
const AGE_SECRET_KEY = /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Z0-9])/g;

/**
 * A Nix binary cache signing key (`nix-store --generate-binary-cache-key`): `name:` and the
 * base64 of 64 bytes, an ed25519 seed followed by its public key. Signatures have the same shape,
 * so the second half must be the public key the first half derives.
 */
const NIX_SECRET_KEY = /(?<![A-Za-z0-9+/=._-])([A-Za-z0-9._-]+):([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/g;
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Private key material in a piece of text (a string's raw source: `\n` escapes count as line
 * breaks). age keys must carry a valid bech32 checksum and Nix signing keys a matching public
 * half, so placeholders and signatures stay silent.
 */
export function findKeyMaterial(text: string): KeyMaterial[] {
  const found: KeyMaterial[] = [];
  if (text.includes('PRIVATE KEY')) {
    for (const match of text.matchAll(PEM_PRIVATE_KEY)) {
      const start = match.index ?? 0;
      found.push({ start, end: start + match[1].length + '-----BEGIN -----'.length, kind: 'pem', label: match[1] });
    }
  }
  if (text.includes('AGE-SECRET-KEY-1')) {
    for (const match of text.matchAll(AGE_SECRET_KEY)) {
      const start = match.index ?? 0;
      if (hasValidBech32Checksum(match[0])) found.push({ start, end: start + match[0].length, kind: 'age', label: 'AGE-SECRET-KEY' });
    }
  }
  if (text.length >= 88) {
    for (const match of text.matchAll(NIX_SECRET_KEY)) {
      const start = match.index ?? 0;
      if (isEd25519KeyPair(Buffer.from(match[2], 'base64'))) found.push({ start, end: start + match[0].length, kind: 'nix', label: match[1] });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Whether 64 bytes are an ed25519 seed followed by the public key it derives (libsodium's layout). */
function isEd25519KeyPair(bytes: Buffer): boolean {
  if (bytes.length !== 64) return false;
  try {
    const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    return publicKey.subarray(publicKey.length - 32).equals(bytes.subarray(32));
  } catch {
    return false;
  }
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** BIP-173 bech32 checksum (what age uses), case-insensitive; the separator is the last `1`. */
function hasValidBech32Checksum(encoded: string): boolean {
  const lower = encoded.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 1) return false;
  const prefix = lower.slice(0, separator);
  const values: number[] = [];
  for (const char of prefix) values.push(char.charCodeAt(0) >> 5);
  values.push(0);
  for (const char of prefix) values.push(char.charCodeAt(0) & 31);
  for (const char of lower.slice(separator + 1)) {
    const value = BECH32_CHARSET.indexOf(char);
    if (value < 0) return false;
    values.push(value);
  }
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (let bit = 0; bit < 5; bit++) if ((top >>> bit) & 1) checksum ^= BECH32_GENERATOR[bit];
  }
  return checksum >>> 0 === 1;
}

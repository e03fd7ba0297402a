// Generates server/src/analysis/builtins.ts: every Nix builtin, whether its bare name is in scope
// (`map`) or only its `__`-prefixed alias (`__attrNames`), its parameters and a short description.
//
// Two sources, kept apart so the TypeScript can be regenerated on a machine without Nix:
// - scripts/nix-builtins.json holds what an installed Nix reports about itself: the attribute
//   names of `builtins`, which names are bound in the global scope, and `nix __dump-builtins`'s
//   parameter lists. `node scripts/generate-builtins.js --query` refreshes it (it evaluates only
//   constant expressions of our own; it needs `nix` and `nix-instantiate` on PATH).
// - this file holds the rest, written by hand: a description of every builtin (for hover), the
//   parameters of the primops Nix does not document, the builtins added after the queried Nix
//   (with the version that introduced them), and availability notes (experimental features).
//
// Usage:
//   node scripts/generate-builtins.js --query   re-query the installed Nix, then generate
//   node scripts/generate-builtins.js           generate from the committed snapshot
//   node scripts/generate-builtins.js --check   exit 1 if builtins.ts differs from the output
// Generation fails when a builtin has no description, so a newer Nix with new builtins forces
// someone to write them.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const SNAPSHOT = path.join(__dirname, 'nix-builtins.json');
const OUTPUT = path.join(ROOT, 'server', 'src', 'analysis', 'builtins.ts');

// Features that hide builtins unless enabled; the query enables them so that it sees everything.
const NIX_OPTIONS = [
  '--extra-experimental-features',
  'flakes fetch-closure',
  '--option',
  'allow-unsafe-native-code-during-evaluation',
  'true',
];

/** Parameters of builtins that `nix __dump-builtins` leaves out (constants have none). */
const UNDOCUMENTED_PARAMETERS = {
  addErrorContext: ['context', 'e'],
  appendContext: ['s', 'context'],
  derivation: ['attrs'],
  derivationStrict: ['attrs'],
  exec: ['arguments'],
  fetchMercurial: ['args'],
  fetchTree: ['input'],
  findFile: ['search-path', 'lookup-path'],
  fromTOML: ['e'],
  getContext: ['s'],
  hasContext: ['s'],
  importNative: ['path', 'symbol'],
  scopedImport: ['scope', 'path'],
  unsafeDiscardOutputDependency: ['s'],
  unsafeDiscardStringContext: ['s'],
  unsafeGetAttrPos: ['s', 'set'],
};

/** Values rather than functions. */
const CONSTANTS = new Set(['builtins', 'currentSystem', 'currentTime', 'false', 'langVersion', 'nixPath', 'nixVersion', 'null', 'storeDir', 'true']);

/**
 * Builtins newer than the queried Nix (2.8). `global` follows Nix's rule: a primop registered
 * without the `__` prefix is bound in the global scope under its bare name.
 */
const LATER_BUILTINS = {
  addDrvOutputDependencies: { parameters: ['s'], global: false, since: '2.19' },
  break: { parameters: ['v'], global: true, since: '2.9' },
  convertHash: { parameters: ['args'], global: false, since: '2.19' },
  flakeRefToString: { parameters: ['attrs'], global: false, since: '2.18' },
  outputOf: { parameters: ['derivation-reference', 'output-name'], global: false, since: '2.18' },
  parallel: { parameters: ['xs', 'x'], global: false },
  parseFlakeRef: { parameters: ['flake-ref'], global: false, since: '2.18' },
  readFileType: { parameters: ['p'], global: false, since: '2.14' },
  traceVerbose: { parameters: ['e1', 'e2'], global: false, since: '2.10' },
  warn: { parameters: ['e1', 'e2'], global: false, since: '2.23' },
  wasm: { parameters: ['config', 'arg'], global: false },
};

/** First Nix release with the builtin, for those older than the snapshot where we know it. */
const SINCE = {
  ceil: '2.4',
  fetchClosure: '2.8',
  fetchTree: '2.4',
  floor: '2.4',
  getFlake: '2.4',
  groupBy: '2.5',
  hashFile: '2.3',
  zipAttrsWith: '2.6',
};

/** When a builtin exists only under a setting or in one implementation. */
const AVAILABILITY = {
  exec: 'only with `allow-unsafe-native-code-during-evaluation = true`',
  fetchClosure: 'experimental feature `fetch-closure`',
  fetchTree: 'experimental feature `flakes` (since 2.19 also `fetch-tree`)',
  flakeRefToString: 'experimental feature `flakes`',
  getFlake: 'experimental feature `flakes`',
  importNative: 'only with `allow-unsafe-native-code-during-evaluation = true`',
  outputOf: 'experimental feature `dynamic-derivations`',
  parallel: 'Determinate Nix, experimental feature `parallel-eval`',
  parseFlakeRef: 'experimental feature `flakes`',
  wasm: 'Determinate Nix, experimental feature `wasm-builtin`',
};

// One or two sentences each, in our own words, shown on hover.
const DESCRIPTIONS = {
  abort: 'Stops evaluation at once with the message *s*; unlike `throw`, `tryEval` cannot catch it.',
  add: 'Adds two numbers; the result is a float if either argument is one.',
  addDrvOutputDependencies:
    'Turns the single store-path context of string *s* (a `.drv` path) into a context on the whole derivation and all its outputs; the inverse of `unsafeDiscardOutputDependency`.',
  addErrorContext: 'Returns *e* unchanged, but adds the string *context* to the trace of any error raised while evaluating it.',
  all: 'True when *pred* holds for every element of *list* (and for the empty list).',
  any: 'True when *pred* holds for at least one element of *list*.',
  appendContext: 'Returns string *s* with the string context described by the attribute set *context* added to it.',
  attrNames: 'The names of the attributes of *set*, as a list sorted alphabetically.',
  attrValues: 'The values of the attributes of *set*, in the order of their sorted names.',
  baseNameOf: 'The last component of a path or string: everything after the final `/` (a trailing slash is ignored).',
  bitAnd: 'Bitwise AND of two integers.',
  bitOr: 'Bitwise OR of two integers.',
  bitXor: 'Bitwise exclusive OR of two integers.',
  break: 'Returns *v*; when Nix runs with `--debugger`, evaluation pauses here first and opens the debug REPL.',
  builtins: 'The attribute set that holds every builtin, including those not bound in the global scope.',
  catAttrs: 'Collects the attribute *attr* from each set in *list* that has it, skipping the sets that do not.',
  ceil: 'Rounds a number up to the nearest integer.',
  compareVersions: 'Compares two version strings the way `nix-env` orders package versions: -1, 0 or 1.',
  concatLists: 'Flattens a list of lists into one list (one level only).',
  concatMap: 'Applies *f* to every element of *list*, each call returning a list, and concatenates the results.',
  concatStringsSep: 'Joins the strings of *list* with *separator* between each pair.',
  convertHash:
    'Converts a hash between encodings (`base16`, `nix32`, `base64`, `sri`); *args* gives `hash`, the target `toHashFormat` and, unless the hash is SRI, `hashAlgo`.',
  currentSystem: 'The platform Nix is evaluating for, such as `"x86_64-linux"`; impure, so unavailable in pure evaluation.',
  currentTime: 'The Unix time when evaluation started; impure, so unavailable in pure evaluation.',
  deepSeq: 'Evaluates *e1* completely, recursing into lists and attribute sets, then returns *e2*.',
  derivation: 'Describes a build: from *attrs* (at least `name`, `system` and `builder`) it makes a derivation and returns *attrs* extended with `drvPath`, `outPath` and the outputs.',
  derivationStrict: 'The primop behind `derivation`: instantiates *attrs* and returns only `drvPath` and the output paths.',
  dirOf: 'The directory part of a path or string: everything before the final `/`.',
  div: 'Divides two numbers; integer division truncates toward zero.',
  elem: 'True when *x* is equal to some element of *xs*.',
  elemAt: 'The element of *xs* at zero-based index *n*; an error when out of range.',
  exec: 'Runs the program named by the first string of *arguments* with the rest as its arguments, and parses its output as a Nix expression.',
  false: 'The boolean false.',
  fetchClosure: 'Copies a store path and its closure from a binary cache during evaluation, optionally rewriting it to content-addressed form.',
  fetchGit: 'Fetches a Git repository (a URL, or a set with `url`, `rev`, `ref`, `submodules`, ...) into the store and returns its path and metadata.',
  fetchMercurial: 'Fetches a Mercurial repository into the store and returns its path and metadata.',
  fetchTarball: 'Downloads and unpacks a tarball (a URL, or a set with `url` and `sha256`) and returns the store path of its contents.',
  fetchTree: 'Fetches a source tree described by a flake-style input (an attribute set with `type`, or a URL) and returns its store path and metadata.',
  fetchurl: 'Downloads a file (a URL, or a set with `url` and an optional `sha256`) into the store at evaluation time and returns its path.',
  filter: 'The elements of *list* for which *f* returns true, in their original order.',
  filterSource: 'Copies path *e2* into the store, keeping only the entries for which *e1* (called with the path and its type) returns true; `builtins.path` supersedes it.',
  findFile: 'Looks *lookup-path* up in *search-path* (a list like `builtins.nixPath`); this is what `<nixpkgs>` expands to.',
  flakeRefToString: 'Renders a flake reference given as an attribute set as a URL-like string.',
  floor: 'Rounds a number down to the nearest integer.',
  "foldl'": 'Folds *list* from the left: `op (op (op nul x0) x1) x2 ...`, forcing each intermediate result so that long lists need no deep stack.',
  fromJSON: 'Parses the JSON text *e* into a Nix value.',
  fromTOML: 'Parses the TOML text *e* into an attribute set.',
  functionArgs: 'For a function with formals, a set mapping each formal name to whether it has a default; `{ }` for any other function.',
  genericClosure: 'Computes a closure from `startSet`, calling `operator` on each item to find more; items are compared by their `key` attribute.',
  genList: 'A list of *length* elements where element *i* is `generator i`.',
  getAttr: 'The attribute named *s* of *set*; the function form of `set.${s}`.',
  getContext: 'The string context of *s* as an attribute set keyed by store path.',
  getEnv: 'The value of an environment variable of the evaluating process, or `""` when unset; impure.',
  getFlake: 'Fetches the flake named by a flake reference and returns its outputs; in pure evaluation the reference must be locked.',
  groupBy: 'Splits *list* into an attribute set of lists, keyed by the string *f* returns for each element.',
  hasAttr: 'True when *set* has an attribute named *s*; the function form of `set ? ${s}`.',
  hasContext: 'True when string *s* carries a string context (refers to store paths).',
  hashFile: 'The hash of the file at path *p*, in base-16, using algorithm *type* (`"md5"`, `"sha1"`, `"sha256"` or `"sha512"`).',
  hashString: 'The hash of string *s*, in base-16, using algorithm *type* (`"md5"`, `"sha1"`, `"sha256"` or `"sha512"`).',
  head: 'The first element of *list*; an error when the list is empty.',
  import: 'Evaluates the Nix file at *path* (its `default.nix` for a directory) and returns its value.',
  importNative: 'Loads the shared object at *path* and calls its function *symbol* to construct a value.',
  intersectAttrs: 'The attributes of *e2* whose names also occur in *e1*.',
  isAttrs: 'True when *e* is an attribute set.',
  isBool: 'True when *e* is a boolean.',
  isFloat: 'True when *e* is a float.',
  isFunction: 'True when *e* is a function.',
  isInt: 'True when *e* is an integer.',
  isList: 'True when *e* is a list.',
  isNull: 'True when *e* is `null`; deprecated in favour of `e == null`.',
  isPath: 'True when *e* is a path value.',
  isString: 'True when *e* is a string.',
  langVersion: 'An integer that identifies the version of the Nix language the evaluator implements.',
  length: 'The number of elements of list *e*.',
  lessThan: 'True when *e1* is less than *e2*; the function form of `<`.',
  listToAttrs: 'Builds an attribute set from a list of `{ name = ...; value = ...; }` sets; the first occurrence of a name wins.',
  map: 'Applies *f* to each element of *list* and returns the list of results.',
  mapAttrs: 'Applies *f* to each attribute, as `f name value`, and returns a set with the same names and the results as values.',
  match: 'Matches the whole string *str* against the POSIX extended regular expression *regex*: null when it does not match, else the list of capture groups.',
  mul: 'Multiplies two numbers.',
  nixPath: 'The search path for `<...>` lookups, as a list of `{ prefix; path; }` sets built from `NIX_PATH` and `-I`.',
  nixVersion: 'The version of the running Nix, as a string.',
  null: 'The null value.',
  outputOf: 'A placeholder string for output *output-name* of the derivation that *derivation-reference* (itself possibly an output) refers to.',
  parallel: 'Starts evaluating the values of *xs* in the background and returns *x*.',
  parseDrvName: 'Splits a package name such as `"nix-2.8.0"` into `{ name = "nix"; version = "2.8.0"; }`.',
  parseFlakeRef: 'Parses a flake reference string into its attribute-set form.',
  partition: 'Splits *list* into `{ right; wrong; }`: the elements for which *pred* holds, and the rest.',
  path: 'Copies a path into the store with control over the result: `path`, `name`, `filter`, `recursive` and an expected `sha256`.',
  pathExists: 'True when the file or directory *path* exists.',
  placeholder: 'A string that stands for the store path of output *output* of the derivation being built; the builder sees the real path.',
  readDir: 'The entries of directory *path* as a set mapping each name to its type (`"regular"`, `"directory"`, `"symlink"` or `"unknown"`).',
  readFile: 'The contents of the file at *path*, as a string.',
  readFileType: 'The type of the file at *p*: `"regular"`, `"directory"`, `"symlink"` or `"unknown"`.',
  removeAttrs: 'A copy of *set* without the attributes named in *list*; names that are absent are ignored.',
  replaceStrings: 'Replaces in *s* each occurrence of a string in *from* with the string at the same index in *to*, scanning left to right.',
  scopedImport: 'Like `import`, but the names in the attribute set *scope* are in scope in the imported file, ahead of the builtins.',
  seq: 'Evaluates *e1* to its outermost constructor, then returns *e2*.',
  sort: 'Sorts *list* stably using *comparator*, a function that returns true when its first argument comes first.',
  split: 'Splits *str* at matches of the regular expression *regex*: a list alternating the text between matches and the lists of capture groups.',
  splitVersion: 'Splits a version string into its components, the way `compareVersions` does.',
  storeDir: 'The path of the Nix store, usually `"/nix/store"`.',
  storePath: 'Treats *path*, which must be in the store, as a dependency of the result, fetching it from a substituter if needed.',
  stringLength: 'The length of string *e* in bytes.',
  sub: 'Subtracts *e2* from *e1*.',
  substring: 'The part of *s* from byte offset *start* that is at most *len* bytes long; clipped at the end of the string.',
  tail: 'All elements of *list* but the first; an error when the list is empty.',
  throw: 'Raises an error with the message *s*; unlike `abort`, `tryEval` can catch it.',
  toFile: 'Writes string *s* to a store file named *name* and returns its path; *s* may refer to store paths, but not to derivation outputs.',
  toJSON: 'Serializes *e* as JSON text; derivations and paths become their store paths.',
  toPath: 'Converts a string to a path; deprecated, use `/. + s` or `./. + s` instead.',
  toString: 'Converts *e* to a string: numbers, paths, booleans, lists (space-separated) and sets with `__toString` or `outPath`.',
  toXML: 'Serializes *e* as XML in the format `nix-instantiate --eval --xml` prints.',
  trace: 'Prints *e1* on standard error, then returns *e2*; a debugging aid.',
  traceVerbose: 'Like `trace`, but prints only when the `trace-verbose` setting is on; otherwise just returns *e2*.',
  true: 'The boolean true.',
  tryEval: 'Evaluates *e* to its outermost constructor and returns `{ success = true; value = e; }`, or `{ success = false; value = false; }` when it throws or fails an assertion.',
  typeOf: 'The type of *e* as a string: `"int"`, `"bool"`, `"string"`, `"path"`, `"null"`, `"set"`, `"list"`, `"lambda"` or `"float"`.',
  unsafeDiscardOutputDependency: 'Makes a `.drv` path string depend on the derivation file alone instead of on building all its outputs.',
  unsafeDiscardStringContext: 'A copy of *s* with its string context dropped, so it no longer carries store-path dependencies.',
  unsafeGetAttrPos: 'The source position (`file`, `line`, `column`) where attribute *s* of *set* is defined, or null.',
  warn: 'Prints *e1* as a warning, then returns *e2*; settings can make warnings abort or enter the debugger.',
  wasm: 'Calls a WebAssembly function: *config* names the module (`path`) and the `function`, applied to *arg*.',
  zipAttrsWith: 'Merges a list of sets: each name that occurs in any set maps to `f name values`, where *values* lists its values in order.',
};

/** `__curPos` is a parser keyword, not a builtin, but it is a name in scope without a prefix. */
const CUR_POS_DESCRIPTION = 'The source position where it is written, as `{ file; line; column; }`.';

function runNix(command, args) {
  const env = { PATH: process.env.PATH, HOME: os.tmpdir(), NIX_REMOTE: '', LANG: 'C.UTF-8' };
  const result = spawnSync(command, args, { encoding: 'utf8', env });
  if (result.error) throw new Error(`cannot run ${command}: ${result.error.message}`);
  return result;
}

/** Asks the installed Nix about its builtins and writes the snapshot. */
function query() {
  const version = runNix('nix', ['--version']).stdout.trim().replace(/^nix \(Nix\) /, '');
  const namesResult = runNix('nix-instantiate', [...NIX_OPTIONS, '--eval', '--strict', '--json', '-E', 'builtins.attrNames builtins']);
  if (namesResult.status !== 0) throw new Error(namesResult.stderr);
  const names = JSON.parse(namesResult.stdout);
  // `__dump-builtins` must be the first argument (Nix special-cases it) and lists every primop regardless of features.
  const dump = JSON.parse(runNix('nix', ['__dump-builtins']).stdout);
  // The parser binds variables, so `--parse` tells whether a name is in scope without evaluating anything.
  const inScope = (name) => runNix('nix-instantiate', [...NIX_OPTIONS, '--parse', '-E', name]).status === 0;
  const builtins = {};
  for (const name of names) {
    const global = inScope(name);
    if (!global && !inScope(`__${name}`)) throw new Error(`neither ${name} nor __${name} is in scope`);
    builtins[name] = { global, parameters: dump[name] ? dump[name].args : null };
  }
  const snapshot = { nixVersion: version, builtins };
  fs.writeFileSync(SNAPSHOT, JSON.stringify(snapshot, null, 2) + '\n');
  return snapshot;
}

/** \`table[name]\` without inheriting \`Object.prototype\` (a builtin is called \`toString\`). */
const own = (table, name) => (Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined);

function collect(snapshot) {
  const entries = new Map();
  const problems = [];
  const add = (name, global, parameters, since) => {
    const description = own(DESCRIPTIONS, name);
    if (!description) problems.push(`no description for ${name}`);
    const kind = CONSTANTS.has(name) ? 'constant' : 'function';
    const params = kind === 'constant' ? [] : (parameters ?? own(UNDOCUMENTED_PARAMETERS, name));
    if (!params) problems.push(`no parameters for ${name}`);
    entries.set(name, { name, kind, parameters: params ?? [], global, since, availability: own(AVAILABILITY, name), description });
  };
  for (const [name, fact] of Object.entries(snapshot.builtins)) add(name, fact.global, fact.parameters, own(SINCE, name) ?? own(LATER_BUILTINS, name)?.since);
  for (const [name, later] of Object.entries(LATER_BUILTINS)) {
    if (!entries.has(name)) add(name, later.global, later.parameters, later.since);
  }
  for (const name of Object.keys(DESCRIPTIONS)) if (!entries.has(name)) problems.push(`description for unknown builtin ${name}`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const quote = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function render(snapshot, entries) {
  const rows = entries.map((entry) => {
    const fields = [
      `name: ${quote(entry.name)}`,
      `kind: '${entry.kind}'`,
      `parameters: [${entry.parameters.map(quote).join(', ')}]`,
      `arity: ${entry.parameters.length}`,
      `global: ${entry.global}`,
    ];
    if (entry.since) fields.push(`since: ${quote(entry.since)}`);
    if (entry.availability) fields.push(`availability: ${quote(entry.availability)}`);
    fields.push(`description:\n      ${quote(entry.description)}`);
    return `  {\n    ${fields.join(',\n    ')},\n  },\n`;
  });
  const globalCount = entries.filter((e) => e.global).length;
  return `// Generated by scripts/generate-builtins.js from scripts/nix-builtins.json (queried from Nix ${snapshot.nixVersion})
// and the hand-written table in the script. Do not edit: change the script and run
// \`node scripts/generate-builtins.js\`.
//
// Every Nix builtin: ${entries.length} attributes of \`builtins\`, ${globalCount} of them also bound by their bare name.
// Nix binds each builtin in the global scope exactly once: by its bare name when its primop is
// registered that way (\`map\`, \`true\`, \`import\`), otherwise as \`__\` + name (\`__attrNames\`).

export type BuiltinKind = 'function' | 'constant';

export interface BuiltinInfo {
  /** The attribute name under \`builtins\`. */
  readonly name: string;
  readonly kind: BuiltinKind;
  /** Parameter names as Nix documents them; empty for constants. */
  readonly parameters: readonly string[];
  /** How many arguments a call takes before the builtin runs (0 for constants). */
  readonly arity: number;
  /** Whether the bare name is in scope without \`builtins.\` (otherwise only \`__\` + name is). */
  readonly global: boolean;
  /** First Nix release that has it, when known. */
  readonly since?: string;
  /** A setting or experimental feature it needs, or the implementation that has it. */
  readonly availability?: string;
  /** One or two sentences for hover. */
  readonly description: string;
}

const ENTRIES: readonly BuiltinInfo[] = [
${rows.join('')}];

/** Every builtin by its attribute name under \`builtins\`. */
export const BUILTINS: ReadonlyMap<string, BuiltinInfo> = new Map(ENTRIES.map((entry) => [entry.name, entry]));

/** The name under which a builtin is in scope without \`builtins.\`: \`map\`, or \`__attrNames\`. */
export function scopeNameOf(info: BuiltinInfo): string {
  return info.global ? info.name : \`__\${info.name}\`;
}

/** \`__curPos\` is a keyword of the parser rather than a builtin, but it reads like a variable. */
const CUR_POS: BuiltinInfo = {
  name: '__curPos',
  kind: 'constant',
  parameters: [],
  arity: 0,
  global: true,
  description: ${quote(CUR_POS_DESCRIPTION)},
};

const BY_SCOPE_NAME: ReadonlyMap<string, BuiltinInfo> = new Map([...ENTRIES.map((entry): [string, BuiltinInfo] => [scopeNameOf(entry), entry]), ['__curPos', CUR_POS]]);

/** Names in scope without \`builtins.\`: the global builtins, every \`__\`-prefixed alias, and \`__curPos\`. */
export const GLOBAL_BUILTINS: ReadonlySet<string> = new Set(BY_SCOPE_NAME.keys());

/** Whether \`builtins.<name>\` exists in some Nix release. */
export function isBuiltin(name: string): boolean {
  return BUILTINS.has(name);
}

/** The builtin a name in the global scope refers to (\`map\`, \`__attrNames\`, \`__curPos\`). */
export function globalBuiltin(scopeName: string): BuiltinInfo | undefined {
  return BY_SCOPE_NAME.get(scopeName);
}
`;
}

function main(argv) {
  const snapshot = argv.includes('--query') ? query() : JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8'));
  const text = render(snapshot, collect(snapshot));
  if (argv.includes('--check')) {
    const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(ROOT, OUTPUT)} is out of date: run node scripts/generate-builtins.js`);
      return 1;
    }
    return 0;
  }
  fs.writeFileSync(OUTPUT, text);
  console.log(`wrote ${path.relative(ROOT, OUTPUT)}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

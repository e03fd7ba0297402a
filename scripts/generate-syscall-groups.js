// Generates server/src/analysis/syscall-groups.ts: systemd's system call groups (`@system-service`,
// `@privileged`, ...) as the installed `systemd-analyze syscall-filter` lists them, plus which
// members of the groups that `systemd-analyze security` scores do not exist on this machine's
// architecture. systemd skips such names when it scores a filter (it asks libseccomp whether
// the name resolves), so the exposure engine must skip them too: on x86-64 `~ioperm iopl`
// already covers all of `@raw-io`, whose `pciconfig_*` calls exist only elsewhere.
//
// Which names resolve is found with systemd itself, not a second library: a unit whose
// allow list holds only one name (plus `@default`, which systemd always adds) scores 9 on
// every scored group containing that name if the name resolves, and 0 if it does not.
//
// Usage (needs systemd-analyze; the data depend on its version and the CPU architecture):
//   node scripts/generate-syscall-groups.js           query systemd-analyze, write the file
//   node scripts/generate-syscall-groups.js --check   exit 1 if the file differs from the query
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const OUTPUT = path.join(ROOT, 'server', 'src', 'analysis', 'syscall-groups.ts');

/** The groups that have a `SystemCallFilter=~@...` row in `systemd-analyze security`. */
const SCORED_GROUPS = ['@swap', '@obsolete', '@clock', '@cpu-emulation', '@debug', '@mount', '@module', '@raw-io', '@reboot', '@privileged', '@resources'];

function run(args, env) {
  const result = spawnSync('systemd-analyze', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env, SYSTEMD_COLORS: '0', LANG: 'C.UTF-8' } });
  if (result.error) throw result.error;
  if (result.status !== 0 && !result.stdout) throw new Error(`systemd-analyze ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function systemdVersion() {
  const firstLine = run(['--version']).split('\n')[0];
  return firstLine.replace(/^systemd\s+/, '').trim();
}

/** Parses `systemd-analyze syscall-filter`: `@group`, an indented `# description`, indented members. */
function parseGroups(text) {
  const groups = [];
  let current = null;
  for (const line of text.split('\n')) {
    if (/^@\S+$/.test(line)) {
      current = { name: line, description: '', members: [] };
      groups.push(current);
    } else if (current && /^\s+#\s/.test(line)) {
      current.description = line.replace(/^\s+#\s*/, '');
    } else if (current && /^\s+\S+$/.test(line)) {
      current.members.push(line.trim());
    } else {
      current = null;
    }
  }
  if (groups.length === 0) throw new Error('systemd-analyze syscall-filter listed no groups');
  return groups;
}

function flatten(groupsByName, name, into = new Set(), seen = new Set()) {
  const pending = [name];
  while (pending.length > 0) {
    const group = pending.pop();
    if (seen.has(group)) continue;
    seen.add(group);
    for (const member of groupsByName.get(group).members) {
      if (member.startsWith('@')) pending.push(member);
      else into.add(member);
    }
  }
  return into;
}

/** Per probed unit: the badness of each `SystemCallFilter=~@group` row. */
function scoreSyscallRows(unitBodies) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-syscalls-'));
  try {
    const files = unitBodies.map((body, index) => {
      const file = path.join(directory, `probe-${index}.service`);
      fs.writeFileSync(file, `[Service]\nExecStart=/bin/true\n${body}\n`);
      return file;
    });
    const output = run(['security', '--offline=true', '--no-pager', ...files], { SYSTEMD_ANALYZE_DEBUG: '1' });
    const results = [];
    let rows = new Map();
    for (const line of output.split('\n')) {
      const overall = /Overall exposure level for probe-(\d+)\.service/.exec(line);
      if (overall) {
        results[Number(overall[1])] = rows;
        rows = new Map();
        continue;
      }
      const row = /^..(SystemCallFilter=~@\S+)\s.*?\s(\d+)\s+(\d+)\s+(\d+)(\s+\d+\.\d)?\s*$/.exec(line);
      if (row) rows.set(row[1].slice('SystemCallFilter=~'.length), Number(row[3]));
    }
    if (results.length !== unitBodies.length || results.includes(undefined)) throw new Error('systemd-analyze did not score every probe unit');
    return results;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** Members of the scored groups that libseccomp cannot resolve here, found by probing systemd. */
function unavailableSyscalls(groupsByName) {
  const membersOf = new Map(SCORED_GROUPS.map((group) => [group, flatten(groupsByName, group)]));
  const candidates = [...new Set([...membersOf.values()].flatMap((members) => [...members]))].sort();
  const [baseline, ...probes] = scoreSyscallRows(['SystemCallFilter=@default', ...candidates.map((name) => `SystemCallFilter=${name}`)]);
  for (const group of SCORED_GROUPS) {
    if (baseline.get(group) !== 0) throw new Error(`@default alone already scores ${group}: the probe cannot work`);
  }
  const unavailable = [];
  candidates.forEach((name, index) => {
    const verdicts = new Set(SCORED_GROUPS.filter((group) => membersOf.get(group).has(name)).map((group) => probes[index].get(group)));
    if (verdicts.size !== 1) throw new Error(`inconsistent rows for ${name}: ${[...verdicts].join(', ')}`);
    const [badness] = verdicts;
    if (badness === 0) unavailable.push(name);
    else if (badness !== 9) throw new Error(`unexpected badness ${badness} for ${name}`);
  });
  return unavailable;
}

function wrapStrings(strings, indent, width = 100) {
  const lines = [];
  let line = '';
  for (const text of strings.map((s) => JSON.stringify(s).replace(/"/g, "'") + ',')) {
    if (line && indent.length + line.length + 1 + text.length > width) {
      lines.push(indent + line);
      line = text;
    } else {
      line = line ? `${line} ${text}` : text;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function render({ version, architecture, groups, unavailable }) {
  const groupEntries = groups
    .map((group) => `  {\n    name: '${group.name}',\n    description: ${JSON.stringify(group.description).replace(/'/g, "\\'").replace(/^"|"$/g, "'")},\n    members: [\n${wrapStrings(group.members, '      ')}\n    ],\n  },`)
    .join('\n');
  return `// Generated by scripts/generate-syscall-groups.js from \`systemd-analyze syscall-filter\` and
// \`systemd-analyze security --offline\` probes. Do not edit: run
// \`node scripts/generate-syscall-groups.js\` on a machine with the same systemd.
// Source: systemd ${version} on ${architecture}.
//
// systemd's system call groups, members in its order (a member may name another group), and the
// members of the scored groups that libseccomp does not know on ${architecture}: systemd ignores
// those names when it builds a filter and when it scores one.

export interface SyscallGroup {
  readonly name: string;
  readonly description: string;
  readonly members: readonly string[];
}

/** The systemd release and CPU architecture the data were queried from. */
export const SYSCALL_DATA_SOURCE = { systemd: '${version}', architecture: '${architecture}' } as const;

export const SYSCALL_GROUPS: readonly SyscallGroup[] = [
${groupEntries}
];

/** Members of the scored groups that do not exist on ${architecture}. */
export const UNAVAILABLE_SYSCALLS: ReadonlySet<string> = new Set([
${wrapStrings(unavailable, '  ')}
]);
`;
}

function query() {
  const groups = parseGroups(run(['syscall-filter', '--no-pager']));
  const groupsByName = new Map(groups.map((group) => [group.name, group]));
  for (const group of SCORED_GROUPS) if (!groupsByName.has(group)) throw new Error(`systemd lists no ${group}`);
  return { version: systemdVersion(), architecture: architectureName(), groups, unavailable: unavailableSyscalls(groupsByName) };
}

/** systemd's spelling of the native architecture. */
function architectureName() {
  const names = { x64: 'x86-64', ia32: 'x86', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64-le', s390x: 's390x', riscv64: 'riscv64' };
  return names[process.arch] ?? process.arch;
}

function main(argv) {
  const text = render(query());
  if (argv.includes('--check')) {
    const committed = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
    if (committed === text) return 0;
    process.stderr.write(`${path.relative(ROOT, OUTPUT)} differs from what the installed systemd reports; run node scripts/generate-syscall-groups.js\n`);
    return 1;
  }
  fs.writeFileSync(OUTPUT, text);
  process.stdout.write(`wrote ${path.relative(ROOT, OUTPUT)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

#!/usr/bin/env node
// Measures the scope rules on a corpus: false `undefined-variable` findings, misses, and how
// often every rule fires.
//
//   node scripts/measure-undefined.js CORPUS_DIR [--list] [--nix]
//
// CORPUS_DIR holds Nix files and a MANIFEST.tsv with the columns `path`, `bytes`, `nix_2_8_parse`
// (ok | err) and `class` (empty when Nix parses the file; `semantic:undefined-var` when Nix
// rejects it for an undefined variable). Real code that Nix parses references no undefined name,
// so every `undefined-variable` finding in such a file is a false positive. Prints:
//   - false positives (findings in files Nix parses), by name, with `--list` each one;
//   - how many `semantic:undefined-var` files nixguard flags, and with `--nix` whether the name
//     Nix reports is among nixguard's (runs nix-instantiate on each of those files);
//   - findings per rule over the whole corpus and over the files Nix parses, and rules that crashed.
// Needs a build (`npx tsc -b`). A development tool: tests never read the corpus.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { checkText } = require('../server/out/features/check');
const { ALL_RULES } = require('../server/out/rules');

const UNDEFINED_RULES = new Set(['undefined-variable', 'builtin-needs-prefix']);

function lineColumn(text, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}

function nixUndefinedName(file) {
  const result = spawnSync('nix-instantiate', ['--parse', file], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/tmp', NIX_REMOTE: '' } });
  const match = /undefined variable '([^']+)'/.exec(result.stderr || '');
  return match ? match[1] : undefined;
}

function main(argv) {
  const corpus = argv.find((arg) => !arg.startsWith('--'));
  if (!corpus) {
    process.stderr.write('usage: measure-undefined.js CORPUS_DIR [--list] [--nix]\n');
    return 2;
  }
  const list = argv.includes('--list');
  const askNix = argv.includes('--nix');
  const manifest = fs.readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);

  const perRule = new Map(ALL_RULES.map((rule) => [rule.id, 0]));
  const perRuleParsed = new Map(ALL_RULES.map((rule) => [rule.id, 0]));
  const perSeverity = new Map();
  const falsePositives = [];
  const falseByName = new Map();
  const crashes = [];
  const semantic = { files: 0, flagged: 0, nameMatches: 0, nixAsked: 0, missed: [], mismatched: [] };
  let files = 0;
  let elapsed = 0n;

  for (const line of manifest) {
    const [file, , , cls = ''] = line.split('\t');
    let text;
    try {
      text = fs.readFileSync(path.join(corpus, file), 'utf8');
    } catch {
      continue;
    }
    files++;
    const started = process.hrtime.bigint();
    const result = checkText(text, { path: file, maxFindings: Infinity });
    elapsed += process.hrtime.bigint() - started;
    for (const failure of result.failures) crashes.push(`${file}: ${failure.ruleId}: ${failure.message.split('\n')[0]}`);
    for (const finding of result.findings) {
      perRule.set(finding.ruleId, (perRule.get(finding.ruleId) ?? 0) + 1);
      if (cls === '') perRuleParsed.set(finding.ruleId, (perRuleParsed.get(finding.ruleId) ?? 0) + 1);
      const key = `${finding.ruleId} ${finding.severity}`;
      perSeverity.set(key, (perSeverity.get(key) ?? 0) + 1);
    }
    const undefinedFindings = result.findings.filter((finding) => UNDEFINED_RULES.has(finding.ruleId));
    const names = undefinedFindings.map((finding) => text.slice(finding.range.start, finding.range.end));
    if (cls === '') {
      for (const finding of undefinedFindings) {
        const name = text.slice(finding.range.start, finding.range.end);
        falsePositives.push(`${file}:${lineColumn(text, finding.range.start)} ${finding.ruleId} \`${name}\``);
        falseByName.set(name, (falseByName.get(name) ?? 0) + 1);
      }
    } else if (cls === 'semantic:undefined-var') {
      semantic.files++;
      if (undefinedFindings.length > 0) semantic.flagged++;
      else semantic.missed.push(file);
      if (askNix) {
        const nixName = nixUndefinedName(path.join(corpus, file));
        semantic.nixAsked++;
        if (nixName !== undefined && names.some((name) => name.replace(/^"(.*)"$/, '$1') === nixName)) semantic.nameMatches++;
        else if (undefinedFindings.length > 0) semantic.mismatched.push(`${file}: Nix \`${nixName}\`, nixguard ${names.map((n) => `\`${n}\``).join(' ')}`);
      }
    }
  }

  const out = [];
  out.push(`files: ${files} (checked in ${(Number(elapsed) / 1e9).toFixed(1)} s with every rule)`);
  out.push(`undefined-variable false positives (files Nix parses): ${falsePositives.length}`);
  for (const [name, count] of [...falseByName].sort((a, b) => b[1] - a[1])) out.push(`  ${count}  ${name}`);
  if (list) for (const entry of falsePositives) out.push(`    ${entry}`);
  out.push(`semantic:undefined-var files flagged: ${semantic.flagged} of ${semantic.files}`);
  for (const file of semantic.missed) out.push(`  missed: ${file}`);
  if (askNix) {
    out.push(`  Nix's name among nixguard's: ${semantic.nameMatches} of ${semantic.nixAsked}`);
    for (const entry of semantic.mismatched) out.push(`  different name: ${entry}`);
  }
  out.push('findings per rule: whole corpus, and in the files Nix parses:');
  for (const [id, count] of [...perRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    if (count === 0) continue;
    const severities = [...perSeverity].filter(([key]) => key.startsWith(`${id} `)).map(([key, n]) => `${key.slice(id.length + 1)} ${n}`);
    out.push(`  ${String(count).padStart(6)} ${String(perRuleParsed.get(id) ?? 0).padStart(6)}  ${id}${severities.length > 1 ? `  (${severities.join(', ')})` : ''}`);
  }
  out.push(`rule crashes: ${crashes.length}`);
  for (const crash of crashes.slice(0, 20)) out.push(`  ${crash}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

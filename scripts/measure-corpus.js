#!/usr/bin/env node
// Measures how often nixguard's syntax verdict agrees with Nix's own parser on a corpus.
//
//   node scripts/measure-corpus.js CORPUS_DIR [--list] [--messages]
//   node scripts/measure-corpus.js CORPUS_DIR --mutants N [--seed S]
//
// CORPUS_DIR holds Nix files and a MANIFEST.tsv with the columns `path`, `bytes`, `nix_2_8_parse`
// (ok | err) and `class` (empty, `semantic:*`, `syntax`, `syntax:*`, `crash`). A file is
// syntactically valid for Nix when it parsed, or when its only fault is semantic (undefined
// variable, duplicate attribute or formal): nixguard must then report no `syntax-error`.
// Prints the agreement, then the disagreements by category. Needs a build (`npx tsc -b`).
//
// `--mutants N` measures the messages instead: it breaks N small valid files of the corpus with one
// typical slip each (a deleted `;`, bracket, `=`, `in`, quote or line, an inserted `,` or `}`),
// asks `nix-instantiate --parse` for its verdict and error line, and reports the verdict agreement,
// how many problems nixguard reports per broken file (cascades), and how often its first problem
// is on the line where Nix stopped (a missing `;` is reported where it belongs, usually the line
// before, and an unclosed bracket at its opener: both count as different lines).
// A development tool: tests never read the corpus.
'use strict';
const fs = require('fs');
const path = require('path');
const { SourceFile } = require('../server/out/syntax/source-file');
const { AnalyzedFile } = require('../server/out/analysis/analyzed-file');
const { runRules } = require('../server/out/rules/runner');
const { findRule } = require('../server/out/rules');
const syntaxErrorRule = require('../server/out/rules/syntax-error').default;

/** Nix parse errors that nixguard reports under another rule (the syntax itself is fine). */
const OTHER_RULES = ['invalid-dynamic-attribute'];

function main(argv) {
  const corpus = argv.find((arg, index) => !arg.startsWith('--') && !['--mutants', '--seed'].includes(argv[index - 1]));
  if (!corpus) {
    process.stderr.write('usage: measure-corpus.js CORPUS_DIR [--list] [--messages]\n');
    return 2;
  }
  const mutantsIndex = argv.indexOf('--mutants');
  if (mutantsIndex >= 0) {
    const seedIndex = argv.indexOf('--seed');
    return measureMutants(corpus, Number(argv[mutantsIndex + 1]) || 200, seedIndex >= 0 ? Number(argv[seedIndex + 1]) : 1);
  }
  const list = argv.includes('--list');
  const showMessages = argv.includes('--messages');
  const manifest = fs.readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);

  const byCategory = new Map();
  const note = (category, file, detail) => {
    if (!byCategory.has(category)) byCategory.set(category, []);
    byCategory.get(category).push(detail ? `${file}  ${detail}` : file);
  };
  let files = 0;
  let agree = 0;
  let falseErrors = 0;
  let missedErrors = 0;
  let coveredByOtherRules = 0;
  let bytes = 0;
  let elapsed = 0n;
  const messages = new Map();

  for (const line of manifest) {
    const [file, , verdict, cls = ''] = line.split('\t');
    let text;
    try {
      text = fs.readFileSync(path.join(corpus, file), 'latin1');
      // Files are UTF-8; decode as such unless that fails (binary test data).
      text = Buffer.from(text, 'latin1').toString('utf8');
    } catch {
      continue;
    }
    files++;
    bytes += text.length;
    const started = process.hrtime.bigint();
    const result = runRules(new AnalyzedFile(SourceFile.parse(text), file), { rules: [syntaxErrorRule] });
    elapsed += process.hrtime.bigint() - started;
    const findings = result.findings.filter((finding) => finding.ruleId === 'syntax-error');
    for (const failure of result.failures) note('rule crashed', file, failure.message.split('\n')[0]);
    for (const finding of findings) messages.set(finding.message.replace(/`[^`]*`/g, '`…`'), (messages.get(finding.message.replace(/`[^`]*`/g, '`…`')) ?? 0) + 1);

    const nixSyntaxOk = verdict === 'ok' || cls.startsWith('semantic');
    const ours = findings.length === 0;
    if (ours === nixSyntaxOk) {
      agree++;
      continue;
    }
    if (nixSyntaxOk) {
      falseErrors++;
      const first = findings[0];
      const position = lineColumn(text, first.range.start);
      note(`false error (Nix ${verdict === 'ok' ? 'ok' : cls})`, file, `${position}: ${first.message}`);
    } else {
      const covering = OTHER_RULES.map((id) => findRule(id)).find(
        (rule) => rule && runRules(new AnalyzedFile(SourceFile.parse(text), file), { rules: [rule] }).findings.length > 0,
      );
      if (covering) {
        coveredByOtherRules++;
        note(`rejected by Nix, reported by ${covering.id} (not a syntax-error)`, file);
      } else {
        missedErrors++;
        note(`missed error (${cls || 'syntax'})`, file);
      }
    }
  }

  const percent = files === 0 ? 0 : (100 * agree) / files;
  process.stdout.write(`files: ${files}\n`);
  process.stdout.write(`agreement of the syntax-error verdict with Nix: ${agree}/${files} = ${percent.toFixed(2)}%\n`);
  const withOthers = files === 0 ? 0 : (100 * (agree + coveredByOtherRules)) / files;
  process.stdout.write(`counting Nix parse errors that other rules report: ${agree + coveredByOtherRules}/${files} = ${withOthers.toFixed(2)}%\n`);
  process.stdout.write(`false syntax errors (Nix accepts, nixguard reports): ${falseErrors}\n`);
  process.stdout.write(`missed syntax errors (Nix rejects, nixguard silent): ${missedErrors}\n`);
  process.stdout.write(`rejected by Nix for what another nixguard rule reports: ${coveredByOtherRules}\n`);
  process.stdout.write(`parse + syntax-error rule: ${(Number(elapsed) / 1e6).toFixed(0)} ms for ${(bytes / 1e6).toFixed(1)} MB\n`);
  for (const [category, entries] of [...byCategory].sort()) {
    process.stdout.write(`\n${category}: ${entries.length}\n`);
    for (const entry of list ? entries : entries.slice(0, 15)) process.stdout.write(`  ${entry}\n`);
    if (!list && entries.length > 15) process.stdout.write(`  … ${entries.length - 15} more (--list)\n`);
  }
  if (showMessages) {
    process.stdout.write('\nmessages (shapes):\n');
    for (const [message, count] of [...messages].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${String(count).padStart(5)}  ${message}\n`);
  }
  return 0;
}

const MUTATIONS = [
  ['delete `;`', (text, random) => replaceOne(text, /;/g, '', random)],
  ['delete `}`', (text, random) => replaceOne(text, /\}/g, '', random)],
  ['delete `]`', (text, random) => replaceOne(text, /\]/g, '', random)],
  ['delete `)`', (text, random) => replaceOne(text, /\)/g, '', random)],
  ['delete `{`', (text, random) => replaceOne(text, /\{/g, '', random)],
  ['delete `[`', (text, random) => replaceOne(text, /\[/g, '', random)],
  ['delete `"`', (text, random) => replaceOne(text, /"/g, '', random)],
  ['delete `=`', (text, random) => replaceOne(text, / = /g, ' ', random)],
  ['delete `in`', (text, random) => replaceOne(text, /\bin\b/g, '', random)],
  ['delete `:`', (text, random) => replaceOne(text, /:/g, '', random)],
  ['delete a value', (text, random) => replaceOne(text, /= [^;{[(]+;/g, '= ;', random)],
  ['`;` to `,`', (text, random) => replaceOne(text, /;/g, ',', random)],
  ['insert `,`', (text, random) => insertOne(text, ',', random)],
  ['insert `}`', (text, random) => insertOne(text, '}', random)],
  ['delete a line', (text, random) => {
    const lines = text.split('\n');
    if (lines.length < 3) return null;
    lines.splice(1 + Math.floor(random() * (lines.length - 2)), 1);
    return lines.join('\n');
  }],
];

function replaceOne(text, pattern, replacement, random) {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return null;
  const match = matches[Math.floor(random() * matches.length)];
  return text.slice(0, match.index) + replacement + text.slice(match.index + match[0].length);
}

function insertOne(text, inserted, random) {
  const at = Math.floor(random() * text.length);
  return text.slice(0, at) + inserted + text.slice(at);
}

function measureMutants(corpus, count, seed) {
  const os = require('os');
  const { spawnSync } = require('child_process');
  if (spawnSync('nix-instantiate', ['--version']).status !== 0) {
    process.stderr.write('--mutants needs nix-instantiate (Debian package nix-bin)\n');
    return 2;
  }
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const manifest = fs.readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((line) => line.split('\t'));
  const candidates = manifest.filter(([, bytes, verdict]) => verdict === 'ok' && Number(bytes) > 100 && Number(bytes) < 4000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-mutants-'));
  const mutants = [];
  while (mutants.length < count) {
    const [file] = candidates[Math.floor(random() * candidates.length)];
    const [name, mutate] = MUTATIONS[Math.floor(random() * MUTATIONS.length)];
    const original = fs.readFileSync(path.join(corpus, file), 'utf8');
    const text = mutate(original, random);
    if (text === null || text === original) continue;
    const mutantFile = path.join(dir, `${mutants.length}.nix`);
    fs.writeFileSync(mutantFile, text);
    mutants.push({ file, name, text, mutantFile });
  }
  let agree = 0;
  let bothReject = 0;
  let sameLine = 0;
  const problemCounts = new Map();
  const disagreements = [];
  for (const mutant of mutants) {
    const nix = spawnSync('nix-instantiate', ['--parse', mutant.mutantFile], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH, HOME: os.tmpdir(), NIX_REMOTE: '' } });
    const stderr = nix.stderr ?? '';
    const nixAccepts = nix.status === 0 || (/undefined variable|already defined|duplicate formal/.test(stderr) && !/syntax error/.test(stderr));
    const findings = runRules(new AnalyzedFile(SourceFile.parse(mutant.text), mutant.file), { rules: [syntaxErrorRule] }).findings;
    if (nixAccepts === (findings.length === 0)) agree++;
    else disagreements.push(`${mutant.file} (${mutant.name}): Nix ${nixAccepts ? 'accepts' : 'rejects'}, nixguard reports ${findings.length}`);
    if (nixAccepts || findings.length === 0) continue;
    bothReject++;
    problemCounts.set(findings.length, (problemCounts.get(findings.length) ?? 0) + 1);
    const nixLine = Number((/\.nix:(\d+):\d+/.exec(stderr) ?? [])[1]);
    const ourLine = Number(lineColumn(mutant.text, findings[0].range.start).split(':')[0]);
    if (nixLine === ourLine) sameLine++;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const percent = (part, whole) => (whole === 0 ? '0.0' : ((100 * part) / whole).toFixed(1));
  process.stdout.write(`mutants: ${mutants.length} (seed ${seed})\n`);
  process.stdout.write(`verdict agreement: ${agree}/${mutants.length} = ${percent(agree, mutants.length)}%\n`);
  process.stdout.write(`rejected by both: ${bothReject}\n`);
  process.stdout.write(`problems per rejected file: ${[...problemCounts].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${n}: ${c}`).join(', ')}\n`);
  process.stdout.write(`first problem on the line where Nix stopped: ${sameLine}/${bothReject} = ${percent(sameLine, bothReject)}%\n`);
  for (const line of disagreements) process.stdout.write(`  ${line}\n`);
  return 0;
}

function lineColumn(text, offset) {
  let line = 1;
  let last = -1;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    last = index;
  }
  return `${line}:${offset - last}`;
}

// `… | head` closes the pipe early; that is not an error of this script.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = main(process.argv.slice(2));

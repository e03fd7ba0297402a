#!/usr/bin/env node
// Copies docs/rules/<id>.md into server/out/rule-docs.json ({ "<id>": "<markdown>" }) so that
// `nixguard explain` and the SARIF output have the docs when the package is installed without
// the repository around it. Run by the root `npm run build`, after `tsc -b`.
//   node server/scripts/bundle-docs.js [OUTPUT_FILE]
'use strict';
const fs = require('fs');
const path = require('path');

const DOCS_DIRECTORY = path.join(__dirname, '..', '..', 'docs', 'rules');
const DEFAULT_OUTPUT = path.join(__dirname, '..', 'out', 'rule-docs.json');

function bundleDocs(output) {
  let names = [];
  try {
    names = fs.readdirSync(DOCS_DIRECTORY).filter((name) => name.endsWith('.md')).sort();
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  const docs = {};
  for (const name of names) docs[name.slice(0, -'.md'.length)] = fs.readFileSync(path.join(DOCS_DIRECTORY, name), 'utf8');
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, JSON.stringify(docs, null, 2) + '\n');
  return names.length;
}

if (require.main === module) {
  const output = path.resolve(process.argv[2] || DEFAULT_OUTPUT);
  const count = bundleDocs(output);
  console.log(`bundled ${count} rule docs into ${path.relative(process.cwd(), output)}`);
}

module.exports = { bundleDocs };

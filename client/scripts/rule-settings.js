#!/usr/bin/env node
// Copies the per-rule entries of the `.nixguard.json` schema (server/schema/nixguard.schema.json,
// written by server/scripts/generate-schema.js) into the `nixguard.rules` setting of
// client/package.json, so that VS Code completes and validates rule ids and severities in
// settings.json exactly as in `.nixguard.json`. Run by the root `npm run build` after the schema;
// with --check, exits 1 instead of writing when package.json is stale (a test runs this).
//   node client/scripts/rule-settings.js [--check]
'use strict';
const fs = require('fs');
const path = require('path');

const MANIFEST_FILE = path.join(__dirname, '..', 'package.json');
const SCHEMA_FILE = path.join(__dirname, '..', '..', 'server', 'schema', 'nixguard.schema.json');

function manifestText() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  const manifest = JSON.parse(fs.readFileSync(MANIFEST_FILE, 'utf8'));
  const setting = manifest.contributes.configuration.properties['nixguard.rules'];
  setting.properties = schema.properties.rules.properties;
  return JSON.stringify(manifest, null, 2) + '\n';
}

if (require.main === module) {
  const text = manifestText();
  const current = fs.readFileSync(MANIFEST_FILE, 'utf8');
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), MANIFEST_FILE)}: the nixguard.rules setting is out of date: run \`node client/scripts/rule-settings.js\``);
      process.exitCode = 1;
    }
  } else if (current !== text) {
    fs.writeFileSync(MANIFEST_FILE, text);
    console.log(`wrote the nixguard.rules setting into ${path.relative(process.cwd(), MANIFEST_FILE)}`);
  }
}

module.exports = { manifestText };

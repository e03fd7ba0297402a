#!/usr/bin/env node
// Writes server/schema/nixguard.schema.json, the JSON schema of `.nixguard.json`, from the
// compiled rule list (run `tsc -b` first). Editors use it for completion and validation through
// the file's "$schema" key. With --check, exits 1 instead of writing when the file is stale
// (a test runs this, so adding a rule without regenerating fails the build).
//   node server/scripts/generate-schema.js [--check]
'use strict';
const fs = require('fs');
const path = require('path');

const SCHEMA_FILE = path.join(__dirname, '..', 'schema', 'nixguard.schema.json');
const SEVERITY_SETTINGS = ['off', 'hint', 'info', 'warning', 'error'];

function buildSchema(rules) {
  const ruleProperties = {};
  for (const rule of [...rules].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    ruleProperties[rule.id] = {
      type: 'string',
      enum: SEVERITY_SETTINGS,
      description: `${rule.meta.description} (group: ${rule.meta.category}; default: ${rule.meta.severity}${rule.meta.fixable ? '; fixable' : ''})`,
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'nixguard configuration',
    description: 'Project configuration for nixguard (.nixguard.json), read by `nixguard check` and the language server.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The JSON schema this file follows, for editors.' },
      rules: {
        type: 'object',
        description: 'Severity per rule id; rules not listed keep their default severity. "off" disables a rule.',
        properties: ruleProperties,
        additionalProperties: false,
      },
      exclude: {
        type: 'array',
        description: 'Globs of files and folders that `nixguard check` skips, relative to this file (e.g. "vendor/**"). Files named on the command line are always checked.',
        items: { type: 'string' },
      },
    },
  };
}

function schemaText() {
  const { ALL_RULES } = require('../out/rules');
  return JSON.stringify(buildSchema(ALL_RULES), null, 2) + '\n';
}

if (require.main === module) {
  const text = schemaText();
  const current = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : undefined;
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), SCHEMA_FILE)} is out of date: run \`node server/scripts/generate-schema.js\``);
      process.exitCode = 1;
    }
  } else if (current !== text) {
    fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(SCHEMA_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  }
}

module.exports = { buildSchema, schemaText };

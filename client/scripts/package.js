#!/usr/bin/env node
// Builds the extension for one platform (scripts/build.js) and packs it with vsce into
// client/nixguard-<target>-<version>.vsix. Everything the extension needs is bundled into dist/,
// so vsce packs no node_modules (--no-dependencies); .vscodeignore keeps the rest out.
//   node client/scripts/package.js [--target PLATFORM-ARCH] [--grammar-binding FILE]
// Targets are VS Code's platform names that match Node's platform-arch (linux-x64, linux-arm64,
// darwin-x64, darwin-arm64, win32-x64, win32-arm64); the default is this machine.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { build, HOST_TARGET } = require('./build');

const CLIENT_DIRECTORY = path.join(__dirname, '..');
const SUPPORTED_TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];

function parseArguments(argv) {
  const options = { target: HOST_TARGET, grammarBinding: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--target' && i + 1 < argv.length) options.target = argv[++i];
    else if (argv[i] === '--grammar-binding' && i + 1 < argv.length) options.grammarBinding = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!SUPPORTED_TARGETS.includes(options.target)) throw new Error(`unsupported target ${options.target} (supported: ${SUPPORTED_TARGETS.join(', ')})`);
  return options;
}

async function packageExtension(options) {
  const { version } = JSON.parse(fs.readFileSync(path.join(CLIENT_DIRECTORY, 'package.json'), 'utf8'));
  await build({ outdir: path.join(CLIENT_DIRECTORY, 'dist'), target: options.target, grammarBinding: options.grammarBinding, minify: true });
  const output = path.join(CLIENT_DIRECTORY, `nixguard-${options.target}-${version}.vsix`);
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--target', options.target, '--no-dependencies', '--out', output], { cwd: CLIENT_DIRECTORY, stdio: 'inherit' });
  return output;
}

if (require.main === module) {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`package.js: ${error.message}`);
    process.exit(2);
  }
  packageExtension(options).then(
    (output) => console.log(`packed ${path.relative(process.cwd(), output)} (${fs.statSync(output).size} bytes)`),
    (error) => {
      console.error(`package.js: ${error.message}`);
      process.exitCode = 1;
    },
  );
}

// Copies the generated parser of the npm package `tree-sitter-nix` next to binding.gyp, so
// that gyp sees relative source paths wherever npm placed (or hoisted) the package. Also copies
// the tree-sitter runtime sources of the installed `tree-sitter` package (src/runtime/): the
// table mirror (mirror.cc) walks trees that package built, with the same runtime code compiled in.
'use strict';
const fs = require('fs');
const path = require('path');

const packageRoot = path.dirname(require.resolve('tree-sitter-nix/package.json'));
const from = path.join(packageRoot, 'src');
const to = path.join(__dirname, '..', 'src');
fs.mkdirSync(path.join(to, 'tree_sitter'), { recursive: true });
for (const file of ['parser.c', 'scanner.c', 'node-types.json', 'tree_sitter/parser.h']) {
  fs.copyFileSync(path.join(from, file), path.join(to, file));
}

const runtimeRoot = path.dirname(require.resolve('tree-sitter/package.json'));
const runtimeTo = path.join(to, 'runtime');
fs.rmSync(runtimeTo, { recursive: true, force: true });
for (const folder of ['src', 'include']) {
  fs.cpSync(path.join(runtimeRoot, 'vendor', 'tree-sitter', 'lib', folder), path.join(runtimeTo, folder), { recursive: true });
}
// The version the runtime sources come from; index.js compares it with the loaded tree-sitter.
const { version } = JSON.parse(fs.readFileSync(path.join(runtimeRoot, 'package.json'), 'utf8'));
fs.writeFileSync(path.join(runtimeTo, 'version.json'), JSON.stringify({ version }) + '\n');

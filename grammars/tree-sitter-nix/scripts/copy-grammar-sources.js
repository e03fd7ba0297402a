// Copies the generated parser of the npm package `tree-sitter-nix` next to binding.gyp, so
// that gyp sees relative source paths wherever npm placed (or hoisted) the package.
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

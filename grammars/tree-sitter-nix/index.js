'use strict';
// The grammar as node tree-sitter 0.25 wants it: `parser.setLanguage(require('@nixguard/tree-sitter-nix'))`.
const path = require('path');
const fs = require('fs');
const binding = require('./build/Release/tree_sitter_nix_binding.node');
const kinds = require('./node-kinds.js');

const nodeTypesPath = path.join(__dirname, 'src', 'node-types.json');
// node tree-sitter uses nodeTypeInfo to add typed field getters (`node.attrpathNode`).
binding.nodeTypeInfo = fs.existsSync(nodeTypesPath) ? JSON.parse(fs.readFileSync(nodeTypesPath, 'utf8')) : [];
// The tree-sitter version whose runtime sources mirror.cc was compiled with (see that file).
const runtimeVersionPath = path.join(__dirname, 'src', 'runtime', 'version.json');
binding.runtimeVersion = fs.existsSync(runtimeVersionPath) ? JSON.parse(fs.readFileSync(runtimeVersionPath, 'utf8')).version : null;
binding.NodeKind = kinds.NodeKind;
binding.FieldName = kinds.FieldName;
module.exports = binding;

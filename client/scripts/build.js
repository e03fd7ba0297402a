#!/usr/bin/env node
// Builds the VS Code extension into client/dist (run `tsc -b` first: the server is bundled from
// server/out). The layout mirrors the server package, so that the paths the server computes
// from its own location (rule docs, package.json, the worker of `nixguard check`) hold unchanged:
//
//   dist/extension.js                      the extension (vscode-languageclient bundled in)
//   dist/nixguard.schema.json              schema of .nixguard.json, for VS Code's JSON support
//   dist/THIRD_PARTY_NOTICES.md            licenses of everything bundled or copied
//   dist/server/package.json               name and version (`nixguard --version`)
//   dist/server/out/cli/main.js            the whole server in one file: `node main.js lsp --stdio`
//   dist/server/out/cli/check-worker.js    worker thread of `nixguard check` on many files
//   dist/server/out/rule-docs.json         docs/rules/*.md, for `nixguard explain`
//   dist/server/node_modules/              the native parts, loaded as Node loads them in a checkout:
//     tree-sitter/                         its index.js, node-gyp-build and the addon for TARGET
//     @nixguard/tree-sitter-nix/           our grammar binding (addon + the JSON files it reads)
//
// The native addons are per platform. TARGET defaults to this machine; for another one, the
// tree-sitter package's prebuild is used and the grammar binding must be built there and passed
// with --grammar-binding (see client/README.md).
//   node client/scripts/build.js [--outdir DIR] [--target PLATFORM-ARCH] [--grammar-binding FILE] [--no-minify]
'use strict';
const fs = require('fs');
const path = require('path');

const CLIENT_DIRECTORY = path.join(__dirname, '..');
const REPOSITORY_ROOT = path.join(CLIENT_DIRECTORY, '..');
const SERVER_DIRECTORY = path.join(REPOSITORY_ROOT, 'server');
const HOST_TARGET = `${process.platform}-${process.arch}`;
/** VS Code 1.82 (the oldest `engines.vscode` allows) runs extensions and forked servers on Node 18. */
const NODE_TARGET = 'node18';

function parseArguments(argv) {
  const options = { outdir: path.join(CLIENT_DIRECTORY, 'dist'), target: HOST_TARGET, grammarBinding: undefined, minify: true };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${argument} needs a value`);
      return argv[++i];
    };
    if (argument === '--outdir') options.outdir = path.resolve(value());
    else if (argument === '--target') options.target = value();
    else if (argument === '--grammar-binding') options.grammarBinding = path.resolve(value());
    else if (argument === '--no-minify') options.minify = false;
    else throw new Error(`unknown argument ${argument}`);
  }
  return options;
}

function packageDirectory(name, from = SERVER_DIRECTORY) {
  return path.dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
}

function copyFile(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/** Copies `files` (paths relative to the package) of an installed package into node_modules/<name>. */
function copyPackageFiles(name, files, nodeModules) {
  const from = packageDirectory(name);
  for (const file of files) copyFile(path.join(from, file), path.join(nodeModules, name, file));
  return from;
}

function filesUnder(directory, accept, relativeTo = directory) {
  const found = [];
  const pending = [directory];
  while (pending.length > 0) {
    const current = pending.pop();
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (accept(full)) found.push(path.relative(relativeTo, full));
    }
  }
  return found.sort();
}

/**
 * tree-sitter loads its addon with node-gyp-build(__dirname): build/Release/*.node if present,
 * else prebuilds/<platform>-<arch>/*.node. For this machine we ship the very file the checkout
 * loads (our grammar binding's table mirror is compiled from the same runtime sources); for
 * another target, the package's prebuild.
 */
function copyTreeSitter(target, nodeModules) {
  const directory = packageDirectory('tree-sitter');
  let addon;
  if (target === HOST_TARGET) {
    addon = path.relative(directory, require(require.resolve('node-gyp-build', { paths: [directory] })).resolve(directory));
  } else {
    addon = path.join('prebuilds', target, 'tree-sitter.node');
    if (!fs.existsSync(path.join(directory, addon))) throw new Error(`tree-sitter has no prebuild for ${target} (${path.join(directory, addon)})`);
  }
  copyPackageFiles('tree-sitter', ['package.json', 'index.js', 'LICENSE', addon], nodeModules);
  const nodeGypBuild = packageDirectory('node-gyp-build', directory);
  for (const file of ['package.json', 'index.js', 'node-gyp-build.js', 'LICENSE']) copyFile(path.join(nodeGypBuild, file), path.join(nodeModules, 'node-gyp-build', file));
}

/** Our grammar binding: its JavaScript, the JSON files it reads (node types, runtime version) and the addon. */
function copyGrammarBinding(target, grammarBinding, nodeModules) {
  const name = '@nixguard/tree-sitter-nix';
  const directory = packageDirectory(name);
  const addon = path.join('build', 'Release', 'tree_sitter_nix_binding.node');
  const scripts = fs.readdirSync(directory).filter((file) => file.endsWith('.js') || file === 'package.json');
  const data = filesUnder(path.join(directory, 'src'), (file) => file.endsWith('.json'), directory);
  copyPackageFiles(name, [...scripts, ...data], nodeModules);
  let addonSource = grammarBinding;
  if (addonSource === undefined) {
    if (target !== HOST_TARGET) throw new Error(`the grammar binding must be built on ${target}: build there, or pass --grammar-binding FILE built there`);
    addonSource = path.join(directory, addon);
  }
  if (!fs.existsSync(addonSource)) throw new Error(`the grammar binding ${addonSource} is missing: run \`npm rebuild @nixguard/tree-sitter-nix\``);
  copyFile(addonSource, path.join(nodeModules, name, addon));
}

function writeServerManifest(outdir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(SERVER_DIRECTORY, 'package.json'), 'utf8'));
  const kept = {};
  for (const key of ['name', 'version', 'description', 'license', 'homepage', 'repository']) if (manifest[key] !== undefined) kept[key] = manifest[key];
  kept.private = true;
  fs.writeFileSync(path.join(outdir, 'server', 'package.json'), JSON.stringify(kept, null, 2) + '\n');
}

/** The package a bundled or copied file belongs to: the last `node_modules/<name>` in its path. */
function packageOfPath(file) {
  const parts = file.split(/[\\/]/);
  const index = parts.lastIndexOf('node_modules');
  if (index < 0 || index + 1 >= parts.length) return undefined;
  const scoped = parts[index + 1].startsWith('@');
  const name = scoped ? `${parts[index + 1]}/${parts[index + 2]}` : parts[index + 1];
  return { name, directory: parts.slice(0, index + (scoped ? 3 : 2)).join(path.sep) };
}

function writeNotices(outdir, metafiles, extraPackageDirectories) {
  const directories = new Map();
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      const owner = packageOfPath(path.resolve(REPOSITORY_ROOT, input));
      if (owner) directories.set(owner.name, owner.directory);
    }
  }
  for (const directory of extraPackageDirectories) {
    const name = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8')).name;
    directories.set(name, directory);
  }
  const sections = [];
  for (const name of [...directories.keys()].sort()) {
    const directory = directories.get(name);
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    const licenseFile = fs.readdirSync(directory).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
    const text = licenseFile ? fs.readFileSync(path.join(directory, licenseFile), 'utf8').trim() : `License: ${manifest.license ?? 'unknown'}`;
    sections.push(`## ${name} ${manifest.version}\n\n${manifest.license ?? ''}\n\n\`\`\`\n${text}\n\`\`\``);
  }
  const header = '# Third-party notices\n\nThe nixguard extension bundles or ships the following packages.\n';
  fs.writeFileSync(path.join(outdir, 'THIRD_PARTY_NOTICES.md'), [header, ...sections].join('\n\n') + '\n');
}

async function build(options) {
  const esbuild = require('esbuild');
  const { bundleDocs } = require(path.join(SERVER_DIRECTORY, 'scripts', 'bundle-docs.js'));
  const serverMain = path.join(SERVER_DIRECTORY, 'out', 'cli', 'main.js');
  if (!fs.existsSync(serverMain)) throw new Error(`${serverMain} is missing: run \`npx tsc -b\` first`);
  fs.rmSync(options.outdir, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    minify: options.minify,
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: REPOSITORY_ROOT,
  };
  const extension = await esbuild.build({
    ...common,
    entryPoints: [path.join(CLIENT_DIRECTORY, 'src', 'extension.ts')],
    outfile: path.join(options.outdir, 'extension.js'),
    external: ['vscode'],
    tsconfig: path.join(CLIENT_DIRECTORY, 'tsconfig.json'),
  });
  const serverOut = path.join(options.outdir, 'server', 'out');
  // The native packages stay real packages next to the bundle (copied below).
  const nativeExternal = ['tree-sitter', '@nixguard/tree-sitter-nix'];
  const server = await esbuild.build({
    ...common,
    // server/out/cli/main.js runs main() only when it is Node's main module, which it is not
    // inside a bundle: the entry calls it, as server/bin/nixguard does.
    stdin: {
      contents: `require(${JSON.stringify(serverMain)}).main(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`,
      resolveDir: SERVER_DIRECTORY,
      sourcefile: 'nixguard-entry.js',
      loader: 'js',
    },
    outfile: path.join(serverOut, 'cli', 'main.js'),
    external: nativeExternal,
  });
  const worker = await esbuild.build({
    ...common,
    entryPoints: [path.join(SERVER_DIRECTORY, 'out', 'cli', 'check-worker.js')],
    outfile: path.join(serverOut, 'cli', 'check-worker.js'),
    external: nativeExternal,
  });
  bundleDocs(path.join(serverOut, 'rule-docs.json'));
  writeServerManifest(options.outdir);
  copyFile(path.join(SERVER_DIRECTORY, 'schema', 'nixguard.schema.json'), path.join(options.outdir, 'nixguard.schema.json'));
  const nodeModules = path.join(options.outdir, 'server', 'node_modules');
  copyTreeSitter(options.target, nodeModules);
  copyGrammarBinding(options.target, options.grammarBinding, nodeModules);
  writeNotices(
    options.outdir,
    [extension.metafile, server.metafile, worker.metafile],
    [
      packageDirectory('tree-sitter'),
      packageDirectory('node-gyp-build', packageDirectory('tree-sitter')),
      // Compiled into our grammar binding: the generated parser and the C++ wrapper headers.
      packageDirectory('tree-sitter-nix', packageDirectory('@nixguard/tree-sitter-nix')),
      packageDirectory('node-addon-api', packageDirectory('@nixguard/tree-sitter-nix')),
    ],
  );
}

if (require.main === module) {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`build.js: ${error.message}`);
    process.exit(2);
  }
  build(options).then(
    () => console.log(`built the extension for ${options.target} into ${path.relative(process.cwd(), options.outdir) || '.'}`),
    (error) => {
      console.error(`build.js: ${error.message}`);
      process.exitCode = 1;
    },
  );
}

module.exports = { build, HOST_TARGET };

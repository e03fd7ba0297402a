// Child process of section 4's floor: holds the same documents the server holds, as texts and
// raw tree-sitter trees and nothing else, and prints its peak resident set (VmHWM) in bytes.
//
//   node out/bench/memory-floor.js <module count>
import { createParser } from 'nixguard/out/syntax/grammar';
import type { Tree } from 'nixguard/out/syntax/grammar';
import { allPackagesFile, variedModules } from './corpus';
import { peakRssBytes } from './measure';

function main(): void {
  const moduleCount = Number(process.argv[2] ?? '0');
  const parser = createParser();
  const held: { text: string; tree: Tree }[] = [];
  for (const file of [allPackagesFile(), ...variedModules(moduleCount)]) held.push({ text: file.text, tree: parser.parse(file.text) });
  process.stdout.write(String(peakRssBytes(process.pid) ?? -1));
  // Keep the documents reachable until the figure has been read.
  if (held.length < 0) process.stdout.write('');
}

main();

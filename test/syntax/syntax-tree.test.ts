// Trees parsed by our own binding (native_tree.cc): they must be the trees node tree-sitter's
// binding gives for the same text, follow edits like them, be freed on request, refuse misuse
// with an error instead of crashing, and work from several threads at once.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { createParser, nativeTrees } from 'nixguard/out/syntax/grammar';
import { SourceFile } from 'nixguard/out/syntax/source-file';
import { SyntaxTree } from 'nixguard/out/syntax/syntax-tree';
import { filesUnder } from '../helpers/files';
import { NIX_SAMPLES } from '../helpers/nix-samples';
import { REPOSITORY_ROOT } from '../helpers/paths';

function fixtureTexts(): string[] {
  const files = filesUnder(path.join(REPOSITORY_ROOT, 'fixtures'), (name) => name.endsWith('.nix'));
  return [...files.map((file) => fs.readFileSync(file, 'utf8')), ...Object.values(NIX_SAMPLES)];
}

describe('SyntaxTree', () => {
  it('gives the same tree as node tree-sitter for every fixture, cut-off copies included', () => {
    const reference = createParser();
    const texts = fixtureTexts();
    assert.ok(texts.length > 100, `only ${texts.length} texts`);
    for (const text of texts) {
      for (const variant of [text, text.slice(0, Math.floor(text.length * 0.6)), `${text}\n# é日🎉`]) {
        const tree = SyntaxTree.parse(variant);
        try {
          assert.strictEqual(tree.toString(), reference.parse(variant).rootNode.toString());
        } finally {
          tree.delete();
        }
      }
    }
  });

  it('follows an edit and an incremental reparse like node tree-sitter, with the same changed ranges', () => {
    const before = '{ a = "é日"; b = [ 1 2 ]; c = x: x; }';
    const start = before.indexOf('[ 1');
    const after = `${before.slice(0, start)}{ n = 1; }${before.slice(start + '[ 1 2 ]'.length)}`;
    const edit = {
      startIndex: start,
      oldEndIndex: start + '[ 1 2 ]'.length,
      newEndIndex: start + '{ n = 1; }'.length,
      startPosition: { row: 0, column: start },
      oldEndPosition: { row: 0, column: start + '[ 1 2 ]'.length },
      newEndPosition: { row: 0, column: start + '{ n = 1; }'.length },
    };
    const ours = SyntaxTree.parse(before);
    ours.edit(edit);
    const oursAfter = SyntaxTree.parse(after, ours);
    const parser = createParser();
    const theirs = parser.parse(before);
    theirs.edit(edit);
    const theirsAfter = parser.parse(after, theirs);
    assert.strictEqual(oursAfter.toString(), theirsAfter.rootNode.toString());
    assert.strictEqual(oursAfter.toString(), parser.parse(after).rootNode.toString());
    const ranges = Array.from(ours.changedRanges(oursAfter));
    assert.deepStrictEqual(ranges, theirs.getChangedRanges(theirsAfter).flatMap((range) => [range.startIndex, range.endIndex]));
    assert.ok(ranges.length > 0 && ranges[0] <= start, `changed ranges ${ranges} cover the edit`);
  });

  it('is freed on request, after which it refuses use with an error and may be deleted again', () => {
    const tree = SyntaxTree.parse('{ a = 1; }');
    assert.strictEqual(tree.deleted, false);
    tree.delete();
    assert.strictEqual(tree.deleted, true);
    assert.throws(() => tree.root(), /deleted/);
    assert.throws(() => SyntaxTree.parse('{ }', tree), /deleted/);
    tree.delete();
  });

  it('refuses arguments that are not its trees with a TypeError, never a crash', () => {
    const misuse: (() => unknown)[] = [
      () => nativeTrees.treeRoot({} as never),
      () => nativeTrees.treeRoot(new Uint32Array(6) as never),
      () => nativeTrees.parseTree(42 as never),
      () => nativeTrees.parseTree('{ }', {} as never),
      () => nativeTrees.editTree(nativeTrees.parseTree('{ }'), -1, 0, 0, 0, 0, 0, 0, 0, 0),
      () => nativeTrees.changedRanges(nativeTrees.parseTree('{ }'), null as never),
      () => nativeTrees.deleteTree('tree' as never),
    ];
    for (const call of misuse) assert.throws(call, (error: unknown) => error instanceof TypeError || error instanceof RangeError);
  });

  it('lets a SourceFile drop its tree and parse afresh on the next edit, with the same result', () => {
    const text = '{ pkgs, ... }: { environment.systemPackages = [ pkgs.hello ]; }';
    const source = SourceFile.parse(text);
    assert.ok(source.syntaxTree);
    source.releaseTree();
    assert.strictEqual(source.syntaxTree, undefined);
    const offset = text.indexOf('hello');
    const edited = source.withChanges([{ start: offset, end: offset + 5, text: 'cowsay' }]);
    assert.strictEqual(edited.splice, undefined, 'no incremental splice without the old tree');
    assert.ok(edited.syntaxTree, 'the new version holds a tree again');
    const fresh = SourceFile.parse(edited.text);
    assert.strictEqual(String(edited.syntaxTree), String(fresh.syntaxTree));
    assert.strictEqual(edited.table.size, fresh.table.size);
  });

  it('hands the old tree to the caller after an incremental reparse, or deletes it', () => {
    const text = '{ a = "x"; b = 2; }';
    const source = SourceFile.parse(text);
    const old = source.syntaxTree;
    let handed: SyntaxTree | undefined;
    const edited = source.withChanges([{ start: 7, end: 7, text: 'y' }], (tree) => (handed = tree));
    assert.strictEqual(handed, old);
    assert.strictEqual(handed?.deleted, false, 'the caller decides when to delete it');
    assert.strictEqual(source.syntaxTree, undefined, 'the old version can no longer be edited');
    assert.ok(edited.splice, 'the reparse was incremental');
    handed?.delete();
    const again = edited.withChanges([{ start: 7, end: 8, text: '' }]);
    assert.strictEqual(edited.syntaxTree, undefined);
    assert.strictEqual(String(again.syntaxTree), String(SourceFile.parse(text).syntaxTree));
  });

  it('parses and mirrors on several threads at once', async function () {
    this.timeout(60_000);
    const texts = fixtureTexts().slice(0, 150);
    // Each thread loads its own instance of the binding; before instances had their own state,
    // one thread's configureMirror could free the kind table another thread was reading.
    const script = `
      const { parentPort, workerData } = require('worker_threads');
      const { SourceFile } = require(${JSON.stringify(require.resolve('nixguard/out/syntax/source-file'))});
      let rows = 0;
      for (let round = 0; round < 4; round++) for (const text of workerData) rows += SourceFile.parse(text, { keepTree: false }).table.size;
      parentPort.postMessage(rows);
    `;
    const expected = 4 * texts.reduce((sum, text) => sum + SourceFile.parse(text, { keepTree: false }).table.size, 0);
    const results = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<number>((resolve, reject) => {
            const worker = new Worker(script, { eval: true, workerData: texts });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    assert.deepStrictEqual(results, [expected, expected, expected]);
  });
});

// A tree-sitter tree of one document version, parsed by our own binding so that it can be freed
// the moment it is no longer needed: node tree-sitter frees trees only when their JavaScript
// objects are collected, and a 2.4 MB file's tree holds about 60 MB of native memory. A
// SourceFile keeps its tree only to reparse incrementally after the next edit; the server drops
// the trees of documents that are not being edited (see lsp/documents.ts).
import type { Point } from 'tree-sitter';
import { nativeTrees, NativeTree } from './grammar';

/** One text change in tree-sitter's terms; offsets, rows and columns in UTF-16 code units. */
export interface TreeEdit {
  readonly startIndex: number;
  readonly oldEndIndex: number;
  readonly newEndIndex: number;
  readonly startPosition: Point;
  readonly oldEndPosition: Point;
  readonly newEndPosition: Point;
}

export class SyntaxTree {
  private handle: NativeTree | undefined;

  private constructor(handle: NativeTree) {
    this.handle = handle;
  }

  /** Parses `text`, reusing the unchanged subtrees of `previous` (edited to match) when given. */
  static parse(text: string, previous?: SyntaxTree): SyntaxTree {
    return new SyntaxTree(nativeTrees.parseTree(text, previous?.live()));
  }

  private live(): NativeTree {
    if (this.handle === undefined) throw new Error('this syntax tree was deleted');
    return this.handle;
  }

  get deleted(): boolean {
    return this.handle === undefined;
  }

  edit(edit: TreeEdit): void {
    const { startIndex, oldEndIndex, newEndIndex, startPosition: s, oldEndPosition: o, newEndPosition: n } = edit;
    nativeTrees.editTree(this.live(), startIndex, oldEndIndex, newEndIndex, s.row, s.column, o.row, o.column, n.row, n.column);
  }

  /** The root as a node path row (see source-file.ts `nodePathTo`). */
  root(): Uint32Array {
    return nativeTrees.treeRoot(this.live());
  }

  /** Where `newer`, reparsed from this edited tree, differs in structure: [start, end) pairs. */
  changedRanges(newer: SyntaxTree): Uint32Array {
    return nativeTrees.changedRanges(this.live(), newer.live());
  }

  /** The tree as an S-expression (for tests and debugging). */
  toString(): string {
    return this.handle === undefined ? '(deleted)' : nativeTrees.treeString(this.handle);
  }

  /**
   * Frees the native tree now. Any later use throws. `returnMemory` is for trees dropped for good
   * (not the old tree after a reparse, which shares nearly everything with the new one): a big
   * tree's pages then go back to the system instead of staying in the process.
   */
  delete(options: { readonly returnMemory?: boolean } = {}): void {
    if (this.handle === undefined) return;
    nativeTrees.deleteTree(this.handle, options.returnMemory === true);
    this.handle = undefined;
  }
}

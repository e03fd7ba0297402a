// A Nix document: its text, its tree-sitter tree and the SyntaxTable mirror of that tree, kept
// up to date incrementally. Edits become `tree.edit` + a reparse that reuses the old tree, and
// the table is patched only inside the smallest subtree that changed.
//
// Analysis reads only the table. The tree is kept for the next incremental reparse and can be
// released (`releaseTree`) to save memory; the next edit then parses afresh.
import type { Point } from 'tree-sitter';
import { Kind, KindId, treeMirror } from './grammar';
import { LineIndex } from './line-index';
import { applyParserRewrites, findParserRewrites, ParserRewrite } from './parser-input';
import { MirrorSource, NO_NODE, NodeId, PATH_ROW_HANDLE, SyntaxTable } from './syntax-table';
import { SyntaxTree } from './syntax-tree';

/** A replacement of `text[start, end)` by `text`, offsets in UTF-16 code units of the current text. */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * What an incremental update changed, for analysis that wants to reuse earlier results: the rows
 * of one re-mirrored subtree, or of a run of re-mirrored siblings in a long set or list.
 */
export interface SpliceInfo {
  /** First re-mirrored row (the same row number before and after the edit). */
  readonly first: NodeId;
  /** One past its last row after the edit. */
  readonly end: NodeId;
  /** One past its last row before the edit. */
  readonly oldEnd: NodeId;
  readonly rowDelta: number;
  /** Character extent of the re-mirrored subtree before the edit; later offsets moved by charDelta. */
  readonly oldStart: number;
  readonly oldEndChar: number;
  readonly charDelta: number;
}

/** Header nodes whose text changes the meaning of the sibling subtree they introduce. */
const HEADER_KINDS = new Set<number>([Kind.Attrpath, Kind.Formals, Kind.Formal]);

function pointAfter(start: Point, inserted: string): Point {
  let row = start.row;
  let column = start.column;
  for (let i = 0; i < inserted.length; i++) {
    const code = inserted.charCodeAt(i);
    if (code === 10 || (code === 13 && inserted.charCodeAt(i + 1) !== 10)) {
      row++;
      column = 0;
    } else {
      column++;
    }
  }
  return { row, column };
}

let nextSourceId = 1;

/** Files up to this many characters are reparsed from scratch while they have syntax errors. */
export const CANONICAL_REPARSE_LIMIT = 256 * 1024;

export interface ParseOptions {
  /**
   * Keep the tree for incremental reparsing (the default). One-shot checks say false: the tree
   * is freed as soon as the table is built.
   */
  readonly keepTree?: boolean;
}

export class SourceFile {
  private lineIndexCache: LineIndex | undefined;
  /** Unique per version, so caches can tell which version they were computed on. */
  readonly id = nextSourceId++;
  /** The id of the version this one was derived from incrementally, if any. */
  derivedFrom: number | undefined;

  private constructor(
    readonly text: string,
    /** The text the parser saw (same length; see parser-input.ts). */
    readonly parserText: string,
    private readonly rewrites: readonly ParserRewrite[],
    private tree: SyntaxTree | undefined,
    readonly table: SyntaxTable,
    /** Set when this version was derived incrementally from the previous one. */
    readonly splice: SpliceInfo | undefined,
    /** Whether the tree has ERROR or MISSING nodes. */
    readonly hasSyntaxErrors: boolean,
  ) {}

  static parse(text: string, options: ParseOptions = {}): SourceFile {
    const rewrites = findParserRewrites(text);
    const parserText = applyParserRewrites(text, rewrites);
    const tree = SyntaxTree.parse(parserText);
    let keep = options.keepTree !== false;
    try {
      const root = pathNodeOf(tree.root(), 0);
      const table = SyntaxTable.fromNative(root.handle, text);
      return new SourceFile(text, parserText, rewrites, keep ? tree : undefined, table, undefined, root.hasError);
    } catch (error) {
      keep = false;
      throw error;
    } finally {
      if (!keep) tree.delete();
    }
  }

  /** The tree, while it is held for an incremental reparse. */
  get syntaxTree(): SyntaxTree | undefined {
    return this.tree;
  }

  /** Frees the tree: the table and text stay, and the next edit parses afresh. */
  releaseTree(): void {
    this.tree?.delete({ returnMemory: true });
    this.tree = undefined;
  }

  get lineIndex(): LineIndex {
    this.lineIndexCache ??= new LineIndex(this.text);
    return this.lineIndexCache;
  }

  /**
   * Applies `changes` in order (each in the coordinates of the text left by the previous one)
   * and returns the new version. Its tree is handed on to the new version: this one can still
   * be read but no longer edited. The old tree goes to `disposeOldTree`, which deletes it at once
   * unless the caller defers that: on a 20,000-binding set it takes ~3 ms (the rebuilt set lets
   * go of all its children), work that need not delay the diagnostics.
   */
  withChanges(changes: readonly TextChange[], disposeOldTree: (tree: SyntaxTree) => void = (tree) => tree.delete()): SourceFile {
    if (changes.length === 0) return this;
    const tree = this.tree;
    if (!tree) return SourceFile.parse(changes.reduce((text, change) => applyTextChange(text, change), this.text));
    this.tree = undefined;
    let reparsed = false;
    try {
      const next = this.reparse(tree, changes);
      reparsed = true;
      return next;
    } finally {
      if (reparsed) disposeOldTree(tree);
      else tree.delete();
    }
  }

  private reparse(tree: SyntaxTree, changes: readonly TextChange[]): SourceFile {
    const hadErrors = this.hasSyntaxErrors;
    let text = this.text;
    let lineIndex: LineIndex = this.lineIndex;
    // Union of the changed spans, in the coordinates of the final text.
    let dirtyStart = Infinity;
    let dirtyEnd = -Infinity;
    for (const change of changes) {
      const start = Math.max(0, Math.min(change.start, text.length));
      const end = Math.max(start, Math.min(change.end, text.length));
      const startPoint = toPoint(lineIndex.position(start));
      const oldEndPoint = toPoint(lineIndex.position(end));
      const newEnd = start + change.text.length;
      tree.edit({
        startIndex: start,
        oldEndIndex: end,
        newEndIndex: newEnd,
        startPosition: startPoint,
        oldEndPosition: oldEndPoint,
        newEndPosition: pointAfter(startPoint, change.text),
      });
      const newText = text.slice(0, start) + change.text + text.slice(end);
      lineIndex = lineIndex.withChange(start, end, change.text, newText);
      text = newText;
      const delta = change.text.length - (end - start);
      if (dirtyEnd >= end) dirtyEnd += delta;
      else if (dirtyEnd > start) dirtyEnd = newEnd;
      if (dirtyStart > end) dirtyStart += delta;
      dirtyStart = Math.min(dirtyStart, start);
      dirtyEnd = Math.max(dirtyEnd, newEnd);
    }

    // The grammar-gap rewrites may appear or disappear wherever an edit changes the context;
    // tell the tree about every character whose parser spelling changed.
    const rewrites = findParserRewrites(text);
    const parserText = applyParserRewrites(text, rewrites);
    for (const offset of changedRewriteOffsets(movedRewriteOffsets(this.rewrites, changes), rewrites)) {
      const point = toPoint(lineIndex.position(offset));
      const after = { row: point.row, column: point.column + 1 };
      tree.edit({
        startIndex: offset,
        oldEndIndex: offset + 1,
        newEndIndex: offset + 1,
        startPosition: point,
        oldEndPosition: after,
        newEndPosition: after,
      });
      dirtyStart = Math.min(dirtyStart, offset);
      dirtyEnd = Math.max(dirtyEnd, offset + 1);
    }

    const newTree = SyntaxTree.parse(parserText, tree);
    let kept = false;
    try {
      const newRoot = pathNodeOf(newTree.root(), 0);
      const hasErrors = newRoot.hasError;
      if (hasErrors && text.length <= CANONICAL_REPARSE_LIMIT) {
        // With syntax errors, tree-sitter's recovery can settle on a different tree when it reuses
        // old nodes than when it starts afresh. Small files are reparsed from scratch so that the
        // editor shows exactly what `nixguard check` reports; big files keep the incremental tree.
        const canonical = SourceFile.parse(text);
        canonical.lineIndexCache = lineIndex;
        return canonical;
      }
      // Without errors, the twin checks of spliceTable (same kinds and starts on the path from the
      // root, ends moved by exactly the size change) find any structure the reparse changed beyond
      // the edit, so the costly changedRanges (half a reparse on a flat set) is only needed when
      // error recovery may have rearranged distant nodes.
      if (hasErrors || hadErrors) {
        const ranges = tree.changedRanges(newTree);
        for (let i = 0; i < ranges.length; i += 2) {
          dirtyStart = Math.min(dirtyStart, ranges[i]);
          dirtyEnd = Math.max(dirtyEnd, ranges[i + 1]);
        }
      }
      const table = this.table;
      const patched = spliceTable(table, newRoot, text, dirtyStart, dirtyEnd);
      const next = new SourceFile(text, parserText, rewrites, newTree, patched.table, patched.splice, hasErrors);
      kept = true;
      next.lineIndexCache = lineIndex;
      if (patched.splice) next.derivedFrom = this.id;
      return next;
    } finally {
      if (!kept) newTree.delete();
    }
  }
}

/** `text` with `change` applied, its offsets clamped to the text. */
export function applyTextChange(text: string, change: TextChange): string {
  const start = Math.max(0, Math.min(change.start, text.length));
  const end = Math.max(start, Math.min(change.end, text.length));
  return text.slice(0, start) + change.text + text.slice(end);
}

function toPoint(position: { line: number; character: number }): Point {
  return { row: position.line, column: position.character };
}

/** Old rewrite offsets carried through `changes`; rewrites inside replaced text are dropped. */
function movedRewriteOffsets(rewrites: readonly ParserRewrite[], changes: readonly TextChange[]): Set<number> {
  let offsets = rewrites.map((r) => r.offset);
  for (const change of changes) {
    const delta = change.text.length - (change.end - change.start);
    offsets = offsets.filter((o) => o < change.start || o >= change.end).map((o) => (o >= change.end ? o + delta : o));
  }
  return new Set(offsets);
}

/** Offsets where exactly one of the two versions rewrites the character. */
function changedRewriteOffsets(moved: Set<number>, fresh: readonly ParserRewrite[]): number[] {
  const result: number[] = [];
  const freshOffsets = new Set<number>();
  for (const { offset } of fresh) {
    freshOffsets.add(offset);
    if (!moved.has(offset)) result.push(offset);
  }
  for (const offset of moved) if (!freshOffsets.has(offset)) result.push(offset);
  return result.sort((a, b) => a - b);
}

/**
 * A node of the new tree on the path from the root to the edit, with what splicing needs to
 * know about it (see `nodePathTo`).
 */
interface PathNode extends MirrorSource {
  readonly kind: KindId;
  readonly start: number;
  readonly childCount: number;
}

const PATH_ROW = 11;
const PATH_FLAG_ERROR = 1;

/** The node described by the path row at `offset` of `rows` (see mirror.cc WritePathRow). */
function pathNodeOf(rows: Uint32Array, offset: number): PathNode {
  return {
    kind: rows[offset],
    start: rows[offset + 1],
    end: rows[offset + 2],
    childCount: rows[offset + 3],
    hasError: (rows[offset + 4] & PATH_FLAG_ERROR) !== 0,
    handle: rows.subarray(offset + PATH_ROW_HANDLE, offset + PATH_ROW),
  };
}

/**
 * The nodes from `root` down to the smallest one containing [start, end], as tree-sitter's
 * `descendantForIndex` finds it, root first: one native call for the whole path.
 */
function nodePathTo(root: PathNode, start: number, end: number): PathNode[] {
  const rows = treeMirror.nodePath(root.handle, start, end);
  if (!rows) throw new Error('the reparsed tree cannot be read');
  const path: PathNode[] = [];
  for (let offset = 0; offset < rows.length; offset += PATH_ROW) path.push(pathNodeOf(rows, offset));
  return path;
}

/**
 * Finds the smallest node that strictly contains the dirty span in the new tree and its twin in
 * the old table, and re-mirrors just that subtree. Falls back to a full mirror when the shapes
 * around it do not line up.
 */
function spliceTable(
  table: SyntaxTable,
  newRoot: PathNode,
  text: string,
  dirtyStart: number,
  dirtyEnd: number,
): { table: SyntaxTable; splice: SpliceInfo | undefined } {
  const full = (): { table: SyntaxTable; splice: undefined } => ({ table: SyntaxTable.fromNative(newRoot.handle, text), splice: undefined });
  const path = nodePathTo(newRoot, Math.max(0, dirtyStart - 1), Math.min(text.length, dirtyEnd + 1));
  let depth = path.length - 1;
  while (depth > 0 && !(path[depth].start < dirtyStart && dirtyEnd < path[depth].end)) depth--;
  // Edits in a binding's key or a function's formals change how the whole binding/function reads.
  let widened = false;
  for (let up = depth; up > 0; up--) {
    const kind = path[up].kind;
    if (HEADER_KINDS.has(kind) || (kind === Kind.Identifier && path[up - 1].kind === Kind.FunctionExpression)) {
      depth = up - 1;
      widened = true;
    }
  }

  const textDelta = text.length - table.text.length;
  const twins = twinRows(table, path, depth, textDelta);
  // Runs are skipped in broken trees, where zero-width MISSING children make sibling bounds ambiguous.
  const node = path[depth];
  if (!widened && !path[0].hasError && RUN_KINDS.has(node.kind) && node.childCount > MIN_RUN_PARENT_CHILDREN && twins.length > depth) {
    const run = spliceRun(table, twins[depth], node, text, dirtyStart, dirtyEnd, textDelta);
    if (run) return { table, splice: run };
  }
  // The deepest node on the path whose path from the root lines up with the old table.
  const twinDepth = Math.min(depth, twins.length - 1);
  if (twinDepth <= 0) return full();
  return spliceAt(table, twins[twinDepth], path[twinDepth], text);
}

/**
 * The rows of the old table that the nodes of `path` (down to `depth`) replace, root first, as
 * far as they line up: same kind and start at every level, and an end that moved exactly by the
 * text's size change. A level that does not line up means the edit changed structure there, and
 * only the levels above it can be spliced.
 */
function twinRows(table: SyntaxTable, path: readonly PathNode[], depth: number, textDelta: number): NodeId[] {
  const twins: NodeId[] = [table.root];
  for (let level = 1; level <= depth; level++) {
    const wanted = path[level];
    let match: NodeId = NO_NODE;
    for (let child = table.firstChild(twins[level - 1]); child !== NO_NODE; child = table.nextSibling(child)) {
      if (table.start(child) === wanted.start && table.kind(child) === wanted.kind) {
        match = child;
        break;
      }
    }
    if (match === NO_NODE || table.end(match) + textDelta !== wanted.end) break;
    twins.push(match);
  }
  return twins;
}

/** Containers whose children are independent enough to re-mirror a few of them at a time. */
const RUN_KINDS = new Set<KindId>([Kind.BindingSet, Kind.ListExpression]);
const MIN_RUN_PARENT_CHILDREN = 16;

/** [run start, run end, child count] of `parent`'s children that [from, to] touches (see mirror.cc RunBounds). */
function runBoundsOf(parent: PathNode, from: number, to: number): readonly [number, number, number] | undefined {
  const bounds = treeMirror.runBounds(parent.handle, from, to);
  return bounds ? [bounds[0], bounds[1], bounds[2]] : undefined;
}

/**
 * Re-mirrors only the children of `parent` that touch the dirty span (and at least one), when the
 * children before and after them line up with the old table's. Returns undefined to fall back.
 */
function spliceRun(
  table: SyntaxTable,
  oldParent: NodeId,
  parent: PathNode,
  text: string,
  dirtyStart: number,
  dirtyEnd: number,
  textDelta: number,
): SpliceInfo | undefined {
  const bounds = runBoundsOf(parent, Math.max(parent.start, dirtyStart - 1), dirtyEnd + 1);
  if (!bounds) return undefined;
  const [runStart, runEnd, runLength] = bounds;
  // Old rows: the children of the twin parent between the unchanged ones before and after.
  let firstOld: NodeId = NO_NODE;
  let lastOld: NodeId = NO_NODE;
  let oldEndRow: NodeId = table.subtreeEnd(oldParent);
  for (let child = table.firstChild(oldParent); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.end(child) < runStart || (table.end(child) === runStart && table.start(child) < runStart)) continue;
    if (table.start(child) + textDelta > runEnd || (table.start(child) + textDelta === runEnd && table.end(child) > table.start(child))) {
      oldEndRow = child;
      break;
    }
    if (firstOld === NO_NODE) firstOld = child;
    lastOld = child;
  }
  if (firstOld === NO_NODE || table.start(firstOld) !== runStart || table.end(lastOld) + textDelta !== runEnd) return undefined;
  const oldEndChar = table.end(lastOld);
  const result = table.spliceChildren(firstOld, oldEndRow, parent, runStart, runLength, oldEndChar, text);
  if (!result) return undefined;
  return {
    first: result.first,
    end: result.end,
    oldEnd: oldEndRow,
    rowDelta: result.rowDelta,
    oldStart: runStart,
    oldEndChar,
    charDelta: result.charDelta,
  };
}

function spliceAt(table: SyntaxTable, oldRow: NodeId, node: PathNode, text: string): { table: SyntaxTable; splice: SpliceInfo } {
  const oldStart = table.start(oldRow);
  const oldEndChar = table.end(oldRow);
  const oldEnd = table.subtreeEnd(oldRow);
  const result = table.spliceNode(oldRow, node, text);
  return {
    table,
    splice: {
      first: result.first,
      end: result.end,
      oldEnd,
      rowDelta: result.rowDelta,
      oldStart,
      oldEndChar,
      charDelta: result.charDelta,
    },
  };
}


// A flat, preorder mirror of a tree-sitter tree in typed arrays: one row per node (named nodes
// and anonymous tokens alike). It is built in one TreeCursor pass and, after an edit, patched
// by re-mirroring only the smallest subtree that the edit touched (`splice`). Analysis and rules
// read rows through plain number handles instead of creating tree-sitter node objects, which is
// several times cheaper (see ARCHITECTURE.md, "Speed").
import type { Tree, TreeCursor } from 'tree-sitter';
import type { SyntaxTree } from './syntax-tree';
import { Kind, KindId, kindOfSymbol, nativeMirror, SYMBOL_FIXED_LENGTH, SYMBOL_MAY_HAVE_FIELD, symbolMayHaveChildren, treeMirror } from './grammar';

/** Where a node's handle starts in a node path row (see mirror.cc WritePathRow). */
export const PATH_ROW_HANDLE = 5;

/** A row of a SyntaxTable; valid until the table is next spliced. */
export type NodeId = number;
export const NO_NODE: NodeId = -1;

const FLAG_MISSING = 1;

interface Columns {
  kind: Uint16Array;
  start: Uint32Array;
  end: Uint32Array;
  parent: Int32Array;
  subtreeEnd: Int32Array;
  field: Uint8Array;
  flags: Uint8Array;
}

function allocate(capacity: number): Columns {
  return {
    kind: new Uint16Array(capacity),
    start: new Uint32Array(capacity),
    end: new Uint32Array(capacity),
    parent: new Int32Array(capacity),
    subtreeEnd: new Int32Array(capacity),
    field: new Uint8Array(capacity),
    flags: new Uint8Array(capacity),
  };
}

function grow(columns: Columns, capacity: number, used: number): Columns {
  const next = allocate(capacity);
  for (const key of Object.keys(columns) as (keyof Columns)[]) {
    (next[key] as Uint32Array).set((columns[key] as Uint32Array).subarray(0, used));
  }
  return next;
}

/** What the C++ mirror returns: the same columns, exactly `count` rows long. */
type NativeRows = NonNullable<ReturnType<NonNullable<typeof nativeMirror>['mirrorNode']>>;

/** Rows of one subtree, positions absolute, parents relative to the subtree root (root: -1). */
interface MirroredRows {
  columns: Columns;
  count: number;
}

/** How to build rows from a tree: in C++ (grammars/tree-sitter-nix/mirror.cc) or with a TreeCursor. */
export type MirrorWalker = 'native' | 'cursor';

/** The walker used unless a caller asks otherwise: the C++ one when the binding provides it. */
export const DEFAULT_WALKER: MirrorWalker = nativeMirror ? 'native' : 'cursor';

/** Rows of `node`'s subtree from the C++ mirror; `node` must belong to a tree of our binding. */
function mirrorNatively(node: object): MirroredRows {
  const rows = fromNative(treeMirror.mirrorNode(node));
  if (!rows) throw new Error('the C++ mirror cannot read this tree');
  return rows;
}

/**
 * A node of a tree parsed by our binding, to mirror rows from (see source-file.ts, which finds
 * it). `handle` holds the node's words as `treeMirror.nodePath` returns them.
 */
export interface MirrorSource {
  readonly handle: Uint32Array;
  readonly end: number;
  readonly hasError: boolean;
}

function fromNative(rows: NativeRows | undefined): MirroredRows | undefined {
  if (!rows) return undefined;
  const { kind, start, end, parent, subtreeEnd, field, flags } = rows;
  return { columns: { kind, start, end, parent, subtreeEnd, field, flags }, count: rows.count };
}

/**
 * Mirrors the subtree under the cursor's current node, iteratively. Every cursor property is a
 * native call, so the walk reads as few as it can: offsets only for tokens (a parent spans from
 * its first child's start to its last child's end), children only for non-terminals, and
 * MISSING flags only when the tree has errors.
 */
function mirror(cursor: TreeCursor, sizeHint: number, hasErrors: boolean): MirroredRows {
  let columns = allocate(Math.max(16, sizeHint));
  let count = 0;
  const openRows: number[] = [];
  // The root may span more than its children (source_code covers trailing whitespace).
  const rootStart = cursor.startIndex;
  const rootEnd = cursor.endIndex;
  for (;;) {
    if (count === columns.kind.length) columns = grow(columns, count * 2, count);
    const row = count++;
    const symbol = cursor.nodeTypeId;
    columns.kind[row] = kindOfSymbol(symbol);
    columns.parent[row] = openRows.length > 0 ? openRows[openRows.length - 1] : -1;
    columns.field[row] = symbol >= SYMBOL_MAY_HAVE_FIELD.length || SYMBOL_MAY_HAVE_FIELD[symbol] !== 0 ? cursor.currentFieldId : 0;
    if (symbolMayHaveChildren(symbol) && cursor.gotoFirstChild()) {
      openRows.push(row);
      continue;
    }
    const start = cursor.startIndex;
    columns.start[row] = start;
    // Punctuation and keywords are as long as their text, except zero-width MISSING ones.
    const fixedLength = symbol < SYMBOL_FIXED_LENGTH.length ? SYMBOL_FIXED_LENGTH[symbol] : -1;
    columns.end[row] = fixedLength >= 0 && !hasErrors ? start + fixedLength : cursor.endIndex;
    columns.flags[row] = hasErrors && cursor.nodeIsMissing ? FLAG_MISSING : 0;
    columns.subtreeEnd[row] = count;
    for (;;) {
      if (openRows.length === 0) {
        columns.start[0] = rootStart;
        columns.end[0] = rootEnd;
        return { columns, count };
      }
      if (cursor.gotoNextSibling()) break;
      cursor.gotoParent();
      const parent = openRows.pop() as number;
      // Children are complete: the parent spans from its first child to its last.
      columns.start[parent] = columns.start[parent + 1];
      columns.end[parent] = columns.end[count - 1]; // the last leaf ends where its ancestors do
      columns.flags[parent] = 0;
      columns.subtreeEnd[parent] = count;
    }
  }
}

export class SyntaxTable {
  private columns: Columns;
  private count: number;

  private constructor(
    public text: string,
    rows: MirroredRows,
  ) {
    this.columns = rows.columns;
    this.count = rows.count;
  }

  /** The table of a whole tree parsed by our binding, from its root's handle (see MirrorSource). */
  static fromNative(root: Uint32Array, text: string): SyntaxTable {
    return new SyntaxTable(text, mirrorNatively(root));
  }

  /** The table of a whole tree parsed by our binding. */
  static fromSyntaxTree(tree: SyntaxTree, text: string): SyntaxTable {
    return SyntaxTable.fromNative(tree.root().subarray(PATH_ROW_HANDLE), text);
  }

  /**
   * The table of a tree of node tree-sitter's binding: the reference walk that the C++ mirror is
   * tested against, and the fallback for such trees when the C++ mirror cannot read them.
   */
  static fromTree(tree: Tree, text: string, walker: MirrorWalker = DEFAULT_WALKER): SyntaxTable {
    const root = tree.rootNode;
    if (walker === 'native' && nativeMirror) {
      const rows = fromNative(nativeMirror.mirrorNode(root));
      // A cheap check that the C++ side read the same tree; it falls back to the cursor if not.
      if (rows && rows.count === root.descendantCount && rows.columns.end[0] === root.endIndex && rows.columns.kind[0] === kindOfSymbol(root.typeId)) {
        return new SyntaxTable(text, rows);
      }
    }
    const rows = mirror(tree.walk(), Math.ceil(text.length / 3) + 64, root.hasError);
    // The size hint is generous; give back what a big file did not use (kept for every open document).
    const snug = rows.count + (rows.count >> 4) + 64;
    if (rows.columns.kind.length > snug) rows.columns = grow(rows.columns, snug, rows.count);
    return new SyntaxTable(text, rows);
  }

  get size(): number {
    return this.count;
  }

  get root(): NodeId {
    return 0;
  }

  kind(node: NodeId): KindId {
    return this.columns.kind[node];
  }
  start(node: NodeId): number {
    return this.columns.start[node];
  }
  end(node: NodeId): number {
    return this.columns.end[node];
  }
  parent(node: NodeId): NodeId {
    return this.columns.parent[node];
  }
  /** Field id (see `Field`) under which the node hangs in its parent; 0 when none. */
  field(node: NodeId): number {
    return this.columns.field[node];
  }
  /** One past the last row of the node's subtree: rows `node + 1 .. subtreeEnd - 1` are its descendants. */
  subtreeEnd(node: NodeId): NodeId {
    return this.columns.subtreeEnd[node];
  }
  isMissing(node: NodeId): boolean {
    return (this.columns.flags[node] & FLAG_MISSING) !== 0;
  }
  isError(node: NodeId): boolean {
    return this.columns.kind[node] === Kind.Error;
  }
  nodeText(node: NodeId): string {
    return this.text.slice(this.columns.start[node], this.columns.end[node]);
  }

  firstChild(node: NodeId): NodeId {
    const next = node + 1;
    return next < this.columns.subtreeEnd[node] ? next : NO_NODE;
  }
  nextSibling(node: NodeId): NodeId {
    const parent = this.columns.parent[node];
    if (parent < 0) return NO_NODE;
    const next = this.columns.subtreeEnd[node];
    return next < this.columns.subtreeEnd[parent] ? next : NO_NODE;
  }
  children(node: NodeId): NodeId[] {
    const result: NodeId[] = [];
    for (let child = this.firstChild(node); child !== NO_NODE; child = this.nextSibling(child)) result.push(child);
    return result;
  }
  /** First child under `field`, or NO_NODE. */
  childByField(node: NodeId, field: number): NodeId {
    for (let child = this.firstChild(node); child !== NO_NODE; child = this.nextSibling(child)) {
      if (this.columns.field[child] === field) return child;
    }
    return NO_NODE;
  }
  childrenByField(node: NodeId, field: number): NodeId[] {
    const result: NodeId[] = [];
    for (let child = this.firstChild(node); child !== NO_NODE; child = this.nextSibling(child)) {
      if (this.columns.field[child] === field) result.push(child);
    }
    return result;
  }
  /** First child of the given kind, or NO_NODE. */
  childOfKind(node: NodeId, kind: KindId): NodeId {
    for (let child = this.firstChild(node); child !== NO_NODE; child = this.nextSibling(child)) {
      if (this.columns.kind[child] === kind) return child;
    }
    return NO_NODE;
  }
  /** Nearest ancestor of `kind` (not the node itself), or NO_NODE. */
  ancestorOfKind(node: NodeId, kind: KindId): NodeId {
    for (let up = this.columns.parent[node]; up >= 0; up = this.columns.parent[up]) {
      if (this.columns.kind[up] === kind) return up;
    }
    return NO_NODE;
  }
  isAncestor(ancestor: NodeId, node: NodeId): boolean {
    return ancestor < node && node < this.columns.subtreeEnd[ancestor];
  }

  /** Deepest node whose extent contains `offset` (an end offset counts as inside). */
  nodeAt(offset: number): NodeId {
    let node: NodeId = 0;
    descend: for (;;) {
      for (let child = this.firstChild(node); child !== NO_NODE; child = this.nextSibling(child)) {
        if (this.columns.start[child] <= offset && offset < this.columns.end[child]) {
          node = child;
          continue descend;
        }
      }
      return node;
    }
  }

  /**
   * The kind of every row, for hot loops that scan the whole table; read-only, and valid until
   * the next splice.
   */
  get kinds(): Readonly<Uint16Array> {
    return this.columns.kind.subarray(0, this.count);
  }

  /** Calls `visit` for every row in `[from, to)` in document order. */
  forEachRow(from: NodeId, to: NodeId, visit: (node: NodeId, kind: KindId) => void): void {
    const kinds = this.columns.kind;
    for (let row = from; row < to; row++) visit(row, kinds[row]);
  }

  /** Like forEachRow, but only for rows whose kind is marked in `wanted` (indexed by kind id). */
  forEachRowOfKinds(from: NodeId, to: NodeId, wanted: Uint8Array, visit: (node: NodeId, kind: KindId) => void): void {
    const kinds = this.columns.kind;
    for (let row = from; row < to; row++) {
      const kind = kinds[row];
      if (kind < wanted.length && wanted[kind] !== 0) visit(row, kind);
    }
  }

  /** Rows whose kind is Error, or which are MISSING tokens, in document order. */
  errorNodes(): NodeId[] {
    const result: NodeId[] = [];
    const { kind, flags } = this.columns;
    for (let row = 0; row < this.count; row++) {
      if (kind[row] === Kind.Error || flags[row] & FLAG_MISSING) result.push(row);
    }
    return result;
  }

  /**
   * Replaces the rows of `oldNode`'s subtree with a fresh mirror of `newNode` (the node at the
   * same place in the reparsed tree), and shifts every later position by the size change. The
   * caller guarantees that nothing outside `newNode` changed but positions.
   */
  spliceNode(oldNode: NodeId, newNode: MirrorSource, newText: string): SpliceResult {
    const fresh = mirrorNatively(newNode.handle);
    // The walk's root reports no field; the node keeps the field it had.
    fresh.columns.field[0] = this.columns.field[oldNode];
    return this.replaceRows(oldNode, this.columns.subtreeEnd[oldNode], fresh, newNode.end - this.columns.end[oldNode], newText);
  }

  /**
   * Replaces the sibling rows `[firstOld, oldEndRow)` (a run of children of one parent) with a
   * fresh mirror of `count` children of `parent`, the first starting at `firstStart`. Used for
   * edits inside one of many bindings or list elements, where re-mirroring the whole parent
   * would cost as much as the first parse. Returns undefined when no child starts there.
   */
  spliceChildren(firstOld: NodeId, oldEndRow: NodeId, parent: MirrorSource, firstStart: number, count: number, oldEndChar: number, newText: string): SpliceResult | undefined {
    const fresh = fromNative(treeMirror.mirrorChildren(parent.handle, firstStart, count));
    if (!fresh) return undefined;
    // The last row whose parent is outside the run is the last child's.
    let lastRoot = fresh.count - 1;
    while (lastRoot > 0 && fresh.columns.parent[lastRoot] >= 0) lastRoot--;
    const newEndChar = fresh.columns.end[lastRoot];
    return this.replaceRows(firstOld, oldEndRow, fresh, newEndChar - oldEndChar, newText);
  }

  private replaceRows(first: NodeId, oldEndRow: NodeId, fresh: MirroredRows, charDelta: number, newText: string): SpliceResult {
    const rowDelta = fresh.count - (oldEndRow - first);
    const total = this.count + rowDelta;
    if (total > this.columns.kind.length) this.columns = grow(this.columns, Math.max(total, this.count + (this.count >> 3) + 64), this.count);
    const c = this.columns;
    const parentOfSplice = c.parent[first];

    // Ancestors of the spliced rows grow or shrink with them.
    for (let up = parentOfSplice; up >= 0; up = c.parent[up]) {
      c.subtreeEnd[up] += rowDelta;
      c.end[up] += charDelta;
    }
    // Move the tail, then shift its rows and positions.
    const tailLength = this.count - oldEndRow;
    const newTailStart = oldEndRow + rowDelta;
    if (rowDelta !== 0) {
      for (const key of Object.keys(c) as (keyof Columns)[]) {
        (c[key] as Uint32Array).copyWithin(newTailStart, oldEndRow, this.count);
      }
    }
    for (let row = newTailStart; row < newTailStart + tailLength; row++) {
      if (c.parent[row] >= oldEndRow) c.parent[row] += rowDelta;
      c.subtreeEnd[row] += rowDelta;
      c.start[row] += charDelta;
      c.end[row] += charDelta;
    }
    // Copy the fresh rows in.
    const f = fresh.columns;
    for (let i = 0; i < fresh.count; i++) {
      const row = first + i;
      c.kind[row] = f.kind[i];
      c.start[row] = f.start[i];
      c.end[row] = f.end[i];
      c.parent[row] = f.parent[i] < 0 ? parentOfSplice : first + f.parent[i];
      c.subtreeEnd[row] = first + f.subtreeEnd[i];
      c.field[row] = f.field[i];
      c.flags[row] = f.flags[i];
    }
    this.count = total;
    this.text = newText;
    return { first, end: first + fresh.count, rowDelta, charDelta };
  }
}

export interface SpliceResult {
  readonly first: NodeId;
  readonly end: NodeId;
  readonly rowDelta: number;
  readonly charDelta: number;
}

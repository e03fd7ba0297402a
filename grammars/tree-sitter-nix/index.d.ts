// The grammar object that `Parser.setLanguage` accepts, plus typed node kinds and field names.
import type { NodeKind, FieldName } from './node-kinds';
export { NodeKind, FieldName } from './node-kinds';

export interface SymbolInfo {
  readonly name: string;
  readonly named: boolean;
}
export declare const language: unknown;
export declare const name: 'nix';
export declare const nodeTypeInfo: unknown[];
/** Indexed by symbol id (`TreeCursor.nodeTypeId`); null for hidden symbols. */
export declare const symbols: ReadonlyArray<SymbolInfo | null>;
/** Symbol ids below this are terminals (tokens), which never have children. */
export declare const tokenCount: number;
/** Indexed by field id (`TreeCursor.currentFieldId`); index 0 is "no field". */
export declare const fields: ReadonlyArray<FieldName | null>;

/** Rows of a mirrored subtree (see server/src/syntax/syntax-table.ts), exactly `count` long. */
export interface MirrorColumns {
  readonly count: number;
  readonly kind: Uint16Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly parent: Int32Array;
  readonly subtreeEnd: Int32Array;
  readonly field: Uint8Array;
  readonly flags: Uint8Array;
}
/** The node tree-sitter SyntaxNode as its binding stores it: indexes 0-5 hold its TSNode. */
export type MarshalledNode = object;
/** Version of the tree-sitter package whose runtime sources mirror.cc was built with. */
export declare const runtimeVersion: string | null;
/** Sets the dense kind id of every symbol id, and that of ERROR nodes. Call before mirroring. */
export declare function configureMirror(kindOfSymbol: Uint16Array, errorKind: number): void;
/**
 * The rows of `node`'s subtree. Only valid while `node`'s tree is alive and only when the loaded
 * tree-sitter is version `runtimeVersion`.
 */
export declare function mirrorNode(node: MarshalledNode): MirrorColumns | undefined;
/** The rows of `count` consecutive children of `parent`, the first starting at `firstStart`. */
export declare function mirrorChildren(parent: MarshalledNode, firstStart: number, count: number): MirrorColumns | undefined;
/**
 * The nodes from `root` down to the smallest one containing [start, end] (as
 * SyntaxNode.descendantForIndex finds it), 11 words each: kind, start, end, child count, flags
 * (1: has an error), then six words that stand in for the node in the other functions.
 */
export declare function nodePath(root: MarshalledNode, start: number, end: number): Uint32Array | undefined;
/** [run start, run end, count] of the children of `parent` that an edit of [from, to] touches. */
export declare function runBounds(parent: MarshalledNode, from: number, to: number): Uint32Array | undefined;

/** A tree parsed by this addon (see native_tree.cc); freed by `deleteTree` or when collected. */
export type NativeTree = object & { readonly __nativeTree: unique symbol };
/** Parses UTF-16 `text`, reusing the unchanged parts of `oldTree` (edited to match) when given. */
export declare function parseTree(text: string, oldTree?: NativeTree): NativeTree;
/** Tells `tree` about one change; offsets, rows and columns in UTF-16 code units. */
export declare function editTree(
  tree: NativeTree,
  startIndex: number,
  oldEndIndex: number,
  newEndIndex: number,
  startRow: number,
  startColumn: number,
  oldEndRow: number,
  oldEndColumn: number,
  newEndRow: number,
  newEndColumn: number,
): void;
/** The root as one `nodePath` row: kind, start, end, child count, flags, then the node's six words. */
export declare function treeRoot(tree: NativeTree): Uint32Array;
/** Pairs of [start, end) offsets where `newTree`'s structure differs from the edited `oldTree`. */
export declare function changedRanges(oldTree: NativeTree, newTree: NativeTree): Uint32Array;
/** The tree as an S-expression, as node tree-sitter's `rootNode.toString()` prints it. */
export declare function treeString(tree: NativeTree): string;
/**
 * Frees the tree now; its nodes must not be used afterwards. Deleting twice is harmless. With
 * `trim`, the memory of a big tree is handed back to the system (for trees dropped for good).
 */
export declare function deleteTree(tree: NativeTree, trim?: boolean): void;

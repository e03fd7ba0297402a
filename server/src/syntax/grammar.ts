// The only importer of the grammar binding. Everything else names node kinds through `Kind`
// (dense numeric ids shared by all symbols with the same name) and fields through `Field`.
import Parser = require('tree-sitter');
import nix = require('@nixguard/tree-sitter-nix');

type PascalKinds = typeof nix.NodeKind;
type PascalFields = typeof nix.FieldName;

/** Dense kind id, one per distinct (name, named) pair of the grammar. */
export type KindId = number;

const kindIdsByKey = new Map<string, KindId>();
const kindNames: string[] = [];
const kindNamed: boolean[] = [];

function internKind(name: string, named: boolean): KindId {
  const key = (named ? 'n:' : 'a:') + name;
  let id = kindIdsByKey.get(key);
  if (id === undefined) {
    id = kindNames.length;
    kindIdsByKey.set(key, id);
    kindNames.push(name);
    kindNamed.push(named);
  }
  return id;
}

/** Maps a tree-sitter symbol id (`TreeCursor.nodeTypeId`) to its dense kind id. */
export const KIND_OF_SYMBOL: Uint16Array = (() => {
  const table = new Uint16Array(nix.symbols.length + 1);
  const unknown = internKind('<hidden>', false);
  nix.symbols.forEach((symbol, symbolId) => {
    table[symbolId] = symbol === null ? unknown : internKind(symbol.name, symbol.named);
  });
  // tree-sitter reports ERROR nodes with the reserved symbol 65535, outside the table.
  return table;
})();
const ERROR_SYMBOL = 65535;
const ERROR_KIND = internKind('ERROR', true);

/** Per symbol: the text length of an anonymous token (its text is its name), else -1. */
export const SYMBOL_FIXED_LENGTH: Int16Array = (() => {
  const table = new Int16Array(nix.symbols.length + 1).fill(-1);
  nix.symbols.forEach((symbol, symbolId) => {
    if (symbol !== null && !symbol.named && symbolId < nix.tokenCount) table[symbolId] = symbol.name.length;
  });
  return table;
})();

/**
 * Per symbol: 1 when a node of it can hang under a field. Named nodes can; of the anonymous
 * tokens only the operators can (node-types.json lists which), so punctuation skips the lookup.
 */
export const SYMBOL_MAY_HAVE_FIELD: Uint8Array = (() => {
  const anonymousInFields = new Set<string>();
  for (const entry of nix.nodeTypeInfo as { fields?: Record<string, { types: { type: string; named: boolean }[] }> }[]) {
    for (const field of Object.values(entry.fields ?? {})) {
      for (const type of field.types) if (!type.named) anonymousInFields.add(type.type);
    }
  }
  const table = new Uint8Array(nix.symbols.length + 1).fill(1);
  // Without node-types.json (not copied), read every field: correct, only slower.
  if (nix.nodeTypeInfo.length === 0) return table;
  nix.symbols.forEach((symbol, symbolId) => {
    if (symbol !== null && !symbol.named && !anonymousInFields.has(symbol.name)) table[symbolId] = 0;
  });
  return table;
})();

/** Whether a node of this symbol can have children (terminals never do). */
export function symbolMayHaveChildren(symbolId: number): boolean {
  return symbolId >= nix.tokenCount;
}

export function kindOfSymbol(symbolId: number): KindId {
  return symbolId === ERROR_SYMBOL ? ERROR_KIND : KIND_OF_SYMBOL[symbolId];
}

/** Named node kinds: `Kind.Binding`, `Kind.VariableExpression`, `Kind.Error`, ... */
export const Kind = Object.fromEntries(
  Object.entries(nix.NodeKind).map(([pascal, name]) => [pascal, name === 'ERROR' ? ERROR_KIND : internKind(name, true)]),
) as { readonly [K in keyof PascalKinds]: KindId };

/** Anonymous tokens by their literal text: `Token['=']`, `Token.rec`, `Token['${']`. */
export const Token: Readonly<Record<string, KindId>> = Object.fromEntries(
  nix.symbols.filter((s): s is NonNullable<typeof s> => s !== null && !s.named).map((s) => [s.name, internKind(s.name, false)]),
);

export function kindName(kind: KindId): string {
  return kindNames[kind] ?? '<unknown>';
}

export function isNamedKind(kind: KindId): boolean {
  return kindNamed[kind] ?? false;
}

/** Field ids as `TreeCursor.currentFieldId` reports them; 0 means "no field". */
export const Field = Object.fromEntries(
  Object.entries(nix.FieldName).map(([pascal, name]) => [pascal, nix.fields.indexOf(name)]),
) as { readonly [K in keyof PascalFields]: number };

export function fieldName(field: number): string | null {
  return nix.fields[field] ?? null;
}

// The kind table is set before any mirroring; every addon instance (one per thread) needs it.
nix.configureMirror(KIND_OF_SYMBOL, ERROR_KIND);

/** The C++ table mirror (grammars/tree-sitter-nix/mirror.cc), over nodes given as marshalled words. */
export type TreeMirror = Pick<typeof nix, 'mirrorNode' | 'mirrorChildren' | 'nodePath' | 'runBounds'>;

/**
 * The mirror for trees parsed by our own binding (`nativeTrees`): always valid, since the parser
 * and the mirror are compiled from the same tree-sitter runtime sources.
 */
export const treeMirror: TreeMirror = { mirrorNode: nix.mirrorNode, mirrorChildren: nix.mirrorChildren, nodePath: nix.nodePath, runBounds: nix.runBounds };

/**
 * The same mirror for trees of node tree-sitter's binding (`createParser`), valid only when the
 * loaded tree-sitter is the version whose runtime sources the binding was built with (both sides
 * must agree on the layout of subtrees); otherwise undefined and SyntaxTable.fromTree walks those
 * trees with a TreeCursor.
 */
export const nativeMirror: TreeMirror | undefined = (() => {
  const loadedVersion = (require('tree-sitter/package.json') as { version?: string }).version;
  return nix.runtimeVersion !== null && nix.runtimeVersion === loadedVersion ? treeMirror : undefined;
})();

/**
 * Trees parsed and owned by our binding (grammars/tree-sitter-nix/native_tree.cc), which the
 * server frees as soon as it no longer needs them (see SyntaxTree).
 */
export const nativeTrees: Pick<typeof nix, 'parseTree' | 'editTree' | 'treeRoot' | 'changedRanges' | 'treeString' | 'deleteTree'> = {
  parseTree: nix.parseTree,
  editTree: nix.editTree,
  treeRoot: nix.treeRoot,
  changedRanges: nix.changedRanges,
  treeString: nix.treeString,
  deleteTree: nix.deleteTree,
};
export type { NativeTree } from '@nixguard/tree-sitter-nix';

/** A parser of node tree-sitter's binding: the reference the tests and the benchmark floor use. */
export function createParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(nix as unknown as Parser.Language);
  return parser;
}

export type { Tree, TreeCursor, Edit, Point } from 'tree-sitter';

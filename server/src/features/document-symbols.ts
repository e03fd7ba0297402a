// textDocument/documentSymbol: the bindings of a file as a tree. Let bindings, attribute-set
// bindings (named by their whole attrpath, `a.b.c`), inherited names and the formals of the
// top-level function; a binding's children are the bindings of the sets and lets inside its value.
// Huge files stay cheap and the answer small (nixd once used 10 GB on a 20k-binding file): the
// tree is filled breadth first, so shallow bindings come first, and stops at `maxSymbols`
// symbols and `maxDepth` levels. The answer says when a limit left bindings out, so that the
// server can tell the user why the outline is incomplete.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { staticAttributeName } from '../analysis/attribute-names';
import { abbreviate } from '../analysis/text-edits';
import type { OffsetRange } from '../rules/types';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { nodeRange } from './references';

export type SymbolKind = 'variable' | 'field' | 'formal' | 'function' | 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'path';

export interface DocumentSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  /** A short description: the value of a scalar, `inherit (e)`, `formal`. */
  readonly detail?: string;
  /** The whole binding. */
  readonly range: OffsetRange;
  /** The name. */
  readonly selectionRange: OffsetRange;
  readonly children: DocumentSymbol[];
}

export interface DocumentSymbolLimits {
  readonly maxSymbols: number;
  readonly maxDepth: number;
}

export const DEFAULT_SYMBOL_LIMITS: DocumentSymbolLimits = { maxSymbols: 2000, maxDepth: 4 };

/** Which limits left bindings out of an outline. */
export interface SymbolTruncation {
  /** Symbols in the outline (all levels). */
  readonly shown: number;
  /** Set when the symbol budget ran out: later bindings (breadth first) are left out. */
  readonly maxSymbols?: number;
  /** Set when bindings nested deeper than this many levels are left out. */
  readonly maxDepth?: number;
}

export interface DocumentSymbols {
  readonly symbols: DocumentSymbol[];
  /** Present only when a limit left bindings out. */
  readonly truncated?: SymbolTruncation;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const MAX_DETAIL_LENGTH = 40;

/** A subtree whose bindings become children of `into`. */
interface PendingValue {
  readonly node: NodeId;
  readonly into: DocumentSymbol[];
  readonly depth: number;
}

export function documentSymbols(file: AnalyzedFile, limits: DocumentSymbolLimits = DEFAULT_SYMBOL_LIMITS): DocumentSymbols {
  const table = file.table;
  const top: DocumentSymbol[] = [];
  const state: OutlineState = { count: 0, budgetSpent: false, depthCut: false };
  const add = (into: DocumentSymbol[], symbol: DocumentSymbol): boolean => {
    if (state.count >= limits.maxSymbols) {
      state.budgetSpent = true;
      return false;
    }
    into.push(symbol);
    state.count++;
    return true;
  };
  const root = table.childByField(table.root, Field.Expression);
  if (root !== NO_NODE && table.kind(root) === Kind.FunctionExpression) {
    for (const symbol of functionArgumentSymbols(table, root)) add(top, symbol);
  }
  // Breadth first: each level's values are walked after every binding of the level above is in.
  let level: PendingValue[] = [{ node: table.root, into: top, depth: 1 }];
  while (level.length > 0 && !state.budgetSpent) {
    const next: PendingValue[] = [];
    for (const pending of level) {
      if (!collectBindings(table, pending, next, add, limits, state)) break;
    }
    level = next;
  }
  if (!state.budgetSpent && !state.depthCut) return { symbols: top };
  const truncated: SymbolTruncation = {
    shown: state.count,
    ...(state.budgetSpent ? { maxSymbols: limits.maxSymbols } : {}),
    ...(state.depthCut ? { maxDepth: limits.maxDepth } : {}),
  };
  return { symbols: top, truncated };
}

interface OutlineState {
  count: number;
  /** A symbol did not fit in `maxSymbols`. */
  budgetSpent: boolean;
  /** A value at the depth limit holds bindings that are left out. */
  depthCut: boolean;
}

/** Whether a binding or inherit sits anywhere in `node`'s subtree. */
function holdsBindings(table: SyntaxTable, node: NodeId): boolean {
  const end = table.subtreeEnd(node);
  const kinds = table.kinds;
  for (let row = node; row < end; row++) {
    const kind = kinds[row];
    if (kind === Kind.Binding || kind === Kind.Inherit || kind === Kind.InheritFrom) return true;
  }
  return false;
}

/**
 * Adds a symbol for every binding in `pending.node`'s subtree that is not inside another binding,
 * and queues the bindings' values for the next level. False once the symbol budget is spent.
 */
function collectBindings(
  table: SyntaxTable,
  pending: PendingValue,
  next: PendingValue[],
  add: (into: DocumentSymbol[], symbol: DocumentSymbol) => boolean,
  limits: DocumentSymbolLimits,
  state: OutlineState,
): boolean {
  const end = table.subtreeEnd(pending.node);
  const kinds = table.kinds;
  for (let row = pending.node; row < end; row++) {
    const kind = kinds[row];
    if (kind === Kind.Binding) {
      const symbol = bindingSymbol(table, row);
      if (symbol) {
        if (!add(pending.into, symbol)) return false;
        const value = table.childByField(row, Field.Expression);
        if (value !== NO_NODE && pending.depth < limits.maxDepth) next.push({ node: value, into: symbol.children, depth: pending.depth + 1 });
        // Values at the limit are disjoint subtrees, each scanned once, and only until one holds bindings.
        else if (value !== NO_NODE && !state.depthCut && holdsBindings(table, value)) state.depthCut = true;
      }
      row = table.subtreeEnd(row) - 1;
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      for (const symbol of inheritSymbols(table, row)) if (!add(pending.into, symbol)) return false;
      row = table.subtreeEnd(row) - 1;
    }
  }
  return true;
}

/** `a.b."c d"` as the user reads it: static names unquoted when they are identifiers. */
function attrpathName(table: SyntaxTable, attrpath: NodeId): string {
  const parts: string[] = [];
  for (let attr = table.firstChild(attrpath); attr !== NO_NODE; attr = table.nextSibling(attr)) {
    if (table.field(attr) !== Field.Attr) continue;
    const name = staticAttributeName(table, attr);
    parts.push(name !== undefined && IDENTIFIER.test(name) ? name : table.nodeText(attr));
  }
  return parts.join('.');
}

function bindingSymbol(table: SyntaxTable, binding: NodeId): DocumentSymbol | undefined {
  const attrpath = table.childByField(binding, Field.Attrpath);
  if (attrpath === NO_NODE) return undefined;
  const name = attrpathName(table, attrpath);
  // Editors reject symbols without a name; a binding being typed has none yet.
  if (name.trim() === '') return undefined;
  const owner = table.parent(table.parent(binding));
  const ownerKind = owner === NO_NODE ? NO_NODE : table.kind(owner);
  const isVariable = ownerKind === Kind.LetExpression || ownerKind === Kind.RecAttrsetExpression || ownerKind === Kind.LetAttrsetExpression;
  const value = table.childByField(binding, Field.Expression);
  const { kind, detail } = describeValue(table, value, isVariable ? 'variable' : 'field');
  return { name, kind, detail, range: nodeRange(table, binding), selectionRange: nodeRange(table, attrpath), children: [] };
}

function inheritSymbols(table: SyntaxTable, entry: NodeId): DocumentSymbol[] {
  const attrs = table.childByField(entry, Field.Attrs);
  if (attrs === NO_NODE) return [];
  const from = table.childByField(entry, Field.Expression);
  const detail = from === NO_NODE ? 'inherit' : `inherit (${shortText(table, from)})`;
  const owner = table.parent(table.parent(entry));
  const kind: SymbolKind = owner !== NO_NODE && table.kind(owner) === Kind.AttrsetExpression ? 'field' : 'variable';
  const symbols: DocumentSymbol[] = [];
  for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
    if (table.field(attr) !== Field.Attr || table.isMissing(attr)) continue;
    const range = nodeRange(table, attr);
    symbols.push({ name: staticAttributeName(table, attr) ?? table.nodeText(attr), kind, detail, range, selectionRange: range, children: [] });
  }
  return symbols;
}

/** `{ a, b ? 1, ... }@args:` and `x:` of the top-level function. */
function functionArgumentSymbols(table: SyntaxTable, fn: NodeId): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  const universal = table.childByField(fn, Field.Universal);
  const formals = table.childByField(fn, Field.Formals);
  if (universal !== NO_NODE && !table.isMissing(universal)) {
    const range = nodeRange(table, universal);
    symbols.push({ name: table.nodeText(universal), kind: 'formal', detail: formals === NO_NODE ? 'argument' : 'all arguments', range, selectionRange: range, children: [] });
  }
  if (formals === NO_NODE) return symbols;
  for (let formal = table.firstChild(formals); formal !== NO_NODE; formal = table.nextSibling(formal)) {
    if (table.kind(formal) !== Kind.Formal) continue;
    const name = table.childByField(formal, Field.Name);
    if (name === NO_NODE || table.isMissing(name)) continue;
    const fallback = table.childByField(formal, Field.Default);
    const detail = fallback === NO_NODE ? 'formal' : `formal ? ${shortText(table, fallback)}`;
    symbols.push({ name: table.nodeText(name), kind: 'formal', detail, range: nodeRange(table, formal), selectionRange: nodeRange(table, name), children: [] });
  }
  return symbols;
}

const SCALAR_KINDS: ReadonlyMap<number, SymbolKind> = new Map([
  [Kind.StringExpression, 'string'],
  [Kind.IndentedStringExpression, 'string'],
  [Kind.IntegerExpression, 'number'],
  [Kind.FloatExpression, 'number'],
  [Kind.PathExpression, 'path'],
  [Kind.HpathExpression, 'path'],
  [Kind.SpathExpression, 'path'],
]);

/** The symbol kind a binding's value gives it, and the value itself when it is a short scalar. */
function describeValue(table: SyntaxTable, value: NodeId, fallback: SymbolKind): { kind: SymbolKind; detail?: string } {
  while (value !== NO_NODE && table.kind(value) === Kind.ParenthesizedExpression) value = table.childByField(value, Field.Expression);
  if (value === NO_NODE) return { kind: fallback };
  const kind = table.kind(value);
  if (kind === Kind.FunctionExpression) return { kind: 'function' };
  if (kind === Kind.AttrsetExpression || kind === Kind.RecAttrsetExpression || kind === Kind.LetAttrsetExpression) return { kind: 'object' };
  if (kind === Kind.ListExpression) return { kind: 'array' };
  const scalar = SCALAR_KINDS.get(kind);
  if (scalar) return { kind: scalar, detail: singleLineDetail(table, value) };
  if (kind === Kind.VariableExpression) {
    const text = table.nodeText(value);
    if (text === 'true' || text === 'false') return { kind: 'boolean', detail: text };
    if (text === 'null') return { kind: 'null', detail: text };
  }
  return { kind: fallback };
}

/** At most a line's worth of a node's text (sliced first: a value may be megabytes long). */
function shortText(table: SyntaxTable, node: NodeId): string {
  return abbreviate(table.text.slice(table.start(node), Math.min(table.end(node), table.start(node) + 4 * MAX_DETAIL_LENGTH)), MAX_DETAIL_LENGTH);
}

function singleLineDetail(table: SyntaxTable, node: NodeId): string | undefined {
  const text = table.text.slice(table.start(node), Math.min(table.end(node), table.start(node) + 4 * MAX_DETAIL_LENGTH));
  return /[\n\r]/.test(text) ? undefined : abbreviate(text, MAX_DETAIL_LENGTH);
}

// textDocument/semanticTokens: what each name, literal and keyword is, as editors colour it. Names
// are classified through the scope model: a variable bound by a let or rec is a `variable`, one
// bound by a function (formal, lambda argument, `@` name) a `parameter`, a global builtin a
// `function` or `variable` with `defaultLibrary`, and a name in function position (`f` in `f x`,
// `mkIf` in `lib.mkIf c x`) a `function`. Attribute names are `property` everywhere, with the
// same modifiers in `a.b`, `a.b = …`, `a = { b = …; }` and `inherit b;`, so one attribute has one
// colour (nixd users asked for that). `declaration` marks the sites that bind variables.
//
// Only standard LSP token types are used, so every theme colours every token; what Nix has and
// other languages lack is a custom *modifier* on a standard type (`path` on `string`,
// `interpolation` on `operator`), which clients that do not know it simply ignore.
// docs/semantic-tokens.md has the legend and the whole mapping.
//
// Tokens are offsets, in document order, never overlapping; a token may span lines (strings,
// comments): lsp/semantic-tokens.ts splits those per line. With a range, only the rows whose
// extent meets the range are visited (the table is in preorder, so a subtree that ends before the
// range is skipped in one step and the walk stops at the first row starting after it).
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { globalBuiltin, isBuiltin } from '../analysis/builtins';
import { staticAttributeName } from '../analysis/attribute-names';
import type { Reference } from '../analysis/scopes';
import type { OffsetRange } from '../rules/types';
import { Field, Kind, KindId, Token } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';

/** Token types, all standard LSP ones; lsp/semantic-tokens.ts sends them in this order. */
export const SEMANTIC_TOKEN_TYPES = ['variable', 'parameter', 'function', 'property', 'keyword', 'string', 'number', 'comment', 'operator'] as const;
export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];

/**
 * Token modifiers; bit `i` of `SemanticToken.modifiers` stands for entry `i`. The first four are
 * standard LSP modifiers; `path` and `interpolation` are nixguard's own.
 */
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary', 'documentation', 'path', 'interpolation'] as const;
export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

/** The bit of each modifier in `SemanticToken.modifiers`. */
export const TokenModifier: { readonly [M in SemanticTokenModifier]: number } = Object.fromEntries(
  SEMANTIC_TOKEN_MODIFIERS.map((name, index) => [name, 1 << index]),
) as { readonly [M in SemanticTokenModifier]: number };

export interface SemanticToken {
  readonly start: number;
  /** In UTF-16 code units; never 0. */
  readonly length: number;
  readonly type: SemanticTokenType;
  /** Bit set of `TokenModifier`s. */
  readonly modifiers: number;
}

const { declaration: DECLARATION, readonly: READONLY, defaultLibrary: DEFAULT_LIBRARY, documentation: DOCUMENTATION, path: PATH, interpolation: INTERPOLATION } = TokenModifier;

// What the walk does with a row, indexed by kind id (a typed array: `full` visits every row).
const IGNORE = 0;
const KEYWORD = 1;
const OPERATOR = 2;
const IDENTIFIER = 3;
const COMMENT = 4;
const NUMBER = 5;
const STRING = 6;
const PATH_WITH_PARTS = 7;
const WHOLE_PATH = 8;
const WHOLE_STRING = 9;
const INTERPOLATION_OPEN = 10;
const CLOSE_BRACE = 11;
const HAS_ATTR_OPERATOR = 12;

const ACTIONS = new Uint8Array(512);
for (const keyword of ['let', 'in', 'rec', 'with', 'inherit', 'if', 'then', 'else', 'assert', 'or']) ACTIONS[Token[keyword]] = KEYWORD;
for (const operator of ['!', '-', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '+', '*', '/', '->', '//', '++']) ACTIONS[Token[operator]] = OPERATOR;
ACTIONS[Token['?']] = HAS_ATTR_OPERATOR; // also the default marker of a formal, which is not an operator
ACTIONS[Token['${']] = INTERPOLATION_OPEN;
ACTIONS[Token['}']] = CLOSE_BRACE;
ACTIONS[Kind.Identifier] = IDENTIFIER;
ACTIONS[Kind.Comment] = COMMENT;
ACTIONS[Kind.IntegerExpression] = NUMBER;
ACTIONS[Kind.FloatExpression] = NUMBER;
ACTIONS[Kind.StringExpression] = STRING;
ACTIONS[Kind.IndentedStringExpression] = STRING;
ACTIONS[Kind.PathExpression] = PATH_WITH_PARTS;
ACTIONS[Kind.HpathExpression] = PATH_WITH_PARTS;
ACTIONS[Kind.SpathExpression] = WHOLE_PATH;
ACTIONS[Kind.UriExpression] = WHOLE_STRING;

interface NameClass {
  readonly type: SemanticTokenType;
  readonly modifiers: number;
}

const VARIABLE: NameClass = { type: 'variable', modifiers: 0 };
const VARIABLE_DECLARATION: NameClass = { type: 'variable', modifiers: DECLARATION };
const PARAMETER: NameClass = { type: 'parameter', modifiers: 0 };
const PARAMETER_DECLARATION: NameClass = { type: 'parameter', modifiers: DECLARATION };
const PROPERTY: NameClass = { type: 'property', modifiers: 0 };
const BUILTIN_PROPERTY: NameClass = { type: 'property', modifiers: DEFAULT_LIBRARY };
const BUILTIN_FUNCTION: NameClass = { type: 'function', modifiers: DEFAULT_LIBRARY };
const BUILTIN_CONSTANT: NameClass = { type: 'variable', modifiers: DEFAULT_LIBRARY | READONLY };

/** Whether `node` is the `function` part of an application (`f` of `f x`). */
function inFunctionPosition(table: SyntaxTable, node: NodeId): boolean {
  const parent = table.parent(node);
  return parent !== NO_NODE && table.kind(parent) === Kind.ApplyExpression && table.field(node) === Field.Function;
}

function isLastChild(table: SyntaxTable, node: NodeId): boolean {
  return table.nextSibling(node) === NO_NODE;
}

/**
 * The most tokens one answer holds: the first ones in document order, the rest of the file (or
 * range) stays as the editor's own grammar colours it. The 2.4 MB benchmark file has 148,000
 * tokens; a file of 4 MB (the largest the server analyses) of nothing but names has 1.9 million:
 * 13 times the work, and a 19 MB answer that the editor must parse.
 */
export const MAX_SEMANTIC_TOKENS = 500_000;

/**
 * Tokens for a whole file, or for the part of it that meets `range` (tokens there are clipped to
 * the range), at most `maxTokens` of them. Linear in the rows visited.
 */
export function semanticTokens(file: AnalyzedFile, range?: OffsetRange, maxTokens = MAX_SEMANTIC_TOKENS): SemanticToken[] {
  return new TokenWalk(file, range, maxTokens).run();
}

class TokenWalk {
  private readonly table: SyntaxTable;
  private readonly text: string;
  private readonly references: readonly Reference[];
  /** Index of the first reference whose row has not been passed yet (rows are visited in order). */
  private nextReference = 0;
  /** Whether `nextReference` was found by binary search (a range walk starts mid-file). */
  private referencesPositioned = false;
  private readonly from: number;
  private readonly to: number;
  private readonly tokens: SemanticToken[] = [];
  /**
   * String and path pieces waiting to be emitted, earliest on top. A string's pieces around its
   * interpolations are known when the string is visited but must come out in order with the
   * tokens inside the interpolations; a nested string's pieces all come before the outer
   * string's pending ones, so a stack keeps them sorted.
   */
  private readonly pending: SemanticToken[] = [];

  constructor(
    private readonly file: AnalyzedFile,
    range: OffsetRange | undefined,
    private readonly maxTokens: number,
  ) {
    this.table = file.table;
    this.text = file.text;
    this.references = file.scopes.references;
    this.from = range ? range.start : 0;
    this.to = range ? range.end : this.text.length;
  }

  run(): SemanticToken[] {
    const { table, to } = this;
    const kinds = table.kinds;
    const size = table.size;
    let row = this.from > 0 ? this.visitRowsAcrossStart() : 0;
    // Rows are in preorder, so their starts never decrease: stop at the first one past the range.
    for (; row < size && (table.start(row) < to || row === 0) && this.tokens.length < this.maxTokens; ) {
      const kind = kinds[row];
      const action = kind < ACTIONS.length ? ACTIONS[kind] : IGNORE;
      row = action === IGNORE ? row + 1 : this.visit(row, kind, action);
    }
    this.flushPending(Number.POSITIVE_INFINITY);
    return this.tokens;
  }

  /**
   * Visits the rows that start before the range and reach into it, and returns the first row
   * that starts inside it. Those rows are exactly the ancestors (and self) of the last row that
   * starts before the range, so nothing before the range is walked.
   */
  private visitRowsAcrossStart(): NodeId {
    const { table, from } = this;
    const firstInside = firstRowStartingAtOrAfter(table, from);
    const across: NodeId[] = [];
    for (let row = firstInside - 1; row !== NO_NODE && row >= 0; row = table.parent(row)) if (table.end(row) > from) across.push(row);
    let next = firstInside;
    for (let i = across.length - 1; i >= 0; i--) {
      const row = across[i];
      const kind = table.kind(row);
      const action = kind < ACTIONS.length ? ACTIONS[kind] : IGNORE;
      if (action === IGNORE) continue;
      // A row visited whole (a quoted attribute name) may cover the rows after it.
      next = Math.max(next, this.visit(row, kind, action));
    }
    return next;
  }

  /** Emits what `row` stands for; returns the next row to visit. */
  private visit(row: NodeId, kind: KindId, action: number): NodeId {
    const table = this.table;
    switch (action) {
      case KEYWORD:
        this.emitNode(row, 'keyword', 0);
        break;
      case OPERATOR:
        this.emitNode(row, 'operator', 0);
        break;
      case HAS_ATTR_OPERATOR:
        if (table.kind(table.parent(row)) === Kind.HasAttrExpression) this.emitNode(row, 'operator', 0);
        break;
      case INTERPOLATION_OPEN:
        this.emitNode(row, 'operator', INTERPOLATION);
        break;
      case CLOSE_BRACE:
        if (table.kind(table.parent(row)) === Kind.Interpolation) this.emitNode(row, 'operator', INTERPOLATION);
        break;
      case IDENTIFIER: {
        const name = this.classifyName(row);
        if (name) this.emitNode(row, name.type, name.modifiers);
        break;
      }
      case COMMENT:
        this.emitNode(row, 'comment', isDocComment(this.text, table.start(row), table.end(row)) ? DOCUMENTATION : 0);
        break;
      case NUMBER:
        this.emitNode(row, 'number', 0);
        break;
      case STRING: {
        const name = this.isAttributeName(row) && staticAttributeName(table, row) !== undefined ? this.classifyName(row) : undefined;
        if (name) {
          // `"a" = 1;` names the attribute `a`: coloured like the identifier would be.
          this.emitNode(row, name.type, name.modifiers);
          return table.subtreeEnd(row);
        }
        this.queuePieces(row, 0);
        break;
      }
      case PATH_WITH_PARTS:
        this.queuePieces(row, PATH);
        break;
      case WHOLE_PATH:
        this.emitNode(row, 'string', PATH);
        return table.subtreeEnd(row);
      case WHOLE_STRING:
        this.emitNode(row, 'string', 0);
        return table.subtreeEnd(row);
      default:
        throw new Error(`semantic tokens: unhandled action ${action} for kind ${kind}`);
    }
    return row + 1;
  }

  private isAttributeName(node: NodeId): boolean {
    const parent = this.table.parent(node);
    if (parent === NO_NODE || this.table.field(node) !== Field.Attr) return false;
    const kind = this.table.kind(parent);
    return kind === Kind.Attrpath || kind === Kind.InheritedAttrs;
  }

  /** What the identifier (or static string attribute) `node` names, or undefined for none. */
  private classifyName(node: NodeId): NameClass | undefined {
    const table = this.table;
    const parent = table.parent(node);
    if (parent === NO_NODE) return undefined;
    switch (table.kind(parent)) {
      case Kind.VariableExpression: {
        const name = this.classifyReference(node);
        return inFunctionPosition(table, parent) ? { type: 'function', modifiers: name.modifiers } : name;
      }
      case Kind.Attrpath:
        return this.classifyAttribute(node, parent);
      case Kind.InheritedAttrs:
        return this.classifyInherited(parent);
      case Kind.Formal:
        return table.field(node) === Field.Name ? PARAMETER_DECLARATION : undefined;
      case Kind.FunctionExpression:
        return table.field(node) === Field.Universal ? PARAMETER_DECLARATION : undefined;
      default:
        return undefined;
    }
  }

  private referenceAt(node: NodeId): Reference | undefined {
    const references = this.references;
    if (!this.referencesPositioned) {
      this.nextReference = firstReferenceAtOrAfter(references, node);
      this.referencesPositioned = true;
    }
    while (this.nextReference < references.length && references[this.nextReference].node < node) this.nextReference++;
    const candidate = references[this.nextReference];
    return candidate && candidate.node === node ? candidate : undefined;
  }

  private classifyReference(identifier: NodeId): NameClass {
    const reference = this.referenceAt(identifier);
    if (!reference) return VARIABLE;
    const { resolution } = reference;
    switch (resolution.kind) {
      case 'definition': {
        const kind = resolution.definition.kind;
        return kind === 'formal' || kind === 'lambda' || kind === 'at-pattern' ? PARAMETER : VARIABLE;
      }
      case 'builtin':
        return globalBuiltin(reference.name)?.kind === 'function' ? BUILTIN_FUNCTION : BUILTIN_CONSTANT;
      default:
        // From a `with`, or undefined: still a variable to the reader.
        return VARIABLE;
    }
  }

  /** An attribute of an attrpath: of a binding, a select (`a.b`) or a has-attr test (`a ? b`). */
  private classifyAttribute(attr: NodeId, attrpath: NodeId): NameClass {
    const table = this.table;
    const owner = table.parent(attrpath);
    const ownerKind = owner === NO_NODE ? -1 : table.kind(owner);
    const first = table.firstChild(attrpath) === attr;
    if (ownerKind === Kind.Binding) return first && bindingOwnerKind(table, owner) === Kind.LetExpression ? VARIABLE_DECLARATION : PROPERTY;
    if (ownerKind !== Kind.SelectExpression && ownerKind !== Kind.HasAttrExpression) return PROPERTY;
    const fromBuiltins = first && this.isBuiltinsSet(table.childByField(owner, Field.Expression)) && this.isBuiltinName(attr);
    if (ownerKind === Kind.SelectExpression && isLastChild(table, attr) && inFunctionPosition(table, owner)) {
      return fromBuiltins ? BUILTIN_FUNCTION : { type: 'function', modifiers: 0 };
    }
    return fromBuiltins ? BUILTIN_PROPERTY : PROPERTY;
  }

  /** A name of `inherit a;` or `inherit (e) a;`: a variable in a let, an attribute elsewhere. */
  private classifyInherited(attrs: NodeId): NameClass {
    const table = this.table;
    const inherit = table.parent(attrs);
    if (bindingOwnerKind(table, inherit) === Kind.LetExpression) return VARIABLE_DECLARATION;
    if (table.kind(inherit) === Kind.InheritFrom && this.isBuiltinsSet(table.childByField(inherit, Field.Expression))) return BUILTIN_PROPERTY;
    return PROPERTY;
  }

  /** Whether `node` is the global `builtins` (not a variable of that name). */
  private isBuiltinsSet(node: NodeId): boolean {
    const table = this.table;
    if (node === NO_NODE || table.kind(node) !== Kind.VariableExpression) return false;
    const identifier = table.firstChild(node);
    if (identifier === NO_NODE || table.nodeText(identifier) !== 'builtins') return false;
    return this.file.scopes.referenceAt(identifier)?.resolution.kind === 'builtin';
  }

  private isBuiltinName(attr: NodeId): boolean {
    const name = staticAttributeName(this.table, attr);
    return name !== undefined && isBuiltin(name);
  }

  /**
   * Queues the pieces of a string or path between its interpolations (quotes, text, escapes)
   * as `string` tokens; the interpolations are visited as the walk goes on.
   */
  private queuePieces(node: NodeId, modifiers: number): void {
    const table = this.table;
    const pieces: SemanticToken[] = [];
    let pieceStart = table.start(node);
    for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) {
      if (table.kind(child) !== Kind.Interpolation) continue;
      if (table.start(child) > pieceStart) pieces.push({ start: pieceStart, length: table.start(child) - pieceStart, type: 'string', modifiers });
      pieceStart = table.end(child);
    }
    if (table.end(node) > pieceStart) pieces.push({ start: pieceStart, length: table.end(node) - pieceStart, type: 'string', modifiers });
    this.flushPending(table.start(node));
    for (let i = pieces.length - 1; i >= 0; i--) this.pending.push(pieces[i]);
  }

  private flushPending(before: number): void {
    const pending = this.pending;
    while (pending.length > 0 && pending[pending.length - 1].start < before) {
      const piece = pending.pop() as SemanticToken;
      this.emit(piece.start, piece.start + piece.length, piece.type, piece.modifiers);
    }
  }

  private emitNode(node: NodeId, type: SemanticTokenType, modifiers: number): void {
    const start = this.table.start(node);
    this.flushPending(start);
    this.emit(start, this.table.end(node), type, modifiers);
  }

  /**
   * Adds a token, clipped to the range; empty ones (MISSING tokens, outside the range) and those
   * past `maxTokens` are dropped.
   */
  private emit(start: number, end: number, type: SemanticTokenType, modifiers: number): void {
    const clippedStart = Math.max(start, this.from);
    const clippedEnd = Math.min(end, this.to);
    if (clippedEnd > clippedStart && this.tokens.length < this.maxTokens) this.tokens.push({ start: clippedStart, length: clippedEnd - clippedStart, type, modifiers });
  }
}

/** The kind of the let, rec or set that a binding or inherit belongs to, or -1. */
function bindingOwnerKind(table: SyntaxTable, binding: NodeId): number {
  const bindingSet = table.parent(binding);
  if (bindingSet === NO_NODE || table.kind(bindingSet) !== Kind.BindingSet) return -1;
  const owner = table.parent(bindingSet);
  return owner === NO_NODE ? -1 : table.kind(owner);
}

/** `/** … *\/` documents what follows it (RFC 145); `/**\/` is an empty comment. */
function isDocComment(text: string, start: number, end: number): boolean {
  return end - start > 4 && text.startsWith('/**', start);
}

/** Binary search over the rows' starts, which never decrease in preorder. */
function firstRowStartingAtOrAfter(table: SyntaxTable, offset: number): NodeId {
  let low = 0;
  let high = table.size;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (table.start(mid) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Binary search: the first reference whose row is >= `row`. */
function firstReferenceAtOrAfter(references: readonly Reference[], row: NodeId): number {
  let low = 0;
  let high = references.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (references[mid].node < row) low = mid + 1;
    else high = mid;
  }
  return low;
}

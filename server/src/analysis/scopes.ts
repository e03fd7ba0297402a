// The scope model: every variable reference resolved to what defines it, in one iterative pass
// over the SyntaxTable. Nix resolves names statically: a name bound by `let`, `rec`, a lambda
// argument or a formal wins; then the global builtins (`map`, `true`, `import`, ...); only a name
// found in neither comes from the innermost enclosing `with` (which is why `with` can never make
// an undefined name certain, and why this model calls such names "maybe defined").
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
// TEMPORARY until analysis/builtins.ts lands.
const GLOBAL_BUILTINS: ReadonlySet<string> = new Set(['true', 'false', 'null', 'import', 'map', 'toString', 'throw', 'abort', 'derivation', 'isNull', 'removeAttrs', 'baseNameOf', 'dirOf', 'fetchTarball', 'placeholder', 'scopedImport', 'builtins']);

export type DefinitionKind =
  | 'let' // let a = …; in
  | 'let-inherit' // let inherit a; / inherit (e) a; in
  | 'rec' // rec { a = …; }
  | 'rec-inherit'
  | 'formal' // { a, b ? 1 }:
  | 'lambda' // a: …
  | 'at-pattern'; // args@{ … }:

export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
  /** The identifier (or static string key) that introduces the name; the first one if repeated. */
  readonly node: NodeId;
  /** Further sites of the same name in the same scope (`a.b = 1; a.c = 2;` in a let). */
  readonly otherNodes: NodeId[];
  /** The let/rec/function node whose scope holds the name. */
  readonly scope: NodeId;
  /** For `inherit (e) a`, the `inherit_from` node; for `inherit a`, the `inherit` node. */
  readonly inheritNode: NodeId;
  readonly references: Reference[];
}

export type Resolution =
  | { readonly kind: 'definition'; readonly definition: Definition }
  | { readonly kind: 'builtin' }
  /** Not bound lexically and not a builtin: comes from one of the enclosing `with`s, if any has it. */
  | { readonly kind: 'with'; readonly withNodes: readonly NodeId[] }
  | { readonly kind: 'undefined' };

export interface Reference {
  /** The identifier node. */
  readonly node: NodeId;
  readonly name: string;
  readonly resolution: Resolution;
  /** True for the attribute names of a plain `inherit a;`, which are references too. */
  readonly inherited: boolean;
}

export interface WithInfo {
  readonly node: NodeId;
  /** References in its body that may come from it (none: the `with` is useless). */
  readonly references: Reference[];
}

export interface ScopeModel {
  readonly definitions: readonly Definition[];
  /** Every variable reference in document order. */
  readonly references: readonly Reference[];
  readonly withs: readonly WithInfo[];
  /** Definitions by the node of their introducing identifier (any site). */
  definitionAt(node: NodeId): Definition | undefined;
  /** The reference whose identifier is `node`. */
  referenceAt(node: NodeId): Reference | undefined;
}

interface ActiveScope {
  readonly node: NodeId;
  readonly endRow: NodeId;
  /** First row the scope applies to (a `with` applies to its body, not its environment). */
  readonly startRow: NodeId;
  readonly names: Map<string, Definition> | undefined;
  readonly withInfo: WithInfo | undefined;
}

/** Kinds the scope pass acts on, indexed by kind id. */
const SCOPE_KINDS = new Uint8Array(512);
for (const kind of [Kind.LetExpression, Kind.RecAttrsetExpression, Kind.LetAttrsetExpression, Kind.FunctionExpression, Kind.WithExpression, Kind.VariableExpression, Kind.Inherit]) {
  SCOPE_KINDS[kind] = 1;
}

const UNDEFINED: Resolution = { kind: 'undefined' };
const BUILTIN: Resolution = { kind: 'builtin' };

/**
 * The static name of an attrpath part: identifiers and plain strings; undefined for `${…}` and
 * strings with interpolation.
 */
export function staticAttrName(table: SyntaxTable, attr: NodeId): string | undefined {
  const kind = table.kind(attr);
  if (kind === Kind.Identifier) return table.nodeText(attr);
  if (kind === Kind.StringExpression) {
    let name = '';
    for (let child = table.firstChild(attr); child !== NO_NODE; child = table.nextSibling(child)) {
      const childKind = table.kind(child);
      if (childKind === Kind.StringFragment) name += table.nodeText(child);
      else if (childKind === Kind.EscapeSequence) name += unescape(table.nodeText(child));
      else if (childKind === Kind.Interpolation) return undefined;
    }
    return name;
  }
  return undefined;
}

function unescape(sequence: string): string {
  switch (sequence) {
    case '\\n':
      return '\n';
    case '\\t':
      return '\t';
    case '\\r':
      return '\r';
    default:
      return sequence.slice(1);
  }
}

/** Whether `binding_set` belongs to a let or rec whose bindings are in scope of each other. */
function scopeKindOfBindingSet(table: SyntaxTable, bindingSet: NodeId): 'let' | 'rec' | undefined {
  const owner = table.parent(bindingSet);
  if (owner === NO_NODE) return undefined;
  const kind = table.kind(owner);
  if (kind === Kind.LetExpression) return 'let';
  if (kind === Kind.RecAttrsetExpression || kind === Kind.LetAttrsetExpression) return 'rec';
  return undefined;
}

function collectBindingNames(table: SyntaxTable, owner: NodeId, flavour: 'let' | 'rec'): Map<string, Definition> {
  const names = new Map<string, Definition>();
  const bindingSet = table.childOfKind(owner, Kind.BindingSet);
  if (bindingSet === NO_NODE) return names;
  const add = (name: string, node: NodeId, kind: DefinitionKind, inheritNode: NodeId): void => {
    const existing = names.get(name);
    if (existing) existing.otherNodes.push(node);
    else names.set(name, { name, kind, node, otherNodes: [], scope: owner, inheritNode, references: [] });
  };
  for (let binding = table.firstChild(bindingSet); binding !== NO_NODE; binding = table.nextSibling(binding)) {
    const kind = table.kind(binding);
    if (kind === Kind.Binding) {
      const attrpath = table.childByField(binding, Field.Attrpath);
      const first = attrpath === NO_NODE ? NO_NODE : table.firstChild(attrpath);
      if (first === NO_NODE) continue;
      const name = staticAttrName(table, first);
      if (name !== undefined) add(name, first, flavour, NO_NODE);
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      const attrs = table.childByField(binding, Field.Attrs);
      if (attrs === NO_NODE) continue;
      for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
        const name = staticAttrName(table, attr);
        if (name !== undefined) add(name, attr, flavour === 'let' ? 'let-inherit' : 'rec-inherit', binding);
      }
    }
  }
  return names;
}

function collectFunctionNames(table: SyntaxTable, fn: NodeId): Map<string, Definition> {
  const names = new Map<string, Definition>();
  const formals = table.childByField(fn, Field.Formals);
  const universal = table.childByField(fn, Field.Universal);
  const add = (name: string, node: NodeId, kind: DefinitionKind): void => {
    const existing = names.get(name);
    if (existing) existing.otherNodes.push(node);
    else names.set(name, { name, kind, node, otherNodes: [], scope: fn, inheritNode: NO_NODE, references: [] });
  };
  if (formals !== NO_NODE) {
    for (let formal = table.firstChild(formals); formal !== NO_NODE; formal = table.nextSibling(formal)) {
      if (table.kind(formal) !== Kind.Formal) continue;
      const name = table.childByField(formal, Field.Name);
      if (name !== NO_NODE && !table.isMissing(name)) add(table.nodeText(name), name, 'formal');
    }
  }
  if (universal !== NO_NODE && !table.isMissing(universal)) add(table.nodeText(universal), universal, formals === NO_NODE ? 'lambda' : 'at-pattern');
  return names;
}

/** Resolves every reference of the file. Iterative; linear in the number of rows. */
export function buildScopeModel(table: SyntaxTable): ScopeModel {
  const definitions: Definition[] = [];
  const references: Reference[] = [];
  const withs: WithInfo[] = [];
  const stack: ActiveScope[] = [];
  const size = table.size;

  const resolve = (name: string, row: NodeId, skipScope: NodeId): Resolution => {
    let activeWiths: NodeId[] | undefined;
    for (let i = stack.length - 1; i >= 0; i--) {
      const scope = stack[i];
      if (row < scope.startRow || scope.node === skipScope) continue;
      if (scope.withInfo) {
        (activeWiths ??= []).push(scope.node);
        continue;
      }
      const definition = scope.names?.get(name);
      if (definition) return { kind: 'definition', definition };
    }
    if (GLOBAL_BUILTINS.has(name)) return BUILTIN;
    return activeWiths ? { kind: 'with', withNodes: activeWiths } : UNDEFINED;
  };

  const addReference = (identifier: NodeId, row: NodeId, skipScope: NodeId, inherited: boolean): void => {
    if (table.isMissing(identifier)) return;
    const name = table.nodeText(identifier);
    const resolution = resolve(name, row, skipScope);
    const reference: Reference = { node: identifier, name, resolution, inherited };
    references.push(reference);
    if (resolution.kind === 'definition') resolution.definition.references.push(reference);
    else if (resolution.kind === 'with') {
      for (const scope of stack) if (scope.withInfo && resolution.withNodes.includes(scope.node)) scope.withInfo.references.push(reference);
    }
  };

  const kinds = table.kinds;
  for (let row = 0; row < size; row++) {
    const kind = kinds[row];
    if (SCOPE_KINDS[kind] === 0) continue;
    while (stack.length > 0 && stack[stack.length - 1].endRow <= row) stack.pop();
    switch (kind) {
      case Kind.LetExpression:
      case Kind.RecAttrsetExpression:
      case Kind.LetAttrsetExpression: {
        const names = collectBindingNames(table, row, kind === Kind.LetExpression ? 'let' : 'rec');
        for (const definition of names.values()) definitions.push(definition);
        stack.push({ node: row, endRow: table.subtreeEnd(row), startRow: row, names, withInfo: undefined });
        break;
      }
      case Kind.FunctionExpression: {
        const names = collectFunctionNames(table, row);
        for (const definition of names.values()) definitions.push(definition);
        stack.push({ node: row, endRow: table.subtreeEnd(row), startRow: row, names, withInfo: undefined });
        break;
      }
      case Kind.WithExpression: {
        const body = table.childByField(row, Field.Body);
        const withInfo: WithInfo = { node: row, references: [] };
        withs.push(withInfo);
        if (body !== NO_NODE) stack.push({ node: row, endRow: table.subtreeEnd(row), startRow: body, names: undefined, withInfo });
        break;
      }
      case Kind.VariableExpression: {
        const identifier = table.firstChild(row);
        if (identifier !== NO_NODE && table.kind(identifier) === Kind.Identifier) addReference(identifier, row, NO_NODE, false);
        break;
      }
      case Kind.Inherit: {
        // `inherit a;` reads `a` from outside the let/rec it sits in (inside would be a loop).
        const bindingSet = table.parent(row);
        const skip = scopeKindOfBindingSet(table, bindingSet) ? table.parent(bindingSet) : NO_NODE;
        const attrs = table.childByField(row, Field.Attrs);
        if (attrs === NO_NODE) break;
        for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
          if (table.kind(attr) === Kind.Identifier) addReference(attr, row, skip, true);
        }
        break;
      }
      default:
        break;
    }
  }

  let definitionsByNode: Map<NodeId, Definition> | undefined;
  let referencesByNode: Map<NodeId, Reference> | undefined;
  return {
    definitions,
    references,
    withs,
    definitionAt(node) {
      if (!definitionsByNode) {
        definitionsByNode = new Map();
        for (const definition of definitions) {
          definitionsByNode.set(definition.node, definition);
          for (const other of definition.otherNodes) definitionsByNode.set(other, definition);
        }
      }
      return definitionsByNode.get(node);
    },
    referenceAt(node) {
      if (!referencesByNode) referencesByNode = new Map(references.map((reference) => [reference.node, reference]));
      return referencesByNode.get(node);
    },
  };
}

/** Names visible at `offset`, innermost first, without builtins; `withs` lists enclosing `with` nodes. */
export function visibleNames(table: SyntaxTable, offset: number): { names: Map<string, DefinitionKind>; withs: NodeId[] } {
  const names = new Map<string, DefinitionKind>();
  const withs: NodeId[] = [];
  for (let node = table.nodeAt(offset); node !== NO_NODE; node = table.parent(node)) {
    const kind = table.kind(node);
    let scopeNames: Map<string, Definition> | undefined;
    if (kind === Kind.LetExpression) scopeNames = collectBindingNames(table, node, 'let');
    else if (kind === Kind.RecAttrsetExpression || kind === Kind.LetAttrsetExpression) scopeNames = collectBindingNames(table, node, 'rec');
    else if (kind === Kind.FunctionExpression) scopeNames = collectFunctionNames(table, node);
    else if (kind === Kind.WithExpression) {
      const body = table.childByField(node, Field.Body);
      if (body !== NO_NODE && table.start(body) <= offset) withs.push(node);
    }
    for (const [name, definition] of scopeNames ?? []) if (!names.has(name)) names.set(name, definition.kind);
  }
  return { names, withs };
}

// The scope model: every variable reference resolved to what defines it, in one iterative pass
// over the SyntaxTable. Nix resolves names statically: a name bound by `let`, `rec`, a lambda
// argument or a formal wins; then the global builtins (`map`, `true`, `import`, ...); only a name
// found in neither comes from the innermost enclosing `with` (which is why `with` can never make
// an undefined name certain, and why this model calls such names "maybe defined").
// Where Nix's parser merges sets that share a first name (`a = rec { … }; a.c = e;`), scopes
// follow the merged sets, not the text (attrset-merges.ts). The verdicts equal Nix's own, checked
// against `nix-instantiate --parse` (test/rules/undefined-variable-oracle.test.ts).
import { Field, Kind } from '../syntax/grammar';
import type { SpliceInfo } from '../syntax/source-file';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { staticAttributeName } from './attribute-names';
import { emptyMergeEffects, findMergeEffects, hasMergeEffects, MergedName, MergeEffects } from './attrset-merges';
import { GLOBAL_BUILTINS } from './builtins';

export type DefinitionKind =
  | 'let' // let a = …; in
  | 'let-inherit' // let inherit a; / inherit (e) a; in
  | 'rec' // rec { a = …; }
  | 'rec-inherit'
  | 'formal' // { a, b ? 1 }:
  | 'lambda' // a: …
  | 'at-pattern'; // args@{ … }:

// Rows (`NodeId`s) stored below are moved in place when the table is spliced, hence mutable.
export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
  /** The identifier (or static string key) that introduces the name; the first one if repeated. */
  node: NodeId;
  /** Further sites of the same name in the same scope (`a.b = 1; a.c = 2;` in a let). */
  readonly otherNodes: NodeId[];
  /**
   * The let/rec/function node whose scope holds the name. A name that Nix's set merging adds to
   * a rec set (`a = rec { … }; a.c = 1;`) has its `node` outside that set's braces.
   */
  scope: NodeId;
  /** For `inherit (e) a`, the `inherit_from` node; for `inherit a`, the `inherit` node. */
  inheritNode: NodeId;
  /** References resolved to this definition, in no particular order. */
  references: Reference[];
}

export type Resolution =
  | { readonly kind: 'definition'; readonly definition: Definition }
  | { readonly kind: 'builtin' }
  /** Not bound lexically and not a builtin: comes from one of the enclosing `with`s, if any has it. */
  | { readonly kind: 'with'; readonly withs: readonly WithInfo[] }
  | { readonly kind: 'undefined' };

export interface Reference {
  /** The identifier node; for `inherit "a";` or `inherit ${"a"};`, that attribute. */
  node: NodeId;
  readonly name: string;
  readonly resolution: Resolution;
  /** True for the attribute names of a plain `inherit a;`, which are references too. */
  readonly inherited: boolean;
}

export interface WithInfo {
  node: NodeId;
  /** References in its body that may come from it (none: the `with` is useless). */
  references: Reference[];
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
for (const kind of [
  Kind.LetExpression,
  Kind.RecAttrsetExpression,
  Kind.LetAttrsetExpression,
  Kind.FunctionExpression,
  Kind.WithExpression,
  Kind.VariableExpression,
  Kind.Inherit,
  // For attribute-set merging (attrset-merges.ts): where it is found and where it applies.
  Kind.BindingSet,
  Kind.Binding,
  Kind.AttrsetExpression,
]) {
  SCOPE_KINDS[kind] = 1;
}

const UNDEFINED: Resolution = { kind: 'undefined' };
const BUILTIN: Resolution = { kind: 'builtin' };

/**
 * The static name of an attrpath part: identifiers, plain strings and `${"plain"}`; undefined for
 * other `${…}` and strings with interpolation.
 */
export const staticAttrName: (table: SyntaxTable, attr: NodeId) => string | undefined = staticAttributeName;

/** Whether `binding_set` belongs to a let or rec whose bindings are in scope of each other. */
function scopeKindOfBindingSet(table: SyntaxTable, bindingSet: NodeId): 'let' | 'rec' | undefined {
  const owner = table.parent(bindingSet);
  if (owner === NO_NODE) return undefined;
  const kind = table.kind(owner);
  if (kind === Kind.LetExpression) return 'let';
  if (kind === Kind.RecAttrsetExpression || kind === Kind.LetAttrsetExpression) return 'rec';
  return undefined;
}

/** The names a let or rec defines; `extra` are names merged into a rec set from outside it. */
function collectBindingNames(table: SyntaxTable, owner: NodeId, flavour: 'let' | 'rec', extra?: readonly MergedName[]): Map<string, Definition> {
  const names = new Map<string, Definition>();
  const bindingSet = table.childOfKind(owner, Kind.BindingSet);
  const add = (name: string, node: NodeId, kind: DefinitionKind, inheritNode: NodeId): void => {
    const existing = names.get(name);
    if (existing) existing.otherNodes.push(node);
    else names.set(name, { name, kind, node, otherNodes: [], scope: owner, inheritNode, references: [] });
  };
  for (let binding = bindingSet === NO_NODE ? NO_NODE : table.firstChild(bindingSet); binding !== NO_NODE; binding = table.nextSibling(binding)) {
    const kind = table.kind(binding);
    if (kind === Kind.Binding) {
      const attrpath = table.childByField(binding, Field.Attrpath);
      const first = attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
      if (first === NO_NODE) continue;
      const name = staticAttributeName(table, first);
      if (name !== undefined) add(name, first, flavour, NO_NODE);
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      const attrs = table.childByField(binding, Field.Attrs);
      if (attrs === NO_NODE) continue;
      for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
        const name = staticAttributeName(table, attr);
        if (name !== undefined) add(name, attr, flavour === 'let' ? 'let-inherit' : 'rec-inherit', binding);
      }
    }
  }
  for (const merged of extra ?? []) add(merged.name, merged.node, merged.inheritNode === NO_NODE ? 'rec' : 'rec-inherit', merged.inheritNode);
  return names;
}

/** The names a let, rec, legacy `let { }` or function node binds (without set merging). */
export function namesBoundBy(table: SyntaxTable, scope: NodeId): Set<string> {
  const kind = table.kind(scope);
  const names =
    kind === Kind.FunctionExpression ? collectFunctionNames(table, scope) : collectBindingNames(table, scope, kind === Kind.LetExpression ? 'let' : 'rec');
  return new Set(names.keys());
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

/** Binary search: the first index whose item's row is >= `row`. */
function lowerBound<T extends { node: NodeId }>(items: readonly T[], row: NodeId): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (items[mid].node < row) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Binary search in a sorted list of rows: the first index whose row is >= `row`. */
function lowerBoundRow(rows: readonly NodeId[], row: NodeId): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (rows[mid] < row) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** `list.splice(index, 0, ...items)` without the argument-count limit of spreading. */
function insertAll<T>(list: T[], index: number, items: readonly T[]): void {
  const CHUNK = 8192;
  for (let offset = 0; offset < items.length; offset += CHUNK) {
    list.splice(index + offset, 0, ...items.slice(offset, offset + CHUNK));
  }
}

/** What one pass over a row range found, each list in row order. */
interface PassResult {
  definitions: Definition[];
  references: Reference[];
  withs: WithInfo[];
  /** Bindings whose scopes depend on their siblings through attribute-set merging. */
  mergedBindings: NodeId[];
}

/**
 * Resolves the references in rows `[from, to)`, with `stack` holding the scopes that enclose
 * `from`. Iterative; linear in the number of rows. Attribute-set merging (attrset-merges.ts) is
 * applied inside the range; the caller makes sure no merge reaches across its boundary.
 */
function resolveRows(table: SyntaxTable, from: NodeId, to: NodeId, stack: ActiveScope[]): PassResult {
  const definitions: Definition[] = [];
  const references: Reference[] = [];
  const withs: WithInfo[] = [];
  const mergedBindings: NodeId[] = [];
  const outerDepth = stack.length;
  // Merging is rare: these stay empty (and cost one size check per binding) in almost every file.
  const merges: MergeEffects = emptyMergeEffects();
  const recNames = new Map<NodeId, Map<string, Definition>>();
  const definitionResolutions = new Map<Definition, Resolution>();

  // One 'with' resolution per innermost applicable `with`, shared by its references: which outer
  // `with`s also apply is fixed by where that one sits (in their bodies or not).
  const withResolutions = new Map<WithInfo, Resolution>();
  const resolve = (name: string, row: NodeId, skipScope: NodeId): Resolution => {
    let innermostWith: number | undefined;
    for (let i = stack.length - 1; i >= 0; i--) {
      const scope = stack[i];
      if (row < scope.startRow || scope.node === skipScope) continue;
      if (scope.withInfo) {
        innermostWith ??= i;
        continue;
      }
      const definition = scope.names?.get(name);
      if (definition) {
        // One resolution object per definition, shared by its references.
        let resolution = definitionResolutions.get(definition);
        if (!resolution) definitionResolutions.set(definition, (resolution = { kind: 'definition', definition }));
        return resolution;
      }
    }
    if (GLOBAL_BUILTINS.has(name)) return BUILTIN;
    if (innermostWith === undefined) return UNDEFINED;
    const innermost = stack[innermostWith].withInfo as WithInfo;
    let resolution = withResolutions.get(innermost);
    if (!resolution) {
      const withs: WithInfo[] = [];
      for (let i = innermostWith; i >= 0; i--) {
        const scope = stack[i];
        if (scope.withInfo && row >= scope.startRow) withs.push(scope.withInfo);
      }
      withResolutions.set(innermost, (resolution = { kind: 'with', withs }));
    }
    return resolution;
  };

  // References keep their name for the life of the model: one string per distinct name, not one
  // per reference (a large file repeats a few thousand names tens of thousands of times).
  const internedNames = new Map<string, string>();
  const intern = (name: string): string => {
    const known = internedNames.get(name);
    if (known !== undefined) return known;
    internedNames.set(name, name);
    return name;
  };

  const addReference = (identifier: NodeId, name: string, row: NodeId, skipScope: NodeId, inherited: boolean): void => {
    const resolution = resolve(name, row, skipScope);
    const reference: Reference = { node: identifier, name, resolution, inherited };
    references.push(reference);
    if (resolution.kind === 'definition') resolution.definition.references.push(reference);
    else if (resolution.kind === 'with') for (const info of resolution.withs) info.references.push(reference);
  };

  /** Pushes the scopes of merged-into rec sets over the rows of `node`. */
  const pushMergedScopes = (node: NodeId, recSets: readonly NodeId[]): void => {
    const endRow = table.subtreeEnd(node);
    for (const recSet of recSets) {
      const names = recNames.get(recSet);
      if (names) stack.push({ node: recSet, endRow, startRow: node, names, withInfo: undefined });
    }
  };

  const kinds = table.kinds;
  for (let row = from; row < to; row++) {
    const kind = kinds[row];
    if (SCOPE_KINDS[kind] === 0) continue;
    while (stack.length > outerDepth && stack[stack.length - 1].endRow <= row) stack.pop();
    switch (kind) {
      case Kind.RecAttrsetExpression:
      case Kind.LetExpression:
      case Kind.LetAttrsetExpression: {
        if (kind === Kind.RecAttrsetExpression && merges.mergedInto.size > 0 && merges.mergedInto.has(row)) {
          // Merged into an earlier set: not recursive any more, its names belong to that set.
          const target = merges.mergedInto.get(row) as NodeId;
          if (target !== NO_NODE) pushMergedScopes(row, [target]);
          break;
        }
        const names = collectBindingNames(table, row, kind === Kind.LetExpression ? 'let' : 'rec', merges.extraNames.get(row));
        for (const definition of names.values()) definitions.push(definition);
        stack.push({ node: row, endRow: table.subtreeEnd(row), startRow: row, names, withInfo: undefined });
        if (kind === Kind.RecAttrsetExpression) recNames.set(row, names);
        break;
      }
      case Kind.AttrsetExpression:
        if (merges.mergedInto.size > 0) {
          const target = merges.mergedInto.get(row);
          if (target !== undefined && target !== NO_NODE) pushMergedScopes(row, [target]);
        }
        break;
      case Kind.BindingSet: {
        const involved = findMergeEffects(table, row, merges);
        for (const binding of involved) mergedBindings.push(binding);
        break;
      }
      case Kind.Binding:
        if (merges.dropped.size > 0 && merges.dropped.has(row)) {
          // Nix drops it while merging sets: nothing in it is ever resolved.
          row = table.subtreeEnd(row) - 1;
          break;
        }
        if (merges.bindingScopes.size > 0) {
          const recSets = merges.bindingScopes.get(row);
          if (recSets) pushMergedScopes(row, recSets);
        }
        break;
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
        if (identifier !== NO_NODE && table.kind(identifier) === Kind.Identifier && !table.isMissing(identifier)) addReference(identifier, intern(table.nodeText(identifier)), row, NO_NODE, false);
        break;
      }
      case Kind.Inherit: {
        // `inherit a;` reads `a` from outside the let/rec it sits in (inside would be a loop);
        // in a set merged into a rec set, from outside that one.
        const bindingSet = table.parent(row);
        const owner = table.parent(bindingSet);
        let skip = scopeKindOfBindingSet(table, bindingSet) ? owner : NO_NODE;
        if (merges.mergedInto.size > 0 && merges.mergedInto.has(owner)) skip = merges.mergedInto.get(owner) as NodeId;
        const attrs = table.childByField(row, Field.Attrs);
        if (attrs === NO_NODE) break;
        for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
          // `inherit "a" ${"b"};` reads `a` and `b` too.
          const name = staticAttributeName(table, attr);
          if (name !== undefined) addReference(attr, name, row, skip, true);
        }
        break;
      }
      default:
        break;
    }
  }
  stack.length = outerDepth;
  // Definitions were pushed per scope; keep every list in row order for binary searches.
  definitions.sort((a, b) => a.node - b.node);
  mergedBindings.sort((a, b) => a - b);
  return { definitions, references, withs, mergedBindings };
}

/** Kinds that make up the shape of nested attribute sets, which attribute-set merging reads. */
const SHAPE_KINDS = new Set<number>([
  Kind.Binding,
  Kind.BindingSet,
  Kind.Inherit,
  Kind.InheritFrom,
  Kind.InheritedAttrs,
  Kind.Attrpath,
  Kind.AttrsetExpression,
  Kind.RecAttrsetExpression,
  Kind.ParenthesizedExpression,
]);

function isShapeNode(table: SyntaxTable, node: NodeId): boolean {
  if (SHAPE_KINDS.has(table.kind(node))) return true;
  const parent = table.parent(node);
  return parent !== NO_NODE && (table.kind(parent) === Kind.Attrpath || table.kind(parent) === Kind.InheritedAttrs);
}

/**
 * The rows to re-resolve after `splice`, `[from, to)` in the new table: the re-mirrored subtree,
 * widened to its let/rec when the edit touched the names that let/rec defines (anything in a
 * binding but its value), since those names are visible outside the subtree, and to the whole
 * binding set when attribute-set merging ties the edited binding to its siblings (before or after
 * the edit). `mergedBindings` are the previous version's, in old rows.
 */
function resolutionRange(table: SyntaxTable, splice: SpliceInfo, mergedBindings: readonly NodeId[]): { from: NodeId; to: NodeId } {
  // References are recorded when their variable_expression is visited, so start there.
  // A lambda's argument name is defined when the function is visited.
  let start = splice.first;
  const parent = table.parent(start);
  if (parent !== NO_NODE && (table.kind(parent) === Kind.VariableExpression || table.kind(parent) === Kind.FunctionExpression)) start = parent;
  let from = start;
  let previous = NO_NODE;
  for (let node = start; node !== NO_NODE; previous = node, node = table.parent(node)) {
    const kind = table.kind(node);
    if (kind === Kind.Binding || kind === Kind.InheritFrom) {
      if (previous !== NO_NODE && table.field(previous) === Field.Expression) break;
      from = widenToOwner(table, table.parent(node), node);
      break;
    }
    if (kind === Kind.Inherit) {
      from = widenToOwner(table, table.parent(node), node);
      break;
    }
    if (kind === Kind.BindingSet) {
      from = widenToOwner(table, node, node);
      break;
    }
  }
  // A run of siblings may have been re-mirrored (SourceFile splices a few bindings of a long set).
  let to = Math.max(table.subtreeEnd(from), splice.end);

  // Attribute-set merging. Before the edit: a merged binding among the old rows or above them.
  if (mergedBindings.length > 0) {
    const oldTo = to - splice.rowDelta;
    const widen = (bindingSet: NodeId): void => {
      const owner = widenToOwner(table, bindingSet, bindingSet);
      if (owner < from) from = owner;
    };
    // Merged bindings nested inside the range are re-resolved with their whole binding set; only
    // siblings of the range (a re-mirrored run of bindings) have a binding set outside it.
    const parentOfRange = table.parent(from);
    const firstInside = lowerBoundRow(mergedBindings, from);
    if (parentOfRange !== NO_NODE && table.kind(parentOfRange) === Kind.BindingSet && firstInside < mergedBindings.length && mergedBindings[firstInside] < oldTo) widen(parentOfRange);
    // Rows above the range did not move.
    for (let up = table.parent(from); up !== NO_NODE; up = table.parent(up)) {
      const index = lowerBoundRow(mergedBindings, up);
      if (index < mergedBindings.length && mergedBindings[index] === up) widen(table.parent(up));
    }
  }
  // After the edit: an edit to the shape of nested sets may have started a merge.
  if (isShapeNode(table, splice.first)) {
    for (let node = splice.first; node !== NO_NODE && isShapeNode(table, node); node = table.parent(node)) {
      if (table.kind(node) === Kind.BindingSet && hasMergeEffects(table, node)) {
        const owner = widenToOwner(table, node, node);
        if (owner < from) from = owner;
      }
    }
  }
  to = Math.max(to, table.subtreeEnd(from));
  return { from, to };
}

function widenToOwner(table: SyntaxTable, bindingSet: NodeId, fallback: NodeId): NodeId {
  return scopeKindOfBindingSet(table, bindingSet) ? table.parent(bindingSet) : fallback;
}

/**
 * Every variable reference of a file resolved to what defines it. Built in one pass and, after
 * an edit, updated by re-resolving only the subtree the edit touched (see `update`).
 */
export class ScopeModel {
  private constructor(
    /** Sorted by `node`. */
    private readonly definitionList: Definition[],
    /** Sorted by `node`. */
    private readonly referenceList: Reference[],
    /** Sorted by `node`. */
    private readonly withList: WithInfo[],
    /** Bindings tied to their siblings by attribute-set merging, sorted (see attrset-merges.ts). */
    private readonly mergedBindings: NodeId[],
  ) {}

  static build(table: SyntaxTable): ScopeModel {
    const { definitions, references, withs, mergedBindings } = resolveRows(table, 0, table.size, []);
    return new ScopeModel(definitions, references, withs, mergedBindings);
  }

  get definitions(): readonly Definition[] {
    return this.definitionList;
  }
  /** Every variable reference in document order. */
  get references(): readonly Reference[] {
    return this.referenceList;
  }
  get withs(): readonly WithInfo[] {
    return this.withList;
  }

  /** The definition introduced at identifier `node` (any of its sites). */
  definitionAt(node: NodeId): Definition | undefined {
    const index = lowerBound(this.definitionList, node);
    const candidate = this.definitionList[index];
    if (candidate && candidate.node === node) return candidate;
    // A repeated site (`a.b = 1; a.c = 2;` in a let) is rare enough for a scan.
    return this.definitionList.find((definition) => definition.otherNodes.includes(node));
  }

  /** The reference whose identifier is `node`. */
  referenceAt(node: NodeId): Reference | undefined {
    const candidate = this.referenceList[lowerBound(this.referenceList, node)];
    return candidate && candidate.node === node ? candidate : undefined;
  }

  withAt(node: NodeId): WithInfo | undefined {
    const candidate = this.withList[lowerBound(this.withList, node)];
    return candidate && candidate.node === node ? candidate : undefined;
  }

  /**
   * Brings the model up to date with `table` after `splice`: drops what the old rows held, moves
   * later rows, and resolves the new rows against the unchanged enclosing scopes.
   */
  update(table: SyntaxTable, splice: SpliceInfo): void {
    const { from, to } = resolutionRange(table, splice, this.mergedBindings);
    const oldEnd = to - splice.rowDelta;
    const inOldRange = (row: NodeId): boolean => row >= from && row < oldEnd;

    // 1. Forget what the old rows defined and referenced: detach their references from the
    //    definitions and withs outside the range (each list filtered once), then drop them.
    const firstReference = lowerBound(this.referenceList, from);
    const endReference = lowerBound(this.referenceList, oldEnd);
    const touchedDefinitions = new Set<Definition>();
    const touchedWiths = new Set<WithInfo>();
    for (let i = firstReference; i < endReference; i++) {
      const resolution = this.referenceList[i].resolution;
      if (resolution.kind === 'definition' && !inOldRange(resolution.definition.node)) touchedDefinitions.add(resolution.definition);
      else if (resolution.kind === 'with') for (const info of resolution.withs) if (!inOldRange(info.node)) touchedWiths.add(info);
    }
    for (const definition of touchedDefinitions) definition.references = definition.references.filter((r) => !inOldRange(r.node));
    for (const info of touchedWiths) info.references = info.references.filter((r) => !inOldRange(r.node));
    const firstDefinition = lowerBound(this.definitionList, from);
    const firstWith = lowerBound(this.withList, from);
    const firstMerged = lowerBoundRow(this.mergedBindings, from);
    this.referenceList.splice(firstReference, endReference - firstReference);
    this.definitionList.splice(firstDefinition, lowerBound(this.definitionList, oldEnd) - firstDefinition);
    this.withList.splice(firstWith, lowerBound(this.withList, oldEnd) - firstWith);
    this.mergedBindings.splice(firstMerged, lowerBoundRow(this.mergedBindings, oldEnd) - firstMerged);

    // 2. Move everything after the old rows.
    const delta = splice.rowDelta;
    if (delta !== 0) {
      const move = (row: NodeId): NodeId => (row >= oldEnd ? row + delta : row);
      for (let i = firstReference; i < this.referenceList.length; i++) this.referenceList[i].node += delta;
      for (const definition of this.definitionList) {
        definition.node = move(definition.node);
        definition.scope = move(definition.scope);
        definition.inheritNode = move(definition.inheritNode);
        for (let j = 0; j < definition.otherNodes.length; j++) definition.otherNodes[j] = move(definition.otherNodes[j]);
      }
      for (let i = firstWith; i < this.withList.length; i++) this.withList[i].node += delta;
      for (let i = firstMerged; i < this.mergedBindings.length; i++) this.mergedBindings[i] += delta;
    }

    // 3. Resolve the new rows inside the scopes that enclose them, and put them in place.
    const fresh = resolveRows(table, from, to, this.enclosingScopes(table, from));
    insertAll(this.referenceList, firstReference, fresh.references);
    insertAll(this.definitionList, firstDefinition, fresh.definitions);
    insertAll(this.withList, firstWith, fresh.withs);
    insertAll(this.mergedBindings, firstMerged, fresh.mergedBindings);
  }

  /** The scope stack in force at `node`, built from the existing definitions of its ancestors. */
  private enclosingScopes(table: SyntaxTable, node: NodeId): ActiveScope[] {
    const ancestors: NodeId[] = [];
    for (let up = table.parent(node); up !== NO_NODE; up = table.parent(up)) ancestors.push(up);
    ancestors.reverse();
    const stack: ActiveScope[] = [];
    for (const ancestor of ancestors) {
      const kind = table.kind(ancestor);
      const endRow = table.subtreeEnd(ancestor);
      if (kind === Kind.LetExpression || kind === Kind.RecAttrsetExpression || kind === Kind.LetAttrsetExpression || kind === Kind.FunctionExpression) {
        const fresh = kind === Kind.FunctionExpression ? collectFunctionNames(table, ancestor) : collectBindingNames(table, ancestor, kind === Kind.LetExpression ? 'let' : 'rec');
        const names = new Map<string, Definition>();
        for (const [name, definition] of fresh) names.set(name, this.definitionAt(definition.node) ?? definition);
        stack.push({ node: ancestor, endRow, startRow: ancestor, names, withInfo: undefined });
      } else if (kind === Kind.WithExpression) {
        const body = table.childByField(ancestor, Field.Body);
        const withInfo = this.withAt(ancestor);
        if (body !== NO_NODE && withInfo) stack.push({ node: ancestor, endRow, startRow: body, names: undefined, withInfo });
      }
    }
    return stack;
  }
}

/** What a reference at some offset can resolve to (see `visibleNames`). */
export interface VisibleNames {
  /** Each name bound lexically there → the kind of the definition it resolves to. Builtins are left out. */
  readonly names: Map<string, DefinitionKind>;
  /** Each name of `names` → the identifier of its definition (the scope model's `Definition.node`). */
  readonly definitionNodes: Map<string, NodeId>;
  /** The `with`s whose bodies hold the offset, innermost first: a name not listed may come from them. */
  readonly withs: NodeId[];
}

/**
 * Whether `node` is a binding whose first attribute has the static name of another binding's in
 * the same binding set (what attribute-set merging needs). Compares identifiers in place.
 */
function hasNamesake(table: SyntaxTable, node: NodeId): boolean {
  if (table.kind(node) !== Kind.Binding) return false;
  const firstAttribute = (binding: NodeId): NodeId => {
    const attrpath = table.childByField(binding, Field.Attrpath);
    return attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
  };
  const own = firstAttribute(node);
  const name = own === NO_NODE ? undefined : staticAttributeName(table, own);
  if (name === undefined) return false;
  const text = table.text;
  for (let sibling = table.firstChild(table.parent(node)); sibling !== NO_NODE; sibling = table.nextSibling(sibling)) {
    if (sibling === node || table.kind(sibling) !== Kind.Binding) continue;
    const first = firstAttribute(sibling);
    if (first === NO_NODE) continue;
    if (table.kind(first) === Kind.Identifier) {
      if (table.end(first) - table.start(first) === name.length && text.startsWith(name, table.start(first))) return true;
    } else if (staticAttributeName(table, first) === name) {
      return true;
    }
  }
  return false;
}

/** One scope in force at the offset, as `resolveRows` would hold it on its stack. */
interface VisibleScope {
  readonly node: NodeId;
  readonly names: Map<string, Definition> | undefined;
  readonly withNode: NodeId;
}

/**
 * The names visible to a reference at `offset`: the scope stack `resolveRows` holds at that row,
 * rebuilt from the offset's ancestors with the same collectors and the same attribute-set merging
 * (a rec set's names gained from outside it, the scopes of a binding merged into a rec set, the
 * `rec` a merged set loses), so that a reference there resolves to exactly these. Inside an
 * `inherit a;`, the let or rec it belongs to is skipped, as for the names it inherits. Costs the
 * ancestors' binding sets, not the file. test/analysis/visible-names.test.ts checks the agreement.
 */
export function visibleNames(table: SyntaxTable, offset: number): VisibleNames {
  return visibleNamesAt(table, table.nodeAt(offset));
}

/**
 * `visibleNames` at node `target`. `skipScope` is a let or rec to leave out as well, for a caller
 * that knows the node is in an `inherit` the tree does not show (completion in broken text). A
 * lambda's own names are not visible in its argument or `@` name: nothing refers to them there.
 */
export function visibleNamesAt(table: SyntaxTable, target: NodeId, skipScope: NodeId = NO_NODE): VisibleNames {
  const path: NodeId[] = [];
  for (let up = target; up !== NO_NODE; up = table.parent(up)) path.push(up);
  path.reverse();

  // Merging in a binding set affects only rows below it; `resolveRows` finds it in preorder, so
  // the ancestors' binding sets (outermost first) give the effects on every set we look at. Of a
  // binding set, only the bindings named like the one on the way down can affect what is below
  // it: a set whose binding there has no namesake is skipped, which saves simulating the merges
  // of a 20,000-binding set on every call.
  const merges = emptyMergeEffects();
  const mergedBindingSets = new Set<NodeId>();
  const addMergesAbove = (node: NodeId): void => {
    const pending: NodeId[] = [];
    for (let child = node, up = table.parent(node); up !== NO_NODE; child = up, up = table.parent(up)) {
      if (table.kind(up) === Kind.BindingSet && !mergedBindingSets.has(up) && hasNamesake(table, child)) pending.push(up);
    }
    for (let index = pending.length - 1; index >= 0; index--) {
      mergedBindingSets.add(pending[index]);
      findMergeEffects(table, pending[index], merges);
    }
  };
  addMergesAbove(target);
  // A rec set's names, with those merged into it; none when it was merged into another set.
  const recNames = new Map<NodeId, Map<string, Definition> | undefined>();
  const namesOfRec = (recSet: NodeId): Map<string, Definition> | undefined => {
    if (!recNames.has(recSet)) {
      addMergesAbove(recSet);
      recNames.set(recSet, merges.mergedInto.has(recSet) ? undefined : collectBindingNames(table, recSet, 'rec', merges.extraNames.get(recSet)));
    }
    return recNames.get(recSet);
  };

  const stack: VisibleScope[] = [];
  const pushRec = (recSet: NodeId): void => {
    const names = namesOfRec(recSet);
    if (names) stack.push({ node: recSet, names, withNode: NO_NODE });
  };
  let inheritOwner = NO_NODE;
  for (let index = 0; index < path.length; index++) {
    const node = path[index];
    const kind = table.kind(node);
    if (kind === Kind.RecAttrsetExpression) {
      const into = merges.mergedInto.get(node);
      if (into === undefined) pushRec(node);
      else if (into !== NO_NODE) pushRec(into);
    } else if (kind === Kind.LetExpression || kind === Kind.LetAttrsetExpression) {
      stack.push({ node, names: collectBindingNames(table, node, kind === Kind.LetExpression ? 'let' : 'rec', merges.extraNames.get(node)), withNode: NO_NODE });
    } else if (kind === Kind.AttrsetExpression) {
      const into = merges.mergedInto.get(node);
      if (into !== undefined && into !== NO_NODE) pushRec(into);
    } else if (kind === Kind.Binding) {
      for (const recSet of merges.bindingScopes.get(node) ?? []) pushRec(recSet);
    } else if (kind === Kind.FunctionExpression) {
      const inHead = index + 1 < path.length && table.field(path[index + 1]) === Field.Universal;
      if (!inHead) stack.push({ node, names: collectFunctionNames(table, node), withNode: NO_NODE });
    } else if (kind === Kind.WithExpression) {
      // A `with` supplies names to its body (the rows from its body on), not to its environment.
      const body = table.childByField(node, Field.Body);
      if (body !== NO_NODE && target >= body) stack.push({ node, names: undefined, withNode: node });
    } else if (kind === Kind.Inherit) {
      // `inherit a;` reads around the let or rec it belongs to (for a merged set: its target).
      const bindingSet = table.parent(node);
      const owner = table.parent(bindingSet);
      inheritOwner = scopeKindOfBindingSet(table, bindingSet) ? owner : NO_NODE;
      const into = merges.mergedInto.get(owner);
      if (into !== undefined) inheritOwner = into;
    } else if (kind === Kind.VariableExpression) {
      // A variable inside an `inherit` (`inherit ${a};`, or broken text) is an ordinary reference.
      inheritOwner = NO_NODE;
    }
  }

  const names = new Map<string, DefinitionKind>();
  const definitionNodes = new Map<string, NodeId>();
  const withs: NodeId[] = [];
  for (let index = stack.length - 1; index >= 0; index--) {
    const scope = stack[index];
    if (scope.withNode !== NO_NODE) withs.push(scope.withNode);
    if (!scope.names || scope.node === inheritOwner || scope.node === skipScope) continue;
    for (const [name, definition] of scope.names) {
      if (names.has(name)) continue;
      names.set(name, definition.kind);
      definitionNodes.set(name, definition.node);
    }
  }
  return { names, definitionNodes, withs };
}

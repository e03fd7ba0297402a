// How Nix's parser merges the bindings of one attribute set (or let) that share a first name, and
// what that does to scopes. Nix builds `a.b = 1; a.c = 2;` into one nested set `a`, and it also
// merges explicit sets: the bindings of `a = { … }` after an earlier `a.x = …` or `a = { … }` move
// into the earlier set, dropping their own `rec`; a later `a.c = e` after `a = rec { … }` lands
// inside that `rec` set. Scopes follow the merged sets, not the text:
//
//   { a = rec { b = 1; }; a.c = b; }          `b` is defined: `c` is bound inside the rec set,
//                                              and `c` becomes one of its names
//   { a.x = 1; a = rec { b = 1; c = b; }; }   `b` is undefined: the rec set was merged into the
//                                              plain set `a` and is no longer recursive
//
// (Nix's own tests call this regrettable and keep it for compatibility.) Only sets that are the
// direct value of a binding (through parentheses, which Nix does not keep) take part. This module
// simulates Nix's `addAttr` over the bindings of one binding set, for the names that occur more
// than once, and reports the effects on scopes; the scope pass applies them.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { staticAttributeName } from './attribute-names';

/** A name a rec set gains from a binding outside its braces. */
export interface MergedName {
  readonly name: string;
  /** The attribute (in the outside binding's key, or in a merged set) that introduces it. */
  readonly node: NodeId;
  /** The `inherit` node when the name comes from one, else NO_NODE. */
  readonly inheritNode: NodeId;
}

/** What merging does to scopes; filled by `findMergeEffects`, keyed by rows of the table. */
export interface MergeEffects {
  /** Rec set → names added to its scope from outside. */
  readonly extraNames: Map<NodeId, MergedName[]>;
  /** Binding → the rec sets (outermost first) whose scopes its key and value are bound in, beyond its syntactic ones. */
  readonly bindingScopes: Map<NodeId, NodeId[]>;
  /**
   * Attribute set whose bindings move into an earlier set → that set when it is `rec` (its
   * bindings are then bound in its scope), NO_NODE when it is not; either way the set's own `rec`
   * no longer applies.
   */
  readonly mergedInto: Map<NodeId, NodeId>;
  /** Bindings with a dynamic first attribute in a merged set: Nix drops them unread. */
  readonly dropped: Set<NodeId>;
}

export function emptyMergeEffects(): MergeEffects {
  return { extraNames: new Map(), bindingScopes: new Map(), mergedInto: new Map(), dropped: new Set() };
}

/** An attribute set as Nix's parser builds it. */
interface SimulatedSet {
  /** The attrset node, or NO_NODE for a set made implicitly by a path (`a.b = 1` makes `a`). */
  readonly node: NodeId;
  readonly isRec: boolean;
  /** Rec sets, outermost first, whose scopes this set's bindings are bound in (beyond the binding set's own). */
  readonly scopes: readonly NodeId[];
  /** Its attributes; filled on first use for explicit sets. */
  attributes: Map<string, SimulatedAttribute> | undefined;
}

interface SimulatedAttribute {
  /** The set it holds, when its value is an attribute set; undefined for any other value. */
  readonly set: SimulatedSet | undefined;
  readonly node: NodeId;
  readonly inheritNode: NodeId;
}

/** Explicit sets nested deeper than this along one path are treated as opaque (no real code comes close). */
const MAX_NESTING = 64;

/** The attribute set a binding's value is, looking through parentheses (Nix keeps no node for them). */
export function attrsetValue(table: SyntaxTable, value: NodeId): NodeId {
  let node = value;
  while (node !== NO_NODE && table.kind(node) === Kind.ParenthesizedExpression) node = table.childByField(node, Field.Expression);
  if (node === NO_NODE) return NO_NODE;
  const kind = table.kind(node);
  return kind === Kind.AttrsetExpression || kind === Kind.RecAttrsetExpression ? node : NO_NODE;
}

/** The static name of a binding's first attribute, or undefined. */
function firstName(table: SyntaxTable, binding: NodeId): string | undefined {
  const attrpath = table.childByField(binding, Field.Attrpath);
  const first = attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
  return first === NO_NODE ? undefined : staticAttributeName(table, first);
}

/**
 * The bindings of `bindingSet` grouped by first name, for the names bound more than once by
 * bindings (an `inherit` of the same name is a duplicate Nix rejects, so such names are left out).
 */
function repeatedGroups(table: SyntaxTable, bindingSet: NodeId): NodeId[][] {
  // Every effect involves a set written as a binding's value; most binding sets have none, and
  // this check needs no strings.
  let hasSetValue = false;
  for (let child = table.firstChild(bindingSet); child !== NO_NODE && !hasSetValue; child = table.nextSibling(child)) {
    if (table.kind(child) === Kind.Binding && attrsetValue(table, table.childByField(child, Field.Expression)) !== NO_NODE) hasSetValue = true;
  }
  if (!hasSetValue) return [];
  let seen: Map<string, NodeId[]> | undefined;
  let inherited: Set<string> | undefined;
  let repeated = false;
  for (let child = table.firstChild(bindingSet); child !== NO_NODE; child = table.nextSibling(child)) {
    const kind = table.kind(child);
    if (kind === Kind.Binding) {
      const name = firstName(table, child);
      if (name === undefined) continue;
      seen ??= new Map();
      const group = seen.get(name);
      if (group) {
        group.push(child);
        repeated = true;
      } else {
        seen.set(name, [child]);
      }
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      const attrs = table.childByField(child, Field.Attrs);
      for (let attr = attrs === NO_NODE ? NO_NODE : table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
        const name = staticAttributeName(table, attr);
        if (name !== undefined) (inherited ??= new Set()).add(name);
      }
    }
  }
  if (!repeated || !seen) return [];
  const groups: NodeId[][] = [];
  for (const [name, group] of seen) if (group.length > 1 && !inherited?.has(name)) groups.push(group);
  return groups;
}

/**
 * Simulates the merging of `bindingSet`'s bindings and adds its effects to `effects`. Returns the
 * bindings of every group that had an effect (an edit in one of them can change how the others
 * resolve), in row order.
 */
export function findMergeEffects(table: SyntaxTable, bindingSet: NodeId, effects: MergeEffects): NodeId[] {
  const involved: NodeId[] = [];
  for (const group of repeatedGroups(table, bindingSet)) {
    const before = effectCount(effects);
    const root: SimulatedSet = { node: NO_NODE, isRec: false, scopes: [], attributes: new Map() };
    for (const binding of group) addBinding(table, root, binding, effects, 0);
    if (effectCount(effects) !== before) involved.push(...group);
  }
  return involved.sort((a, b) => a - b);
}

/** Whether merging in `bindingSet` has any effect on scopes (for deciding what an edit invalidates). */
export function hasMergeEffects(table: SyntaxTable, bindingSet: NodeId): boolean {
  return findMergeEffects(table, bindingSet, emptyMergeEffects()).length > 0;
}

function effectCount(effects: MergeEffects): number {
  let count = effects.bindingScopes.size + effects.mergedInto.size + effects.dropped.size;
  for (const names of effects.extraNames.values()) count += names.length;
  return count;
}

function explicitSet(table: SyntaxTable, node: NodeId, outerScopes: readonly NodeId[]): SimulatedSet {
  const isRec = table.kind(node) === Kind.RecAttrsetExpression;
  return { node, isRec, scopes: isRec ? [...outerScopes, node] : outerScopes, attributes: undefined };
}

/** The attributes of `set`, building them from its own bindings the first time (without recording effects). */
function attributesOf(table: SyntaxTable, set: SimulatedSet, depth: number): Map<string, SimulatedAttribute> {
  if (set.attributes) return set.attributes;
  const attributes = new Map<string, SimulatedAttribute>();
  set.attributes = attributes;
  const bindingSet = table.childOfKind(set.node, Kind.BindingSet);
  if (bindingSet === NO_NODE || depth > MAX_NESTING) return attributes;
  for (let child = table.firstChild(bindingSet); child !== NO_NODE; child = table.nextSibling(child)) {
    const kind = table.kind(child);
    if (kind === Kind.Binding) {
      addBinding(table, set, child, undefined, depth + 1);
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      const attrs = table.childByField(child, Field.Attrs);
      for (let attr = attrs === NO_NODE ? NO_NODE : table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
        const name = staticAttributeName(table, attr);
        if (name !== undefined && !attributes.has(name)) attributes.set(name, { set: undefined, node: attr, inheritNode: kind === Kind.Inherit ? child : NO_NODE });
      }
    }
  }
  return attributes;
}

function addName(effects: MergeEffects | undefined, set: SimulatedSet, name: string, node: NodeId, inheritNode: NodeId): void {
  if (!effects || !set.isRec) return;
  let names = effects.extraNames.get(set.node);
  if (!names) effects.extraNames.set(set.node, (names = []));
  names.push({ name, node, inheritNode });
}

/**
 * Nix's `addAttr` for one binding of `root`'s binding set. Nix rejects the duplicates this meets
 * (an attribute that is not a set, defined again); the simulation then just stops for that binding.
 * Recursion: only through `attributesOf` for explicit sets along the binding's path, at most
 * MAX_NESTING deep.
 */
function addBinding(table: SyntaxTable, root: SimulatedSet, binding: NodeId, effects: MergeEffects | undefined, depth: number): void {
  const attrpath = table.childByField(binding, Field.Attrpath);
  if (attrpath === NO_NODE) return;
  const attrs = table.childrenByField(attrpath, Field.Attr);
  if (attrs.length === 0) return;
  let current = root;
  for (let i = 0; i < attrs.length - 1; i++) {
    const name = staticAttributeName(table, attrs[i]);
    if (name === undefined) {
      // A dynamic attribute makes a fresh set that nothing can merge with.
      current = { node: NO_NODE, isRec: false, scopes: current.scopes, attributes: new Map() };
      continue;
    }
    const attributes = attributesOf(table, current, depth);
    const existing = attributes.get(name);
    if (existing) {
      if (!existing.set) return;
      current = existing.set;
    } else {
      const nested: SimulatedSet = { node: NO_NODE, isRec: false, scopes: current.scopes, attributes: new Map() };
      attributes.set(name, { set: nested, node: attrs[i], inheritNode: NO_NODE });
      addName(effects, current, name, attrs[i], NO_NODE);
      current = nested;
    }
  }
  // The key's dynamic parts and the value are bound where the last attribute lands.
  if (effects && current.scopes.length > 0 && current !== root) effects.bindingScopes.set(binding, current.scopes.slice());
  const last = attrs[attrs.length - 1];
  const name = staticAttributeName(table, last);
  if (name === undefined) return;
  const value = attrsetValue(table, table.childByField(binding, Field.Expression));
  const attributes = attributesOf(table, current, depth);
  const existing = attributes.get(name);
  if (!existing) {
    attributes.set(name, { set: value === NO_NODE ? undefined : explicitSet(table, value, current.scopes), node: last, inheritNode: NO_NODE });
    addName(effects, current, name, last, NO_NODE);
    return;
  }
  if (!existing.set || value === NO_NODE) return;
  // Both are sets: the value's static attributes move into the existing set, bound in its scope.
  const target = existing.set;
  if (effects) {
    effects.mergedInto.set(value, target.isRec ? target.node : NO_NODE);
    // Only static attributes move; Nix forgets `${…} = …` bindings of the merged set.
    const valueBindings = table.childOfKind(value, Kind.BindingSet);
    for (let child = valueBindings === NO_NODE ? NO_NODE : table.firstChild(valueBindings); child !== NO_NODE; child = table.nextSibling(child)) {
      if (table.kind(child) === Kind.Binding && firstName(table, child) === undefined) effects.dropped.add(child);
    }
  }
  const targetAttributes = attributesOf(table, target, depth);
  const moved = attributesOf(table, { node: value, isRec: false, scopes: target.scopes, attributes: undefined }, depth);
  for (const [movedName, attribute] of moved) {
    if (targetAttributes.has(movedName)) continue;
    targetAttributes.set(movedName, attribute);
    addName(effects, target, movedName, attribute.node, attribute.inheritNode);
  }
}

// Which definitions of the scope model nothing uses, read the way deadnix reads it: a reference
// inside the definition's own binding does not count (`let f = n: f (n - 1); in …` never uses
// `f`, and neither does `{ a ? a }: …` use `a`), since removing the binding removes it too.
//
// Unlike deadnix, a reference from code that is itself unused still counts: each finding's fix
// must leave valid Nix on its own (removing `a` from `let a = 1; b = a; in 2` alone would leave
// `b` pointing at nothing), so chains of dead bindings go one fix pass at a time.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { staticAttributeName } from './attribute-names';
import type { Definition, ScopeModel } from './scopes';

/** Names starting with `_` are unused on purpose (deadnix, nil and statix agree). */
export function isIntentionallyUnused(name: string): boolean {
  return name.startsWith('_');
}

/** The `binding` node a let or rec definition site belongs to (its first attribute's binding), or NO_NODE. */
export function bindingOfSite(table: SyntaxTable, site: NodeId): NodeId {
  const attrpath = table.parent(site);
  if (attrpath === NO_NODE || table.kind(attrpath) !== Kind.Attrpath) return NO_NODE;
  const binding = table.parent(attrpath);
  return binding !== NO_NODE && table.kind(binding) === Kind.Binding ? binding : NO_NODE;
}

/** The bindings of a `let` definition, one per site (`a.b = 1; a.c = 2;` has two). */
export function bindingsOf(table: SyntaxTable, definition: Definition): NodeId[] {
  const bindings: NodeId[] = [];
  for (const site of [definition.node, ...definition.otherNodes]) {
    const binding = bindingOfSite(table, site);
    if (binding !== NO_NODE) bindings.push(binding);
  }
  return bindings;
}

/** Subtrees whose references to `definition` do not count as uses: its own binding(s) or formal. */
function ownSubtrees(table: SyntaxTable, definition: Definition): NodeId[] {
  if (definition.kind === 'let') return bindingsOf(table, definition);
  if (definition.kind === 'formal') {
    const formal = table.parent(definition.node);
    return formal !== NO_NODE && table.kind(formal) === Kind.Formal ? [formal] : [];
  }
  return [];
}

/** Whether some reference outside the definition's own binding resolves to it. */
export function isUsed(table: SyntaxTable, definition: Definition): boolean {
  if (definition.references.length === 0) return false;
  const own = ownSubtrees(table, definition);
  if (own.length === 0) return true;
  return definition.references.some((reference) => !own.some((subtree) => subtree <= reference.node && reference.node < table.subtreeEnd(subtree)));
}

/** Whether the definition is unused and not marked as intentionally unused. */
export function isReportablyUnused(table: SyntaxTable, definition: Definition): boolean {
  return !isIntentionallyUnused(definition.name) && !isUsed(table, definition);
}

/** The definitions a let or rec node makes, by name (found by binary search: they lie inside it). */
function definitionsOfScope(table: SyntaxTable, scopes: ScopeModel, scope: NodeId): Map<string, Definition> {
  const definitions = scopes.definitions;
  let low = 0;
  let high = definitions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (definitions[mid].node < scope) low = mid + 1;
    else high = mid;
  }
  const byName = new Map<string, Definition>();
  const end = table.subtreeEnd(scope);
  for (let i = low; i < definitions.length && definitions[i].node < end; i++) if (definitions[i].scope === scope) byName.set(definitions[i].name, definitions[i]);
  return byName;
}

/**
 * Whether every binding and inherited name of `letNode` is reportably unused, so that removing
 * them all leaves nothing: then each of their fixes removes the whole `let … in` instead.
 */
export function isWholeLetUnused(table: SyntaxTable, scopes: ScopeModel, letNode: NodeId): boolean {
  const bindingSet = table.childOfKind(letNode, Kind.BindingSet);
  if (bindingSet === NO_NODE) return false;
  const definitions = definitionsOfScope(table, scopes, letNode);
  const unused = (attr: NodeId): boolean => {
    const name = attr === NO_NODE ? undefined : staticAttributeName(table, attr);
    const definition = name === undefined ? undefined : definitions.get(name);
    return definition !== undefined && isReportablyUnused(table, definition);
  };
  for (let entry = table.firstChild(bindingSet); entry !== NO_NODE; entry = table.nextSibling(entry)) {
    const kind = table.kind(entry);
    if (kind === Kind.Binding) {
      const attrpath = table.childByField(entry, Field.Attrpath);
      if (!unused(attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr))) return false;
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      const attrs = table.childByField(entry, Field.Attrs);
      for (let attr = attrs === NO_NODE ? NO_NODE : table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
        if (table.kind(attr) !== Kind.Comment && !unused(attr)) return false;
      }
    } else if (kind !== Kind.Comment) {
      return false;
    }
  }
  return true;
}

/** Whether every name of an `inherit` is reportably unused, so its fix removes the whole statement. */
export function isWholeInheritUnused(table: SyntaxTable, scopes: ScopeModel, inherit: NodeId): boolean {
  const attrs = table.childByField(inherit, Field.Attrs);
  if (attrs === NO_NODE) return false;
  for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
    if (table.kind(attr) === Kind.Comment) continue;
    const definition = scopes.definitionAt(attr);
    if (!definition || !isReportablyUnused(table, definition)) return false;
  }
  return true;
}

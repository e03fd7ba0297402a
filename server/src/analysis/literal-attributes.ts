// The attribute names of a set written out in the file, seen through the names that lead to it:
// `x.` in `let x = { a = 1; b.c = 2; }; in x.` has `a` and `b`; `x.b.` has `c`. Followed are let
// and rec bindings (including several sites, `x.a = 1; x.b = 2;`), `inherit a;` and
// `inherit (e) a;`, selections (`e.a.b`), parentheses, and the bodies of `let … in` and `with …;`.
// Anything else (a function's argument, an application, `import`) is unknown and contributes no
// names: completion and hover never guess. Worklist-based, with a bounded number of steps so that
// a loop such as `let x = x; in x.` ends.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { staticAttributeName } from './attribute-names';
import { unwrapParens } from './module-model';
import type { Reference, ScopeModel } from './scopes';

export interface LiteralAttribute {
  readonly name: string;
  /** Where the name is written: an attrpath's attribute or an inherited name (the first site found). */
  readonly node: NodeId;
  /** The value when a binding ends at this name (`a = v;`); NO_NODE for `a.b = v;` and for inherited names. */
  readonly value: NodeId;
  /** The `inherit` or `inherit_from` node for an inherited name, else NO_NODE. */
  readonly inheritNode: NodeId;
}

/** How many expressions or binding lists one lookup may visit. */
const MAX_STEPS = 256;

type Pending =
  /** An expression whose value, at `path`, is wanted. */
  | { readonly kind: 'expression'; readonly node: NodeId; readonly path: readonly string[] }
  /** The bindings of a set, rec set or let (`node` is its owner), at `path`. */
  | { readonly kind: 'bindings'; readonly node: NodeId; readonly path: readonly string[] };

/** The static names of an attrpath's parts; undefined if one of them is dynamic. */
export function attrpathNames(table: SyntaxTable, attrpath: NodeId): { names: string[]; nodes: NodeId[] } | undefined {
  const names: string[] = [];
  const nodes: NodeId[] = [];
  for (let attr = table.firstChild(attrpath); attr !== NO_NODE; attr = table.nextSibling(attr)) {
    if (table.field(attr) !== Field.Attr) continue;
    const name = staticAttributeName(table, attr);
    if (name === undefined) return undefined;
    names.push(name);
    nodes.push(attr);
  }
  return names.length > 0 ? { names, nodes } : undefined;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/**
 * The attributes of the value of `expression` at `path` (`[]`: the value itself), as far as the
 * file shows them. Empty when the value is unknown or not a set.
 */
export function literalAttributes(table: SyntaxTable, scopes: ScopeModel, expression: NodeId, path: readonly string[] = []): Map<string, LiteralAttribute> {
  return collect(table, scopes, [{ kind: 'expression', node: expression, path }]);
}

/** Like `literalAttributes`, for the value a variable reference stands for. */
export function literalAttributesOfReference(table: SyntaxTable, scopes: ScopeModel, reference: Reference, path: readonly string[] = []): Map<string, LiteralAttribute> {
  const pending: Pending[] = [];
  followReference(table, scopes, reference, path, pending);
  return collect(table, scopes, pending);
}

/** Queues what a reference to a let/rec/inherited name stands for; arguments are unknown. */
function followReference(table: SyntaxTable, scopes: ScopeModel, reference: Reference, path: readonly string[], pending: Pending[]): void {
  if (reference.resolution.kind !== 'definition') return;
  const definition = reference.resolution.definition;
  const fullPath = [definition.name, ...path];
  switch (definition.kind) {
    case 'let':
    case 'rec':
      pending.push({ kind: 'bindings', node: definition.scope, path: fullPath });
      break;
    case 'let-inherit':
    case 'rec-inherit':
      followInherit(table, scopes, definition.inheritNode, definition.node, path, pending);
      break;
    default:
      break;
  }
}

/** `inherit (e) a;` is `a = e.a;`, and `inherit a;` is `a = a;` read outside the let/rec. */
function followInherit(table: SyntaxTable, scopes: ScopeModel, inheritNode: NodeId, attr: NodeId, path: readonly string[], pending: Pending[]): void {
  const name = staticAttributeName(table, attr);
  if (name === undefined || inheritNode === NO_NODE) return;
  if (table.kind(inheritNode) === Kind.InheritFrom) {
    const source = table.childByField(inheritNode, Field.Expression);
    if (source !== NO_NODE) pending.push({ kind: 'expression', node: source, path: [name, ...path] });
    return;
  }
  const reference = scopes.referenceAt(attr);
  if (reference) followReference(table, scopes, reference, path, pending);
}

function collect(table: SyntaxTable, scopes: ScopeModel, pending: Pending[]): Map<string, LiteralAttribute> {
  const found = new Map<string, LiteralAttribute>();
  const seen = new Set<string>();
  const add = (attribute: LiteralAttribute): void => {
    if (!found.has(attribute.name)) found.set(attribute.name, attribute);
  };
  for (let steps = 0; pending.length > 0 && steps < MAX_STEPS; steps++) {
    const item = pending.shift() as Pending;
    const key = `${item.kind}:${item.node}:${item.path.join('\u0000')}`;
    if (item.node === NO_NODE || seen.has(key)) continue;
    seen.add(key);
    if (item.kind === 'bindings') {
      collectBindings(table, scopes, item.node, item.path, pending, add);
      continue;
    }
    const node = unwrapParens(table, item.node);
    if (node === NO_NODE) continue;
    switch (table.kind(node)) {
      case Kind.AttrsetExpression:
      case Kind.RecAttrsetExpression:
      case Kind.LetAttrsetExpression:
        pending.push({ kind: 'bindings', node, path: item.path });
        break;
      case Kind.LetExpression:
      case Kind.WithExpression:
        pending.push({ kind: 'expression', node: table.childByField(node, Field.Body), path: item.path });
        break;
      case Kind.VariableExpression: {
        const reference = scopes.referenceAt(table.firstChild(node));
        if (reference) followReference(table, scopes, reference, item.path, pending);
        break;
      }
      case Kind.SelectExpression: {
        // `e.a.b or d`: only `e`'s attributes are known here, not whether the default applies.
        if (table.childByField(node, Field.Default) !== NO_NODE) break;
        const attrpath = table.childByField(node, Field.Attrpath);
        const parts = attrpath === NO_NODE ? undefined : attrpathNames(table, attrpath);
        if (parts) pending.push({ kind: 'expression', node: table.childByField(node, Field.Expression), path: [...parts.names, ...item.path] });
        break;
      }
      default:
        break;
    }
  }
  return found;
}

function collectBindings(
  table: SyntaxTable,
  scopes: ScopeModel,
  owner: NodeId,
  path: readonly string[],
  pending: Pending[],
  add: (attribute: LiteralAttribute) => void,
): void {
  const bindingSet = table.childOfKind(owner, Kind.BindingSet);
  if (bindingSet === NO_NODE) return;
  for (let binding = table.firstChild(bindingSet); binding !== NO_NODE; binding = table.nextSibling(binding)) {
    const kind = table.kind(binding);
    if (kind === Kind.Binding) {
      const attrpath = table.childByField(binding, Field.Attrpath);
      const parts = attrpath === NO_NODE ? undefined : attrpathNames(table, attrpath);
      if (!parts) continue;
      const value = table.childByField(binding, Field.Expression);
      if (parts.names.length > path.length) {
        if (startsWith(parts.names, path)) {
          const ends = parts.names.length === path.length + 1;
          add({ name: parts.names[path.length], node: parts.nodes[path.length], value: ends ? value : NO_NODE, inheritNode: NO_NODE });
        }
      } else if (startsWith(path, parts.names) && value !== NO_NODE) {
        pending.push({ kind: 'expression', node: value, path: path.slice(parts.names.length) });
      }
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      const attrs = table.childByField(binding, Field.Attrs);
      if (attrs === NO_NODE) continue;
      for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
        const name = staticAttributeName(table, attr);
        if (name === undefined) continue;
        if (path.length === 0) add({ name, node: attr, value: NO_NODE, inheritNode: binding });
        else if (path[0] === name) followInherit(table, scopes, binding, attr, path.slice(1), pending);
      }
    }
  }
}

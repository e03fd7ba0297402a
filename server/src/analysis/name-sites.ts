// Which variable the cursor is on, for navigation (definition, references, highlight, rename),
// read from the scope model. A name can be written in four kinds of places: a definition site
// (let/rec key, formal, lambda argument, `@` name, inherited name of a let or rec), a variable
// reference, an `inherit a;` of a plain set (a reference to the outer `a` that also names an
// attribute), and the attribute of `args.a` / `args ? a` where `args@{ a, ... }` binds the formal
// `a`: that attribute names the same argument of the function as the formal does.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { staticAttributeName } from './attribute-names';
import type { Definition, Reference, ScopeModel } from './scopes';

export type NameAtCursor =
  /** A site that defines `definition`; `inherits` is set for `inherit a;` in a let or rec, which also reads the outer `a`. */
  | { readonly kind: 'definition'; readonly node: NodeId; readonly definition: Definition; readonly inherits: Reference | undefined }
  /** A variable, or a name of `inherit a;` in a plain set. */
  | { readonly kind: 'reference'; readonly node: NodeId; readonly reference: Reference }
  /** The `a` of `args.a` or `args ? a`, where `args@{ a, ... }` binds the formal `definition`. */
  | { readonly kind: 'formal-attribute'; readonly node: NodeId; readonly definition: Definition };

/**
 * The identifier or static attribute (`"a"`, `${"a"}`) under the cursor or just before it (a
 * cursor right after a name is on it, as editors place it after a double click), or NO_NODE.
 */
export function nameNodeAt(table: SyntaxTable, offset: number): NodeId {
  const here = nameNodeOf(table, table.nodeAt(offset));
  if (here !== NO_NODE || offset === 0) return here;
  const before = table.nodeAt(offset - 1);
  return table.end(before) === offset ? nameNodeOf(table, before) : NO_NODE;
}

/** The identifier or attribute that `node` (a token or string part) belongs to, or NO_NODE. */
function nameNodeOf(table: SyntaxTable, node: NodeId): NodeId {
  if (node === NO_NODE) return NO_NODE;
  const kind = table.kind(node);
  if (kind === Kind.Identifier) return table.isMissing(node) ? NO_NODE : node;
  // A string part or quote: climb to the string, then to `${"a"}` around it if there is one.
  let candidate = kind === Kind.StringExpression || kind === Kind.IndentedStringExpression ? node : table.parent(node);
  if (candidate === NO_NODE) return NO_NODE;
  const candidateKind = table.kind(candidate);
  if (candidateKind !== Kind.StringExpression && candidateKind !== Kind.IndentedStringExpression) return NO_NODE;
  const around = table.parent(candidate);
  if (around !== NO_NODE && table.kind(around) === Kind.Interpolation) candidate = around;
  return isAttributeName(table, candidate) && staticAttributeName(table, candidate) !== undefined ? candidate : NO_NODE;
}

function isAttributeName(table: SyntaxTable, node: NodeId): boolean {
  const parent = table.parent(node);
  if (parent === NO_NODE) return false;
  const kind = table.kind(parent);
  return (kind === Kind.Attrpath || kind === Kind.InheritedAttrs) && table.field(node) === Field.Attr;
}

/** What the name at `offset` is, or undefined when the cursor is on no variable. */
export function nameAtCursor(table: SyntaxTable, scopes: ScopeModel, offset: number): NameAtCursor | undefined {
  const node = nameNodeAt(table, offset);
  if (node === NO_NODE) return undefined;
  const parent = table.parent(node);
  if (table.kind(parent) === Kind.VariableExpression) {
    const reference = scopes.referenceAt(node);
    return reference ? { kind: 'reference', node, reference } : undefined;
  }
  const definition = scopes.definitionAt(node);
  if (definition) {
    const inherits = table.kind(parent) === Kind.InheritedAttrs ? scopes.referenceAt(node) : undefined;
    return { kind: 'definition', node, definition, inherits };
  }
  const reference = scopes.referenceAt(node);
  if (reference) return { kind: 'reference', node, reference };
  const formal = formalOfAttribute(table, scopes, node);
  return formal ? { kind: 'formal-attribute', node, definition: formal } : undefined;
}

/** For the first attribute of `args.a` or `args ? a` with `args@{ a, ... }`: the formal `a`. */
function formalOfAttribute(table: SyntaxTable, scopes: ScopeModel, attr: NodeId): Definition | undefined {
  const attrpath = table.parent(attr);
  if (table.kind(attrpath) !== Kind.Attrpath || table.childByField(attrpath, Field.Attr) !== attr) return undefined;
  const access = table.parent(attrpath);
  if (access === NO_NODE || (table.kind(access) !== Kind.SelectExpression && table.kind(access) !== Kind.HasAttrExpression)) return undefined;
  const variable = table.childByField(access, Field.Expression);
  if (variable === NO_NODE || table.kind(variable) !== Kind.VariableExpression) return undefined;
  const resolution = scopes.referenceAt(table.firstChild(variable))?.resolution;
  if (resolution?.kind !== 'definition' || resolution.definition.kind !== 'at-pattern') return undefined;
  const name = staticAttributeName(table, attr);
  if (name === undefined) return undefined;
  const formals = table.childByField(resolution.definition.scope, Field.Formals);
  if (formals === NO_NODE) return undefined;
  for (let formal = table.firstChild(formals); formal !== NO_NODE; formal = table.nextSibling(formal)) {
    if (table.kind(formal) !== Kind.Formal) continue;
    const formalName = table.childByField(formal, Field.Name);
    if (formalName !== NO_NODE && table.nodeText(formalName) === name) return scopes.definitionAt(formalName);
  }
  return undefined;
}

/**
 * For a formal `a` of `args@{ a, ... }`: the attributes of `args.a` and `args ? a` in the
 * function, which name the same argument.
 */
export function formalAttributeSites(table: SyntaxTable, scopes: ScopeModel, formal: Definition): NodeId[] {
  if (formal.kind !== 'formal') return [];
  const universal = table.childByField(formal.scope, Field.Universal);
  const pattern = universal === NO_NODE ? undefined : scopes.definitionAt(universal);
  if (!pattern) return [];
  const sites: NodeId[] = [];
  for (const reference of pattern.references) {
    const variable = table.parent(reference.node);
    if (table.kind(variable) !== Kind.VariableExpression || table.field(variable) !== Field.Expression) continue;
    const access = table.parent(variable);
    if (table.kind(access) !== Kind.SelectExpression && table.kind(access) !== Kind.HasAttrExpression) continue;
    const attrpath = table.childByField(access, Field.Attrpath);
    const first = attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
    if (first !== NO_NODE && staticAttributeName(table, first) === formal.name) sites.push(first);
  }
  return sites.sort((a, b) => a - b);
}

/** Every site that introduces `definition`, in document order. */
export function definitionSites(definition: Definition): NodeId[] {
  return [definition.node, ...definition.otherNodes].sort((a, b) => a - b);
}

/** Whether `scope` (a let, rec or function) binds `name`. */
export function scopeBinds(scopes: ScopeModel, scope: NodeId, name: string): boolean {
  return scopes.definitions.some((definition) => definition.scope === scope && definition.name === name);
}

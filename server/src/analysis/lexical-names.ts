// A conservative, local answer to "what does the bare name `x` at this node refer to?", for the
// builtin rules. It walks the ancestors: a `let`, `rec { }`, legacy `let { }`, lambda argument,
// `@` name or formal with that name binds it; a `with` whose body holds the node may supply it.
// Nix looks names up lexically first, then among the global builtins, and only then in the
// innermost `with` (so `with { map = 1; }; map` is still the builtin `map`).
//
// This is the one place the builtin rules ask about scopes. The scope model (scopes.ts) answers
// the same question for the whole file; once AnalyzedFile maintains it incrementally,
// `resolveBareName` can defer to it and the rules stay as they are.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { staticAttributeName } from './attribute-names';

export interface BareNameResolution {
  /** A let, rec, lambda argument, `@` name or formal around the node binds the name. */
  readonly lexicallyBound: boolean;
  /** The node sits in the body of at least one `with`, which may supply an unbound name. */
  readonly underWith: boolean;
}

/**
 * Resolves bare names for one version of a file. Names bound by each scope node are collected
 * once and kept for the lifetime of the object (one rule run).
 */
export class LexicalNames {
  private readonly namesByScope = new Map<NodeId, ReadonlySet<string>>();

  constructor(private readonly table: SyntaxTable) {}

  resolveBareName(node: NodeId, name: string): BareNameResolution {
    const table = this.table;
    let underWith = false;
    let child = node;
    for (let up = table.parent(node); up !== NO_NODE; child = up, up = table.parent(up)) {
      const kind = table.kind(up);
      if (kind === Kind.WithExpression) {
        if (table.field(child) === Field.Body) underWith = true;
      } else if (kind === Kind.FunctionExpression || kind === Kind.LetExpression || kind === Kind.RecAttrsetExpression || kind === Kind.LetAttrsetExpression) {
        if (this.namesBoundBy(up).has(name)) return { lexicallyBound: true, underWith };
      }
    }
    return { lexicallyBound: false, underWith };
  }

  private namesBoundBy(scope: NodeId): ReadonlySet<string> {
    let names = this.namesByScope.get(scope);
    if (!names) {
      names = this.table.kind(scope) === Kind.FunctionExpression ? functionNames(this.table, scope) : bindingSetNames(this.table, scope);
      this.namesByScope.set(scope, names);
    }
    return names;
  }
}

function functionNames(table: SyntaxTable, fn: NodeId): Set<string> {
  const names = new Set<string>();
  const universal = table.childByField(fn, Field.Universal);
  if (universal !== NO_NODE && !table.isMissing(universal)) names.add(table.nodeText(universal));
  const formals = table.childByField(fn, Field.Formals);
  if (formals === NO_NODE) return names;
  for (let formal = table.firstChild(formals); formal !== NO_NODE; formal = table.nextSibling(formal)) {
    if (table.kind(formal) !== Kind.Formal) continue;
    const formalName = table.childByField(formal, Field.Name);
    if (formalName !== NO_NODE && !table.isMissing(formalName)) names.add(table.nodeText(formalName));
  }
  return names;
}

/** Names a let or rec binds: the first attribute of each binding, and every inherited name. */
function bindingSetNames(table: SyntaxTable, owner: NodeId): Set<string> {
  const names = new Set<string>();
  const bindingSet = table.childOfKind(owner, Kind.BindingSet);
  if (bindingSet === NO_NODE) return names;
  for (let binding = table.firstChild(bindingSet); binding !== NO_NODE; binding = table.nextSibling(binding)) {
    const kind = table.kind(binding);
    if (kind === Kind.Binding) {
      const attrpath = table.childByField(binding, Field.Attrpath);
      const first = attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
      const name = first === NO_NODE ? undefined : staticAttributeName(table, first);
      if (name !== undefined) names.add(name);
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      const attrs = table.childByField(binding, Field.Attrs);
      if (attrs === NO_NODE) continue;
      for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
        const name = staticAttributeName(table, attr);
        if (name !== undefined) names.add(name);
      }
    }
  }
  return names;
}

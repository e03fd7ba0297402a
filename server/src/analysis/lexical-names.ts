// "What would the bare name `x` mean at this node?", for a name that is not written there: the
// scope model (scopes.ts) resolves the references a file contains, but the builtin rules also ask
// about names they would insert or expose (`builtins.toJSON` for a bare `toJSON`, `map` for
// `builtins.map`). The answer walks the ancestors: a `let`, `rec { }`, legacy `let { }`, lambda
// argument, `@` name or formal with that name binds it; a `with` whose body holds the node may
// supply it. Nix looks names up lexically first, then among the global builtins, and only then
// in the innermost `with` (so `with { map = 1; }; map` is still the builtin `map`).
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { namesBoundBy } from './scopes';

export interface BareNameResolution {
  /** A let, rec, lambda argument, `@` name or formal around the node binds the name. */
  readonly lexicallyBound: boolean;
  /** Not bound, and the node sits in the body of a `with`, which may supply the name. */
  readonly underWith: boolean;
}

const FREE: BareNameResolution = { lexicallyBound: false, underWith: false };
const BOUND: BareNameResolution = { lexicallyBound: true, underWith: false };
const UNDER_WITH: BareNameResolution = { lexicallyBound: false, underWith: true };

function isScopeKind(kind: number): boolean {
  return kind === Kind.FunctionExpression || kind === Kind.LetExpression || kind === Kind.RecAttrsetExpression || kind === Kind.LetAttrsetExpression || kind === Kind.WithExpression;
}

/**
 * Resolves bare names for one version of a file. The names each scope binds, and the resolution
 * of each name from inside each scope, are computed once per object (one rule run), so deeply
 * nested scopes with many references stay linear.
 */
export class LexicalNames {
  private readonly namesByScope = new Map<NodeId, ReadonlySet<string>>();
  /** name → scope node → how the name resolves for a reference inside that scope. */
  private readonly resolutions = new Map<string, Map<NodeId, BareNameResolution>>();

  constructor(private readonly table: SyntaxTable) {}

  resolveBareName(node: NodeId, name: string): BareNameResolution {
    const table = this.table;
    let memo = this.resolutions.get(name);
    if (!memo) {
      memo = new Map();
      this.resolutions.set(name, memo);
    }
    // Scopes around the node, innermost first, up to one whose answer is known.
    const pending: NodeId[] = [];
    let result = FREE;
    let child = node;
    for (let up = table.parent(node); up !== NO_NODE; child = up, up = table.parent(up)) {
      const kind = table.kind(up);
      if (!isScopeKind(kind)) continue;
      // A `with` supplies names to its body only, not to its own environment expression.
      if (kind === Kind.WithExpression && table.field(child) !== Field.Body) continue;
      const known = memo.get(up);
      if (known) {
        result = known;
        break;
      }
      if (kind !== Kind.WithExpression && this.namesBoundBy(up).has(name)) {
        memo.set(up, BOUND);
        result = BOUND;
        break;
      }
      pending.push(up);
    }
    for (let index = pending.length - 1; index >= 0; index--) {
      const scope = pending[index];
      if (!result.lexicallyBound && table.kind(scope) === Kind.WithExpression) result = UNDER_WITH;
      memo.set(scope, result);
    }
    return result;
  }

  private namesBoundBy(scope: NodeId): ReadonlySet<string> {
    let names = this.namesByScope.get(scope);
    if (!names) {
      names = namesBoundBy(this.table, scope);
      this.namesByScope.set(scope, names);
    }
    return names;
  }
}

/** Whether `node` is the variable `builtins` (compared in place: callers scan every select of a file). */
export function isBuiltinsVariable(table: SyntaxTable, node: NodeId): boolean {
  if (table.kind(node) !== Kind.VariableExpression) return false;
  const start = table.start(node);
  return table.end(node) - start === 8 && table.text.startsWith('builtins', start);
}

/** The select `name.x…` whose expression is the variable with identifier `identifier`, or NO_NODE. */
export function selectOnVariable(table: SyntaxTable, identifier: NodeId): NodeId {
  const variable = table.parent(identifier);
  if (variable === NO_NODE || table.kind(variable) !== Kind.VariableExpression || table.field(variable) !== Field.Expression) return NO_NODE;
  const select = table.parent(variable);
  return select !== NO_NODE && table.kind(select) === Kind.SelectExpression ? select : NO_NODE;
}

// How tightly Nix binds each form of expression, and how tightly an expression must bind to take
// a node's place without parentheses. Fixes that rewrite an expression (`!(a == b)` → `a != b`,
// `isNull x` → `x == null`, dropping parentheses) ask `needsParentheses` before they print.
// Levels follow the operator table of the Nix manual; a higher level binds tighter.
import { Field, Kind, KindId, Token } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';

export const Precedence = {
  /** Functions, `let`, `with`, `assert` and `if`: they reach as far right as they can. */
  Open: 0,
  Implication: 1,
  Or: 2,
  And: 3,
  Equality: 4,
  Comparison: 5,
  Update: 6,
  Not: 7,
  Addition: 8,
  Multiplication: 9,
  Concatenation: 10,
  HasAttribute: 11,
  Negation: 12,
  Application: 13,
  /** `a.b` and `a.b or c`. */
  Selection: 14,
  /** Variables, literals, lists, sets, parenthesized expressions. */
  Atom: 15,
} as const;
export type PrecedenceLevel = (typeof Precedence)[keyof typeof Precedence];

const enum Associativity {
  Left,
  Right,
  None,
}

interface OperatorInfo {
  readonly level: PrecedenceLevel;
  readonly associativity: Associativity;
}

/** Binary operators by token kind id. */
const BINARY_OPERATORS: readonly (OperatorInfo | undefined)[] = (() => {
  const table: (OperatorInfo | undefined)[] = [];
  const add = (token: string, level: PrecedenceLevel, associativity: Associativity): void => {
    table[Token[token]] = { level, associativity };
  };
  add('->', Precedence.Implication, Associativity.Right);
  add('||', Precedence.Or, Associativity.Left);
  add('&&', Precedence.And, Associativity.Left);
  add('==', Precedence.Equality, Associativity.None);
  add('!=', Precedence.Equality, Associativity.None);
  add('<', Precedence.Comparison, Associativity.None);
  add('<=', Precedence.Comparison, Associativity.None);
  add('>', Precedence.Comparison, Associativity.None);
  add('>=', Precedence.Comparison, Associativity.None);
  add('//', Precedence.Update, Associativity.Right);
  add('+', Precedence.Addition, Associativity.Left);
  add('-', Precedence.Addition, Associativity.Left);
  add('*', Precedence.Multiplication, Associativity.Left);
  add('/', Precedence.Multiplication, Associativity.Left);
  add('++', Precedence.Concatenation, Associativity.Right);
  return table;
})();

/** Parents whose expression children are delimited by keywords or punctuation on both sides. */
const DELIMITED_PARENTS = new Set<KindId>([
  Kind.SourceCode,
  Kind.Binding,
  Kind.ParenthesizedExpression,
  Kind.LetExpression,
  Kind.FunctionExpression,
  Kind.IfExpression,
  Kind.WithExpression,
  Kind.AssertExpression,
  Kind.Interpolation,
  Kind.Formal,
  Kind.InheritFrom,
]);

function binaryOperatorOf(table: SyntaxTable, node: NodeId): OperatorInfo | undefined {
  const operator = table.childByField(node, Field.Operator);
  return operator === NO_NODE ? undefined : BINARY_OPERATORS[table.kind(operator)];
}

/** The binding level of the expression `node`; unknown or broken shapes count as the loosest. */
export function precedenceOf(table: SyntaxTable, node: NodeId): PrecedenceLevel {
  switch (table.kind(node)) {
    case Kind.BinaryExpression:
      return binaryOperatorOf(table, node)?.level ?? Precedence.Open;
    case Kind.UnaryExpression: {
      const operator = table.firstChild(node);
      return operator !== NO_NODE && table.kind(operator) === Token['!'] ? Precedence.Not : Precedence.Negation;
    }
    case Kind.HasAttrExpression:
      return Precedence.HasAttribute;
    case Kind.ApplyExpression:
      return Precedence.Application;
    case Kind.SelectExpression:
      return Precedence.Selection;
    case Kind.VariableExpression:
    case Kind.IntegerExpression:
    case Kind.FloatExpression:
    case Kind.StringExpression:
    case Kind.IndentedStringExpression:
    case Kind.PathExpression:
    case Kind.HpathExpression:
    case Kind.SpathExpression:
    case Kind.UriExpression:
    case Kind.ParenthesizedExpression:
    case Kind.AttrsetExpression:
    case Kind.RecAttrsetExpression:
    case Kind.LetAttrsetExpression:
    case Kind.ListExpression:
      return Precedence.Atom;
    default:
      return Precedence.Open;
  }
}

/**
 * The lowest level an expression needs to stand where `node` stands without parentheses.
 * Conservative: where Nix would accept a looser expression only by a grammar accident
 * (`a + !b`), parentheses are still asked for.
 */
export function requiredPrecedence(table: SyntaxTable, node: NodeId): PrecedenceLevel {
  const parent = table.parent(node);
  if (parent < 0) return Precedence.Open;
  const parentKind = table.kind(parent);
  const field = table.field(node);
  switch (parentKind) {
    case Kind.BinaryExpression: {
      const operator = binaryOperatorOf(table, parent);
      if (!operator) return Precedence.Atom;
      const sameLevelAllowed =
        (field === Field.Left && operator.associativity === Associativity.Left) || (field === Field.Right && operator.associativity === Associativity.Right);
      return sameLevelAllowed ? operator.level : ((operator.level + 1) as PrecedenceLevel);
    }
    case Kind.UnaryExpression:
      return precedenceOf(table, parent);
    case Kind.HasAttrExpression:
      return Precedence.Negation;
    case Kind.ApplyExpression:
      return field === Field.Function ? Precedence.Application : Precedence.Selection;
    case Kind.SelectExpression:
      return field === Field.Expression ? Precedence.Atom : Precedence.Selection;
    case Kind.ListExpression:
      return Precedence.Selection;
    default:
      return DELIMITED_PARENTS.has(parentKind) ? Precedence.Open : Precedence.Atom;
  }
}

/** Whether an expression of `level` put in `node`'s place must be wrapped in parentheses. */
export function needsParentheses(table: SyntaxTable, node: NodeId, level: PrecedenceLevel): boolean {
  return level < requiredPrecedence(table, node);
}

/** `text`, wrapped in parentheses when an expression of `level` cannot stand at `node` bare. */
export function parenthesizeFor(table: SyntaxTable, node: NodeId, text: string, level: PrecedenceLevel): string {
  return needsParentheses(table, node, level) ? `(${text})` : text;
}

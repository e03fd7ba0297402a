// The only importer of the grammar binding. Everything else names node kinds through `Kind`
// (dense numeric ids shared by all symbols with the same name) and fields through `Field`.
import Parser = require('tree-sitter');
import nix = require('@nixguard/tree-sitter-nix');

type PascalKinds = typeof nix.NodeKind;
type PascalFields = typeof nix.FieldName;

/** Dense kind id, one per distinct (name, named) pair of the grammar. */
export type KindId = number;

const kindIdsByKey = new Map<string, KindId>();
const kindNames: string[] = [];
const kindNamed: boolean[] = [];

function internKind(name: string, named: boolean): KindId {
  const key = (named ? 'n:' : 'a:') + name;
  let id = kindIdsByKey.get(key);
  if (id === undefined) {
    id = kindNames.length;
    kindIdsByKey.set(key, id);
    kindNames.push(name);
    kindNamed.push(named);
  }
  return id;
}

/** Maps a tree-sitter symbol id (`TreeCursor.nodeTypeId`) to its dense kind id. */
export const KIND_OF_SYMBOL: Uint16Array = (() => {
  const table = new Uint16Array(nix.symbols.length + 1);
  const unknown = internKind('<hidden>', false);
  nix.symbols.forEach((symbol, symbolId) => {
    table[symbolId] = symbol === null ? unknown : internKind(symbol.name, symbol.named);
  });
  // tree-sitter reports ERROR nodes with the reserved symbol 65535, outside the table.
  return table;
})();
const ERROR_SYMBOL = 65535;
const ERROR_KIND = internKind('ERROR', true);

/** Whether a node of this symbol can have children (terminals never do). */
export function symbolMayHaveChildren(symbolId: number): boolean {
  return symbolId >= nix.tokenCount;
}

export function kindOfSymbol(symbolId: number): KindId {
  return symbolId === ERROR_SYMBOL ? ERROR_KIND : KIND_OF_SYMBOL[symbolId];
}

/** Named node kinds: `Kind.Binding`, `Kind.VariableExpression`, `Kind.Error`, ... */
export const Kind = Object.fromEntries(
  Object.entries(nix.NodeKind).map(([pascal, name]) => [pascal, name === 'ERROR' ? ERROR_KIND : internKind(name, true)]),
) as { readonly [K in keyof PascalKinds]: KindId };

/** Anonymous tokens by their literal text: `Token['=']`, `Token.rec`, `Token['${']`. */
export const Token: Readonly<Record<string, KindId>> = Object.fromEntries(
  nix.symbols.filter((s): s is NonNullable<typeof s> => s !== null && !s.named).map((s) => [s.name, internKind(s.name, false)]),
);

export function kindName(kind: KindId): string {
  return kindNames[kind] ?? '<unknown>';
}

export function isNamedKind(kind: KindId): boolean {
  return kindNamed[kind] ?? false;
}

/** Field ids as `TreeCursor.currentFieldId` reports them; 0 means "no field". */
export const Field = Object.fromEntries(
  Object.entries(nix.FieldName).map(([pascal, name]) => [pascal, nix.fields.indexOf(name)]),
) as { readonly [K in keyof PascalFields]: number };

export function fieldName(field: number): string | null {
  return nix.fields[field] ?? null;
}

export function createParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(nix as unknown as Parser.Language);
  return parser;
}

export type { Tree, TreeCursor, Edit, Point } from 'tree-sitter';

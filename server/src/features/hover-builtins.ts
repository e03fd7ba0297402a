// Hover section for builtins: `map`, `__attrNames`, the `foo` of `builtins.foo` and of
// `inherit (builtins) foo;`. Shows the signature from the bundled table (analysis/builtins.ts),
// how the builtin is in scope, the documentation of the user's own Nix when lsp/ could read it
// (`nix __dump-language` or `__dump-builtins`; never stored in this repository), otherwise
// nixguard's one-line description, and the version or setting it needs.
import { BUILTINS, BuiltinInfo, globalBuiltin } from '../analysis/builtins';
import { nameAtCursor, nameNodeAt } from '../analysis/name-sites';
import { staticAttributeName } from '../analysis/attribute-names';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import type { ScopeModel } from '../analysis/scopes';
import type { HoverRequest, HoverSection } from './hover';
import { builtinSignature } from './name-descriptions';

/** Whether `expression` is the variable `builtins` and means the builtin (not a local `builtins`). */
function isBuiltinsSet(table: SyntaxTable, scopes: ScopeModel, expression: NodeId): boolean {
  if (expression === NO_NODE || table.kind(expression) !== Kind.VariableExpression) return false;
  const reference = scopes.referenceAt(table.firstChild(expression));
  return reference?.name === 'builtins' && reference.resolution.kind === 'builtin';
}

/** The builtin named by the attribute `attr` of `builtins.attr` or `inherit (builtins) attr;`. */
function builtinOfAttribute(table: SyntaxTable, scopes: ScopeModel, attr: NodeId): BuiltinInfo | undefined {
  const parent = table.parent(attr);
  if (parent === NO_NODE) return undefined;
  let source = NO_NODE;
  if (table.kind(parent) === Kind.Attrpath && table.childByField(parent, Field.Attr) === attr) {
    const access = table.parent(parent);
    if (access !== NO_NODE && (table.kind(access) === Kind.SelectExpression || table.kind(access) === Kind.HasAttrExpression)) source = table.childByField(access, Field.Expression);
  } else if (table.kind(parent) === Kind.InheritedAttrs && table.kind(table.parent(parent)) === Kind.InheritFrom) {
    source = table.childByField(table.parent(parent), Field.Expression);
  }
  if (!isBuiltinsSet(table, scopes, source)) return undefined;
  const name = staticAttributeName(table, attr);
  return name === undefined ? undefined : BUILTINS.get(name);
}

function scopeNote(info: BuiltinInfo): string {
  if (info.name === '__curPos') return 'In scope everywhere; a keyword of the parser rather than an attribute of `builtins`.';
  if (info.name === 'builtins') return 'In scope everywhere.';
  return info.global ? `In scope as \`${info.name}\` and as \`builtins.${info.name}\`.` : `In scope only as \`builtins.${info.name}\` (or \`__${info.name}\`).`;
}

export function builtinMarkdown(info: BuiltinInfo, nixDocs: ReadonlyMap<string, string> | undefined): string {
  const parts = ['```nix\n' + builtinSignature(info) + '\n```', scopeNote(info)];
  const nixDoc = nixDocs?.get(info.name);
  parts.push(nixDoc ?? info.description);
  const notes: string[] = [];
  if (info.since) notes.push(`Since Nix ${info.since}.`);
  if (info.availability) notes.push(`Needs ${info.availability}.`);
  if (notes.length > 0) parts.push(notes.join(' '));
  return parts.join('\n\n');
}

export function builtinHover(request: HoverRequest): HoverSection[] {
  const { file, offset } = request;
  const table = file.table;
  const name = nameAtCursor(table, file.scopes, offset);
  let info: BuiltinInfo | undefined;
  let node = NO_NODE;
  if (name?.kind === 'reference' && name.reference.resolution.kind === 'builtin') {
    info = globalBuiltin(name.reference.name);
    node = name.node;
  } else if (!name) {
    node = nameNodeAt(table, offset);
    info = node === NO_NODE ? undefined : builtinOfAttribute(table, file.scopes, node);
  } else if (name.kind === 'definition' && table.kind(table.parent(name.node)) === Kind.InheritedAttrs) {
    // `inherit (builtins) map;` in a let defines `map` and names the builtin.
    node = name.node;
    info = builtinOfAttribute(table, file.scopes, node);
  }
  if (!info || node === NO_NODE) return [];
  return [{ markdown: builtinMarkdown(info, request.environment.nixBuiltinDocs), range: { start: table.start(node), end: table.end(node) } }];
}

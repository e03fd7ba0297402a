// textDocument/prepareRename and rename: rename a variable at its definition sites and every use
// the scope model resolved to it, or refuse with a reason. Renaming must not change what any name
// means, so it is refused when the new name is no Nix identifier (or a keyword), when the scope
// already binds it, when a scope between a use and the definition binds it (the use would be
// captured), and when the definition's scope already uses it for something else (that use would
// be captured). Names whose text is also an attribute name keep that attribute:
//   `{ inherit a; }` (a plain set reading the outer `a`)  → `{ a = b; }`
//   `let inherit a; in a` (renaming the inner `a`)        → `let b = a; in b`
//   `let inherit (e) a; in a`                             → `let b = e.a; in b`
// and for a formal of `args@{ a, ... }`, `args.a` and `args ? a` name the same argument, so they
// are renamed with it. Renaming a formal changes the function's interface for callers outside
// the file, as in nil; it is allowed.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { definitionSites, formalAttributeSites, nameAtCursor } from '../analysis/name-sites';
import { removeInheritedName } from '../analysis/removal-edits';
import { containsComment } from '../analysis/text-edits';
import type { Definition } from '../analysis/scopes';
import type { OffsetRange, TextEdit } from '../rules/types';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { nodeRange } from './references';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const KEYWORDS: ReadonlySet<string> = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);

export interface RenameRefusal {
  readonly kind: 'refused';
  readonly message: string;
}

export type PrepareRenameResult = { readonly kind: 'renamable'; readonly range: OffsetRange; readonly placeholder: string } | RenameRefusal;

export type RenameResult = { readonly kind: 'edits'; readonly edits: TextEdit[] } | RenameRefusal;

function refuse(message: string): RenameRefusal {
  return { kind: 'refused', message };
}

/** Why `name` cannot be a variable name, or undefined when it can. */
export function invalidIdentifierReason(name: string): string | undefined {
  if (!IDENTIFIER.test(name)) return `\`${name}\` is not a valid Nix identifier`;
  if (KEYWORDS.has(name)) return `\`${name}\` is a Nix keyword`;
  return undefined;
}

interface RenameTarget {
  readonly kind: 'target';
  readonly definition: Definition;
  /** The name under the cursor. */
  readonly node: NodeId;
}

/** The definition to rename from the cursor, the range of the name there, or a refusal. */
function renameTarget(file: AnalyzedFile, offset: number): RenameTarget | RenameRefusal | undefined {
  const name = nameAtCursor(file.table, file.scopes, offset);
  if (!name) return undefined;
  if (name.kind !== 'reference') return { kind: 'target', definition: name.definition, node: name.node };
  const { resolution } = name.reference;
  const quoted = `\`${name.reference.name}\``;
  if (resolution.kind === 'definition') return { kind: 'target', definition: resolution.definition, node: name.node };
  if (resolution.kind === 'builtin') return refuse(`${quoted} is a Nix builtin and cannot be renamed`);
  if (resolution.kind === 'with') return refuse(`${quoted} comes from a \`with\`; rename it where that set defines it`);
  return refuse(`${quoted} is not defined in this file`);
}

/** The range of a name's text: the identifier, or inside the quotes of `"a"` and `${"a"}`. */
function nameTextRange(table: SyntaxTable, node: NodeId): OffsetRange {
  let text = node;
  if (table.kind(text) === Kind.Interpolation) {
    text = table.childByField(text, Field.Expression);
    while (text !== NO_NODE && table.kind(text) === Kind.ParenthesizedExpression) text = table.childByField(text, Field.Expression);
  }
  if (text === NO_NODE) return nodeRange(table, node);
  const kind = table.kind(text);
  if (kind === Kind.StringExpression) return { start: table.start(text) + 1, end: table.end(text) - 1 };
  if (kind === Kind.IndentedStringExpression) return { start: table.start(text) + 2, end: table.end(text) - 2 };
  return nodeRange(table, text);
}

export function prepareRename(file: AnalyzedFile, offset: number): PrepareRenameResult | undefined {
  const target = renameTarget(file, offset);
  if (!target || target.kind === 'refused') return target;
  return { kind: 'renamable', range: nameTextRange(file.table, target.node), placeholder: target.definition.name };
}

export function rename(file: AnalyzedFile, offset: number, newName: string): RenameResult | undefined {
  const target = renameTarget(file, offset);
  if (!target || target.kind === 'refused') return target;
  const invalid = invalidIdentifierReason(newName);
  if (invalid) return refuse(`Cannot rename: ${invalid}`);
  const { definition } = target;
  if (newName === definition.name) return { kind: 'edits', edits: [] };
  const capture = captureProblem(file, definition, newName);
  if (capture) return refuse(capture);
  return renameEdits(file, definition, newName);
}

/** Why renaming `definition` to `newName` would change what some name means, if it would. */
function captureProblem(file: AnalyzedFile, definition: Definition, newName: string): string | undefined {
  const { table, scopes } = file;
  const scope = definition.scope;
  const oldName = `\`${definition.name}\``;
  const quotedNew = `\`${newName}\``;
  const bindersOfNewName = new Set<NodeId>();
  for (const other of scopes.definitions) if (other.name === newName) bindersOfNewName.add(other.scope);
  if (bindersOfNewName.has(scope)) return `Cannot rename ${oldName}: ${quotedNew} is already defined in the same scope`;
  // A use of the old name inside a scope that binds the new one would be captured by it.
  for (const reference of definition.references) {
    for (let up = table.parent(reference.node); up !== NO_NODE && up !== scope && !table.isAncestor(up, scope); up = table.parent(up)) {
      if (bindersOfNewName.has(up)) return `Cannot rename ${oldName}: a use of it would then refer to the ${quotedNew} bound closer to it`;
    }
  }
  // A use of the new name inside the definition's scope that now means something else would be captured by the definition.
  for (const reference of scopes.references) {
    if (reference.name !== newName || !table.isAncestor(scope, reference.node)) continue;
    const resolution = reference.resolution;
    if (resolution.kind === 'definition' && (resolution.definition.scope === scope || table.isAncestor(scope, resolution.definition.scope))) continue;
    return `Cannot rename ${oldName}: ${quotedNew} is already used in its scope and would then refer to it`;
  }
  return undefined;
}

function renameEdits(file: AnalyzedFile, definition: Definition, newName: string): RenameResult {
  const table = file.table;
  let edits: TextEdit[] = [];
  /** Inherited names to turn into bindings, by `inherit` entry: attr → the binding's text. */
  const rewrites = new Map<NodeId, Map<NodeId, (sourceText: string) => string>>();
  const rewrite = (attr: NodeId, binding: (sourceText: string) => string): void => {
    const entry = table.parent(table.parent(attr));
    let attrs = rewrites.get(entry);
    if (!attrs) rewrites.set(entry, (attrs = new Map()));
    attrs.set(attr, binding);
  };
  for (const site of definitionSites(definition)) {
    if (table.kind(table.parent(site)) !== Kind.InheritedAttrs) {
      edits.push({ range: nameTextRange(table, site), newText: newName });
      continue;
    }
    // `inherit a;` / `inherit (e) a;` defines the name it reads: keep reading the old one.
    const entry = table.parent(table.parent(site));
    if (table.kind(entry) === Kind.Inherit && invalidIdentifierReason(definition.name)) return refuse(`Cannot rename \`${definition.name}\`: it is inherited under a name that is no identifier`);
    const attrText = table.nodeText(site);
    rewrite(site, (sourceText) => `${newName} = ${table.kind(entry) === Kind.InheritFrom ? `${sourceText}.${attrText}` : definition.name};`);
  }
  for (const reference of definition.references) {
    // `inherit a;` also names an attribute, which keeps its name.
    if (reference.inherited) rewrite(reference.node, () => `${table.nodeText(reference.node)} = ${newName};`);
    else edits.push({ range: nodeRange(table, reference.node), newText: newName });
  }
  for (const site of formalAttributeSites(table, file.scopes, definition)) edits.push({ range: nameTextRange(table, site), newText: newName });
  for (const [entry, attrs] of rewrites) {
    const entryEdits = rewriteInheritEntry(file, entry, attrs, edits);
    if (entryEdits.kind === 'refused') return entryEdits;
    edits = entryEdits.edits;
  }
  return { kind: 'edits', edits: edits.sort((a, b) => a.range.start - b.range.start) };
}

/** `text` of `[start, end)` with the `edits` inside it applied. */
function withEditsApplied(text: string, start: number, end: number, edits: readonly TextEdit[]): string {
  let result = text.slice(start, end);
  const inside = edits.filter((edit) => edit.range.start >= start && edit.range.end <= end).sort((a, b) => b.range.start - a.range.start);
  for (const edit of inside) result = result.slice(0, edit.range.start - start) + edit.newText + result.slice(edit.range.end - start);
  return result;
}

/**
 * Turns the inherited names `attrs` of `entry` into bindings (`rewrite` gives each one's text
 * from the source expression of `inherit (e)`, renamed as `edits` rename it). Returns `edits`
 * with the entry's edits added, and without the edits inside the entry when it is rewritten whole.
 */
function rewriteInheritEntry(file: AnalyzedFile, entry: NodeId, attrs: ReadonlyMap<NodeId, (sourceText: string) => string>, edits: readonly TextEdit[]): RenameResult {
  const { table, text } = file;
  const source = table.childByField(entry, Field.Expression);
  const sourceText = source === NO_NODE ? '' : selectableText(table, source, withEditsApplied(text, table.start(source), table.end(source), edits));
  const names = table.childrenByField(table.childByField(entry, Field.Attrs), Field.Attr);
  const kept = names.filter((attr) => !attrs.has(attr));
  const bindings = names.filter((attr) => attrs.has(attr)).map((attr) => (attrs.get(attr) as (sourceText: string) => string)(sourceText));
  const outside = edits.filter((edit) => edit.range.end <= table.start(entry) || edit.range.start >= table.end(entry));
  const end = table.end(entry);
  if (kept.length === 0) return { kind: 'edits', edits: [...outside, { range: nodeRange(table, entry), newText: bindings.join(' ') }] };
  if (attrs.size === 1) {
    const [attr] = attrs.keys();
    const removal = removeInheritedName(text, table, attr);
    if (!removal) return refuse(`Cannot rename: a comment sits next to \`${table.nodeText(attr)}\` in its \`inherit\``);
    return { kind: 'edits', edits: [...edits, removal, { range: { start: end, end }, newText: ` ${bindings.join(' ')}` }] };
  }
  // Several names of one entry (a duplicated `inherit a a;`): write the entry anew.
  if (containsComment(table, entry)) return refuse('Cannot rename: a comment sits among the names of an `inherit`');
  const from = source === NO_NODE ? '' : ` (${withEditsApplied(text, table.start(source), table.end(source), edits)})`;
  const rebuilt = `inherit${from} ${kept.map((attr) => table.nodeText(attr)).join(' ')}; ${bindings.join(' ')}`;
  return { kind: 'edits', edits: [...outside, { range: nodeRange(table, entry), newText: rebuilt }] };
}

/** `text` (the renamed text of `expression`), parenthesized unless it can be selected from as it is. */
function selectableText(table: SyntaxTable, expression: NodeId, text: string): string {
  const kind = table.kind(expression);
  const selectable =
    kind === Kind.VariableExpression ||
    kind === Kind.ParenthesizedExpression ||
    kind === Kind.AttrsetExpression ||
    kind === Kind.RecAttrsetExpression ||
    (kind === Kind.SelectExpression && table.childByField(expression, Field.Default) === NO_NODE);
  return selectable ? text : `(${text})`;
}

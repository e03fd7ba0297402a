// Edits that the hardening rules' fixes make to option definitions found by the module model:
// replace a value, rename the attribute a binding defines, or add a definition next to an
// existing one, written the way the surrounding module already is (same attrpath prefix, same
// indentation, one binding per line or inline).
import { Field } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import type { OptionDefinition } from './module-model';
import { lineStartOf, newlineOf } from './text-edits';
import type { PlainTextEdit } from './text-edits';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const KEYWORDS = new Set(['assert', 'else', 'if', 'in', 'inherit', 'let', 'or', 'rec', 'then', 'with']);

/** One attribute name as Nix source: bare when it is an identifier, quoted otherwise. */
export function attributeText(name: string): string {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name) ? name : JSON.stringify(name).replace(/\$\{/g, '\\${');
}

/** A Nix string literal holding `value`. */
export function stringText(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '\\${');
}

/** Replaces a definition's value node. */
export function replaceValue(table: SyntaxTable, definition: OptionDefinition, newText: string): PlainTextEdit | undefined {
  if (definition.value === NO_NODE) return undefined;
  return { range: { start: table.start(definition.value), end: table.end(definition.value) }, newText };
}

/**
 * Renames the last attribute a definition's binding names (`permitRootLogin` in
 * `services.openssh.permitRootLogin = …`) to `newPath` (one or more components).
 */
export function renameLastAttribute(table: SyntaxTable, definition: OptionDefinition, newPath: readonly string[]): PlainTextEdit | undefined {
  const last = definition.attrs[definition.attrs.length - 1];
  if (last === undefined || definition.value === NO_NODE) return undefined;
  return { range: { start: table.start(last), end: table.end(last) }, newText: newPath.map(attributeText).join('.') };
}

/**
 * Adds `<prefix>.<relativePath> = <valueText>;` right after `sibling`'s binding, where the
 * prefix is what the sibling's own attrpath says before its last attribute: next to
 * `services.openssh.enable = true;` the new binding is `services.openssh.<relativePath>`, next
 * to `enable = true;` inside `openssh = { … }` it is just `<relativePath>`.
 */
export function addSiblingDefinition(text: string, table: SyntaxTable, sibling: OptionDefinition, relativePath: readonly string[], valueText: string): PlainTextEdit | undefined {
  const binding = sibling.binding;
  const attrpath = table.childByField(binding, Field.Attrpath);
  if (attrpath === NO_NODE) return undefined;
  const attrs = table.childrenByField(attrpath, Field.Attr);
  if (attrs.length === 0) return undefined;
  const prefix = attrs.slice(0, -1).map((attr) => table.nodeText(attr));
  const newBinding = `${[...prefix, ...relativePath.map(attributeText)].join('.')} = ${valueText};`;
  return insertAfterEntry(text, table, binding, [newBinding]);
}

/** The indentation of `node` when it starts its line, or undefined when other text precedes it. */
export function ownLineIndent(text: string, table: SyntaxTable, node: NodeId): string | undefined {
  const start = table.start(node);
  const before = text.slice(lineStartOf(text, start), start);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/**
 * Inserts `entryTexts` (whole bindings) after the binding-set entry `entry`: one per line at its
 * indentation when it starts its line, otherwise on its line.
 */
export function insertAfterEntry(text: string, table: SyntaxTable, entry: NodeId, entryTexts: readonly string[]): PlainTextEdit {
  const end = table.end(entry);
  const indent = ownLineIndent(text, table, entry);
  const newline = newlineOf(text);
  const newText = entryTexts.map((entryText) => (indent === undefined ? ` ${entryText}` : `${newline}${indent}${entryText}`)).join('');
  return { range: { start: end, end }, newText };
}

/** Where a finding about a definition goes: its value, or the binding when the value is unknown. */
export function definitionRange(table: SyntaxTable, definition: OptionDefinition): { start: number; end: number } {
  const node = definition.value !== NO_NODE ? definition.value : definition.binding;
  return { start: table.start(node), end: table.end(node) };
}

// Hover section for variables: where the name under the cursor is defined (let binding, rec
// attribute, formal with its default, lambda argument, `inherit`), with the first line of the
// definition and its line number; at a definition, how often it is used. A name that only a
// `with` can supply lists those `with`s, and names the one whose environment (a set written in
// the file) certainly has it. Builtins have their own section (hover-builtins.ts).
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { literalAttributes } from '../analysis/literal-attributes';
import { nameAtCursor } from '../analysis/name-sites';
import type { Definition, Reference, WithInfo } from '../analysis/scopes';
import { Field } from '../syntax/grammar';
import { NO_NODE, NodeId } from '../syntax/syntax-table';
import type { HoverRequest, HoverSection } from './hover';
import { definitionSummary, firstLineOf } from './name-descriptions';

function lineOf(file: AnalyzedFile, node: NodeId): number {
  return file.source.lineIndex.position(file.table.start(node)).line + 1;
}

function codeBlock(line: string): string {
  return '```nix\n' + line + '\n```';
}

function usageNote(definition: Definition): string {
  const count = definition.references.length;
  return count === 0 ? 'not used' : count === 1 ? 'used once' : `used ${count} times`;
}

/** `a`: let binding, line 3 — with the definition's first line above it. */
function describeDefinition(file: AnalyzedFile, definition: Definition, withUsage: boolean): string {
  const summary = definitionSummary(file, definition);
  const where = summary.site === NO_NODE ? '' : `, line ${lineOf(file, summary.site)}`;
  const usage = withUsage ? ` · ${usageNote(definition)}` : '';
  const text = `\`${definition.name}\`: ${summary.kind}${where}${usage}`;
  return summary.firstLine === undefined ? text : `${codeBlock(summary.firstLine)}\n${text}`;
}

/** A name no scope binds: the `with`s it may come from, innermost first. */
function describeWithOrigin(file: AnalyzedFile, name: string, withs: readonly WithInfo[]): string {
  const table = file.table;
  const lines: string[] = [];
  let certain: string | undefined;
  for (const info of withs) {
    const environment = table.childByField(info.node, Field.Environment);
    if (environment === NO_NODE) continue;
    const text = `\`with ${firstLineOf(file.text, table.start(environment), table.end(environment))};\` (line ${lineOf(file, info.node)})`;
    lines.push(`- ${text}`);
    // The innermost `with` that has the name supplies it.
    if (certain === undefined && literalAttributes(table, file.scopes, environment).has(name)) certain = text;
  }
  if (certain !== undefined) return `\`${name}\`: from ${certain}`;
  const heading = lines.length === 1 ? 'it may come from' : 'it may come from one of';
  return `\`${name}\` is not bound by any let, rec or function around it; ${heading}\n\n${lines.join('\n')}`;
}

function describeReference(file: AnalyzedFile, reference: Reference): string | undefined {
  const resolution = reference.resolution;
  if (resolution.kind === 'definition') return describeDefinition(file, resolution.definition, false);
  if (resolution.kind === 'with') return describeWithOrigin(file, reference.name, resolution.withs);
  return undefined;
}

export function variableHover(request: HoverRequest): HoverSection[] {
  const { file } = request;
  const table = file.table;
  const name = nameAtCursor(table, file.scopes, request.offset);
  if (!name) return [];
  const range = { start: table.start(name.node), end: table.end(name.node) };
  let markdown: string | undefined;
  if (name.kind === 'reference') markdown = describeReference(file, name.reference);
  else if (name.kind === 'formal-attribute') markdown = describeDefinition(file, name.definition, false);
  else {
    markdown = describeDefinition(file, name.definition, true);
    // `inherit a;` in a let both defines `a` and reads the outer `a`.
    const inherited = name.inherits ? describeReference(file, name.inherits) : undefined;
    if (inherited !== undefined) markdown += `\n\nIt reads the name from outside:\n\n${inherited}`;
  }
  return markdown === undefined ? [] : [{ markdown, range }];
}

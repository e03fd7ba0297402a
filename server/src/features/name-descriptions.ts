// Short descriptions of names for hover and completion: what kind of definition a variable has
// and the first line of the code that defines it, and a builtin's signature.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import type { BuiltinInfo } from '../analysis/builtins';
import type { Definition } from '../analysis/scopes';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId } from '../syntax/syntax-table';

const MAX_LINE_LENGTH = 120;

/** The text of `[start, end)` up to its first line break, shortened to about one screen line. */
export function firstLineOf(text: string, start: number, end: number): string {
  let lineEnd = start;
  while (lineEnd < end && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  const line = text.slice(start, lineEnd).trimEnd();
  const shortened = line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH)}…` : line;
  return lineEnd < end && !shortened.endsWith('…') ? `${shortened} …` : shortened;
}

/** `builtins.map f list`, or just the name for constants. */
export function builtinSignature(info: BuiltinInfo): string {
  const name = info.name.startsWith('__') ? info.name : `builtins.${info.name}`;
  return [name, ...info.parameters].join(' ');
}

export interface DefinitionSummary {
  /** "let binding", "formal argument", … */
  readonly kind: string;
  /** The value is written as a function (`f = x: …;`). */
  readonly isFunction: boolean;
  /** The node whose first line shows the definition: the binding, the `inherit`, the formal. */
  readonly site: NodeId;
  /** That first line. */
  readonly firstLine: string | undefined;
}

const KIND_NAMES: Readonly<Record<Definition['kind'], string>> = {
  let: 'let binding',
  'let-inherit': 'inherited in a let',
  rec: 'attribute of a rec set',
  'rec-inherit': 'inherited in a rec set',
  formal: 'formal argument',
  lambda: 'function argument',
  'at-pattern': 'function argument (the whole set)',
};

export function definitionSummary(file: AnalyzedFile, definition: Definition): DefinitionSummary {
  const table = file.table;
  let site = NO_NODE;
  let isFunction = false;
  let kind = KIND_NAMES[definition.kind];
  switch (definition.kind) {
    case 'let':
    case 'rec': {
      const attrpath = table.parent(definition.node);
      site = table.kind(attrpath) === Kind.Attrpath ? table.parent(attrpath) : NO_NODE;
      if (site !== NO_NODE && table.childByField(attrpath, Field.Attr) === definition.node && table.childrenByField(attrpath, Field.Attr).length === 1) {
        const value = table.childByField(site, Field.Expression);
        isFunction = value !== NO_NODE && table.kind(value) === Kind.FunctionExpression;
      }
      break;
    }
    case 'let-inherit':
    case 'rec-inherit':
      site = definition.inheritNode;
      break;
    case 'formal': {
      site = table.parent(definition.node);
      const fallback = site === NO_NODE ? NO_NODE : table.childByField(site, Field.Default);
      if (fallback !== NO_NODE) {
        kind += `, default \`${firstLineOf(file.text, table.start(fallback), table.end(fallback))}\``;
        isFunction = table.kind(fallback) === Kind.FunctionExpression;
      }
      break;
    }
    case 'lambda':
    case 'at-pattern':
      site = definition.scope;
      break;
  }
  const firstLine = site === NO_NODE ? undefined : firstLineOf(file.text, table.start(site), table.end(site));
  return { kind, isFunction, site, firstLine };
}

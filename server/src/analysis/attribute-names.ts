// The static name of one attribute in an attrpath or an `inherit`, exactly as Nix's parser
// decides it: identifiers, strings without interpolation (`"a"` is `a`, escapes decoded), and
// `${…}` around a plain string (`${"a"}` is `a` too: Nix 2.8 folds it at parse time). Anything
// else (`${x}`, `"${x}"`, `"a${b}"`) is dynamic: its name is known only when evaluating.
// The string helpers this needs (escapes, interpolation, syntax errors) serve every reader of
// literal strings (module-model.ts, systemd-unit.ts).
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';

/** The attribute's name, or undefined when it is dynamic (or too odd to decide). */
export function staticAttributeName(table: SyntaxTable, attr: NodeId): string | undefined {
  const kind = table.kind(attr);
  if (kind === Kind.Identifier) return table.isMissing(attr) ? undefined : table.nodeText(attr);
  if (kind === Kind.StringExpression) return plainStringValue(table, attr);
  if (kind === Kind.Interpolation) {
    let inner = table.childByField(attr, Field.Expression);
    while (inner !== NO_NODE && table.kind(inner) === Kind.ParenthesizedExpression) inner = table.childByField(inner, Field.Expression);
    if (inner === NO_NODE) return undefined;
    if (table.kind(inner) === Kind.StringExpression) return plainStringValue(table, inner);
    if (table.kind(inner) === Kind.IndentedStringExpression) return plainIndentedStringValue(table, inner);
  }
  return undefined;
}

/**
 * Whether the attribute's static name is `name`. An identifier is compared in place, without
 * slicing the text: rules ask this of every binding of a file, and almost all are identifiers.
 */
export function isAttributeNamed(table: SyntaxTable, attr: NodeId, name: string): boolean {
  if (table.kind(attr) === Kind.Identifier) {
    const start = table.start(attr);
    return table.end(attr) - start === name.length && !table.isMissing(attr) && table.text.startsWith(name, start);
  }
  return staticAttributeName(table, attr) === name;
}

/**
 * The last attribute node of a binding's attrpath (`c` of `a.b.c = …`), or NO_NODE. Walks the
 * children rather than listing them: rules ask this of every binding of a file.
 */
export function lastAttribute(table: SyntaxTable, binding: NodeId): NodeId {
  const attrpath = table.childByField(binding, Field.Attrpath);
  if (attrpath === NO_NODE) return NO_NODE;
  let last = NO_NODE;
  for (let child = table.firstChild(attrpath); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.field(child) === Field.Attr) last = child;
  }
  return last;
}

/** Whether the attribute is a `${…}` or a string with interpolation whose name Nix cannot know at parse time. */
export function isDynamicAttribute(table: SyntaxTable, attr: NodeId): boolean {
  if (hasSyntaxError(table, attr)) return false;
  const kind = table.kind(attr);
  if (kind === Kind.StringExpression) return hasInterpolation(table, attr);
  if (kind !== Kind.Interpolation) return false;
  let inner = table.childByField(attr, Field.Expression);
  while (inner !== NO_NODE && table.kind(inner) === Kind.ParenthesizedExpression) inner = table.childByField(inner, Field.Expression);
  if (inner === NO_NODE) return false;
  const innerKind = table.kind(inner);
  return !((innerKind === Kind.StringExpression || innerKind === Kind.IndentedStringExpression) && !hasInterpolation(table, inner));
}

/** Whether the subtree of `node` holds an ERROR or MISSING node. */
export function hasSyntaxError(table: SyntaxTable, node: NodeId): boolean {
  const end = table.subtreeEnd(node);
  for (let row = node; row < end; row++) if (table.isError(row) || table.isMissing(row)) return true;
  return false;
}

/** Whether a string has a `${…}` part of its own (not counting nested strings). */
export function hasInterpolation(table: SyntaxTable, stringNode: NodeId): boolean {
  for (let child = table.firstChild(stringNode); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.kind(child) === Kind.Interpolation) return true;
  }
  return false;
}

/** `"…"` without interpolation, with Nix's escapes decoded: `\n`, `\r`, `\t`, and `\x` is `x`. */
function plainStringValue(table: SyntaxTable, stringNode: NodeId): string | undefined {
  if (hasInterpolation(table, stringNode) || hasSyntaxError(table, stringNode)) return undefined;
  const text = table.nodeText(stringNode);
  if (text.length < 2 || text[0] !== '"' || text[text.length - 1] !== '"') return undefined;
  return decodeStringEscapes(text.slice(1, -1));
}

/**
 * `''…''` without interpolation on a single line: Nix strips the leading spaces (the line's
 * indentation) and decodes `''$`, `'''` and `''\x`. Multi-line and blank strings give undefined,
 * so such rare keys are never compared rather than compared wrongly.
 */
function plainIndentedStringValue(table: SyntaxTable, stringNode: NodeId): string | undefined {
  if (hasInterpolation(table, stringNode) || hasSyntaxError(table, stringNode)) return undefined;
  const text = table.nodeText(stringNode);
  if (text.length < 4 || !text.startsWith("''") || !text.endsWith("''")) return undefined;
  const body = text.slice(2, -2);
  if (/[\n\r]/.test(body) || body.trim() === '') return undefined;
  return decodeIndentedStringEscapes(body.replace(/^ +/, ''));
}

/** The body of a `"…"` string (without its quotes) with Nix's escapes decoded: `\n`, `\r`, `\t`, and `\x` is `x`. */
export function decodeStringEscapes(body: string): string {
  return body.replace(/\\([\s\S])/g, (_, escaped: string) => decodeEscape(escaped));
}

/** The body of a `''…''` string (indentation already stripped) with `''$`, `'''` and `''\x` decoded. */
export function decodeIndentedStringEscapes(body: string): string {
  return body.replace(/''(\$|'|\\([\s\S]))/g, (_match, what: string, escaped: string | undefined) => {
    if (what === '$') return '$';
    if (what === "'") return "''";
    return decodeEscape(escaped ?? '');
  });
}

function decodeEscape(character: string): string {
  if (character === 'n') return '\n';
  if (character === 'r') return '\r';
  if (character === 't') return '\t';
  return character;
}

// textDocument/completion: what may be typed at the cursor, from the file alone.
//
// - In an expression: the names in scope (let, rec, formals, lambda arguments, innermost first),
//   names a `with` certainly provides (its environment is a set written in the file), the
//   global builtins, and keywords (`then`/`else` only where an `if` waits for them).
// - After `x.`: the attributes of `x` when it resolves to a set written in the file
//   (literal-attributes.ts), the formals of `args@{ … }` for `args.`, and every builtin after
//   `builtins.`.
// - In `inherit …;`: the names in scope outside the let/rec it sits in; in `inherit (x) …;` the
//   attributes of `x`. Names the statement already lists are left out.
// - Between bindings: `inherit` (and `in` in a let). Nothing in strings, comments, paths, URIs,
//   numbers or formals, except inside `${ }`.
//
// The user is typing, so the text is often broken (`foo.` then the end of the file, an unclosed
// `{`). Where the cursor is (code, string, comment; between bindings or in a value) comes from a
// left-to-right scan of the text (syntax/lexical-context.ts), which broken text cannot mislead.
// Scopes come from the tree; when tree-sitter's error recovery has swallowed the constructs around
// the cursor into an ERROR node, a repaired copy of the text is parsed instead: the cursor's word
// made into a placeholder identifier, and if needed the text cut there and every open bracket,
// string, `let` and `if` closed (see `repairedSyntax`). Files above REPAIR_LIMIT are not
// reparsed; they use the user's tree as it is.
import { AnalyzedFile } from '../analysis/analyzed-file';
import { BUILTINS, BuiltinInfo, GLOBAL_BUILTINS, globalBuiltin, scopeNameOf } from '../analysis/builtins';
import { LiteralAttribute, literalAttributes, literalAttributesOfReference } from '../analysis/literal-attributes';
import { visibleNamesAt } from '../analysis/scopes';
import type { Definition } from '../analysis/scopes';
import { Field, Kind } from '../syntax/grammar';
import { closingText, LexicalContext, lexicalContextAt, LexicalToken, Opener, ScanStart } from '../syntax/lexical-context';
import { SourceFile } from '../syntax/source-file';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import type { OffsetRange } from '../rules/types';
import { builtinSignature, definitionSummary, firstLineOf } from './name-descriptions';

export type CompletionItemKind = 'variable' | 'function' | 'keyword' | 'property' | 'module' | 'constant';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionItemKind;
  /** One line: where the name comes from, or a builtin's signature. */
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Replaces the completion range; a snippet (`$1`, `$0`) when `snippet` is set. */
  readonly insertText: string;
  readonly snippet: boolean;
  /** Orders the items before the client filters them. */
  readonly sortText: string;
}

export interface CompletionList {
  /** What an item replaces: the part of the word before the cursor. */
  readonly range: OffsetRange;
  readonly items: readonly CompletionItem[];
  /** Items were left out (too many): the client asks again as the word grows. */
  readonly incomplete: boolean;
}

export interface CompletionOptions {
  /** The client inserts snippets: keywords then come with placeholders (`if $1 then $2 else $0`). */
  readonly snippets?: boolean;
  /** Above this many items only those matching the typed word are kept (default 1000). */
  readonly maxItems?: number;
}

/** Files up to this length are reparsed with a repaired text when the cursor sits in an ERROR. */
export const REPAIR_LIMIT = 256 * 1024;
const DEFAULT_MAX_ITEMS = 1000;

/** Stands for the word at the cursor in a repaired text; no file holds it. */
const PLACEHOLDER = 'nixguardCompletionPlaceholder';

/** Sort groups: the innermost names first, keywords last among the likely ones. */
const GROUP_LOCAL = 0;
const GROUP_WITH = 1;
const GROUP_KEYWORD = 2;
const GROUP_BUILTIN = 3;

type CursorContext =
  | { readonly kind: 'expression' }
  /** Between the bindings of a set or let: an attribute name or `inherit` comes next. */
  | { readonly kind: 'binding'; readonly inLet: boolean }
  /** After `base.a.b.`: `chain` is every name before the last dot, `base` first. */
  | { readonly kind: 'member'; readonly chain: readonly LexicalToken[] }
  /** In `inherit a b …;` */
  | { readonly kind: 'inherit'; readonly listed: ReadonlySet<string> }
  /** In `inherit (source) a b …;` */
  | { readonly kind: 'inherit-from'; readonly source: readonly LexicalToken[]; readonly listed: ReadonlySet<string> };

interface Syntax {
  readonly file: AnalyzedFile;
  /** The node whose ancestors hold the scopes at the cursor. */
  readonly anchor: NodeId;
}

const IDENTIFIER_CHAR = /[a-zA-Z0-9_'-]/;
const IDENTIFIER_START = /[a-zA-Z_]/;

/** Where the word being typed starts, or undefined when the cursor ends a number. */
function wordStart(text: string, offset: number): number | undefined {
  let start = offset;
  while (start > 0 && IDENTIFIER_CHAR.test(text[start - 1])) start--;
  // `-` and `'` cannot start a name: `x -y` is `x - y`; `''` opens a string (the scan sees it).
  while (start < offset && (text[start] === '-' || text[start] === "'")) start++;
  if (start < offset && !IDENTIFIER_START.test(text[start])) return undefined;
  return start;
}

/** Completions at `offset`, or undefined where nothing may be completed (strings, comments, …). */
export function completionsAt(file: AnalyzedFile, offset: number, options: CompletionOptions = {}): CompletionList | undefined {
  const text = file.text;
  const cursor = Math.max(0, Math.min(offset, text.length));
  const start = wordStart(text, cursor);
  if (start === undefined) return undefined;
  const lexical = lexicalContextAt(text, start, scanStart(file, start));
  if (lexical.mode !== 'code') return undefined;
  const context = cursorContext(lexical, start);
  if (!context) return undefined;
  const prefix = text.slice(start, cursor);
  const range = { start, end: cursor };
  const snippets = options.snippets === true;

  let items: CompletionItem[];
  if (context.kind === 'binding') {
    items = [keywordItem('inherit', snippets ? 'inherit $0;' : 'inherit', snippets)];
    if (context.inLet) items.push(keywordItem('in', 'in', false));
  } else {
    const syntax = syntaxAt(file, lexical, start, cursor, context);
    items = itemsFor(syntax, context, lexical, prefix, snippets);
  }
  return limitItems(range, items, prefix, options.maxItems ?? DEFAULT_MAX_ITEMS);
}

/**
 * Where the text scan may begin: the start of the binding the cursor is in (or of the last one
 * before it in its binding list), whose state is known from the tree, so that typing in one of
 * 20,000 bindings does not rescan the megabytes before it. Only where the tree has no error
 * before that start: after an error (an unclosed string, say) the tree may read text as code
 * that Nix reads as a string.
 */
function scanStart(file: AnalyzedFile, offset: number): ScanStart | undefined {
  const table = file.table;
  const firstError = file.source.hasSyntaxErrors ? table.errorNodes()[0] : undefined;
  const errorFree = firstError === undefined ? Infinity : table.start(firstError);
  for (let node = table.nodeAt(offset); node !== NO_NODE; node = table.parent(node)) {
    let binding = NO_NODE;
    let bindingSet = NO_NODE;
    if (table.kind(node) === Kind.BindingSet) {
      bindingSet = node;
      // Between two bindings: the last one that starts before the cursor.
      for (let child = table.firstChild(node); child !== NO_NODE && table.start(child) <= offset; child = table.nextSibling(child)) binding = child;
    } else if (table.kind(table.parent(node)) === Kind.BindingSet) {
      bindingSet = table.parent(node);
      binding = node;
    }
    if (binding === NO_NODE) continue;
    if (table.start(binding) > errorFree) return undefined;
    return { offset: table.start(binding), owner: table.kind(table.parent(bindingSet)) === Kind.LetExpression ? 'let' : '{' };
  }
  return undefined;
}

/** Decides from the scanned tokens what kind of name the cursor is on. */
function cursorContext(lexical: LexicalContext, start: number): CursorContext | undefined {
  const tokens = lexical.tokens;
  const last = tokens[tokens.length - 1];
  // Right after a number, path or URI (`1.`, `./dir/`), or inside one: not a name.
  if (last && last.end >= start && (last.kind === 'number' || last.kind === 'path' || last.kind === 'uri')) return undefined;
  const owner = innermostBindingList(lexical.stack);
  const top = lexical.stack[lexical.stack.length - 1];
  const betweenBindings = owner !== undefined && owner === top && owner.statement === 'none';

  if (last?.kind === 'operator' && last.text === '.') {
    if (betweenBindings) return undefined; // `{ a.b.| = …; }`: an attribute path being written
    const chain = chainBefore(tokens, tokens.length - 1);
    return chain ? { kind: 'member', chain } : undefined;
  }
  if (top && (top.kind === '{' || top.kind === 'let')) {
    if (top.kind === '{' && top.formals && !top.inDefault) return undefined;
    if (top.statement === 'none') return top.kind === '{' && top.inDefault ? { kind: 'expression' } : { kind: 'binding', inLet: top.kind === 'let' };
    if (top.statement === 'inherit') return inheritContext(tokens, top);
  }
  return { kind: 'expression' };
}

function innermostBindingList(stack: readonly Opener[]): Opener | undefined {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i].kind === '{' || stack[i].kind === 'let') return stack[i];
  return undefined;
}

/** `a.b.c` ending at `tokens[dot - 1]`: the identifiers, base first; undefined if not a plain chain. */
function chainBefore(tokens: readonly LexicalToken[], dot: number): LexicalToken[] | undefined {
  const chain: LexicalToken[] = [];
  let i = dot - 1;
  for (;;) {
    const name = tokens[i];
    if (!name || name.kind !== 'identifier') return undefined;
    chain.unshift(name);
    const before = tokens[i - 1];
    if (!before || before.kind !== 'operator' || before.text !== '.') return chain;
    i -= 2;
  }
}

function inheritContext(tokens: readonly LexicalToken[], owner: Opener): CursorContext | undefined {
  const first = tokens.findIndex((token) => token.start === owner.statementStart);
  if (first < 0) return undefined; // a very long `inherit` list: its start is no longer known
  let index = first + 1;
  let source: LexicalToken[] | undefined;
  if (tokens[index]?.text === '(') {
    const close = tokens.findIndex((token, i) => i > index && token.text === ')');
    if (close < 0) return { kind: 'expression' };
    const inside = tokens.slice(index + 1, close);
    // Only a plain `(a.b.c)` source is followed.
    const isChain = inside.length % 2 === 1 && inside.every((token, i) => (i % 2 === 0 ? token.kind === 'identifier' : token.text === '.'));
    source = isChain ? inside.filter((token) => token.kind === 'identifier') : [];
    index = close + 1;
  }
  const listed = new Set(tokens.slice(index).filter((token) => token.kind === 'identifier').map((token) => token.text));
  return source ? { kind: 'inherit-from', source, listed } : { kind: 'inherit', listed };
}

/** The tree to read scopes from, and the node at the cursor in it. */
function syntaxAt(file: AnalyzedFile, lexical: LexicalContext, start: number, cursor: number, context: CursorContext): Syntax {
  const table = file.table;
  const last = lexical.tokens[lexical.tokens.length - 1];
  // The word being typed, or else the token before the cursor, sits inside every scope that
  // covers the cursor (`x: |` → `:`; `let a = 1; in f |` → `f`), while the node at a cursor in
  // trailing whitespace may be an ancestor outside them.
  const anchor = start < cursor ? table.nodeAt(start) : last ? table.nodeAt(last.start) : table.root;
  const original = { file, anchor };
  if (!file.source.hasSyntaxErrors || !needsRepair(table, anchor, context)) return original;
  if (file.text.length > REPAIR_LIMIT) return original;
  return repairedSyntax(file.text, lexical, start, cursor) ?? original;
}

function hasErrorAncestor(table: SyntaxTable, node: NodeId): boolean {
  for (let up = node; up !== NO_NODE; up = table.parent(up)) if (table.isError(up)) return true;
  return false;
}

function needsRepair(table: SyntaxTable, anchor: NodeId, context: CursorContext): boolean {
  if (hasErrorAncestor(table, anchor)) return true;
  // The base of `x.` must be a variable the scope model resolved.
  if (context.kind === 'member') {
    const base = table.nodeAt(context.chain[0].start);
    return table.kind(base) !== Kind.Identifier || table.kind(table.parent(base)) !== Kind.VariableExpression;
  }
  return false;
}

/**
 * Parses repaired texts until one has no ERROR around the cursor: first the text with the word at
 * the cursor replaced by a placeholder identifier (enough for `{ a = x.; b = 1; }`), then the
 * text cut after the placeholder and closed (`{ pkgs, ... }: { x = pkgs.` + `; }`). Offsets
 * before the cursor are the user's in both.
 */
function repairedSyntax(text: string, lexical: LexicalContext, start: number, cursor: number): Syntax | undefined {
  let wordEnd = cursor;
  while (wordEnd < text.length && IDENTIFIER_CHAR.test(text[wordEnd])) wordEnd++;
  const before = text.slice(0, start) + PLACEHOLDER;
  const candidates = [before + text.slice(wordEnd), before + closingText(lexical)];
  for (const candidate of candidates) {
    const file = new AnalyzedFile(SourceFile.parse(candidate, { keepTree: false }), undefined);
    const anchor = file.table.nodeAt(start);
    if (file.table.kind(anchor) === Kind.Identifier && !hasErrorAncestor(file.table, anchor)) return { file, anchor };
  }
  return undefined;
}

function itemsFor(syntax: Syntax, context: Exclude<CursorContext, { kind: 'binding' }>, lexical: LexicalContext, prefix: string, snippets: boolean): CompletionItem[] {
  switch (context.kind) {
    case 'expression': {
      const scope = scopeItems(syntax, NO_NODE, new Set());
      return [...scope.items, ...keywordItems(lexical, snippets), ...builtinItems(scope.lexicalNames, prefix)];
    }
    case 'member':
      return memberItems(syntax, context.chain);
    case 'inherit':
      return scopeItems(syntax, inheritOwner(syntax), context.listed).items;
    case 'inherit-from':
      return context.source.length === 0 ? [] : memberItems(syntax, context.source).filter((item) => !context.listed.has(item.label));
  }
}

/** The let or rec whose `inherit` the cursor is in: its own names are not in scope there. */
function inheritOwner(syntax: Syntax): NodeId {
  const table = syntax.file.table;
  for (let node = syntax.anchor; node !== NO_NODE; node = table.parent(node)) {
    const kind = table.kind(node);
    if (kind === Kind.LetExpression || kind === Kind.RecAttrsetExpression || kind === Kind.LetAttrsetExpression) return node;
    if (kind === Kind.AttrsetExpression) return NO_NODE;
  }
  return NO_NODE;
}

/**
 * Definitions visible at the anchor, innermost first, one per name: the names a reference there
 * would resolve to (scopes.ts `visibleNamesAt`, attribute-set merging included), as the scope
 * model's definitions.
 */
function visibleDefinitions(file: AnalyzedFile, anchor: NodeId, skipScope: NodeId = NO_NODE): Definition[] {
  const result: Definition[] = [];
  for (const [name, node] of visibleNamesAt(file.table, anchor, skipScope).definitionNodes) {
    const definition = file.scopes.definitionAt(node);
    if (definition && !name.includes(PLACEHOLDER)) result.push(definition);
  }
  return result;
}

function sortText(group: number, index: number): string {
  return `${group}${String(index).padStart(6, '0')}`;
}

function definitionItem(file: AnalyzedFile, definition: Definition, index: number): CompletionItem {
  const summary = definitionSummary(file, definition);
  return {
    label: definition.name,
    kind: summary.isFunction ? 'function' : 'variable',
    detail: summary.kind,
    documentation: summary.firstLine === undefined ? undefined : '```nix\n' + summary.firstLine + '\n```',
    insertText: definition.name,
    snippet: false,
    sortText: sortText(GROUP_LOCAL, index),
  };
}

/** The names in scope (lexical ones, then those a `with` certainly provides), and the lexical names alone. */
function scopeItems(syntax: Syntax, skipScope: NodeId, listed: ReadonlySet<string>): { items: CompletionItem[]; lexicalNames: ReadonlySet<string> } {
  const { file, anchor } = syntax;
  const definitions = visibleDefinitions(file, anchor, skipScope).filter((definition) => !listed.has(definition.name));
  const items = definitions.map((definition, index) => definitionItem(file, definition, index));
  const lexicalNames = new Set(items.map((item) => item.label));
  const names = new Set(lexicalNames);
  let index = 0;
  for (const { withNode, attributes } of withAttributes(file, anchor)) {
    const environment = firstLineOf(file.text, file.table.start(withNode), file.table.end(withNode));
    for (const attribute of attributes.values()) {
      // A builtin's name means the builtin even inside `with`: Nix looks at `with`s last.
      if (names.has(attribute.name) || listed.has(attribute.name) || GLOBAL_BUILTINS.has(attribute.name) || attribute.name.includes(PLACEHOLDER)) continue;
      names.add(attribute.name);
      items.push({ ...attributeItem(file, attribute, index++, GROUP_WITH), detail: `from \`${environment}\`` });
    }
  }
  return { items, lexicalNames };
}

/** For each `with` around the anchor (innermost first), the attributes its environment certainly has. */
function withAttributes(file: AnalyzedFile, anchor: NodeId): { withNode: NodeId; attributes: Map<string, LiteralAttribute> }[] {
  const table = file.table;
  const result: { withNode: NodeId; attributes: Map<string, LiteralAttribute> }[] = [];
  for (let node = anchor; node !== NO_NODE; node = table.parent(node)) {
    if (table.kind(node) !== Kind.WithExpression) continue;
    const environment = table.childByField(node, Field.Environment);
    // The anchor (the cursor's word, or the token before it) must be past `with e`: in the body.
    if (environment === NO_NODE || table.start(anchor) < table.end(environment)) continue;
    const attributes = literalAttributes(table, file.scopes, environment);
    if (attributes.size > 0) result.push({ withNode: environment, attributes });
  }
  return result;
}

function attributeItem(file: AnalyzedFile, attribute: LiteralAttribute, index: number, group: number): CompletionItem {
  const table = file.table;
  const isFunction = attribute.value !== NO_NODE && table.kind(attribute.value) === Kind.FunctionExpression;
  const site = attribute.inheritNode !== NO_NODE ? attribute.inheritNode : table.parent(table.parent(attribute.node));
  const line = site === NO_NODE ? undefined : firstLineOf(file.text, table.start(site), table.end(site));
  return {
    label: attribute.name,
    kind: isFunction ? 'function' : 'property',
    detail: attribute.inheritNode !== NO_NODE ? 'inherited attribute' : 'attribute',
    documentation: line === undefined ? undefined : '```nix\n' + line + '\n```',
    insertText: attribute.name,
    snippet: false,
    sortText: sortText(group, index),
  };
}

function builtinItem(info: BuiltinInfo, label: string, index: number): CompletionItem {
  return {
    label,
    kind: info.name === 'builtins' ? 'module' : info.kind === 'constant' ? 'constant' : 'function',
    detail: builtinSignature(info),
    documentation: info.description,
    insertText: label,
    snippet: false,
    sortText: sortText(GROUP_BUILTIN, index),
  };
}

/** The builtins in scope without a prefix, unless a local name shadows them; `__x` only once `__` is typed. */
function builtinItems(shadowed: ReadonlySet<string>, prefix: string): CompletionItem[] {
  const items: CompletionItem[] = [];
  const wantsPrefixed = prefix.startsWith('__');
  const names = [...BUILTINS.values()].map(scopeNameOf).concat('__curPos').sort();
  for (const name of names) {
    if (shadowed.has(name) || (name.startsWith('__') && !wantsPrefixed)) continue;
    const info = globalBuiltin(name);
    if (info) items.push(builtinItem(info, name, items.length));
  }
  return items;
}

const KEYWORD_SNIPPETS: Readonly<Record<string, string>> = {
  let: 'let\n\t${1:name} = ${2:value};\nin\n$0',
  if: 'if ${1:condition} then ${2:value} else ${0:other}',
  with: 'with ${1:scope}; $0',
  assert: 'assert ${1:condition}; $0',
};

function keywordItem(keyword: string, insertText: string, snippet: boolean): CompletionItem {
  return { label: keyword, kind: 'keyword', detail: 'keyword', insertText, snippet, sortText: sortText(GROUP_KEYWORD, 0) };
}

/** Keywords that may start an expression here; `then`/`else` where an `if` waits for them. */
function keywordItems(lexical: LexicalContext, snippets: boolean): CompletionItem[] {
  const items: CompletionItem[] = [];
  const top = lexical.stack[lexical.stack.length - 1];
  if (top?.kind === 'if') items.push(keywordItem('then', 'then', false));
  if (top?.kind === 'then') items.push(keywordItem('else', 'else', false));
  for (const keyword of ['if', 'let', 'with', 'assert', 'rec']) {
    const snippet = snippets ? KEYWORD_SNIPPETS[keyword] : undefined;
    items.push(keywordItem(keyword, snippet ?? keyword, snippet !== undefined));
  }
  return items;
}

/** After `base.a.b.`: the attributes the file shows for that value. */
function memberItems(syntax: Syntax, chain: readonly LexicalToken[]): CompletionItem[] {
  const { file } = syntax;
  const table = file.table;
  const identifier = table.nodeAt(chain[0].start);
  if (table.kind(identifier) !== Kind.Identifier || table.nodeText(identifier) !== chain[0].text) return [];
  const reference = file.scopes.referenceAt(identifier);
  if (!reference) return [];
  const path = chain.slice(1).map((token) => token.text);
  if (reference.resolution.kind === 'builtin') {
    if (reference.name !== 'builtins' || path.length > 0) return [];
    return [...BUILTINS.values()].map((info, index) => builtinItem(info, info.name, index));
  }
  if (reference.resolution.kind !== 'definition') return [];
  const definition = reference.resolution.definition;
  if (definition.kind === 'at-pattern' && path.length === 0) return formalItems(file, definition);
  const attributes = literalAttributesOfReference(table, file.scopes, reference, path);
  return [...attributes.values()].filter((attribute) => !attribute.name.includes(PLACEHOLDER)).map((attribute, index) => attributeItem(file, attribute, index, GROUP_LOCAL));
}

/** `args.` with `args@{ a, b ? 1, ... }`: the formals. */
function formalItems(file: AnalyzedFile, pattern: Definition): CompletionItem[] {
  const table = file.table;
  const formals = table.childByField(pattern.scope, Field.Formals);
  const items: CompletionItem[] = [];
  for (let formal = formals === NO_NODE ? NO_NODE : table.firstChild(formals); formal !== NO_NODE; formal = table.nextSibling(formal)) {
    if (table.kind(formal) !== Kind.Formal) continue;
    const name = table.childByField(formal, Field.Name);
    const definition = name === NO_NODE ? undefined : file.scopes.definitionAt(name);
    if (definition) items.push({ ...definitionItem(file, definition, items.length), kind: 'property' });
  }
  return items;
}

/** Whether `label` matches the typed word: its letters in order, ignoring case. */
function matchesWord(label: string, word: string): boolean {
  let at = 0;
  const lower = label.toLowerCase();
  for (const char of word.toLowerCase()) {
    at = lower.indexOf(char, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

function limitItems(range: OffsetRange, items: CompletionItem[], prefix: string, maxItems: number): CompletionList {
  if (items.length <= maxItems) return { range, items, incomplete: false };
  const matching = items.filter((item) => matchesWord(item.label, prefix));
  return { range, items: matching.slice(0, maxItems), incomplete: true };
}

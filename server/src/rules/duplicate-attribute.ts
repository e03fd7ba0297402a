// duplicate-attribute: an attribute defined twice in one attribute set, rec set or let.
//   { a = 1; a = 2; }                →  error: `a` is already defined
//   { a.b = 1; a = { b = 2; }; }     →  error on the second `b`
//   { a.b = 1; a = { c = 2; }; }     →  fine: Nix merges the two definitions of `a`
// Nix rejects these while parsing, so the file cannot be evaluated at all. The rule mirrors the
// parser's `addAttr` (Nix 2.8): an attrpath descends into an earlier definition when that
// definition is a set literal (`{ }` or `rec { }`, parentheses ignored) or the implicit set of an
// earlier path, and a set literal assigned to a name already holding such a set is merged into
// it one level deep; anything else defined twice is an error. `${…}` keys are never compared;
// `"a"` and `${"a"}` are the same key as `a`.
//
// Each binding set reports the clashes between its own bindings (including those that a merge
// brings in from set literals among its values); a clash inside one literal is reported by that
// literal's own binding set.
import { staticAttributeName } from '../analysis/attribute-names';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule, OffsetRange } from './types';

type MessageId = 'duplicate' | 'notExtensible';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** How a key is written in a message: `a`, or `"a b"` for names that need quotes. */
function displayKey(name: string): string {
  if (IDENTIFIER.test(name)) return name;
  const escaped = name.replace(/[\\"\n\r\t]|\$\{/g, (special) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[special] ?? '\\${');
  return `"${escaped}"`;
}

/** Keeps messages short: the end of a long path is the part that tells. */
function shorten(path: string): string {
  return path.length > 48 ? `…${path.slice(-47)}` : path;
}

/**
 * One attribute set as Nix's parser builds it: each name maps to the attribute node that first
 * defined it (everything else about the definition is read from the table when needed). A set
 * literal's entries are computed lazily, from its binding set, the first time a path descends
 * into it or a merge needs it.
 */
class AttributeSet {
  entries: Map<string, NodeId> | undefined;

  constructor(readonly bindingSet: NodeId) {
    if (bindingSet === NO_NODE) this.entries = new Map();
  }
}

export default defineRule<MessageId>({
  id: 'duplicate-attribute',
  meta: {
    severity: 'error',
    category: 'correctness',
    description: 'Attribute defined more than once in the same set or let',
    fixable: false,
    messages: {
      duplicate: 'Attribute `{{path}}` is already defined',
      notExtensible: 'Attribute `{{path}}` is already defined as a value that a path cannot extend',
    },
  },
  check(context) {
    const table = context.file.table;

    // Per visit: one model per set literal, and the implicit set each attrpath prefix created
    // (keyed by the prefix's attribute node), so a retried step finds what was computed meanwhile.
    let literalSets = new Map<NodeId, AttributeSet>();
    let implicitSets = new Map<NodeId, AttributeSet>();

    /** The set a value expression lets Nix extend: a `{ }` or `rec { }` literal, through parentheses. */
    const literalSetOf = (expression: NodeId): AttributeSet | undefined => {
      let node = expression;
      while (node !== NO_NODE && table.kind(node) === Kind.ParenthesizedExpression) node = table.childByField(node, Field.Expression);
      if (node === NO_NODE) return undefined;
      const kind = table.kind(node);
      if (kind !== Kind.AttrsetExpression && kind !== Kind.RecAttrsetExpression) return undefined;
      let set = literalSets.get(node);
      if (!set) {
        set = new AttributeSet(table.childOfKind(node, Kind.BindingSet));
        literalSets.set(node, set);
      }
      return set;
    };

    /**
     * The set Nix can extend under the name `keyNode` defined: the implicit set of a path prefix,
     * or the value of `name = value;` when that is a set literal; undefined for `inherit`ed names
     * and other values.
     */
    const setOf = (keyNode: NodeId): AttributeSet | undefined => {
      const implicit = implicitSets.get(keyNode);
      if (implicit) return implicit;
      const attrpath = table.parent(keyNode);
      if (table.kind(attrpath) !== Kind.Attrpath) return undefined;
      return literalSetOf(table.childByField(table.parent(attrpath), Field.Expression));
    };

    /** The next attribute of an attrpath from `node` on (skipping the dots), or NO_NODE. */
    const nextAttr = (node: NodeId): NodeId => {
      let attr = node;
      while (attr !== NO_NODE && table.field(attr) !== Field.Attr) attr = table.nextSibling(attr);
      return attr;
    };

    /** `a.b.c` for the attrpath up to and including `last`, as messages show it. */
    const pathText = (attrpath: NodeId, last: NodeId): string => {
      const parts: string[] = [];
      for (let attr = nextAttr(table.firstChild(attrpath)); attr !== NO_NODE && attr <= last; attr = nextAttr(table.nextSibling(attr))) {
        parts.push(displayKey(staticAttributeName(table, attr) ?? table.nodeText(attr)));
      }
      return shorten(parts.join('.'));
    };

    const reportClash = (at: NodeId | OffsetRange, path: string, first: NodeId, messageId: MessageId = 'duplicate'): void => {
      context.report({
        range: typeof at === 'number' ? { start: table.start(at), end: table.end(at) } : at,
        messageId,
        data: { path },
        related: [{ range: { start: table.start(first), end: table.end(first) }, message: `\`${path}\` is first defined here` }],
      });
    };

    /**
     * Adds one binding (or inherit) of `set`'s binding set to `set`, as Nix's parser does. When a
     * set it must look into has no entries yet, returns that set (to be computed first) and has
     * changed nothing that a retry would do differently; `report` is false while computing a
     * literal's own entries, whose clashes that literal's binding set reports.
     */
    const step = (set: AttributeSet, binding: NodeId, report: boolean): AttributeSet | undefined => {
      const kind = table.kind(binding);
      if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
        const entries = set.entries as Map<string, NodeId>;
        const attrs = table.childByField(binding, Field.Attrs);
        if (attrs === NO_NODE) return undefined;
        for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
          const name = staticAttributeName(table, attr);
          if (name === undefined) continue;
          const existing = entries.get(name);
          if (existing === undefined) entries.set(name, attr);
          else if (report) reportClash(attr, shorten(displayKey(name)), existing);
        }
        return undefined;
      }
      if (kind !== Kind.Binding) return undefined;
      const attrpath = table.childByField(binding, Field.Attrpath);
      if (attrpath === NO_NODE) return undefined;
      let current = set;
      for (let attr = nextAttr(table.firstChild(attrpath)); attr !== NO_NODE; ) {
        const name = staticAttributeName(table, attr);
        // A dynamic key gets a fresh set of its own: nothing under it can clash.
        if (name === undefined) return undefined;
        const following = nextAttr(table.nextSibling(attr));
        const entries = current.entries as Map<string, NodeId>;
        const existing = entries.get(name);
        if (following !== NO_NODE) {
          // A prefix: descend into the set defined under this name, creating it if new.
          if (existing === undefined) {
            const implicit = new AttributeSet(NO_NODE);
            entries.set(name, attr);
            implicitSets.set(attr, implicit);
            current = implicit;
          } else {
            const existingSet = setOf(existing);
            if (!existingSet) {
              if (report) reportClash({ start: table.start(attrpath), end: table.end(attr) }, pathText(attrpath, attr), existing, 'notExtensible');
              return undefined;
            }
            if (!existingSet.entries) return existingSet;
            current = existingSet;
          }
          attr = following;
          continue;
        }
        if (existing === undefined) {
          entries.set(name, attr);
          return undefined;
        }
        const existingSet = setOf(existing);
        const value = literalSetOf(table.childByField(binding, Field.Expression));
        if (!existingSet || !value) {
          if (report) reportClash(attrpath, pathText(attrpath, attr), existing);
          return undefined;
        }
        // Both are sets: Nix merges the new literal's attributes into the earlier set, one level deep.
        if (!existingSet.entries) return existingSet;
        if (!value.entries) return value;
        const target = existingSet.entries;
        for (const [innerName, inner] of value.entries) {
          const clash = target.get(innerName);
          if (clash === undefined) target.set(innerName, inner);
          else if (report) reportClash(inner, shorten(`${pathText(attrpath, attr)}.${displayKey(innerName)}`), clash);
        }
        return undefined;
      }
      return undefined;
    };

    /**
     * Computes the entries of `root` from its bindings (`only`, or all of its binding set's),
     * suspending on the literals it must look into until their own entries are computed.
     */
    const build = (root: AttributeSet, report: boolean, only?: readonly NodeId[]): void => {
      root.entries = new Map();
      interface Frame {
        readonly set: AttributeSet;
        readonly report: boolean;
        readonly list: readonly NodeId[] | undefined;
        position: number;
        binding: NodeId;
      }
      const frames: Frame[] = [{ set: root, report, list: only, position: 0, binding: only ? (only[0] ?? NO_NODE) : table.firstChild(root.bindingSet) }];
      while (frames.length > 0) {
        const frame = frames[frames.length - 1];
        if (frame.binding === NO_NODE) {
          frames.pop();
          continue;
        }
        const needs = step(frame.set, frame.binding, frame.report);
        if (needs) {
          needs.entries = new Map();
          frames.push({ set: needs, report: false, list: undefined, position: 0, binding: table.firstChild(needs.bindingSet) });
          continue;
        }
        if (frame.list) frame.binding = frame.list[++frame.position] ?? NO_NODE;
        else frame.binding = table.nextSibling(frame.binding);
      }
    };

    let nameHashes: NameHashes | undefined;
    return {
      [Kind.BindingSet](bindingSet) {
        // Only bindings whose first name occurs more than once can clash; in a large set that is
        // usually none, and finding them needs no strings (this runs on every edit inside the set).
        const candidates = bindingsSharingFirstName(table, bindingSet, (nameHashes ??= new NameHashes()));
        if (candidates.length === 0) return;
        literalSets = new Map();
        implicitSets = new Map();
        build(new AttributeSet(bindingSet), true, candidates);
      },
    };
  },
});

/**
 * The bindings and inherits of `bindingSet` (in order) whose first name (any inherited name, for
 * an inherit) might equal another's: names are compared by a hash of their characters, read in
 * place for identifiers, so a collision only costs a binding that did not need checking.
 */
function bindingsSharingFirstName(table: SyntaxTable, bindingSet: NodeId, names: NameHashes): readonly NodeId[] {
  collectFirstNames(table, bindingSet, names);
  const { count, entries, hashes } = names;
  if (count < 2) return NO_BINDINGS;
  if (count <= PAIRWISE_LIMIT) return sharedPairwise(count, entries, hashes);
  const repeated = repeatedHashes(count, hashes);
  if (repeated === undefined) return NO_BINDINGS;
  const result: NodeId[] = [];
  for (let index = 0; index < count; index++) {
    if (!repeated.has(hashes[index])) continue;
    // An inherit with several shared names is listed once.
    if (result[result.length - 1] !== entries[index]) result.push(entries[index]);
  }
  return result;
}

/**
 * The hashes among the first `count` that occur more than once, found in a sorted copy: the sort
 * is native code, which matters for the one large set of a file (a package set's 20,000 bindings).
 * Its loop is kept apart from the code that reads the result, for the reason `collectFirstNames` gives.
 */
function repeatedHashes(count: number, hashes: readonly number[]): Set<number> | undefined {
  const sorted = new Uint32Array(hashes.length === count ? hashes : hashes.slice(0, count));
  sorted.sort();
  let repeated: Set<number> | undefined;
  for (let index = 1; index < count; index++) if (sorted[index] === sorted[index - 1]) (repeated ??= new Set()).add(sorted[index]);
  return repeated;
}

/**
 * Fills `names` with the entries of `bindingSet` and the hashes of their first names. A function
 * of its own because V8 compiles a long loop (a 20,000-binding set) while it runs: code after the
 * loop in the same function had no type feedback yet at that point, and every later long loop
 * entered that compiled code and was sent back to the interpreter where it ended (~2,400
 * deoptimizations in ten checks of the benchmark's package set).
 */
function collectFirstNames(table: SyntaxTable, bindingSet: NodeId, names: NameHashes): void {
  names.count = 0;
  for (let binding = table.firstChild(bindingSet); binding !== NO_NODE; binding = table.nextSibling(binding)) {
    const kind = table.kind(binding);
    if (kind === Kind.Binding) {
      // The attrpath is a binding's first child.
      const attrpath = table.firstChild(binding);
      const first = attrpath === NO_NODE || table.field(attrpath) !== Field.Attrpath ? NO_NODE : table.firstChild(attrpath);
      const hash = first === NO_NODE ? undefined : nameHash(table, first);
      if (hash === undefined) continue;
      names.add(binding, hash);
    } else if (kind === Kind.Inherit || kind === Kind.InheritFrom) {
      const attrs = table.childByField(binding, Field.Attrs);
      if (attrs === NO_NODE) continue;
      for (let attr = table.firstChild(attrs); attr !== NO_NODE; attr = table.nextSibling(attr)) {
        const hash = nameHash(table, attr);
        if (hash === undefined) continue;
        names.add(binding, hash);
      }
    }
  }
}

/**
 * The entries of one binding set (a binding, or an inherit once per name) and the hashes of their
 * first names, in buffers reused for every binding set of a file: most sets are small, and
 * allocating two arrays for each cost more than the hashing.
 */
class NameHashes {
  /** How many of the entries below belong to the current set; the rest are left from earlier ones. */
  count = 0;
  readonly entries: NodeId[] = [];
  readonly hashes: number[] = [];

  add(entry: NodeId, hash: number): void {
    this.entries[this.count] = entry;
    this.hashes[this.count] = hash;
    this.count++;
  }
}

const NO_BINDINGS: readonly NodeId[] = [];

/**
 * Up to this many names, hashes are compared pairwise: most binding sets are small (a package's
 * `mkDerivation` arguments), and a hash table for each cost more than the comparisons.
 */
const PAIRWISE_LIMIT = 16;

/** `bindingsSharingFirstName` for a few entries: those whose hash occurs at another index. */
function sharedPairwise(count: number, entries: readonly NodeId[], hashes: readonly number[]): readonly NodeId[] {
  let result: NodeId[] | undefined;
  for (let index = 0; index < count; index++) {
    let shared = false;
    for (let other = 0; other < count && !shared; other++) shared = other !== index && hashes[other] === hashes[index];
    if (!shared) continue;
    result ??= [];
    // An inherit with several shared names is listed once.
    if (result[result.length - 1] !== entries[index]) result.push(entries[index]);
  }
  return result ?? NO_BINDINGS;
}

/** FNV-1a hash of an attribute's static name; undefined when the name is dynamic. */
function nameHash(table: SyntaxTable, attr: NodeId): number | undefined {
  let text: string;
  let start: number;
  let end: number;
  if (table.kind(attr) === Kind.Identifier && !table.isMissing(attr)) {
    text = table.text;
    start = table.start(attr);
    end = table.end(attr);
  } else {
    const name = staticAttributeName(table, attr);
    if (name === undefined) return undefined;
    text = name;
    start = 0;
    end = name.length;
  }
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

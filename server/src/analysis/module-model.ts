// The NixOS module model: every option definition a file makes, with its full option path and the
// node of its value, whatever shape the module is written in. The hardening rules ask it "what is
// `services.openssh.settings.PermitRootLogin` set to here?" without caring whether the user wrote
//   services.openssh.settings.PermitRootLogin = "yes";
//   services = { openssh = { settings = { PermitRootLogin = "yes"; }; }; };
//   config = lib.mkIf cfg.enable { services.openssh.settings.PermitRootLogin = lib.mkDefault "yes"; };
// or the same inside a flake's `nixosSystem { modules = [ … ]; }`.
//
// Nothing is evaluated: `mkIf`, `mkMerge`, `mkDefault`, `mkForce`, `mkOverride`, `mkBefore`…
// are recognised by name (with or without `lib.`, since `with lib;` is common) and seen through;
// the priority and condition they add are kept so rules can weigh the evidence. Any other value
// is left as a node for `readLiteral`, which answers "unknown" rather than guess.
//
// Where modules are found:
// - the file itself, when its expression (after `{ … }:`, `with`, `let`, `assert`) is an attrset
//   that looks like a module: it has `imports`, `options` or `config`, or a top-level attribute
//   in a NixOS option namespace (`services`, `networking`, …). An attrset of packages is not one.
// - `imports = [ ({ … }: { … }) { … } ]` elements written inline;
// - flakes: the `modules` list of any `….nixosSystem { … }` call, and `nixosModules.<name>` /
//   `nixosModule` values;
// - NixOS VM tests: `nodes.<name>`, `defaults` and `machine` next to `testScript`;
// - `containers.<name>.config` and `specialisation.<name>.configuration` inside a module.
import { Field, Kind } from '../syntax/grammar';
import type { SpliceInfo } from '../syntax/source-file';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { decodeIndentedStringEscapes, decodeStringEscapes, hasInterpolation, hasSyntaxError, staticAttributeName } from './attribute-names';

/** NixOS's priorities (lib/modules.nix): lower wins; a plain definition is 100. */
export const DEFAULT_PRIORITY = 100;
// A Map, not an object literal: `name in {…}` is true for `toString` and other Object.prototype names.
const PRIORITY_OF: ReadonlyMap<string, number> = new Map([
  ['mkOptionDefault', 1500],
  ['mkDefault', 1000],
  ['mkImageMediaOverride', 60],
  ['mkForce', 50],
  ['mkVMOverride', 10],
]);
/** Functions that only order list elements: their argument is the value. */
const ORDERING_FUNCTIONS = new Set(['mkBefore', 'mkAfter', 'mkOrder']);

/**
 * Top-level option namespaces of NixOS (and common ones of home-manager and nix-darwin), used
 * only to tell a module from an attrset of packages that happens to share its shape.
 */
const OPTION_NAMESPACES = new Set([
  'appstream', 'assertions', 'boot', 'console', 'containers', 'documentation', 'dconf', 'environment',
  'fileSystems', 'fonts', 'gtk', 'hardware', 'home', 'i18n', 'imports', 'isoImage', 'jobs', 'krb5',
  'location', 'meta', 'networking', 'nix', 'nixpkgs', 'oci-containers', 'powerManagement', 'programs',
  'qt', 'security', 'services', 'sound', 'specialisation', 'swapDevices', 'system', 'systemd', 'time',
  'users', 'virtualisation', 'warnings', 'xdg', 'zramSwap', 'launchd', 'homebrew', 'wsl',
]);
/** The sets NixOS accounts are defined in: `users.users.<name>` and its old alias `users.extraUsers.<name>`. */
export const USER_SETS: readonly string[] = ['users', 'extraUsers'];
/** Attributes of a module that are not option definitions. */
const MODULE_META_ATTRIBUTES = new Set(['imports', 'disabledModules', '_file', 'key', '_class', 'freeformType']);

export interface OptionDefinition {
  /** The full option path, e.g. `['services', 'openssh', 'settings', 'PermitRootLogin']`. */
  readonly path: readonly string[];
  /** The binding (or `inherit` entry) that makes this definition. */
  readonly binding: NodeId;
  /**
   * The attribute nodes of `binding`'s own attrpath: they name the last `attrs.length`
   * components of `path` (the rest comes from enclosing sets). For an inherited name, the name.
   */
  readonly attrs: readonly NodeId[];
  /** The value, with `mkIf`/`mkDefault`/… seen through; NO_NODE when unknown (`inherit`). */
  readonly value: NodeId;
  /** NixOS priority: 100 plain, 1000 `mkDefault`, 50 `mkForce`, n for `mkOverride n`. */
  readonly priority: number;
  /** The function that set a non-default priority (`mkDefault`, `mkForce`, …), if any. */
  readonly modifier: string | undefined;
  /** Whether a `mkIf` guards the definition: it may not apply at all. */
  readonly conditional: boolean;
  /** The module's attrset this definition belongs to. */
  readonly module: NodeId;
  /**
   * Whether the module configures a machine of a NixOS VM test (`nodes.<name>` next to
   * `testScript`): a throwaway VM, where rules report at hint severity.
   */
  readonly inTest: boolean;
}

export type LiteralValue =
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'null' }
  | { readonly kind: 'path'; readonly text: string }
  | { readonly kind: 'list'; readonly elements: readonly NodeId[] }
  | { readonly kind: 'attrset'; readonly node: NodeId }
  | { readonly kind: 'unknown' };

const UNKNOWN: LiteralValue = { kind: 'unknown' };

/**
 * An option path to look for: each component is a name, `*` for any one name, or a list of
 * names any of which matches (`['users', ['users', 'extraUsers'], '*', 'password']`).
 */
export type PathPattern = readonly (string | readonly string[])[];

export interface PatternMatch {
  readonly definition: OptionDefinition;
  /** The path components matched by each `*` of the pattern, in order. */
  readonly captures: readonly string[];
}

interface Context {
  readonly prefix: readonly string[];
  readonly priority: number;
  readonly modifier: string | undefined;
  readonly conditional: boolean;
  readonly module: NodeId;
  readonly inTest: boolean;
}

const NEUTRAL_CONTEXT: Context = { prefix: [], priority: DEFAULT_PRIORITY, modifier: undefined, conditional: false, module: NO_NODE, inTest: false };

export class ModuleModel {
  /** Every definition, in text order. */
  readonly definitions: OptionDefinition[] = [];
  /** The attrset of every module found. */
  readonly modules: NodeId[] = [];
  private readonly byFirstComponent = new Map<string, OptionDefinition[]>();
  /** Whether the text mentions what embedded modules need (`nixosSystem`, `nodes`, …). */
  private embeddedTriggers = false;
  /** Modules that configure a NixOS VM test's machines. */
  private readonly testModules = new Set<NodeId>();

  private constructor(private readonly table: SyntaxTable) {}

  static build(table: SyntaxTable): ModuleModel {
    const model = new ModuleModel(table);
    model.collect();
    return model;
  }

  /**
   * The model of a new version of a file whose previous version had no module at all, when the
   * edit cannot have made one (see `editKeepsNoModules`): typing in one of 20,000 packages must
   * not rescan them all. Undefined when the model has to be built.
   */
  static reuseAfterEdit(previous: ModuleModel, table: SyntaxTable, splice: EditedRows): ModuleModel | undefined {
    if (editInsideStringValue(table, splice)) return previous.withTable(table);
    if (previous.modules.length > 0 || previous.embeddedTriggers) return undefined;
    return editKeepsNoModules(table, splice) ? new ModuleModel(table) : undefined;
  }

  /**
   * The same definitions over the next version's table, for an edit that kept every row where it
   * was and changed only the text of a string value (see `editInsideStringValue`): the model
   * stores nodes, not values, so what rules read through it is current.
   */
  private withTable(table: SyntaxTable): ModuleModel {
    const model = new ModuleModel(table);
    model.definitions.push(...this.definitions);
    model.modules.push(...this.modules);
    for (const [key, definitions] of this.byFirstComponent) model.byFirstComponent.set(key, definitions);
    for (const module of this.testModules) model.testModules.add(module);
    model.embeddedTriggers = this.embeddedTriggers;
    return model;
  }

  /** Definitions whose path equals `path` (or matches it, see `PathPattern`), in text order. */
  get(path: PathPattern): OptionDefinition[] {
    return this.match(path).map((match) => match.definition);
  }

  /** Definitions whose path has the pattern's length and matches it, in text order. */
  match(pattern: PathPattern): PatternMatch[] {
    const first = pattern[0];
    const candidates = typeof first === 'string' && first !== '*' ? this.byFirstComponent.get(first) ?? [] : this.definitions;
    const matches: PatternMatch[] = [];
    for (const definition of candidates) {
      if (definition.path.length !== pattern.length) continue;
      const captures: string[] = [];
      let matched = true;
      for (let i = 0; i < pattern.length && matched; i++) {
        const component = pattern[i];
        if (component === '*') captures.push(definition.path[i]);
        else matched = typeof component === 'string' ? component === definition.path[i] : component.includes(definition.path[i]);
      }
      if (matched) matches.push({ definition, captures });
    }
    return matches;
  }

  /** Definitions at `prefix` or below it. */
  under(prefix: readonly string[]): OptionDefinition[] {
    const candidates = prefix.length === 0 ? this.definitions : this.byFirstComponent.get(prefix[0]) ?? [];
    return candidates.filter((definition) => definition.path.length >= prefix.length && prefix.every((component, i) => definition.path[i] === component));
  }

  private collect(): void {
    const table = this.table;
    const pending: NodeId[] = [];
    const top = table.childByField(table.root, Field.Expression);
    if (top !== NO_NODE) {
      const body = moduleBody(table, top);
      if (body !== NO_NODE && this.looksLikeModule(body)) pending.push(body);
    }
    this.findEmbeddedModules(pending);
    const seen = new Set<NodeId>();
    while (pending.length > 0) {
      const module = pending.pop()!;
      if (seen.has(module)) continue;
      seen.add(module);
      this.modules.push(module);
      const found = pending.length;
      this.walkModule(module, pending);
      // What a test machine imports or nests belongs to the test too.
      if (this.testModules.has(module)) for (let i = found; i < pending.length; i++) this.testModules.add(pending[i]);
    }
    this.modules.sort((a, b) => a - b);
    // Rows are in preorder, so this is text order (a `mkMerge` splits one binding's values).
    this.definitions.sort((a, b) => a.binding - b.binding || a.value - b.value);
    for (const definition of this.definitions) {
      const key = definition.path[0];
      let list = this.byFirstComponent.get(key);
      if (!list) this.byFirstComponent.set(key, (list = []));
      list.push(definition);
    }
  }

  /**
   * Whether a file's attrset is a module: it has `imports`, `config` or `options`, or sets
   * something inside an option namespace (`services.x = …`, `nix = { … }`). A bare `nix = …` is
   * not enough: a package set has a `nix` package.
   */
  private looksLikeModule(attrset: NodeId): boolean {
    const table = this.table;
    const set = table.childOfKind(attrset, Kind.BindingSet);
    if (set === NO_NODE) return false;
    // The entries `bindingsOf` lists, walked in place: a package set has 20,000 and is no module.
    for (let binding = table.firstChild(set); binding !== NO_NODE; binding = table.nextSibling(binding)) {
      const kind = table.kind(binding);
      if (kind !== Kind.Binding && kind !== Kind.Inherit && kind !== Kind.InheritFrom) continue;
      const first = firstAttributeName(table, binding);
      if (first === undefined) continue;
      if (first === 'config' || first === 'options' || first === 'imports') return true;
      if (!OPTION_NAMESPACES.has(first) || table.kind(binding) !== Kind.Binding) continue;
      const attrpath = table.childByField(binding, Field.Attrpath);
      if (table.childrenByField(attrpath, Field.Attr).length > 1) return true;
      if (this.seeThrough(table.childByField(binding, Field.Expression), NEUTRAL_CONTEXT).some(({ node }) => isAttrset(table, node))) return true;
    }
    return false;
  }

  /**
   * Modules inside other expressions: a flake's `nixosSystem { modules = [ … ]; }` and
   * `nixosModules.<name>`, and a NixOS VM test's `nodes.<name>`, `defaults` and `machine`.
   */
  private findEmbeddedModules(pending: NodeId[]): void {
    const table = this.table;
    const text = table.nodeText(table.root);
    // One scan for the usual file that mentions none of the words (four took ~4 ms on a 2.4 MB one).
    const any = EMBEDDED_TRIGGERS.test(text);
    const flake = any && (text.includes('nixosSystem') || text.includes('nixosModule'));
    const test = any && (text.includes('testScript') || text.includes('nodes'));
    this.embeddedTriggers = flake || test;
    if (!flake && !test) return;
    let inTest = false;
    const pushBody = (expression: NodeId): void => {
      const body = moduleBody(table, expression);
      if (body === NO_NODE) return;
      pending.push(body);
      if (inTest) this.testModules.add(body);
    };
    /** `name = { a = <module>; b = <module>; };`: each attribute's value. */
    const pushEachValue = (expression: NodeId): void => {
      const set = unwrapParens(table, expression);
      if (!isAttrset(table, set)) return;
      for (const entry of bindingsOf(table, set)) {
        if (table.kind(entry) === Kind.Binding) pushBody(table.childByField(entry, Field.Expression));
      }
    };
    const wanted = new Uint8Array(Math.max(Kind.ApplyExpression, Kind.Binding) + 1);
    wanted[Kind.ApplyExpression] = 1;
    wanted[Kind.Binding] = 1;
    table.forEachRowOfKinds(table.root, table.subtreeEnd(table.root), wanted, (node, kind) => {
      if (kind === Kind.ApplyExpression) {
        if (!flake || calleeName(table, table.childByField(node, Field.Function)) !== 'nixosSystem') return;
        const argument = unwrapParens(table, table.childByField(node, Field.Argument));
        if (!isAttrset(table, argument)) return;
        for (const binding of bindingsOf(table, argument)) {
          if (table.kind(binding) !== Kind.Binding || firstAttributeName(table, binding) !== 'modules') continue;
          this.addModuleList(table.childByField(binding, Field.Expression), pending);
        }
        return;
      }
      const names = attributeNames(table, node);
      if (!names) return;
      const last = names[names.length - 1];
      const parent = names[names.length - 2];
      const value = table.childByField(node, Field.Expression);
      inTest = test && (parent === 'nodes' || last === 'nodes' || last === 'machine' || last === 'defaults');
      if (flake && (last === 'nixosModule' || parent === 'nixosModules')) pushBody(value);
      else if (flake && last === 'nixosModules') pushEachValue(value);
      else if (test && parent === 'nodes' && inTestDefinition(table, node)) pushBody(value);
      else if (test && last === 'nodes' && inTestDefinition(table, node)) pushEachValue(value);
      else if (test && names.length === 1 && (last === 'machine' || last === 'defaults') && inTestDefinition(table, node)) pushBody(value);
    });
  }

  /** Each inline element of an `imports`/`modules` list that is a module. */
  private addModuleList(list: NodeId, pending: NodeId[]): void {
    const table = this.table;
    const elements = unwrapParens(table, list);
    if (table.kind(elements) !== Kind.ListExpression) return;
    for (const element of table.childrenByField(elements, Field.Element)) {
      const body = moduleBody(table, element);
      if (body !== NO_NODE) pending.push(body);
    }
  }

  private walkModule(module: NodeId, pending: NodeId[]): void {
    const table = this.table;
    const bindings = bindingsOf(table, module);
    const explicit = bindings.some((binding) => {
      const first = firstAttributeName(table, binding);
      return first === 'config' || first === 'options';
    });
    const base: Context = { prefix: [], priority: DEFAULT_PRIORITY, modifier: undefined, conditional: false, module, inTest: this.testModules.has(module) };
    for (const binding of bindings) {
      const first = firstAttributeName(table, binding);
      if (first === 'imports' && table.kind(binding) === Kind.Binding) {
        this.addModuleList(table.childByField(binding, Field.Expression), pending);
        continue;
      }
      if (first === undefined || MODULE_META_ATTRIBUTES.has(first)) continue;
      if (explicit) {
        if (first !== 'config' || table.kind(binding) !== Kind.Binding) continue;
        // `config.a.b = v;` defines `a.b`; `config = { … };` defines what the set does.
        this.walkBinding(binding, base, 1, pending);
      } else {
        this.walkBinding(binding, base, 0, pending);
      }
    }
  }

  /**
   * Records `binding` (relative to `context.prefix`, dropping the first `skip` attrs, which is
   * how `config.` disappears) and everything inside its value. Iterative over nested sets.
   */
  private walkBinding(start: NodeId, startContext: Context, startSkip: number, pending: NodeId[]): void {
    const table = this.table;
    const work: Array<{ binding: NodeId; context: Context; skip: number }> = [{ binding: start, context: startContext, skip: startSkip }];
    while (work.length > 0) {
      const { binding, context, skip } = work.pop()!;
      if (table.kind(binding) !== Kind.Binding) {
        for (const name of inheritedNames(table, binding)) {
          const component = staticAttributeName(table, name);
          if (component === undefined) continue;
          this.definitions.push(definitionOf(context, [...context.prefix, component], binding, [name], NO_NODE));
        }
        continue;
      }
      const attrpath = table.childByField(binding, Field.Attrpath);
      const attrs = attrpath === NO_NODE ? [] : table.childrenByField(attrpath, Field.Attr);
      const names: string[] = [];
      for (const attr of attrs) {
        const name = staticAttributeName(table, attr);
        if (name === undefined) break;
        names.push(name);
      }
      if (names.length !== attrs.length || names.length === 0) continue;
      const path = [...context.prefix, ...names.slice(skip)];
      if (isNestedSystemPath(path)) {
        // `containers.<name>.config` and `specialisation.<name>.configuration` hold whole modules.
        const body = moduleBody(table, table.childByField(binding, Field.Expression));
        if (body !== NO_NODE) pending.push(body);
        continue;
      }
      const values = this.seeThrough(table.childByField(binding, Field.Expression), context);
      for (const { node, context: valueContext } of values) {
        if (path.length > 0) {
          this.definitions.push(definitionOf(valueContext, path, binding, attrs.slice(skip), node));
        }
        if (isAttrset(table, node)) {
          const inner = contextWith(valueContext, { prefix: path });
          const children = bindingsOf(table, node);
          for (let i = children.length - 1; i >= 0; i--) work.push({ binding: children[i], context: inner, skip: 0 });
        }
      }
    }
  }

  /**
   * The values `node` stands for once `mkIf`, `mkMerge`, priorities and ordering wrappers are
   * peeled off, each with the context they add. `mkMerge [ a b ]` gives two values.
   */
  private seeThrough(start: NodeId, startContext: Context): Array<{ node: NodeId; context: Context }> {
    const table = this.table;
    const results: Array<{ node: NodeId; context: Context }> = [];
    const work: Array<{ node: NodeId; context: Context }> = [{ node: start, context: startContext }];
    while (work.length > 0) {
      const item = work.pop()!;
      let node = unwrapParens(table, item.node);
      let context = item.context;
      for (;;) {
        if (node === NO_NODE || table.kind(node) !== Kind.ApplyExpression) break;
        const { callee, args } = flattenApplication(table, node);
        const name = calleeName(table, callee);
        if (name === 'mkIf' && args.length === 2) {
          context = contextWith(context, { conditional: true });
          node = unwrapParens(table, args[1]);
        } else if (name !== undefined && PRIORITY_OF.has(name) && args.length === 1) {
          context = contextWith(context, { priority: PRIORITY_OF.get(name), modifier: name });
          node = unwrapParens(table, args[0]);
        } else if (name === 'mkOverride' && args.length === 2) {
          const level = readLiteral(table, args[0]);
          context = contextWith(context, { priority: level.kind === 'int' ? level.value : Number.NaN, modifier: name });
          node = unwrapParens(table, args[1]);
        } else if (name !== undefined && ORDERING_FUNCTIONS.has(name) && args.length === (name === 'mkOrder' ? 2 : 1)) {
          node = unwrapParens(table, args[args.length - 1]);
        } else if (name === 'mkMerge' && args.length === 1) {
          const list = unwrapParens(table, args[0]);
          if (table.kind(list) !== Kind.ListExpression) break;
          const elements = table.childrenByField(list, Field.Element);
          for (let i = elements.length - 1; i >= 0; i--) work.push({ node: elements[i], context });
          node = NO_NODE;
          break;
        } else {
          break;
        }
      }
      if (node !== NO_NODE) results.push({ node, context });
    }
    return results;
  }
}

/** What the model needs to know of an incremental edit: the rows it re-mirrored. */
export type EditedRows = Pick<SpliceInfo, 'first' | 'end' | 'rowDelta'>;

/** Kinds an edit may touch without changing any decision the model makes. */
const STRING_VALUE_KINDS = new Set<number>([Kind.StringExpression, Kind.IndentedStringExpression, Kind.StringFragment, Kind.EscapeSequence, Kind.DollarEscape]);

/**
 * Whether an edit only changed the text of a string that is a value, not a name: every row kept
 * its number, the re-mirrored rows are string pieces (no `${…}`), and no attrpath holds them. The
 * model decides nothing from such text (typing in `description = "…"` is the common case).
 */
function editInsideStringValue(table: SyntaxTable, edited: EditedRows): boolean {
  if (edited.rowDelta !== 0 || edited.first >= edited.end) return false;
  for (let row = edited.first; row < edited.end; row++) if (!STRING_VALUE_KINDS.has(table.kind(row))) return false;
  for (let up = table.parent(edited.first); up !== NO_NODE; up = table.parent(up)) {
    const kind = table.kind(up);
    if (kind === Kind.Attrpath || kind === Kind.Interpolation) return false;
    if (kind === Kind.Binding) return true;
  }
  return true;
}

const EMBEDDED_TRIGGERS = /nixos|testScript|nodes/;
const TOP_LEVEL_SPECIAL = new Set([...OPTION_NAMESPACES, 'config', 'options', 'imports']);

/**
 * Whether an edit that re-mirrored `edited` leaves a file that had no module without one: the new
 * text of those rows mentions nothing embedded modules need, and if the file's expression is an
 * attrset, the rows lie inside bindings whose names cannot make it a module (`hello = …`, not
 * `services…` or `config`).
 */
function editKeepsNoModules(table: SyntaxTable, edited: EditedRows): boolean {
  if (edited.first >= edited.end) return true;
  let start = table.start(edited.first);
  let end = start;
  for (let row = edited.first; row < edited.end; row = table.subtreeEnd(row)) {
    start = Math.min(start, table.start(row));
    end = Math.max(end, table.end(row));
  }
  // A word can straddle the edge of the edited rows: look a little beyond them.
  if (EMBEDDED_TRIGGERS.test(table.text.slice(Math.max(0, start - 16), end + 16))) return false;
  const body = moduleBody(table, table.childByField(table.root, Field.Expression));
  if (body === NO_NODE) return true;
  const bodyEnd = table.subtreeEnd(body);
  // Rows before or after the body (a `let` above it) cannot change what its bindings are.
  if (edited.end <= body || edited.first >= bodyEnd) return true;
  if (edited.first <= body) return false;
  const set = table.childOfKind(body, Kind.BindingSet);
  if (set === NO_NODE || edited.first <= set) return false;
  // Every top-level binding the edited rows touch must have an ordinary name.
  for (let row = edited.first; row < edited.end; row = table.subtreeEnd(row)) {
    let entry = row;
    while (entry !== NO_NODE && table.parent(entry) !== set) entry = table.parent(entry);
    if (entry === NO_NODE) return false;
    const first = firstAttributeName(table, entry);
    if (first === undefined || TOP_LEVEL_SPECIAL.has(first)) return false;
  }
  return true;
}

/** Options whose value is a NixOS configuration of its own. */
function isNestedSystemPath(path: readonly string[]): boolean {
  return path.length === 3 && ((path[0] === 'containers' && path[2] === 'config') || (path[0] === 'specialisation' && path[2] === 'configuration'));
}

/**
 * Whether a binding sits in a NixOS VM test definition: its set (or one around it, for
 * `nodes.a = …` inside `nodes = { … }`) also has `testScript` or `nodes`.
 */
function inTestDefinition(table: SyntaxTable, binding: NodeId): boolean {
  let set = table.parent(binding);
  for (let depth = 0; depth < 3 && set !== NO_NODE; depth++) {
    for (let entry = table.firstChild(set); entry !== NO_NODE; entry = table.nextSibling(entry)) {
      if (entry === binding || table.kind(entry) !== Kind.Binding) continue;
      const first = firstAttributeName(table, entry);
      if (first === 'testScript' || first === 'nodes' || first === 'skipLint' || first === 'enableOCR') return true;
    }
    const enclosing = table.ancestorOfKind(set, Kind.Binding);
    set = enclosing === NO_NODE ? NO_NODE : table.parent(enclosing);
  }
  return false;
}

/**
 * A definition as a literal with every field in one order: object spread here made V8 build
 * dictionary-mode objects, which cost most of the model's build time.
 */
function definitionOf(context: Context, path: readonly string[], binding: NodeId, attrs: readonly NodeId[], value: NodeId): OptionDefinition {
  return { path, binding, attrs, value, priority: context.priority, modifier: context.modifier, conditional: context.conditional, module: context.module, inTest: context.inTest };
}

/** `context` with some fields replaced, built field by field for the same reason. */
function contextWith(context: Context, changes: Partial<Context>): Context {
  return {
    prefix: changes.prefix ?? context.prefix,
    priority: changes.priority ?? context.priority,
    modifier: 'modifier' in changes ? changes.modifier : context.modifier,
    conditional: changes.conditional ?? context.conditional,
    module: changes.module ?? context.module,
    inTest: changes.inTest ?? context.inTest,
  };
}

/**
 * The attrset a module expression stands for: `{ config, ... }: { … }`, `args: { … }`, under
 * `with`, `let … in`, `assert`, and `lib.mkIf`/`mkMerge`-free. NO_NODE for anything else (a
 * path to import, a variable, a function call).
 */
export function moduleBody(table: SyntaxTable, expression: NodeId): NodeId {
  let node = expression;
  for (let steps = 0; steps < 64 && node !== NO_NODE; steps++) {
    switch (table.kind(node)) {
      case Kind.ParenthesizedExpression:
        node = table.childByField(node, Field.Expression);
        break;
      case Kind.FunctionExpression:
      case Kind.WithExpression:
      case Kind.LetExpression:
      case Kind.AssertExpression:
        node = table.childByField(node, Field.Body);
        break;
      case Kind.AttrsetExpression:
      case Kind.RecAttrsetExpression:
        return node;
      default:
        return NO_NODE;
    }
  }
  return NO_NODE;
}

/** Whether `node` is a string, `"…"` or `''…''`, with or without `${…}`. */
export function isStringExpression(table: SyntaxTable, node: NodeId): boolean {
  if (node === NO_NODE) return false;
  const kind = table.kind(node);
  return kind === Kind.StringExpression || kind === Kind.IndentedStringExpression;
}

/** Whether `node` is an attrset literal, `rec` or not. */
export function isAttrset(table: SyntaxTable, node: NodeId): boolean {
  if (node === NO_NODE) return false;
  const kind = table.kind(node);
  return kind === Kind.AttrsetExpression || kind === Kind.RecAttrsetExpression;
}

/** The expression inside any number of parentheses. */
export function unwrapParens(table: SyntaxTable, node: NodeId): NodeId {
  while (node !== NO_NODE && table.kind(node) === Kind.ParenthesizedExpression) node = table.childByField(node, Field.Expression);
  return node;
}

/** The bindings and `inherit`s of an attrset, in order. */
export function bindingsOf(table: SyntaxTable, attrset: NodeId): NodeId[] {
  const set = table.childOfKind(attrset, Kind.BindingSet);
  if (set === NO_NODE) return [];
  const entries: NodeId[] = [];
  for (let child = table.firstChild(set); child !== NO_NODE; child = table.nextSibling(child)) {
    const kind = table.kind(child);
    if (kind === Kind.Binding || kind === Kind.Inherit || kind === Kind.InheritFrom) entries.push(child);
  }
  return entries;
}

function inheritedNames(table: SyntaxTable, entry: NodeId): NodeId[] {
  const attrs = table.childByField(entry, Field.Attrs);
  return attrs === NO_NODE ? [] : table.childrenByField(attrs, Field.Attr);
}

function firstAttributeName(table: SyntaxTable, entry: NodeId): string | undefined {
  if (table.kind(entry) !== Kind.Binding) {
    const names = inheritedNames(table, entry);
    return names.length === 1 ? staticAttributeName(table, names[0]) : undefined;
  }
  const attrpath = table.childByField(entry, Field.Attrpath);
  const first = attrpath === NO_NODE ? NO_NODE : table.childByField(attrpath, Field.Attr);
  return first === NO_NODE ? undefined : staticAttributeName(table, first);
}

/** All static names of a binding's attrpath, or undefined when one is dynamic. */
export function attributeNames(table: SyntaxTable, entry: NodeId): string[] | undefined {
  if (table.kind(entry) !== Kind.Binding) return undefined;
  const attrpath = table.childByField(entry, Field.Attrpath);
  if (attrpath === NO_NODE) return undefined;
  const names: string[] = [];
  for (const attr of table.childrenByField(attrpath, Field.Attr)) {
    const name = staticAttributeName(table, attr);
    if (name === undefined) return undefined;
    names.push(name);
  }
  return names;
}

/** `f a b` as callee `f` and arguments `[a, b]`. */
export function flattenApplication(table: SyntaxTable, node: NodeId): { callee: NodeId; args: NodeId[] } {
  const args: NodeId[] = [];
  let callee = node;
  while (callee !== NO_NODE && table.kind(callee) === Kind.ApplyExpression) {
    args.push(table.childByField(callee, Field.Argument));
    callee = unwrapParens(table, table.childByField(callee, Field.Function));
  }
  args.reverse();
  return { callee, args };
}

/** `mkIf` for `mkIf`, `lib.mkIf`, `lib.modules.mkIf`, `pkgs.lib.mkIf`; undefined otherwise. */
export function calleeName(table: SyntaxTable, callee: NodeId): string | undefined {
  callee = unwrapParens(table, callee);
  if (callee === NO_NODE) return undefined;
  const kind = table.kind(callee);
  if (kind === Kind.VariableExpression) {
    const name = table.childByField(callee, Field.Name);
    return name === NO_NODE ? undefined : table.nodeText(name);
  }
  if (kind === Kind.SelectExpression && table.childByField(callee, Field.Default) === NO_NODE) {
    const attrpath = table.childByField(callee, Field.Attrpath);
    const attrs = attrpath === NO_NODE ? [] : table.childrenByField(attrpath, Field.Attr);
    return attrs.length === 0 ? undefined : staticAttributeName(table, attrs[attrs.length - 1]);
  }
  return undefined;
}

/**
 * The value under parentheses and the functions NixOS merges away: priorities (`mkDefault`,
 * `mkForce`, `mkOverride n`, …), list ordering (`mkBefore`, `mkOrder n`, …) and, with
 * `throughConditions`, `mkIf cond`. Rules that read one value use this; the module walk itself
 * (`seeThrough`) also records what each function said.
 */
export function unwrapValue(table: SyntaxTable, node: NodeId, throughConditions: boolean): NodeId {
  let current = unwrapParens(table, node);
  for (let steps = 0; steps < 64 && current !== NO_NODE && table.kind(current) === Kind.ApplyExpression; steps++) {
    const { callee, args } = flattenApplication(table, current);
    const name = calleeName(table, callee);
    if (name === undefined) return current;
    const arity = PRIORITY_OF.has(name) || name === 'mkBefore' || name === 'mkAfter' ? 1 : name === 'mkOverride' || name === 'mkOrder' || (name === 'mkIf' && throughConditions) ? 2 : 0;
    if (arity === 0 || args.length !== arity) return current;
    current = unwrapParens(table, args[arity - 1]);
  }
  return current;
}

/**
 * The value of a literal expression: booleans, null, numbers, strings without interpolation,
 * paths, lists and attrsets (as nodes). Everything else is `unknown`: rules stay silent then.
 */
export function readLiteral(table: SyntaxTable, start: NodeId): LiteralValue {
  let node = unwrapParens(table, start);
  if (node === NO_NODE) return UNKNOWN;
  let negative = false;
  if (table.kind(node) === Kind.UnaryExpression) {
    const operator = table.childByField(node, Field.Operator);
    if (operator === NO_NODE || table.nodeText(operator) !== '-') return UNKNOWN;
    negative = true;
    node = unwrapParens(table, table.childByField(node, Field.Argument));
    if (node === NO_NODE) return UNKNOWN;
  }
  const kind = table.kind(node);
  if (negative && kind !== Kind.IntegerExpression && kind !== Kind.FloatExpression) return UNKNOWN;
  switch (kind) {
    case Kind.VariableExpression: {
      const name = table.nodeText(node);
      if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true' };
      if (name === 'null') return { kind: 'null' };
      return UNKNOWN;
    }
    case Kind.IntegerExpression: {
      const value = Number(table.nodeText(node));
      return Number.isSafeInteger(value) ? { kind: 'int', value: negative ? -value : value } : UNKNOWN;
    }
    case Kind.FloatExpression: {
      const value = Number(table.nodeText(node));
      return Number.isFinite(value) ? { kind: 'float', value: negative ? -value : value } : UNKNOWN;
    }
    case Kind.StringExpression:
    case Kind.IndentedStringExpression: {
      const value = stringLiteralValue(table, node);
      return value === undefined ? UNKNOWN : { kind: 'string', value };
    }
    case Kind.PathExpression:
    case Kind.HpathExpression:
    case Kind.SpathExpression:
      return hasSyntaxError(table, node) ? UNKNOWN : { kind: 'path', text: table.nodeText(node) };
    case Kind.ListExpression:
      return { kind: 'list', elements: table.childrenByField(node, Field.Element) };
    case Kind.AttrsetExpression:
    case Kind.RecAttrsetExpression:
      return { kind: 'attrset', node };
    default:
      return UNKNOWN;
  }
}

/** What `readLiteral` reads for each element of a literal list; empty when `node` is not one. */
export function readLiteralElements(table: SyntaxTable, node: NodeId): { readonly node: NodeId; readonly value: LiteralValue }[] {
  const list = readLiteral(table, node);
  return list.kind === 'list' ? list.elements.map((element) => ({ node: element, value: readLiteral(table, element) })) : [];
}

/** The literal strings of a literal list, other elements skipped; empty when `node` is not one. */
export function readStringElements(table: SyntaxTable, node: NodeId): { readonly node: NodeId; readonly value: string }[] {
  const strings: { node: NodeId; value: string }[] = [];
  for (const element of readLiteralElements(table, node)) if (element.value.kind === 'string') strings.push({ node: element.node, value: element.value.value });
  return strings;
}

/** A list literal's elements, or the value itself otherwise: for options that take one or several. */
export function valueOrElements(table: SyntaxTable, value: NodeId): NodeId[] {
  if (value === NO_NODE) return [];
  return table.kind(value) === Kind.ListExpression ? table.childrenByField(value, Field.Element) : [value];
}

/**
 * The value of a string without `${…}`: `"…"` with escapes decoded, `''…''` with the common
 * indentation stripped, the first line dropped when blank, and `''$`, `'''`, `''\x` decoded,
 * as Nix does. Undefined when the string interpolates or is broken.
 */
export function stringLiteralValue(table: SyntaxTable, node: NodeId): string | undefined {
  if (hasSyntaxError(table, node) || hasInterpolation(table, node)) return undefined;
  const text = table.nodeText(node);
  if (table.kind(node) === Kind.StringExpression) return text.length < 2 ? undefined : decodeStringEscapes(text.slice(1, -1));
  if (text.length < 4) return undefined;
  let lines = text.slice(2, -2).split('\n');
  if (lines.length > 1 && lines[0].trim() === '') lines = lines.slice(1);
  let indent = Infinity;
  for (const line of lines) {
    if (line.trim() === '') continue;
    indent = Math.min(indent, line.length - line.trimStart().length);
  }
  if (!Number.isFinite(indent)) indent = 0;
  const body = lines.map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n');
  return decodeIndentedStringEscapes(body);
}

/** How a definition's priority reads in a message, kept short: empty for a plain definition. */
export function priorityNote(definition: OptionDefinition): string {
  if (definition.modifier === undefined) return '';
  if (definition.priority > DEFAULT_PRIORITY) return ` (\`${definition.modifier}\`: overridable)`;
  return ` (forced with \`${definition.modifier}\`)`;
}

/**
 * The severity for a finding about `definition`: `hint` on a NixOS VM test's machine, which is
 * a throwaway VM where test passwords and open ports are the point; otherwise `severity` (the
 * rule's own choice, undefined for its default).
 */
export function severityIn(definition: OptionDefinition, severity?: 'error' | 'warning' | 'info' | 'hint'): 'error' | 'warning' | 'info' | 'hint' | undefined {
  return definition.inTest ? 'hint' : severity;
}

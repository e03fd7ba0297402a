// The systemd services a NixOS file defines, read from the module model: for every
// `systemd.services.<name>` (and `systemd.user.services.<name>`), its `serviceConfig` lines as
// NixOS would render them, which keys are unknown, and where to insert new keys. The five
// systemd rules share this; it is computed once per file version (cached on the model).
//
// Merging follows NixOS: of a key's definitions only those with the strongest priority count
// (`mkForce` beats a plain definition beats `mkDefault`); lists concatenate; equal scalars
// merge. A key is unknown when any of its values is not a literal, sits under an `mkIf` inside
// the service (an `mkIf` around the whole service only decides whether it exists), or when
// scalars disagree. A service is opaque, and the rules stay silent, when some enclosing value
// is computed (`systemd.services.web = mkService { … }`, `serviceConfig = common // { … }`)
// or has a computed key (`${name} = …`): then any directive may be set.
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import type { ModuleModel, OptionDefinition } from './module-model';
import { bindingsOf, calleeName, DEFAULT_PRIORITY, flattenApplication, isAttrset, readLiteral } from './module-model';
import { attributeText, insertAfterEntry, ownLineIndent } from './option-edits';
import { renderedLines, readSection, withConfinement } from './systemd-unit';
import { assessExposure, ExposureScore, SCORED_DIRECTIVES } from './systemd-exposure';
import type { ExposureResult, ServiceUnit } from './systemd-exposure';
import { newlineOf } from './text-edits';
import type { PlainTextEdit } from './text-edits';

export interface ConfigKey {
  /** The rendered lines, or undefined when unknown. */
  readonly lines: readonly string[] | undefined;
  /** The definitions that count (strongest priority), in text order. */
  readonly definitions: readonly OptionDefinition[];
}

export interface SystemdService {
  /** The attribute name, e.g. `web` for `systemd.services.web`. */
  readonly name: string;
  /** `systemd.user.services` rather than `systemd.services`. */
  readonly userService: boolean;
  /** The option path of the service: `['systemd', 'services', 'web']`. */
  readonly path: readonly string[];
  /** The first attribute node that names the service, where findings about it go. */
  readonly nameNode: NodeId;
  /** Every definition at or under the service, in text order. */
  readonly definitions: readonly OptionDefinition[];
  /** The definitions under an `mkIf` inside the service (not just around all of it). */
  readonly conditional: ReadonlySet<OptionDefinition>;
  readonly serviceConfig: ReadonlyMap<string, ConfigKey>;
  readonly unitConfig: ReadonlyMap<string, ConfigKey>;
  /** Some enclosing value or key is computed: any directive may be set. */
  readonly opaque: boolean;
  /**
   * Whether this file defines what the service runs (`script` or `serviceConfig.ExecStart`),
   * rather than adjusting a service some other module defines: only then do rules reason about
   * what is missing.
   */
  readonly definesCommand: boolean;
}

const cache = new WeakMap<ModuleModel, SystemdService[]>();

/** The services of a file (cached per module model, so per file version). */
export function systemdServices(table: SyntaxTable, model: ModuleModel): SystemdService[] {
  let services = cache.get(model);
  if (!services) {
    services = [...collect(table, model, ['systemd', 'services']), ...collect(table, model, ['systemd', 'user', 'services'])].sort((a, b) => a.nameNode - b.nameNode);
    cache.set(model, services);
  }
  return services;
}

function collect(table: SyntaxTable, model: ModuleModel, prefix: readonly string[]): SystemdService[] {
  const byName = new Map<string, OptionDefinition[]>();
  let opaqueAll = false;
  for (const definition of model.under(prefix.slice(0, 1))) {
    const { path } = definition;
    // `systemd = x;` or `systemd.services = x // { … };`: every service may be affected.
    if (path.length <= prefix.length && prefix.slice(0, path.length).every((component, i) => path[i] === component)) {
      if (!isAttrset(table, definition.value)) opaqueAll = true;
      continue;
    }
    if (!prefix.every((component, i) => path[i] === component)) continue;
    const name = path[prefix.length];
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(definition);
  }
  const services: SystemdService[] = [];
  for (const [name, definitions] of byName) {
    const servicePath = [...prefix, name];
    const nameNode = nameNodeOf(servicePath.length, definitions);
    if (nameNode === NO_NODE) continue;
    let opaque = opaqueAll;
    for (const definition of definitions) {
      const depth = definition.path.length - servicePath.length;
      const section = definition.path[servicePath.length];
      // The service itself, or its serviceConfig/unitConfig set, given by a computed value.
      if (depth === 0 || (depth === 1 && (section === 'serviceConfig' || section === 'unitConfig'))) {
        if (!isAttrset(table, definition.value)) opaque = true;
        else if (readSection(table, definition.value).dynamicKeys) opaque = true;
      }
    }
    // Where the service is named, how many `mkIf`s already hold it: `systemd.services.w = mkIf c { … }`
    // makes its keys conditional only as much as the service itself.
    const naming = definitions
      .filter((definition) => definition.attrs.length > definition.path.length - servicePath.length)
      .map((definition) => ({
        binding: definition.binding,
        depth: mkIfDepth(table, definition.path.length === servicePath.length && definition.value !== NO_NODE ? definition.value : definition.binding),
      }));
    const conditionalInside = (definition: OptionDefinition): boolean => {
      const enclosing = naming.filter((entry) => entry.binding === definition.binding || table.isAncestor(entry.binding, definition.binding));
      if (enclosing.length === 0) return definition.conditional;
      const serviceDepth = Math.max(...enclosing.map((entry) => entry.depth));
      return mkIfDepth(table, definition.value === NO_NODE ? definition.binding : definition.value) > serviceDepth;
    };
    const serviceConfig = sectionKeys(table, definitions, servicePath.length, 'serviceConfig', conditionalInside);
    const unitConfig = sectionKeys(table, definitions, servicePath.length, 'unitConfig', conditionalInside);
    const definesCommand = serviceConfig.has('ExecStart') || definitions.some((definition) => definition.path.length === servicePath.length + 1 && definition.path[servicePath.length] === 'script');
    const conditional = new Set(definitions.filter(conditionalInside));
    services.push({ name, userService: prefix.length === 3, path: servicePath, nameNode, definitions, conditional, serviceConfig, unitConfig, opaque, definesCommand });
  }
  return services;
}

/** The attribute naming path component `length - 1` in the first definition that spells it. */
function nameNodeOf(length: number, definitions: readonly OptionDefinition[]): NodeId {
  for (const definition of definitions) {
    const index = definition.attrs.length - (definition.path.length - length) - 1;
    if (index >= 0 && index < definition.attrs.length) return definition.attrs[index];
  }
  return NO_NODE;
}

/** How many `mkIf`s hold `node` in their value (not in their condition). */
function mkIfDepth(table: SyntaxTable, node: NodeId): number {
  let depth = 0;
  let child = node;
  for (let ancestor = table.parent(node); ancestor !== NO_NODE; child = ancestor, ancestor = table.parent(ancestor)) {
    if (table.kind(ancestor) !== Kind.ApplyExpression || table.childByField(ancestor, Field.Argument) !== child) continue;
    const { callee, args } = flattenApplication(table, ancestor);
    if (args.length === 2 && calleeName(table, callee) === 'mkIf') depth++;
  }
  return depth;
}

function sectionKeys(
  table: SyntaxTable,
  definitions: readonly OptionDefinition[],
  serviceDepth: number,
  section: string,
  conditionalInside: (definition: OptionDefinition) => boolean,
): Map<string, ConfigKey> {
  const byKey = new Map<string, OptionDefinition[]>();
  const deeper = new Set<string>();
  for (const definition of definitions) {
    if (definition.path.length <= serviceDepth + 1 || definition.path[serviceDepth] !== section) continue;
    const key = definition.path[serviceDepth + 1];
    if (definition.path.length > serviceDepth + 2) {
      deeper.add(key);
      continue;
    }
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(definition);
  }
  for (const key of deeper) if (!byKey.has(key)) byKey.set(key, []);
  const keys = new Map<string, ConfigKey>();
  for (const [key, all] of byKey) {
    const strongest = Math.min(...all.map((definition) => definition.priority));
    const counting = all.filter((definition) => definition.priority === strongest);
    const known = !deeper.has(key) && !counting.some(conditionalInside);
    keys.set(key, { lines: known ? mergedLines(table, counting) : undefined, definitions: counting });
  }
  return keys;
}

/** NixOS's merge of one unit option's definitions, or undefined when it cannot be known. */
function mergedLines(table: SyntaxTable, definitions: readonly OptionDefinition[]): string[] | undefined {
  if (definitions.length === 0 || definitions.some((definition) => definition.value === NO_NODE || Number.isNaN(definition.priority))) return undefined;
  const rendered: string[][] = [];
  let lists = 0;
  for (const definition of definitions) {
    const lines = renderedLines(table, definition.value);
    if (lines === undefined) return undefined;
    rendered.push(lines);
    if (table.kind(definition.value) === Kind.ListExpression) lists++;
  }
  if (rendered.length === 1) return rendered[0];
  if (lists > 0) return rendered.flat();
  // Scalars must agree, or NixOS stops with "defined multiple times".
  return rendered.every((lines) => lines.length === 1 && lines[0] === rendered[0][0]) ? rendered[0] : undefined;
}

/** Keys whose lines are unknown. */
export function unknownKeys(keys: ReadonlyMap<string, ConfigKey>): string[] {
  return [...keys].filter(([, key]) => key.lines === undefined).map(([name]) => name);
}

/** The known lines of a section, as the exposure engine takes them. */
export function knownLines(keys: ReadonlyMap<string, ConfigKey>): Map<string, readonly string[]> {
  const lines = new Map<string, readonly string[]>();
  for (const [name, key] of keys) if (key.lines !== undefined) lines.set(name, key.lines);
  return lines;
}

/**
 * Whether `definition` sets exactly the option `relative` of the service: `['script']`,
 * `['serviceConfig', 'ExecStart']`, `['environment', '*']` (`*` is any one name).
 */
export function setsServiceOption(service: SystemdService, definition: OptionDefinition, relative: readonly string[]): boolean {
  const depth = service.path.length;
  return definition.path.length === depth + relative.length && relative.every((component, i) => component === '*' || definition.path[depth + i] === component);
}

/** A literal boolean service-level option such as `confinement.enable`, or undefined. */
function serviceOption(table: SyntaxTable, service: SystemdService, relative: readonly string[]): ReturnType<typeof readLiteral> | 'absent' | 'unknown' {
  const matching = service.definitions.filter((definition) => setsServiceOption(service, definition, relative));
  if (matching.length === 0) return 'absent';
  if (matching.length > 1 || service.conditional.has(matching[0])) return 'unknown';
  return readLiteral(table, matching[0].value);
}

/**
 * The unit the service renders to, or undefined when a key that can change the exposure score
 * (or `confinement`) is unknown: callers then stay silent.
 */
export function serviceUnit(table: SyntaxTable, service: SystemdService, scoredDirectives: ReadonlySet<string>): ServiceUnit | undefined {
  if (service.opaque) return undefined;
  if (unknownKeys(service.serviceConfig).some((key) => scoredDirectives.has(key))) return undefined;
  if (service.unitConfig.has('DefaultDependencies') && service.unitConfig.get('DefaultDependencies')?.lines === undefined) return undefined;
  let lines = knownLines(service.serviceConfig);
  const confinement = serviceOption(table, service, ['confinement', 'enable']);
  if (confinement === 'unknown' || (confinement !== 'absent' && confinement.kind !== 'bool')) return undefined;
  if (confinement !== 'absent' && confinement.kind === 'bool' && confinement.value) {
    const mode = serviceOption(table, service, ['confinement', 'mode']);
    if (mode !== 'absent' && (mode === 'unknown' || mode.kind !== 'string' || (mode.value !== 'full-apivfs' && mode.value !== 'chroot-only'))) return undefined;
    lines = withConfinement(lines, mode === 'absent' ? 'full-apivfs' : (mode.value as 'full-apivfs' | 'chroot-only'), service.name);
  }
  const unit = new Map<string, readonly string[]>();
  const defaultDependencies = service.unitConfig.get('DefaultDependencies')?.lines;
  if (defaultDependencies) unit.set('DefaultDependencies', defaultDependencies);
  return { service: lines, unit, name: `${service.name}.service` };
}

/** Scored keys whose definitions include a `mkDefault` (or weaker) one: another module may override them. */
export function weaklyDefinedScoredKeys(service: SystemdService): string[] {
  return [...service.serviceConfig]
    .filter(([key, config]) => SCORED_DIRECTIVES.has(key) && config.definitions.some((definition) => definition.priority > DEFAULT_PRIORITY))
    .map(([key]) => key);
}

export interface ScoredUnit {
  readonly unit: ServiceUnit;
  readonly result: ExposureResult;
}

const scoredUnits = new WeakMap<SystemdService, ScoredUnit | null>();

/**
 * The unit `systemd-analyze security` would score for a service and its assessment, or
 * undefined when a scored key is unknown. Computed once per service, so once per file version:
 * the rules, the hover and the inlay hints all ask for it.
 */
export function scoredUnit(table: SyntaxTable, service: SystemdService): ScoredUnit | undefined {
  let entry = scoredUnits.get(service);
  if (entry === undefined) {
    const unit = serviceUnit(table, service, SCORED_DIRECTIVES);
    entry = unit ? { unit, result: assessExposure(unit) } : null;
    scoredUnits.set(service, entry);
  }
  return entry ?? undefined;
}

/**
 * The exposure score of a service this file defines (it has `script` or `ExecStart`), or
 * undefined when the score cannot be known or systemd would refuse the unit.
 */
export function serviceExposure(table: SyntaxTable, service: SystemdService): ExposureScore | undefined {
  if (!service.definesCommand) return undefined;
  const result = scoredUnit(table, service)?.result;
  return result?.kind === 'score' ? result : undefined;
}

// ---------------------------------------------------------------------------------------------
// Adding keys

/** `name = { a = 1; b = 2; };` laid out at `indent` (inline when `indent` is undefined). */
function attrsetBinding(text: string, name: string, bindings: readonly string[], indent: string | undefined): string {
  if (indent === undefined) return `${name} = { ${bindings.join(' ')} };`;
  const newline = newlineOf(text);
  const unit = indent.includes('\t') ? '\t' : '  ';
  return `${name} = {${bindings.map((binding) => `${newline}${indent}${unit}${binding}`).join('')}${newline}${indent}};`;
}

/**
 * One edit that adds `Key = value;` for each entry to the service's `serviceConfig`, written
 * where the file already sets serviceConfig keys (inside its attrset, or next to
 * `serviceConfig.X = …` bindings), or as a new `serviceConfig = { … };` next to the service's
 * other settings. Undefined when there is no place that would not change other options.
 */
export function addServiceConfigKeys(text: string, table: SyntaxTable, service: SystemdService, entries: readonly (readonly [string, string])[]): PlainTextEdit | undefined {
  if (entries.length === 0) return undefined;
  const depth = service.path.length;
  const bindings = (prefix: string): string[] => entries.map(([key, value]) => `${prefix}${attributeText(key)} = ${value};`);
  const unconditional = service.definitions.filter((definition) => !service.conditional.has(definition) && definition.binding !== NO_NODE && table.kind(definition.binding) === Kind.Binding);

  // Inside `serviceConfig = { … };`.
  const section = unconditional.find((definition) => setsServiceOption(service, definition, ['serviceConfig']) && isAttrset(table, definition.value));
  if (section) {
    const last = bindingsOf(table, section.value).at(-1) ?? NO_NODE;
    if (last !== NO_NODE) return insertAfterEntry(text, table, last, bindings(''));
    const { start, end } = { start: table.start(section.value), end: table.end(section.value) };
    return { range: { start, end }, newText: `{ ${bindings('').join(' ')} }` };
  }
  // Next to `serviceConfig.X = …;` (or `systemd.services.web.serviceConfig.X = …;`).
  const keyBinding = unconditional.filter((definition) => setsServiceOption(service, definition, ['serviceConfig', '*']) && definition.attrs.length >= 2).pop();
  if (keyBinding) {
    const attrpath = table.childByField(keyBinding.binding, Field.Attrpath);
    const attrs = table.childrenByField(attrpath, Field.Attr);
    const prefix = attrs.slice(0, -1).map((attr) => `${table.nodeText(attr)}.`).join('');
    return insertAfterEntry(text, table, keyBinding.binding, bindings(prefix));
  }
  // A `serviceConfig` given under `mkIf` would clash with a new one written next to it.
  if (service.definitions.some((definition) => setsServiceOption(service, definition, ['serviceConfig']))) return undefined;
  // A new `serviceConfig = { … };` inside the service's attrset.
  const serviceSet = unconditional.find((definition) => definition.path.length === depth && isAttrset(table, definition.value));
  if (serviceSet) {
    const last = bindingsOf(table, serviceSet.value).at(-1) ?? NO_NODE;
    if (last !== NO_NODE) return insertAfterEntry(text, table, last, [attrsetBinding(text, 'serviceConfig', bindings(''), ownLineIndent(text, table, last))]);
  }
  // Next to `systemd.services.web.script = …;`: same prefix up to the service name.
  const sibling = unconditional.filter((definition) => definition.attrs.length > definition.path.length - depth).pop();
  if (sibling) {
    const attrs = table.childrenByField(table.childByField(sibling.binding, Field.Attrpath), Field.Attr);
    const serviceAttrs = attrs.slice(0, attrs.length - (sibling.path.length - depth));
    const prefix = serviceAttrs.map((attr) => `${table.nodeText(attr)}.`).join('');
    return insertAfterEntry(text, table, sibling.binding, [attrsetBinding(text, `${prefix}serviceConfig`, bindings(''), ownLineIndent(text, table, sibling.binding))]);
  }
  return undefined;
}

// From a NixOS `serviceConfig = { ... };` (or `unitConfig`) attrset literal to the unit file
// lines NixOS renders for it, so that systemd-exposure.ts can score it. NixOS writes
// `Name=value` per attribute, sorted by name (nixos/lib/systemd-lib.nix, `attrsToSection`):
//   true / false  →  `true` / `false`        a list   →  one line per element
//   integers      →  decimal (0077 is 77)    null     →  an empty assignment `Name=`
//   strings       →  as they are
// Only literals are read. Anything else (a variable, `lib.optional ...`, a path whose text
// depends on where the file lives, an interpolated string) is reported as unknown: the caller
// cannot know those lines, and for the exposure rules it stays silent whenever an unknown key
// can change the score (see docs/systemd-exposure.md). `mkDefault`/`mkForce`/`mkOverride`,
// `mkBefore`/`mkAfter` around a value are seen through; `mkIf` is not (its lines may be absent).
import { decodeIndentedStringEscapes, hasInterpolation, hasSyntaxError, staticAttributeName } from './attribute-names';
import { unwrapValue } from './module-model';
import type { ServiceUnit, UnitDirectives } from './systemd-exposure';
import { Field, Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';

export interface SectionReading {
  /** Directive → the lines NixOS renders, for the keys whose values are literals. */
  readonly directives: Map<string, string[]>;
  /** Keys with a value that is not a literal, and that value (or the `inherit` naming it). */
  readonly unknown: { readonly key: string; readonly node: NodeId }[];
  /** Whether some key is computed (`${name} = ...`): then any directive may be set. */
  readonly dynamicKeys: boolean;
  /** Each key's attrpath node (or `inherit` attribute), for ranges and fixes. */
  readonly keys: Map<string, NodeId>;
}


/** What `toString` gives for a literal scalar, or undefined when the node is no literal. */
function scalarText(table: SyntaxTable, node: NodeId, topLevel: boolean): string | undefined {
  const target = unwrapValue(table, node, false);
  if (target === NO_NODE || hasSyntaxError(table, target)) return undefined;
  const kind = table.kind(target);
  if (kind === Kind.VariableExpression) {
    const name = table.nodeText(target);
    // toOption renders booleans as words; toString (inside nested lists) as `1` and ``.
    if (name === 'true') return topLevel ? 'true' : '1';
    if (name === 'false') return topLevel ? 'false' : '';
    if (name === 'null') return '';
    return undefined;
  }
  if (kind === Kind.IntegerExpression) return BigInt(table.nodeText(target)).toString();
  if (kind === Kind.UnaryExpression) {
    const operand = table.childByField(target, Field.Argument);
    const operator = table.childByField(target, Field.Operator);
    if (operand !== NO_NODE && operator !== NO_NODE && table.nodeText(operator) === '-' && table.kind(operand) === Kind.IntegerExpression) {
      return (-BigInt(table.nodeText(operand))).toString();
    }
    return undefined;
  }
  if (kind === Kind.StringExpression) return staticAttributeName(table, target);
  if (kind === Kind.IndentedStringExpression) return singleLineIndentedString(table, target);
  return undefined;
}

/** `''text''` on one line without interpolation: Nix drops the leading spaces. */
function singleLineIndentedString(table: SyntaxTable, node: NodeId): string | undefined {
  if (hasInterpolation(table, node)) return undefined;
  const text = table.nodeText(node);
  if (text.length < 4 || !text.startsWith("''") || !text.endsWith("''")) return undefined;
  const body = text.slice(2, -2);
  if (/[\n\r]/.test(body)) return undefined;
  return decodeIndentedStringEscapes(body.replace(/^ +/, ''));
}

/**
 * The unit file lines NixOS renders for one `serviceConfig` value, or undefined when the value
 * is not a literal (or holds a value NixOS would render on several lines).
 */
export function renderedLines(table: SyntaxTable, valueNode: NodeId): string[] | undefined {
  const target = unwrapValue(table, valueNode, false);
  if (target === NO_NODE) return undefined;
  if (table.kind(target) !== Kind.ListExpression) {
    const text = scalarText(table, target, true);
    return text === undefined || /[\n\r]/.test(text) ? undefined : [text];
  }
  if (hasSyntaxError(table, target)) return undefined;
  const lines: string[] = [];
  for (const element of table.childrenByField(target, Field.Element)) {
    // A nested list is rendered with toString (space-separated); rare enough to leave unknown.
    if (table.kind(unwrapValue(table, element, false)) === Kind.ListExpression) return undefined;
    const text = scalarText(table, element, true);
    if (text === undefined || /[\n\r]/.test(text)) return undefined;
    lines.push(text);
  }
  return lines;
}

/** Reads a `serviceConfig`/`unitConfig` attrset literal (plain or `rec`) the way NixOS renders it. */
export function readSection(table: SyntaxTable, attrset: NodeId): SectionReading {
  const reading = { directives: new Map<string, string[]>(), unknown: [] as { key: string; node: NodeId }[], dynamicKeys: false, keys: new Map<string, NodeId>() };
  const target = unwrapValue(table, attrset, false);
  const kind = table.kind(target);
  if (kind !== Kind.AttrsetExpression && kind !== Kind.RecAttrsetExpression) {
    return { ...reading, dynamicKeys: true };
  }
  const bindingSet = table.childOfKind(target, Kind.BindingSet);
  if (bindingSet === NO_NODE) return reading;
  for (let binding = table.firstChild(bindingSet); binding !== NO_NODE; binding = table.nextSibling(binding)) {
    const bindingKind = table.kind(binding);
    if (bindingKind === Kind.Inherit || bindingKind === Kind.InheritFrom) {
      const attrs = table.childByField(binding, Field.Attrs);
      for (const attr of attrs === NO_NODE ? [] : table.childrenByField(attrs, Field.Attr)) {
        const key = staticAttributeName(table, attr);
        if (key === undefined) reading.dynamicKeys = true;
        else if (!reading.keys.has(key)) {
          reading.keys.set(key, attr);
          reading.unknown.push({ key, node: attr });
        }
      }
      continue;
    }
    if (bindingKind !== Kind.Binding) continue;
    const attrpath = table.childByField(binding, Field.Attrpath);
    const value = table.childByField(binding, Field.Expression);
    const attrs = attrpath === NO_NODE ? [] : table.childrenByField(attrpath, Field.Attr);
    const key = attrs.length > 0 ? staticAttributeName(table, attrs[0]) : undefined;
    if (key === undefined) {
      reading.dynamicKeys = true;
      continue;
    }
    // A repeated key is an evaluation error (the duplicate-attribute rule reports it): keep the first.
    if (reading.keys.has(key)) continue;
    reading.keys.set(key, attrpath);
    const lines = attrs.length === 1 && value !== NO_NODE ? renderedLines(table, value) : undefined;
    if (lines === undefined) reading.unknown.push({ key, node: value === NO_NODE ? attrpath : value });
    else reading.directives.set(key, lines);
  }
  return reading;
}

export type ConfinementMode = 'full-apivfs' | 'chroot-only';

/**
 * What `confinement.enable = true` adds to `serviceConfig` (nixos/modules/security/
 * systemd-confinement.nix): a chroot as RootDirectory, and (as mkDefault, so the service's own
 * keys win) PrivateMounts plus, in the default `full-apivfs` mode, private /dev, /tmp, users
 * and read-only kernel interfaces. The RootDirectory path is a store path; any path but `/`
 * scores the same.
 */
export function withConfinement(service: ReadonlyMap<string, readonly string[]>, mode: ConfinementMode, serviceName: string): Map<string, string[]> {
  const result = new Map<string, string[]>([...service].map(([key, lines]) => [key, [...lines]]));
  result.set('RootDirectory', [`/nix/store/${serviceName}-chroot`]);
  if (!result.has('TemporaryFileSystem')) result.set('TemporaryFileSystem', ['/']);
  const defaults: Record<string, string> = { PrivateMounts: 'true' };
  const apiVfs = mode === 'full-apivfs' ? 'true' : 'false';
  for (const key of ['MountAPIVFS', 'PrivateDevices', 'PrivateTmp', 'PrivateUsers', 'ProtectControlGroups', 'ProtectKernelModules', 'ProtectKernelTunables']) {
    defaults[key] = apiVfs;
  }
  for (const [key, value] of Object.entries(defaults)) if (!result.has(key)) result.set(key, [value]);
  return result;
}

/** Unit file text for a service, sections and keys in NixOS's (sorted) order. */
export function renderUnitFile(unit: ServiceUnit): string {
  const section = (title: string, directives: UnitDirectives | undefined): string => {
    const keys = [...(directives?.keys() ?? [])].sort();
    const lines = keys.flatMap((key) => (directives?.get(key) ?? []).map((value) => `${key}=${value}`));
    return `[${title}]\n${lines.map((line) => `${line}\n`).join('')}`;
  };
  const unitSection = unit.unit && unit.unit.size > 0 ? `${section('Unit', unit.unit)}\n` : '';
  return unitSection + section('Service', unit.service);
}

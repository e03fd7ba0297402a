// Hover section for systemd services: on the attribute that names `systemd.services.<name>` (or
// `systemd.user.services.<name>`), in any module shape, or on its `serviceConfig` key, the
// exposure score `systemd-analyze security` would print ("9.6 UNSAFE"), the five checks that
// cost the most, what unreadable keys mean for the score, and the quick fix that lowers it.
//
// The score comes from analysis/systemd-services.ts (the service's literal settings, merged as
// NixOS merges them) and analysis/systemd-exposure.ts (systemd 252's checks and formula). Where
// the score cannot be known (a computed service, an unreadable key that can change the score, a
// service this file only adjusts) the section says why instead of guessing, like the rules.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import { staticAttributeName } from '../analysis/attribute-names';
import { nameNodeAt } from '../analysis/name-sites';
import { exposureText, SCORED_DIRECTIVES, topContributors } from '../analysis/systemd-exposure';
import type { ExposureScore } from '../analysis/systemd-exposure';
import { scoredUnit, systemdServices, unknownKeys, weaklyDefinedScoredKeys } from '../analysis/systemd-services';
import type { SystemdService } from '../analysis/systemd-services';
import type { Finding } from '../rules/types';
import { NO_NODE, NodeId } from '../syntax/syntax-table';
import type { HoverRequest, HoverSection } from './hover';

/** How many checks hover and the inlay hint's tooltip list. */
const TOP_CONTRIBUTORS = 5;

/** What can be said about a service's exposure score. */
export type ServiceExposure =
  | {
      readonly kind: 'score';
      readonly score: ExposureScore;
      /** Unreadable keys that cannot change the score (`ExecStart = "${pkg}/bin/x"`). */
      readonly unknownKeys: readonly string[];
      /** Scored keys set with `mkDefault` or weaker: another module may override them. */
      readonly weakKeys: readonly string[];
    }
  /** Some enclosing value or key is computed: any directive may be set. */
  | { readonly kind: 'opaque' }
  /** The file sets neither `script` nor `ExecStart`: the service is defined elsewhere. */
  | { readonly kind: 'adjusted' }
  /** Settings that can change the score whose values cannot be read from the text. */
  | { readonly kind: 'unknown'; readonly keys: readonly string[] }
  /** systemd would refuse to load the unit, so it has no score. */
  | { readonly kind: 'refused'; readonly directive: string; readonly value: string; readonly reason: string };

/** Per file version: services are cached per module model, and so are these. */
const exposureCache = new WeakMap<SystemdService, ServiceExposure>();

/** The exposure of `service` (cached per file version). */
export function serviceExposureOf(file: AnalyzedFile, service: SystemdService): ServiceExposure {
  let exposure = exposureCache.get(service);
  if (!exposure) {
    exposure = computeExposure(file, service);
    exposureCache.set(service, exposure);
  }
  return exposure;
}

function computeExposure(file: AnalyzedFile, service: SystemdService): ServiceExposure {
  if (service.opaque) return { kind: 'opaque' };
  if (!service.definesCommand) return { kind: 'adjusted' };
  const unreadable = unknownKeys(service.serviceConfig);
  const scoredUnreadable = unreadable.filter((key) => SCORED_DIRECTIVES.has(key));
  if (service.unitConfig.has('DefaultDependencies') && service.unitConfig.get('DefaultDependencies')?.lines === undefined) scoredUnreadable.push('unitConfig.DefaultDependencies');
  if (scoredUnreadable.length > 0) return { kind: 'unknown', keys: scoredUnreadable };
  const scored = scoredUnit(file.table, service);
  // What is left to make the unit unknown is `confinement.enable`/`confinement.mode`.
  if (!scored) return { kind: 'unknown', keys: ['confinement'] };
  const result = scored.result;
  if (result.kind === 'refused') return { kind: 'refused', directive: result.directive, value: result.value, reason: result.reason };
  return { kind: 'score', score: result, unknownKeys: unreadable, weakKeys: weaklyDefinedScoredKeys(service) };
}

/** `a`, `a` and `b`, `a`, `b` and `c`, each in backticks. */
function codeList(names: readonly string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** Why systemd-services.ts reads a key as unknown. */
const UNKNOWN_WHY = '(not a literal, set under `mkIf`, or set twice)';

/** `singular` for one name, `plural` for several. */
function either(names: readonly string[], singular: string, plural: string): string {
  return names.length === 1 ? singular : plural;
}

/** One line per check that costs the most: `- \`PrivateNetwork=\` +0.5: uses the host's network`. */
function contributorLines(score: ExposureScore): string[] {
  return topContributors(score, TOP_CONTRIBUTORS).map((check) => `- \`${check.id}\` +${exposureText(check.exposure)}: ${check.description}`);
}

/** The score line and the top contributors: the hover's core and the inlay hint's tooltip. */
export function exposureSummary(service: SystemdService, score: ExposureScore): string {
  const parts = [`\`systemd-analyze security\` exposure of \`${service.name}.service\`: **${score.text} ${score.label}**`];
  const lines = contributorLines(score);
  if (lines.length > 0) parts.push(`Costs the most (exposure each check adds):\n${lines.join('\n')}`);
  return parts.join('\n\n');
}

/** The quick fix the systemd rules offer on the service's name, as one line, or undefined. */
function quickFixLine(file: AnalyzedFile, service: SystemdService, findings: readonly Finding[]): string | undefined {
  const start = file.table.start(service.nameNode);
  const onName = findings.filter((finding) => finding.range.start === start && finding.ruleId.startsWith('systemd-') && (finding.fixes?.length ?? 0) > 0);
  // The sandbox of `systemd-exposure` first: it is the one that brings the score down the most.
  const finding = onName.find((candidate) => candidate.ruleId === 'systemd-exposure') ?? onName[0];
  if (!finding?.fixes) return undefined;
  const others = finding.fixes.length - 1;
  const more = others > 0 ? `, or ${others} other${others === 1 ? '' : 's'} in the code actions` : '';
  return `Quick fix on \`${service.name}\`: *${finding.fixes[0].title}*${more}`;
}

function scoreMarkdown(file: AnalyzedFile, service: SystemdService, exposure: Extract<ServiceExposure, { kind: 'score' }>, findings: readonly Finding[]): string {
  const parts = [exposureSummary(service, exposure.score)];
  const notes: string[] = [];
  const unread = exposure.unknownKeys;
  if (unread.length > 0) notes.push(`${codeList(unread)} ${either(unread, 'is', 'are')} unknown ${UNKNOWN_WHY}; the score does not depend on ${either(unread, 'it', 'them')}.`);
  const weak = exposure.weakKeys;
  if (weak.length > 0) notes.push(`${codeList(weak)} ${either(weak, 'is', 'are')} set with \`mkDefault\` (or weaker): another module may override ${either(weak, 'it', 'them')} and change the score.`);
  if (exposure.score.approximations.length > 0) notes.push('Host-dependent specifiers (`%H`, …) were read as plain text.');
  if (service.userService) notes.push('A user service: the user manager adds `KeyringMode=inherit`, so `systemd-analyze --user` scores it a little worse.');
  if (notes.length > 0) parts.push(notes.join(' '));
  const fix = quickFixLine(file, service, findings);
  if (fix) parts.push(fix);
  return parts.join('\n\n');
}

/** The section for a service, whatever can be said about its score. */
export function serviceMarkdown(file: AnalyzedFile, service: SystemdService, findings: readonly Finding[]): string {
  const exposure = serviceExposureOf(file, service);
  const unit = `\`${service.name}.service\``;
  switch (exposure.kind) {
    case 'score':
      return scoreMarkdown(file, service, exposure, findings);
    case 'opaque':
      return `Exposure of ${unit} unknown: part of the service is computed (a function call, \`//\` or a computed name), so any setting may change its score; nixguard shows none rather than guess.`;
    case 'adjusted':
      return `No exposure score for ${unit}: this file sets neither \`script\` nor \`ExecStart\`, so the service is defined elsewhere and its score depends on settings not in this file.`;
    case 'unknown':
      return `Exposure of ${unit} unknown: ${codeList(exposure.keys)} can change the score but cannot be read ${UNKNOWN_WHY}; nixguard shows no score rather than guess.`;
    case 'refused':
      return `No exposure score for ${unit}: systemd refuses to load it (\`${exposure.directive}=${exposure.value}\`: ${exposure.reason}).`;
  }
}

/** The service whose name, or whose `serviceConfig` key, is the attribute `node`. */
function serviceNamedBy(file: AnalyzedFile, node: NodeId): SystemdService | undefined {
  const name = staticAttributeName(file.table, node);
  if (name === undefined) return undefined;
  for (const service of systemdServices(file.table, file.modules)) {
    if (name !== service.name && name !== 'serviceConfig') continue;
    const depth = service.path.length;
    for (const definition of service.definitions) {
      const index = definition.attrs.indexOf(node);
      if (index < 0) continue;
      // `attrs` spell the last `attrs.length` components of the path.
      const component = definition.path.length - definition.attrs.length + index;
      if (component === depth - 1 || (component === depth && definition.path[depth] === 'serviceConfig')) return service;
    }
  }
  return undefined;
}

export function systemdHover(request: HoverRequest): HoverSection[] {
  const { file, offset } = request;
  const node = nameNodeAt(file.table, offset);
  if (node === NO_NODE) return [];
  const service = serviceNamedBy(file, node);
  if (!service) return [];
  return [{ markdown: serviceMarkdown(file, service, request.findings), range: { start: file.table.start(node), end: file.table.end(node) } }];
}

// Runs rules over an analysed file. One pass over the syntax table dispatches each row to the
// visitors registered for its kind; `file` hooks run after. A crashing rule is reported as a
// failure (with its id) and the others' findings still come back.
//
// Incremental runs: visitor findings are cached per visited row. After an edit the source file
// says which subtree was re-mirrored (`SourceFile.splice`); only that subtree and its ancestors
// are visited again, the other cached findings are moved by the edit's row and offset deltas.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import type { SpliceInfo } from '../syntax/source-file';
import type { NodeId } from '../syntax/syntax-table';
import type { Finding, Fix, OffsetRange, RelatedInformation, ReportDescriptor, Rule, RuleContext, Severity, SeveritySetting } from './types';

export interface RuleFailure {
  readonly ruleId: string;
  readonly message: string;
}

export interface RunOptions {
  readonly rules: readonly Rule[];
  /** Severity per rule id; rules not listed keep their default. */
  readonly severities?: ReadonlyMap<string, SeveritySetting>;
  /** The state returned by the run on the previous version of the same document. */
  readonly previous?: RunState;
  /** At most this many findings are returned, the first by position. */
  readonly maxFindings?: number;
}

export interface RunResult {
  readonly findings: Finding[];
  readonly failures: RuleFailure[];
  readonly state: RunState;
}

interface VisitorFinding {
  readonly row: NodeId;
  readonly finding: Finding;
}

/** Opaque cache handed back on the next run of the same document. */
export interface RunState {
  readonly sourceId: number;
  readonly ruleSetKey: string;
  readonly visitorFindings: readonly VisitorFinding[];
}

export const DEFAULT_MAX_FINDINGS = 2000;

function format(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  if (!data) return template;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

function moveRange(range: OffsetRange, from: number, delta: number): OffsetRange {
  return {
    start: range.start >= from ? range.start + delta : range.start,
    end: range.end >= from ? range.end + delta : range.end,
  };
}

/** Moves a cached finding; optional fields stay absent when absent, as in a fresh finding. */
function moveFinding(finding: Finding, from: number, delta: number): Finding {
  const moved: { -readonly [K in keyof Finding]: Finding[K] } = { ...finding, range: moveRange(finding.range, from, delta) };
  if (finding.related) moved.related = finding.related.map((r) => ({ ...r, range: moveRange(r.range, from, delta) }));
  if (finding.fixes) moved.fixes = finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, range: moveRange(e.range, from, delta) })) }));
  return moved;
}

export function effectiveSeverity(rule: Rule, severities: ReadonlyMap<string, SeveritySetting> | undefined): SeveritySetting {
  return severities?.get(rule.id) ?? rule.meta.severity;
}

export function runRules(file: AnalyzedFile, options: RunOptions): RunResult {
  const table = file.table;
  const failures: RuleFailure[] = [];
  const enabled = options.rules.filter((rule) => effectiveSeverity(rule, options.severities) !== 'off');
  const ruleSetKey = enabled.map((r) => r.id).join(',');
  const ruleIds = new Set(options.rules.map((r) => r.id));
  const failed = new Set<string>();

  let currentRow: NodeId = -1;
  const visitorFindings: VisitorFinding[] = [];
  const fileFindings: Finding[] = [];
  let sink: (finding: Finding) => void = () => undefined;

  // Each rule gets its own context; `report` turns descriptors into findings.
  const visitorTable: { rule: Rule; visit: (node: NodeId) => void }[][] = [];
  const fileHooks: { rule: Rule; run: () => void }[] = [];
  for (const rule of enabled) {
    const context: RuleContext<string> = {
      file,
      ruleIds,
      report(descriptor: ReportDescriptor<string>) {
        sink(makeFinding(rule, descriptor));
      },
    };
    let visitors;
    try {
      visitors = rule.check(context);
    } catch (error) {
      failures.push({ ruleId: rule.id, message: errorMessage(error) });
      continue;
    }
    for (const key of Object.keys(visitors)) {
      if (key === 'file') continue;
      const kind = Number(key);
      (visitorTable[kind] ??= []).push({ rule, visit: visitors[kind] });
    }
    if (visitors.file) fileHooks.push({ rule, run: visitors.file });
  }

  // Rows of kinds no rule visits are skipped without a call.
  const wantedKinds = new Uint8Array(Math.max(visitorTable.length, 1));
  visitorTable.forEach((visitors, kind) => {
    if (visitors && visitors.length > 0) wantedKinds[kind] = 1;
  });

  function makeFinding(rule: Rule, descriptor: ReportDescriptor<string>): Finding {
    const range: OffsetRange = descriptor.range ?? (descriptor.node !== undefined ? { start: table.start(descriptor.node), end: table.end(descriptor.node) } : { start: 0, end: 0 });
    const template = rule.meta.messages[descriptor.messageId] ?? descriptor.messageId;
    const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
      ruleId: rule.id,
      severity: descriptor.severity ?? rule.meta.severity,
      range,
      message: format(template, descriptor.data),
    };
    if (descriptor.related?.length) finding.related = descriptor.related as RelatedInformation[];
    if (descriptor.tags?.length) finding.tags = descriptor.tags;
    if (descriptor.fixes?.length) finding.fixes = descriptor.fixes as Fix[];
    return finding;
  }

  function visitRow(row: NodeId, kind: number): void {
    const visitors = visitorTable[kind];
    if (!visitors) return;
    currentRow = row;
    for (const { rule, visit } of visitors) {
      if (failed.has(rule.id)) continue;
      try {
        visit(row);
      } catch (error) {
        failed.add(rule.id);
        failures.push({ ruleId: rule.id, message: errorMessage(error) });
      }
    }
  }

  sink = (finding) => visitorFindings.push({ row: currentRow, finding });
  const previous = options.previous;
  const splice = file.source.splice;
  if (previous && splice && previous.sourceId === file.source.derivedFrom && previous.ruleSetKey === ruleSetKey && visitorTable.length > 0) {
    const reused = reuseFindings(previous.visitorFindings, splice, file);
    // Ancestors of the re-mirrored subtree, top-down, then the subtree itself.
    const ancestors: NodeId[] = [];
    for (let up = table.parent(splice.first); up >= 0; up = table.parent(up)) ancestors.push(up);
    ancestors.reverse();
    for (const row of ancestors) visitRow(row, table.kind(row));
    table.forEachRowOfKinds(splice.first, splice.end, wantedKinds, visitRow);
    const fresh = visitorFindings.splice(0);
    visitorFindings.push(...mergeByRow(reused, fresh));
  } else {
    table.forEachRowOfKinds(0, table.size, wantedKinds, visitRow);
  }

  sink = (finding) => fileFindings.push(finding);
  for (const { rule, run } of fileHooks) {
    try {
      run();
    } catch (error) {
      failures.push({ ruleId: rule.id, message: errorMessage(error) });
    }
  }

  const findings = finalize([...fileFindings, ...visitorFindings.map((v) => v.finding)], file, options);
  return { findings, failures, state: { sourceId: file.source.id, ruleSetKey, visitorFindings } };
}

/** Keeps the cached findings of rows outside the re-mirrored subtree and its ancestors, moved. */
function reuseFindings(previous: readonly VisitorFinding[], splice: SpliceInfo, file: AnalyzedFile): VisitorFinding[] {
  const table = file.table;
  const kept: VisitorFinding[] = [];
  for (const entry of previous) {
    const row = entry.row;
    if (row < splice.first) {
      if (table.isAncestor(row, splice.first)) continue;
      kept.push(entry);
    } else if (row >= splice.oldEnd) {
      kept.push({ row: row + splice.rowDelta, finding: splice.charDelta === 0 ? entry.finding : moveFinding(entry.finding, splice.oldEndChar, splice.charDelta) });
    }
  }
  return kept;
}

function mergeByRow(a: readonly VisitorFinding[], b: readonly VisitorFinding[]): VisitorFinding[] {
  const sortedB = [...b].sort((x, y) => x.row - y.row);
  const result: VisitorFinding[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < sortedB.length) {
    if (j >= sortedB.length || (i < a.length && a[i].row <= sortedB[j].row)) result.push(a[i++]);
    else result.push(sortedB[j++]);
  }
  return result;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Applies severity settings and suppressions, sorts by position and caps the count. */
function finalize(raw: Finding[], file: AnalyzedFile, options: RunOptions): Finding[] {
  const severities = options.severities;
  const suppressions = file.suppressions;
  const result: Finding[] = [];
  for (const finding of raw) {
    const setting = severities?.get(finding.ruleId);
    if (setting === 'off') continue;
    if (suppressions.directives.length > 0 && suppressions.isSuppressed(finding.ruleId, finding.range.start)) continue;
    result.push(setting && setting !== finding.severity ? { ...finding, severity: setting } : finding);
  }
  result.sort((x, y) => x.range.start - y.range.start || x.range.end - y.range.end || SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] || (x.ruleId < y.ruleId ? -1 : x.ruleId > y.ruleId ? 1 : 0));
  const max = options.maxFindings ?? DEFAULT_MAX_FINDINGS;
  return result.length > max ? result.slice(0, max) : result;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

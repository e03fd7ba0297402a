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
import type { Finding, Fix, OffsetRange, RelatedInformation, ReportDescriptor, Rule, RuleContext, RuleVisitors, Severity, SeveritySetting } from './types';

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
  if (!data || !template.includes('{{')) return template;
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

/** What a run needs to know about its rule set; the same for every file checked with it. */
interface RulePlan {
  readonly rules: readonly Rule[];
  /** Per rule of `rules`: whether its severity is not `off`. */
  readonly enabledMask: readonly boolean[];
  readonly enabled: readonly Rule[];
  readonly ruleSetKey: string;
  readonly ruleIds: ReadonlySet<string>;
}

/**
 * The plan of the last run. A check of many files (or a server re-checking a document) uses the
 * same rules and settings over and over; rebuilding the id set and key each time cost more than
 * many of the rules. The enabled set is recomputed (one map lookup per rule) and compared, so a
 * severities map changed in place is still seen.
 */
let lastPlan: RulePlan | undefined;

function planFor(rules: readonly Rule[], severities: ReadonlyMap<string, SeveritySetting> | undefined): RulePlan {
  const previous = lastPlan;
  if (previous && previous.rules.length === rules.length) {
    let same = true;
    for (let i = 0; i < rules.length && same; i++) same = previous.rules[i] === rules[i] && previous.enabledMask[i] === (effectiveSeverity(rules[i], severities) !== 'off');
    if (same) return previous;
  }
  const enabledMask = rules.map((rule) => effectiveSeverity(rule, severities) !== 'off');
  const enabled = rules.filter((_, i) => enabledMask[i]);
  lastPlan = { rules: [...rules], enabledMask, enabled, ruleSetKey: enabled.map((r) => r.id).join(','), ruleIds: new Set(rules.map((r) => r.id)) };
  return lastPlan;
}

/**
 * The node kinds each rule's visitors are keyed by, read from its first `check` result: a rule
 * returns the same keys for every file (types.ts, RuleVisitors), and `Object.keys` on these
 * sparse-integer-keyed objects allocated more per file than most rules do.
 */
const visitorKindsByRule = new WeakMap<Rule, readonly number[]>();

function visitorKinds(rule: Rule, visitors: RuleVisitors): readonly number[] {
  let kinds = visitorKindsByRule.get(rule);
  if (!kinds) {
    kinds = Object.keys(visitors)
      .filter((key) => key !== 'file')
      .map(Number);
    visitorKindsByRule.set(rule, kinds);
  }
  return kinds;
}

export function runRules(file: AnalyzedFile, options: RunOptions): RunResult {
  const plan = planFor(options.rules, options.severities);
  const run = new RuleRun(file, plan);
  const previous = options.previous;
  const splice = file.source.splice;
  if (previous && splice && previous.sourceId === file.source.derivedFrom && previous.ruleSetKey === plan.ruleSetKey && run.hasVisitors) {
    run.visitSplice(previous.visitorFindings, splice);
  } else {
    run.visitAll();
  }
  run.runFileHooks();
  run.release();
  const raw: Finding[] = run.fileFindings;
  for (const entry of run.visitorFindings) raw.push(entry.finding);
  const findings = finalize(raw, file, options);
  return { findings, failures: run.failures, state: { sourceId: file.source.id, ruleSetKey: plan.ruleSetKey, visitorFindings: run.visitorFindings } };
}

/** How a run's contexts reach the run: emptied when the run ends (see RunContext). */
interface RunLink {
  run: RuleRun | undefined;
}

/**
 * The context a rule's `check` gets: it reaches the file and the run only until the run ends.
 * V8 (node 20) keeps rules' closures, and the contexts they capture, alive through the
 * young-generation collections that follow their run, up to the next full collection (why was
 * not pinned down; a full collection frees them). While contexts held their file and run, every
 * version of an edited document survived the scavenges with them, to be copied and promoted:
 * `node out/bench/gc-survival.js` measured 19% of what an edit allocates surviving and 36 KB per
 * edit promoted, and those scavenges were the slowest edits. Cut off: 10% and 10 KB.
 */
class RunContext implements RuleContext<string> {
  /** An own property, as the object literal this replaces had: `report` may be passed unbound. */
  readonly report: (descriptor: ReportDescriptor<string>) => void;

  constructor(
    private readonly link: RunLink,
    rule: Rule,
    readonly ruleIds: ReadonlySet<string>,
  ) {
    this.report = (descriptor) => link.run?.report(rule, descriptor);
  }

  get file(): AnalyzedFile {
    const run = this.link.run;
    if (run === undefined) throw new Error('a rule used its context after its run ended');
    return run.file;
  }
}

/**
 * One run of a rule set over one file: the rules' visitors by kind, and what they report. Kept in
 * small methods rather than one function: the optimizing compiler took ~100 ms over the single
 * function (it inlined every rule's `check`) and threw it away whenever a rule's shape changed.
 */
class RuleRun {
  readonly failures: RuleFailure[] = [];
  readonly visitorFindings: VisitorFinding[] = [];
  readonly fileFindings: Finding[] = [];
  /** Per kind, the visitors and (at the same index) the rules they belong to. */
  private readonly visitsByKind: ((node: NodeId) => void)[][] = [];
  private readonly rulesByKind: Rule[][] = [];
  private readonly fileHooks: { rule: Rule; run: () => void }[] = [];
  /** Shared by the rules' contexts; `release` empties it. */
  private readonly link: RunLink = { run: this };
  /** Rules whose visitor threw: not called again in this run. */
  private failed: Set<string> | undefined;
  private currentRow: NodeId = -1;
  /** Where reports go: nowhere while rules set up, per row from visitors (for reuse), or file-wide. */
  private phase: 'setup' | 'visitors' | 'file' = 'setup';
  private readonly wantedKinds: Uint8Array;
  private readonly visitRowCallback = (row: NodeId, kind: number): void => this.visitRow(row, kind);

  constructor(
    readonly file: AnalyzedFile,
    plan: RulePlan,
  ) {
    for (const rule of plan.enabled) this.register(rule, plan.ruleIds);
    // Rows of kinds no rule visits are skipped without a call.
    this.wantedKinds = new Uint8Array(Math.max(this.visitsByKind.length, 1));
    for (let kind = 0; kind < this.visitsByKind.length; kind++) if (this.visitsByKind[kind] !== undefined) this.wantedKinds[kind] = 1;
    this.phase = 'visitors';
  }

  get hasVisitors(): boolean {
    return this.visitsByKind.length > 0;
  }

  /** Gives `rule` its context (whose `report` turns descriptors into findings) and files its visitors. */
  private register(rule: Rule, ruleIds: ReadonlySet<string>): void {
    const context = new RunContext(this.link, rule, ruleIds);
    let visitors: RuleVisitors;
    try {
      visitors = rule.check(context);
    } catch (error) {
      this.failures.push({ ruleId: rule.id, message: errorMessage(error) });
      return;
    }
    for (const kind of visitorKinds(rule, visitors)) {
      const visit = visitors[kind];
      if (visit === undefined) continue;
      (this.visitsByKind[kind] ??= []).push(visit);
      (this.rulesByKind[kind] ??= []).push(rule);
    }
    if (visitors.file) this.fileHooks.push({ rule, run: visitors.file });
  }

  report(rule: Rule, descriptor: ReportDescriptor<string>): void {
    if (this.phase === 'setup') return;
    const finding = makeFinding(this.file, rule, descriptor);
    if (this.phase === 'visitors') this.visitorFindings.push({ row: this.currentRow, finding });
    else this.fileFindings.push(finding);
  }

  visitAll(): void {
    const table = this.file.table;
    table.forEachRowOfKinds(0, table.size, this.wantedKinds, this.visitRowCallback);
  }

  /** Visits the re-mirrored subtree and its ancestors; the previous run's other findings are kept, moved. */
  visitSplice(previous: readonly VisitorFinding[], splice: SpliceInfo): void {
    const table = this.file.table;
    const reused = reuseFindings(previous, splice, this.file);
    // Ancestors of the re-mirrored subtree, top-down, then the subtree itself.
    const ancestors: NodeId[] = [];
    for (let up = table.parent(splice.first); up >= 0; up = table.parent(up)) ancestors.push(up);
    for (let i = ancestors.length - 1; i >= 0; i--) this.visitRow(ancestors[i], table.kind(ancestors[i]));
    table.forEachRowOfKinds(splice.first, splice.end, this.wantedKinds, this.visitRowCallback);
    const fresh = this.visitorFindings.splice(0);
    const merged = mergeByRow(reused, fresh);
    for (let i = 0; i < merged.length; i++) this.visitorFindings.push(merged[i]);
  }

  private visitRow(row: NodeId, kind: number): void {
    const visits = this.visitsByKind[kind];
    if (!visits) return;
    const rules = this.rulesByKind[kind];
    this.currentRow = row;
    for (let i = 0; i < visits.length; i++) {
      const rule = rules[i];
      if (this.failed !== undefined && this.failed.has(rule.id)) continue;
      try {
        visits[i](row);
      } catch (error) {
        (this.failed ??= new Set()).add(rule.id);
        this.failures.push({ ruleId: rule.id, message: errorMessage(error) });
      }
    }
  }

  runFileHooks(): void {
    this.phase = 'file';
    for (const { rule, run } of this.fileHooks) {
      try {
        run();
      } catch (error) {
        this.failures.push({ ruleId: rule.id, message: errorMessage(error) });
      }
    }
  }

  /** Ends the run for the rules: their contexts keep nothing of this version (see RunContext). */
  release(): void {
    this.link.run = undefined;
  }
}

function makeFinding(file: AnalyzedFile, rule: Rule, descriptor: ReportDescriptor<string>): Finding {
  const table = file.table;
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

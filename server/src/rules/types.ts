// The rule engine's vocabulary. Plain JSON-safe types: offsets into the document text (UTF-16
// code units), never tree-sitter nodes and never LSP types.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import type { KindId } from '../syntax/grammar';
import type { NodeId } from '../syntax/syntax-table';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

export type RuleCategory = 'syntax' | 'correctness' | 'dead-code' | 'style' | 'security' | 'systemd' | 'secrets' | 'hardening' | 'flakes' | 'cross' | 'meta';

export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

export interface TextEdit {
  readonly range: OffsetRange;
  readonly newText: string;
}

export interface Fix {
  /** Imperative: "Remove the unused binding `x`". */
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Safe fixes are applied by `--fix` and fix-all; the others only on request. */
  readonly safe: boolean;
}

export type FindingTag = 'unnecessary' | 'deprecated';

export interface RelatedInformation {
  readonly range: OffsetRange;
  readonly message: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly range: OffsetRange;
  readonly message: string;
  readonly related?: readonly RelatedInformation[];
  readonly tags?: readonly FindingTag[];
  readonly fixes?: readonly Fix[];
}

export interface RuleMeta<MessageId extends string> {
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** One line, shown by `nixguard rules` and as the doc's subtitle. */
  readonly description: string;
  readonly fixable: boolean;
  /** Message templates; `{{name}}` is replaced by `data.name`. */
  readonly messages: Readonly<Record<MessageId, string>>;
}

export interface ReportDescriptor<MessageId extends string> {
  /** The node to flag; or give `range`. */
  readonly node?: NodeId;
  readonly range?: OffsetRange;
  readonly messageId: MessageId;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly related?: readonly RelatedInformation[];
  readonly tags?: readonly FindingTag[];
  readonly fixes?: readonly Fix[];
  /** Overrides `meta.severity` for this finding (a user's severity setting still wins). */
  readonly severity?: Severity;
}

export interface RuleContext<MessageId extends string> {
  readonly file: AnalyzedFile;
  /** Every known rule id (for rules that check references to rules, like suppressions). */
  readonly ruleIds: ReadonlySet<string>;
  report(descriptor: ReportDescriptor<MessageId>): void;
}

/**
 * What a rule's `check` returns. Node visitors are keyed by kind id (`[Kind.Binding](node) {}`);
 * a visitor may read anything in its node's subtree and its ancestors (including their keys and
 * formals) and must report only inside its node's extent: the runner reuses its findings for
 * every subtree an edit did not touch. `file` runs once per version for file-wide checks.
 * `check` returns the same keys for every file (the runner reads them once per rule); a rule
 * with nothing to do in some file returns early inside its visitors.
 */
export interface RuleVisitors {
  readonly [kind: KindId]: (node: NodeId) => void;
  readonly file?: () => void;
}

export interface Rule<MessageId extends string = string> {
  readonly id: string;
  readonly meta: RuleMeta<MessageId>;
  check(context: RuleContext<MessageId>): RuleVisitors;
}

export function defineRule<MessageId extends string>(rule: Rule<MessageId>): Rule<MessageId> {
  return rule;
}

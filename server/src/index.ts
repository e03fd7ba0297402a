// Public API of the nixguard library: what the CLI, the server, tests and other tools use.
export { SourceFile } from './syntax/source-file';
export type { TextChange } from './syntax/source-file';
export { LineIndex } from './syntax/line-index';
export { AnalyzedFile } from './analysis/analyzed-file';
export { ALL_RULES, findRule } from './rules';
export { runRules } from './rules/runner';
export type { RunResult, RunState, RuleFailure } from './rules/runner';
export type { Finding, Fix, Rule, Severity, SeveritySetting, OffsetRange, TextEdit } from './rules/types';
export { checkFile, checkText, fixText } from './features/check';
export { applyFixes } from './features/fix-all';

// `nixguard rules [--format text|json]` and `nixguard explain RULE`.
import { ALL_RULES, findRule } from '../rules';
import type { Rule } from '../rules/types';
import { choiceValue, hasFlag, parseArguments } from './arguments';
import { unknownRuleMessage } from './closest-rule-id';
import { writeStdout } from './output';
import { ruleDoc } from './rule-docs';
import { EXIT_CLEAN, UsageError } from './usage-error';

export const RULES_HELP = `Usage: nixguard rules [--format text|json]

Lists every rule: id, group, default severity, whether --fix can fix it, and a summary.
`;

export const EXPLAIN_HELP = `Usage: nixguard explain RULE

Prints the documentation of RULE (see \`nixguard rules\` for the ids).
`;

export function runRulesCommand(argv: readonly string[]): number {
  const parsed = parseArguments(argv, { '--format': { value: true }, '--help': {}, '-h': {} }, 'rules');
  if (hasFlag(parsed, '--help') || hasFlag(parsed, '-h')) {
    writeStdout(RULES_HELP);
    return EXIT_CLEAN;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`\`nixguard rules\` takes no arguments, got '${parsed.positionals[0]}'`);
  const format = choiceValue(parsed, '--format', ['text', 'json'] as const, 'text');
  const rows = ALL_RULES.map(describeRule);
  if (format === 'json') {
    writeStdout(JSON.stringify({ version: 1, rules: rows }, null, 2) + '\n');
    return EXIT_CLEAN;
  }
  const table = [['id', 'group', 'severity', 'fixable', 'summary'], ...rows.map((row) => [row.id, row.group, row.severity, row.fixable ? 'yes' : 'no', row.summary])];
  const widths = table[0].map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
  const lines = table.map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '));
  writeStdout(lines.join('\n') + '\n');
  return EXIT_CLEAN;
}

function describeRule(rule: Rule): { id: string; group: string; severity: string; fixable: boolean; summary: string } {
  return { id: rule.id, group: rule.meta.category, severity: rule.meta.severity, fixable: rule.meta.fixable, summary: rule.meta.description };
}

export function runExplainCommand(argv: readonly string[]): number {
  const parsed = parseArguments(argv, { '--help': {}, '-h': {} }, 'explain');
  if (hasFlag(parsed, '--help') || hasFlag(parsed, '-h')) {
    writeStdout(EXPLAIN_HELP);
    return EXIT_CLEAN;
  }
  if (parsed.positionals.length !== 1) throw new UsageError('`nixguard explain` takes exactly one rule id, e.g. `nixguard explain bool-comparison`');
  const id = parsed.positionals[0];
  const rule = findRule(id);
  if (!rule) throw new UsageError(unknownRuleMessage(id));
  const doc = ruleDoc(id);
  // Every rule should have a doc (a test checks it); until it does, say what the metadata knows.
  const text =
    doc ??
    `# ${rule.id}\n\n${rule.meta.description}.\n\nGroup: ${rule.meta.category}. Default severity: ${rule.meta.severity}. ${rule.meta.fixable ? 'Fixable with `--fix`.' : 'Not fixable automatically.'}\n`;
  writeStdout(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT_CLEAN;
}

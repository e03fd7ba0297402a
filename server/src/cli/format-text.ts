// The human format, one finding per line as compilers print them (editors and CI log viewers
// turn `path:line:col:` into links), then a one-line summary.
import type { FileReport } from './file-report';
import type { Summary } from './summary';

export function formatText(reports: readonly FileReport[], summary: Summary): string {
  const lines: string[] = [];
  for (const report of reports) {
    for (const finding of report.findings) {
      lines.push(`${report.path}:${finding.range.start.line + 1}:${finding.column}: ${finding.severity} [${finding.ruleId}] ${finding.message}`);
    }
  }
  const total = summary.errors + summary.warnings + summary.infos + summary.hints;
  if (total === 0) return lines.join('\n');
  const parts = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning'), plural(summary.infos, 'info'), plural(summary.hints, 'hint')].filter((part) => part !== undefined);
  const fixable = summary.fixable > 0 ? `, ${summary.fixable} fixable with --fix` : '';
  lines.push('', `${total} ${total === 1 ? 'problem' : 'problems'} (${parts.join(', ')})${fixable}`);
  return lines.join('\n') + '\n';
}

function plural(count: number, noun: string): string | undefined {
  if (count === 0) return undefined;
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

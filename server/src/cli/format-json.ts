// The machine format: 0-based LSP positions (characters in UTF-16 code units), versioned so
// consumers can rely on its shape. docs/cli.md documents it.
import type { FileReport } from './file-report';
import type { Summary } from './summary';

export const JSON_FORMAT_VERSION = 1;

export function formatJson(reports: readonly FileReport[], summary: Summary, fixedCount: number | undefined): string {
  const files = reports.map((report) => ({
    path: report.path,
    findings: report.findings.map((finding) => ({
      rule: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      range: finding.range,
      fixable: finding.safeFix !== undefined,
    })),
  }));
  const fullSummary = fixedCount === undefined ? summary : { ...summary, fixed: fixedCount };
  return JSON.stringify({ version: JSON_FORMAT_VERSION, files, summary: fullSummary }, null, 2) + '\n';
}

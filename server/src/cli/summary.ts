// Counts over a run's reports, shared by the output formats and the exit code.
import type { FileReport } from './file-report';

export interface Summary {
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly hints: number;
  /** Findings `--fix` would fix. */
  readonly fixable: number;
}

export function summarize(reports: readonly FileReport[]): Summary {
  const counts = { files: reports.length, errors: 0, warnings: 0, infos: 0, hints: 0, fixable: 0 };
  for (const report of reports) {
    for (const finding of report.findings) {
      if (finding.severity === 'error') counts.errors++;
      else if (finding.severity === 'warning') counts.warnings++;
      else if (finding.severity === 'info') counts.infos++;
      else counts.hints++;
      if (finding.safeFix) counts.fixable++;
    }
  }
  return counts;
}

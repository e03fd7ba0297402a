// SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`) and other viewers.
// GitHub needs tool.driver.name, results with ruleId, message.text and a physical location whose
// artifactLocation.uri is relative to the repository root; it shows a rule's help.markdown and
// sorts by level and properties.security-severity. Columns are 1-based UTF-16 code units, which
// is SARIF's default columnKind.
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ALL_RULES } from '../rules';
import type { RuleCategory, Severity } from '../rules/types';
import type { FileReport, LineRange } from './file-report';
import { packageInfo } from './package-info';
import { firstParagraph, ruleDoc } from './rule-docs';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SOURCE_ROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVELS: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** GitHub ranks security alerts by this score (0-10); other categories have none. */
const SECURITY_CATEGORIES = new Set<RuleCategory>(['security', 'secrets', 'hardening']);
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '3.0', hint: '1.0' };

export function formatSarif(reports: readonly FileReport[]): string {
  const info = packageInfo();
  const ruleIndex = new Map(ALL_RULES.map((rule, index) => [rule.id, index]));
  const rules = ALL_RULES.map((rule) => {
    const doc = ruleDoc(rule.id);
    const tags: string[] = [rule.meta.category];
    if (SECURITY_CATEGORIES.has(rule.meta.category)) tags.push('security');
    const properties: Record<string, unknown> = { tags, precision: 'high' };
    if (SECURITY_CATEGORIES.has(rule.meta.category)) properties['security-severity'] = SECURITY_SEVERITY[rule.meta.severity];
    return {
      id: rule.id,
      name: pascalCase(rule.id),
      shortDescription: { text: rule.meta.description },
      fullDescription: { text: (doc && firstParagraph(doc)) ?? rule.meta.description },
      help: doc ? { text: doc, markdown: doc } : { text: `${rule.meta.description}. Run \`nixguard explain ${rule.id}\` for details.` },
      defaultConfiguration: { level: LEVELS[rule.meta.severity] },
      properties,
    };
  });

  const results = [];
  for (const report of reports) {
    const artifactLocation = artifactLocationOf(report.path);
    for (const finding of report.findings) {
      const result: Record<string, unknown> = {
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
        level: LEVELS[finding.severity],
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation, region: regionOf(finding.range) } }],
      };
      if (finding.safeFix) {
        result.fixes = [
          {
            description: { text: finding.safeFix.title },
            artifactChanges: [
              {
                artifactLocation,
                replacements: finding.safeFix.edits.map((edit) => ({ deletedRegion: regionOf(edit.range), insertedContent: { text: edit.newText } })),
              },
            ],
          },
        ];
      }
      results.push(result);
    }
  }

  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: info.name, version: info.version, semanticVersion: info.version, informationUri: info.informationUri, rules } },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(process.cwd()) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function regionOf(range: LineRange): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

/** Relative to the source root when the file is inside the working directory, else an absolute file URI. */
function artifactLocationOf(displayPath: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(displayPath)) return { uri: pathToFileURL(displayPath).href };
  return { uri: displayPath.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function directoryUri(directory: string): string {
  const uri = pathToFileURL(directory).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

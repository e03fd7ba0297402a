// Hover section for the findings under the cursor: the message, then from the rule's
// documentation what is wrong (and what an attacker gains, for security rules) and what the fix
// changes, then the rule id and severity. `nixguard explain <id>` prints the whole document.
//
// Convention for docs/rules/<id>.md (docs/hover-and-completion.md): the first paragraph of
// `## Why` says what is wrong and what it costs, and the first paragraph of `## Fix` what the fix
// changes; both must read well on their own, since hover shows only them.
import type { OffsetRange } from '../rules/types';
import type { HoverRequest, HoverSection } from './hover';

/** Longer paragraphs are cut at a sentence end before this many characters. */
const MAX_PARAGRAPH_LENGTH = 600;

export interface RuleDocSummary {
  /** First paragraph of `## Why`. */
  readonly why?: string;
  /** First paragraph of `## Fix`. */
  readonly fix?: string;
}

/** Whether a hover at `offset` is on `range`; an empty range counts at its position. */
export function rangeContains(range: OffsetRange, offset: number): boolean {
  return range.start <= offset && (offset < range.end || range.start === range.end);
}

/** The first paragraph of section `## title`, its lines joined, or undefined. */
function firstParagraphOf(markdown: string, title: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const heading = lines.findIndex((line) => line.trim() === `## ${title}`);
  if (heading < 0) return undefined;
  const paragraph: string[] = [];
  for (let i = heading + 1; i < lines.length && !lines[i].startsWith('#'); i++) {
    const line = lines[i].trim();
    if (line === '') {
      if (paragraph.length > 0) break;
      continue;
    }
    // A code block or list first is no paragraph to quote.
    if (paragraph.length === 0 && (line.startsWith('```') || line.startsWith('- ') || line.startsWith('* '))) return undefined;
    paragraph.push(line);
  }
  return paragraph.length > 0 ? shorten(paragraph.join(' ')) : undefined;
}

function shorten(paragraph: string): string {
  if (paragraph.length <= MAX_PARAGRAPH_LENGTH) return paragraph;
  const cut = paragraph.lastIndexOf('. ', MAX_PARAGRAPH_LENGTH);
  return cut > 0 ? paragraph.slice(0, cut + 1) : `${paragraph.slice(0, MAX_PARAGRAPH_LENGTH)}…`;
}

export function ruleDocSummary(markdown: string): RuleDocSummary {
  return { why: firstParagraphOf(markdown, 'Why'), fix: firstParagraphOf(markdown, 'Fix') };
}

export function findingsHover(request: HoverRequest): HoverSection[] {
  const { environment } = request;
  const sections: HoverSection[] = [];
  for (const finding of request.findings) {
    if (!rangeContains(finding.range, request.offset)) continue;
    const doc = environment.ruleDoc?.(finding.ruleId);
    const summary = doc === undefined ? {} : ruleDocSummary(doc);
    const parts = [`**${finding.message}**`];
    if (summary.why) parts.push(summary.why);
    if (summary.fix) parts.push(`**Fix:** ${summary.fix}`);
    const link = environment.ruleDocUrl ? ` · [documentation](${environment.ruleDocUrl(finding.ruleId)})` : '';
    parts.push(`nixguard \`${finding.ruleId}\` (${finding.severity}) · \`nixguard explain ${finding.ruleId}\`${link}`);
    sections.push({ markdown: parts.join('\n\n'), range: finding.range });
  }
  return sections;
}

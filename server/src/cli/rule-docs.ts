// The markdown explanation of each rule, for `nixguard explain` and the SARIF `help`. Loading
// lives in lsp/rule-docs.ts, which hover shares (cli/ may use lsp/, not the other way round).
export { ruleDoc } from '../lsp/rule-docs';

/** The first paragraph after the title: the doc's own one-line description, expanded. */
export function firstParagraph(markdown: string): string | undefined {
  const paragraphs = markdown.split(/\r?\n\s*\r?\n/).map((paragraph) => paragraph.trim());
  return paragraphs.find((paragraph) => paragraph !== '' && !paragraph.startsWith('#') && !paragraph.startsWith('```'));
}

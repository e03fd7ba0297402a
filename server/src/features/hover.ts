// textDocument/hover: a markdown answer assembled from small providers, each of which looks at
// the cursor and returns zero or more sections (markdown plus the range it is about). The answer
// joins the sections in provider order, separated by rules, and its range is the smallest
// section range (the most specific: the identifier rather than the whole finding).
//
// Adding a section is one line: write a `HoverProvider` (a pure function of `HoverRequest`;
// analyses come from `request.file`, e.g. a module model for NixOS options) and list it in
// `HOVER_PROVIDERS`. Data that needs IO (rule docs, Nix's own builtin docs, later the user's
// nixpkgs) is read by lsp/ and handed in through `HoverEnvironment`, so providers stay pure and
// testable. See docs/hover-and-completion.md.
import type { AnalyzedFile } from '../analysis/analyzed-file';
import type { Finding, OffsetRange } from '../rules/types';
import { builtinHover } from './hover-builtins';
import { findingsHover } from './hover-findings';
import { systemdHover } from './hover-systemd';
import { variableHover } from './hover-variables';

export interface HoverEnvironment {
  /** The markdown of `docs/rules/<id>.md`, for the findings section. */
  readonly ruleDoc?: (ruleId: string) => string | undefined;
  /** Where the rule's documentation is published. */
  readonly ruleDocUrl?: (ruleId: string) => string;
  /** The user's Nix's own documentation of its builtins (markdown), by name under `builtins`. */
  readonly nixBuiltinDocs?: ReadonlyMap<string, string>;
}

export interface HoverRequest {
  readonly file: AnalyzedFile;
  readonly offset: number;
  /** The file's findings as the user sees them (severity settings applied). */
  readonly findings: readonly Finding[];
  readonly environment: HoverEnvironment;
}

export interface HoverSection {
  readonly markdown: string;
  readonly range: OffsetRange;
}

export type HoverProvider = (request: HoverRequest) => readonly HoverSection[];

/** In the order their sections appear. */
export const HOVER_PROVIDERS: readonly HoverProvider[] = [systemdHover, findingsHover, builtinHover, variableHover];

export interface HoverResult {
  readonly markdown: string;
  readonly range: OffsetRange;
}

const SECTION_SEPARATOR = '\n\n---\n\n';

export function hoverAt(request: HoverRequest, providers: readonly HoverProvider[] = HOVER_PROVIDERS): HoverResult | undefined {
  const sections = providers.flatMap((provider) => provider(request));
  if (sections.length === 0) return undefined;
  let range = sections[0].range;
  for (const section of sections) if (section.range.end - section.range.start < range.end - range.start) range = section.range;
  return { markdown: sections.map((section) => section.markdown).join(SECTION_SEPARATOR), range };
}

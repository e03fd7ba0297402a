// textDocument/documentLink: path literals (`./foo.nix`, `../x`, `/etc/nixos`) and URLs (URI
// literals like `https://x.org`, and URLs inside strings and comments). A path is resolved
// against the document's folder into candidate files, best first: the path itself, then
// `default.nix` inside it (what `import ./dir` reads). Which candidate exists is for the caller
// to find out, since features do no IO. Paths with `${…}` and `~/…` or `<…>` paths, whose
// target depends on the evaluation or the machine, are not links.
import * as path from 'path';
import type { AnalyzedFile } from '../analysis/analyzed-file';
import type { OffsetRange } from '../rules/types';
import { Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';

export type LinkTarget = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'file'; readonly candidates: readonly string[] };

export interface DocumentLink {
  readonly range: OffsetRange;
  readonly target: LinkTarget;
}

/** A URL up to whitespace, quotes or characters that end one in prose; trailing punctuation trimmed below. */
const URL_PATTERN = /\bhttps?:\/\/[^\s"'`<>{}\\]+/g;

/** Schemes an editor can open; `mirror://` and the like are for Nix's fetchers only. */
const LINKABLE_URI = /^(https?|ftp|file):/i;

function trimUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url.charAt(end - 1);
    // A `)` closes a parenthesis of the prose unless the URL opened one itself.
    if ('.,;:!?'.includes(last) || (last === ')' && !url.slice(0, end).includes('('))) end--;
    else if (last === '$' || last === ']') end--;
    else break;
  }
  return url.slice(0, end);
}

function urlsIn(text: string, start: number, end: number, links: DocumentLink[]): void {
  const slice = text.slice(start, end);
  for (const match of slice.matchAll(URL_PATTERN)) {
    const url = trimUrl(match[0]);
    const from = start + (match.index ?? 0);
    if (url.length > 'https://'.length) links.push({ range: { start: from, end: from + url.length }, target: { kind: 'url', url } });
  }
}

/** The plain text of a path literal, or undefined when it has interpolation. */
function plainPath(table: SyntaxTable, node: NodeId): string | undefined {
  for (let child = table.firstChild(node); child !== NO_NODE; child = table.nextSibling(child)) {
    if (table.kind(child) !== Kind.PathFragment) return undefined;
  }
  return table.nodeText(node);
}

/** Files a path literal may mean, best first; `directory` is the folder of the document. */
export function pathCandidates(literal: string, directory: string): string[] {
  const resolved = path.resolve(directory, literal);
  return [resolved, path.join(resolved, 'default.nix')];
}

/** The links in the file; path links only when `directory` (the document's folder) is known. */
export function documentLinks(file: AnalyzedFile, directory: string | undefined): DocumentLink[] {
  const { table, text } = file;
  const links: DocumentLink[] = [];
  const kinds = table.kinds;
  for (let row = 0; row < table.size; row++) {
    const kind = kinds[row];
    if (kind === Kind.PathExpression) {
      const literal = plainPath(table, row);
      if (literal !== undefined && directory !== undefined) {
        links.push({ range: { start: table.start(row), end: table.end(row) }, target: { kind: 'file', candidates: pathCandidates(literal, directory) } });
      }
      row = table.subtreeEnd(row) - 1;
    } else if (kind === Kind.UriExpression) {
      if (LINKABLE_URI.test(table.nodeText(row))) links.push({ range: { start: table.start(row), end: table.end(row) }, target: { kind: 'url', url: table.nodeText(row) } });
    } else if (kind === Kind.StringFragment || kind === Kind.Comment) {
      urlsIn(text, table.start(row), table.end(row), links);
    }
  }
  return links;
}

/** The path literal at `offset` as a link, if there is one (for going to the file it names). */
export function pathLinkAt(file: AnalyzedFile, offset: number, directory: string | undefined): DocumentLink | undefined {
  const table = file.table;
  if (directory === undefined) return undefined;
  for (let node = table.nodeAt(offset); node !== NO_NODE; node = table.parent(node)) {
    if (table.kind(node) !== Kind.PathExpression) continue;
    const literal = plainPath(table, node);
    return literal === undefined ? undefined : { range: { start: table.start(node), end: table.end(node) }, target: { kind: 'file', candidates: pathCandidates(literal, directory) } };
  }
  return undefined;
}

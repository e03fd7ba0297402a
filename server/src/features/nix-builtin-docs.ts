// Reads what the user's Nix says about its builtins (lsp/ runs the command; this file only
// parses its output). Two shapes exist:
// - `nix __dump-builtins` (Nix up to 2.16 or so, e.g. Debian's 2.8): `{ "<name>": { "args":
//   [...], "arity": n, "doc": "<markdown>" }, ... }`, primops only;
// - `nix __dump-language` (later releases): `{ "builtins": { "<name>": { "args", "doc", ... } },
//   "constants": { "<name>": { "type", "doc", ... } } }`.
// Both must be the only argument (`nix __dump-builtins --foo` is an ordinary unknown command).
// Relative manual links (`@docroot@/language/x.md`) are pointed at the online manual.

export const NIX_MANUAL_URL = 'https://nix.dev/manual/nix/stable';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `@docroot@/a/b.md#c` → the online manual's `a/b.html#c`. */
function resolveManualLinks(markdown: string): string {
  return markdown.replace(/@docroot@\/([^)\s#]*?)\.md(#[^)\s]*)?/g, (_match, page: string, anchor: string | undefined) => `${NIX_MANUAL_URL}/${page}.html${anchor ?? ''}`).replace(/@docroot@/g, NIX_MANUAL_URL);
}

function addEntries(entries: Record<string, unknown>, into: Map<string, string>): void {
  for (const [name, entry] of Object.entries(entries)) {
    if (!isRecord(entry) || typeof entry.doc !== 'string' || entry.doc.trim() === '') continue;
    into.set(name, resolveManualLinks(entry.doc.trim()));
  }
}

/**
 * Documentation by builtin name (the name under `builtins`) from either dump, or undefined when
 * the JSON has neither shape.
 */
export function parseNixBuiltinDump(json: unknown): Map<string, string> | undefined {
  if (!isRecord(json)) return undefined;
  const docs = new Map<string, string>();
  // The newer shape nests primops under `builtins`; in the older one `builtins` is never a key
  // (it is a constant, and only primops are listed), and every value has an `args` list.
  const nested = json.builtins;
  if (isRecord(nested) && !Array.isArray(nested.args)) {
    addEntries(nested, docs);
    if (isRecord(json.constants)) addEntries(json.constants, docs);
  } else {
    addEntries(json, docs);
  }
  return docs.size > 0 ? docs : undefined;
}

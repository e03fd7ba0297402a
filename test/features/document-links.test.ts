// Document links: path literals resolved against the document's folder (to candidate files; the
// server keeps the first that exists), and URLs in URI literals, strings and comments.
import * as assert from 'assert';
import { documentLinks } from 'nixguard/out/features/document-links';
import { analyze } from '../helpers/cursor';

/** `linked text → target` per link, targets `url` or the candidate files joined by ` | `. */
function check(text: string, expected: string[], directory: string | null = '/project/sub'): void {
  const links = documentLinks(analyze(text), directory ?? undefined);
  assert.deepStrictEqual(
    links.map(({ range, target }) => `${text.slice(range.start, range.end)} → ${target.kind === 'url' ? target.url : target.candidates.join(' | ')}`),
    expected,
  );
}

describe('document links', () => {
  it('resolves relative and absolute paths, with `default.nix` inside as the second candidate', () => {
    check('[ ./foo.nix ../lib /etc/nixos ]', [
      './foo.nix → /project/sub/foo.nix | /project/sub/foo.nix/default.nix',
      '../lib → /project/lib | /project/lib/default.nix',
      '/etc/nixos → /etc/nixos | /etc/nixos/default.nix',
    ]);
  });

  it('skips paths with interpolation, home and search paths, and all paths of an unsaved document', () => {
    check('[ ./a/${b}.nix ~/x <nixpkgs> ]', []);
    check('import ./foo.nix', [], null);
  });

  it('links URLs in URI literals, strings and comments, without trailing punctuation', () => {
    check('# see https://nixos.org/manual.\n{ a = https://example.com/x; b = "at http://b.org/c?d=1, ok"; m = mirror://gnu/x; }', [
      'https://nixos.org/manual → https://nixos.org/manual',
      'https://example.com/x → https://example.com/x',
      'http://b.org/c?d=1 → http://b.org/c?d=1',
    ]);
  });
});

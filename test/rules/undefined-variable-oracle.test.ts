// Nix's own parser as the oracle for undefined-variable: Nix resolves every variable while
// parsing, so `nix-instantiate --parse` names the undefined ones. For each fixture of the rule,
// the names Nix rejects must be exactly the names nixguard reports, at a position nixguard flags.
// Nix stops at the first undefined variable; the test then defines that name around the file
// (`let name = null; in` on a line above) and asks again, until Nix accepts the file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkText, LineIndex } from 'nixguard';
import { hasNixInstantiate, NIX_MISSING_MESSAGE, nixParse } from '../helpers/nix-parser';
import { RULE_FIXTURES } from '../helpers/paths';

/** Findings that mean "Nix rejects this name": builtin-needs-prefix takes bare `toJSON` and the like. */
const UNDEFINED_RULES = new Set(['undefined-variable', 'builtin-needs-prefix']);

interface NamedPosition {
  readonly name: string;
  /** 1-based, as Nix prints it. */
  readonly line: number;
}

/** Every undefined name Nix reports, each at the first place Nix reports it. */
function nixUndefinedNames(text: string): NamedPosition[] {
  const found: NamedPosition[] = [];
  const prefix: string[] = [];
  for (let round = 0; round < 100; round++) {
    const verdict = nixParse(prefix.map((line) => `${line}\n`).join('') + text);
    if (!verdict.message) return found;
    const match = /undefined variable '([^']+)'[\s\S]*?at «stdin»:(\d+):/.exec(verdict.message);
    if (!match) throw new Error(`Nix rejects the text for another reason:\n${verdict.message}`);
    found.push({ name: match[1], line: Number(match[2]) - prefix.length });
    prefix.push(`let ${match[1]} = null; in`);
  }
  throw new Error('Nix keeps finding undefined names');
}

function ourUndefinedNames(text: string): NamedPosition[] {
  const index = new LineIndex(text);
  return checkText(text)
    .findings.filter((finding) => UNDEFINED_RULES.has(finding.ruleId))
    .map((finding) => {
      const position = index.position(finding.range.start);
      return { name: text.slice(finding.range.start, finding.range.end).replace(/^"(.*)"$/, '$1'), line: position.line + 1 };
    });
}

describe('undefined-variable against Nix', () => {
  const folder = path.join(RULE_FIXTURES, 'undefined-variable');
  const fixtures = fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.endsWith('.nix') && !name.endsWith('.fixed.nix')) : [];
  for (const fixture of fixtures.sort()) {
    it(`reports what Nix reports in ${fixture}`, function () {
      if (!hasNixInstantiate()) {
        console.log(`      skipping: ${NIX_MISSING_MESSAGE}`);
        this.skip();
      }
      this.timeout(60_000);
      const text = fs.readFileSync(path.join(folder, fixture), 'utf8');
      const nix = nixUndefinedNames(text);
      const ours = ourUndefinedNames(text);
      const names = (list: readonly NamedPosition[]): string[] => [...new Set(list.map((p) => p.name))].sort();
      assert.deepStrictEqual(names(ours), names(nix), 'the same names are undefined');
      for (const position of nix) {
        // Nix points at the name, or for `inherit` somewhere before it (the keyword, or the `let`).
        const flagged = ours.some((p) => p.name === position.name && p.line >= position.line);
        assert.ok(flagged, `Nix reports \`${position.name}\` on line ${position.line}, nixguard does not: ${JSON.stringify(ours)}`);
      }
    });
  }
});

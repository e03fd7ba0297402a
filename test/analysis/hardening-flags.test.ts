// Which strings of a derivation's hardening lists are literal flags (analysis/hardening-flags.ts),
// and the nearest-name helper the unknown-flag fix relies on to know when a guess is ambiguous.
import * as assert from 'assert';
import { SourceFile } from 'nixguard';
import { nearestNames } from 'nixguard/out/analysis/closest-name';
import { hardeningBindingFlags, KNOWN_HARDENING_FLAGS } from 'nixguard/out/analysis/hardening-flags';
import { Kind } from 'nixguard/out/syntax/grammar';

/** `list: flag flag …` for every hardening binding in the text. */
function flagsIn(text: string): string[] {
  const table = SourceFile.parse(text).table;
  const found: string[] = [];
  for (let row = 0; row < table.size; row++) {
    if (table.kind(row) !== Kind.Binding) continue;
    const flags = hardeningBindingFlags(table, row);
    if (flags) found.push(`${flags.list}: ${flags.flags.map((literal) => literal.flag).join(' ')}`);
  }
  return found;
}

describe('hardening flags analysis', () => {
  it('reads literal flags through ++, if, optional and optionals', () => {
    const text = `{
      hardeningDisable = [ "format" ] ++ lib.optional isClang "pic" ++ optionals isMusl [ "pie" ]
        ++ (if isDarwin then [ ''relro'' ] else [ "bindnow" ]);
      hardeningEnable = [ "fortify3" ];
    }`;
    assert.deepStrictEqual(flagsIn(text), ['hardeningDisable: format pic pie relro bindnow', 'hardeningEnable: fortify3']);
  });

  it('ignores values only evaluation knows and strings that are not list elements', () => {
    const text = `{
      hardeningDisable = old.hardeningDisable ++ [ "\${flag}" ] ++ map (x: "format") xs ++ lib.optional c [ "pic" ];
      hardeningEnable = "pie";
      other = [ "format" ];
    }`;
    assert.deepStrictEqual(flagsIn(text), ['hardeningDisable: ', 'hardeningEnable: ']);
  });

  it('knows the older `pie` flag and not `all`', () => {
    assert.ok(KNOWN_HARDENING_FLAGS.includes('pie'));
    assert.ok(!KNOWN_HARDENING_FLAGS.includes('all'));
  });

  it('gives every name tied for nearest, so a guess among several is not taken', () => {
    assert.deepStrictEqual(nearestNames('fortity', KNOWN_HARDENING_FLAGS), ['fortify']);
    assert.deepStrictEqual(nearestNames('strictflexarrays', KNOWN_HARDENING_FLAGS), ['strictflexarrays1', 'strictflexarrays3']);
    assert.deepStrictEqual(nearestNames('completely-unrelated', KNOWN_HARDENING_FLAGS), []);
  });
});

// unknown-hardening-flag: a name in `hardeningDisable`/`hardeningEnable` that nixpkgs does not know.
//   hardeningDisable = [ "fortity" ];   →  hardeningDisable = [ "fortify" ];
//   hardeningEnable = [ "all" ];        (no fix: "all" is accepted only in hardeningDisable)
// mkDerivation aborts evaluation on an unknown flag ("unsupported hardening flags"), so this is an
// error. The fix renames to the nearest known flag and is safe only when exactly one flag is
// nearest (or the name differs only in case); ties are offered as separate unsafe fixes.
import { nearestNames } from '../analysis/closest-name';
import { hardeningBindingFlags, KNOWN_HARDENING_FLAGS } from '../analysis/hardening-flags';
import { Kind } from '../syntax/grammar';
import { defineRule } from './types';
import type { Fix } from './types';

export default defineRule({
  id: 'unknown-hardening-flag',
  meta: {
    severity: 'error',
    category: 'hardening',
    description: 'Unknown compiler hardening flag: mkDerivation stops evaluation',
    fixable: true,
    messages: {
      unknown: 'Unknown hardening flag `{{flag}}` stops evaluation{{suggestion}}',
      allInEnable: '`"all"` is accepted only in `hardeningDisable`: `hardeningEnable` stops evaluation',
    },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.Binding](node) {
        const found = hardeningBindingFlags(table, node);
        if (!found) return;
        for (const literal of found.flags) {
          if (KNOWN_HARDENING_FLAGS.includes(literal.flag)) continue;
          if (literal.flag === 'all') {
            if (found.list === 'hardeningEnable') context.report({ node: literal.node, messageId: 'allInEnable' });
            continue;
          }
          const lowerCase = literal.flag.toLowerCase();
          const candidates = KNOWN_HARDENING_FLAGS.includes(lowerCase) ? [lowerCase] : nearestNames(literal.flag, KNOWN_HARDENING_FLAGS);
          // Only the name between the quotes changes, so `''pic''` keeps its quoting.
          const quote = table.kind(literal.node) === Kind.IndentedStringExpression ? 2 : 1;
          const range = { start: table.start(literal.node) + quote, end: table.end(literal.node) - quote };
          const fixes: Fix[] = candidates.map((candidate) => ({
            title: `Replace with \`${candidate}\``,
            edits: [{ range, newText: candidate }],
            safe: candidates.length === 1,
          }));
          const suggestion = candidates.length === 0 ? '' : `: did you mean ${candidates.map((c) => `\`${c}\``).join(' or ')}?`;
          context.report({ node: literal.node, messageId: 'unknown', data: { flag: literal.flag, suggestion }, fixes });
        }
      },
    };
  },
});

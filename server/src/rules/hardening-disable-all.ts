// hardening-disable-all: `hardeningDisable = [ "all" ]` in a derivation.
//   hardeningDisable = [ "all" ];   →  hardeningDisable = [ "format" ];   (the flag that breaks the build)
// "all" turns off every compiler hardening flag nixpkgs adds (stack canaries, fortified libc
// calls, RELRO, PIC, …), usually to silence one failing flag. No automatic fix: only the user can
// tell which flag the build needs off, and removing "all" alone would break the build again.
import { disabledFlagLiterals } from '../analysis/hardening-flags';
import { Kind } from '../syntax/grammar';
import { defineRule } from './types';

export default defineRule({
  id: 'hardening-disable-all',
  meta: {
    severity: 'warning',
    category: 'hardening',
    description: '`hardeningDisable = [ "all" ]` turns off every compiler hardening flag',
    fixable: false,
    messages: { all: '`"all"` in `hardeningDisable` turns off every compiler hardening flag: name the one that fails' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.Binding](node) {
        for (const literal of disabledFlagLiterals(table, node)) {
          if (literal.flag === 'all') context.report({ node: literal.node, messageId: 'all' });
        }
      },
    };
  },
});

// hardening-flag-disabled: each known flag in `hardeningDisable`, with what it protects.
//   hardeningDisable = [ "fortify" ];   (info: the libc buffer checks are gone)
// Disabling one flag is often needed (a kernel module rejects `pic`, old code trips `format`),
// so this is information, not a warning: it says what the build gives up, and the rule's doc
// holds a table of every flag. `nostrictaliasing` is not reported: it guards against aliasing
// bugs, not attackers. `"all"` is `hardening-disable-all`'s, and unknown names are
// `unknown-hardening-flag`'s.
import { disabledFlagLiterals, HARDENING_FLAG_LOSSES, NON_SECURITY_HARDENING_FLAGS } from '../analysis/hardening-flags';
import { Kind } from '../syntax/grammar';
import { defineRule } from './types';

export default defineRule({
  id: 'hardening-flag-disabled',
  meta: {
    severity: 'info',
    category: 'hardening',
    description: 'A compiler hardening flag is disabled for this derivation',
    fixable: false,
    messages: { disabled: 'Disabling `{{flag}}` loses {{loss}}' },
  },
  check(context) {
    const table = context.file.table;
    return {
      [Kind.Binding](node) {
        for (const literal of disabledFlagLiterals(table, node)) {
          const loss = HARDENING_FLAG_LOSSES.get(literal.flag);
          if (loss === undefined || NON_SECURITY_HARDENING_FLAGS.has(literal.flag)) continue;
          context.report({ node: literal.node, messageId: 'disabled', data: { flag: literal.flag, loss } });
        }
      },
    };
  },
});

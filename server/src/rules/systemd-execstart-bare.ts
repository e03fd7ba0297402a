// systemd-execstart-bare: a service command named without a store path.
//   serviceConfig.ExecStart = "python3 app.py";  →  "${pkgs.python3}/bin/python3 app.py"
//   script = "python3 app.py";  (no `path`)      →  path = [ pkgs.python3 ];
// systemd looks a bare ExecStart= name up in its own search path, so the service runs whatever
// the system profile has today; a `script` runs with PATH built from the service's `path`
// (coreutils, findutils, grep, sed and systemd by default), so a bare name outside those fails
// or, worse, resolves differently. Both are fixed by naming the package.
import type { OptionDefinition } from '../analysis/module-model';
import { isStringExpression, severityIn, valueOrElements } from '../analysis/module-model';
import { addSiblingDefinition } from '../analysis/option-edits';
import { visibleNames } from '../analysis/scopes';
import { setsServiceOption, systemdServices } from '../analysis/systemd-services';
import type { SystemdService } from '../analysis/systemd-services';
import { Kind } from '../syntax/grammar';
import { NO_NODE, NodeId, SyntaxTable } from '../syntax/syntax-table';
import { defineRule } from './types';
import type { Fix } from './types';

/** Commands a NixOS service script finds without `path`: shell words and the default packages. */
const SCRIPT_DEFAULTS = new Set(
  (
    // bash keywords and builtins
    '! [[ ]] { } : . alias bg bind break builtin caller case cd command compgen complete compopt continue coproc declare dirs ' +
    'disown do done echo elif else enable esac eval exec exit export false fc fg fi for function getopts hash help history if ' +
    'in jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return select set shift shopt source ' +
    'suspend test then time times trap true type typeset ulimit umask unalias unset until wait while ' +
    // coreutils
    '[ arch b2sum base32 base64 basename basenc cat chcon chgrp chmod chown chroot cksum comm cp csplit cut date dd df dir ' +
    'dircolors dirname du env expand expr factor fmt fold groups head hostid id install join link ln logname ls md5sum mkdir ' +
    'mkfifo mknod mktemp mv nice nl nohup nproc numfmt od paste pathchk pinky pr printenv ptx readlink realpath rm rmdir runcon ' +
    'seq sha1sum sha224sum sha256sum sha384sum sha512sum shred shuf sleep sort split stat stdbuf stty sum sync tac tail tee ' +
    'timeout touch tr truncate tsort tty uname unexpand uniq unlink uptime users vdir wc who whoami yes ' +
    // findutils, grep, sed, systemd
    'find xargs grep egrep fgrep sed systemctl journalctl systemd-run systemd-cat systemd-notify systemd-escape systemd-tmpfiles ' +
    'systemd-creds systemd-ask-password systemd-socket-activate busctl loginctl hostnamectl timedatectl networkctl resolvectl ' +
    'udevadm localectl machinectl coredumpctl systemd-analyze systemd-id128 systemd-path'
  ).split(' '),
);
const PACKAGE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

interface BareCommand {
  readonly command: string;
  /** Offsets of the command word in the file. */
  readonly start: number;
  readonly end: number;
}

/**
 * The first word of a string's literal beginning (up to its first interpolation), with its
 * offsets: for ExecStart= after systemd's `@-:+!` prefixes, for scripts on the first line that
 * is not blank or a comment, after `exec`. Undefined when the string starts with `${…}`.
 */
function firstWord(table: SyntaxTable, stringNode: NodeId, script: boolean): BareCommand | undefined {
  if (!isStringExpression(table, stringNode)) return undefined;
  const first = table.firstChild(stringNode);
  const fragment = first === NO_NODE ? NO_NODE : table.nextSibling(first);
  if (fragment === NO_NODE || table.kind(fragment) !== Kind.StringFragment) return undefined;
  const fragmentText = table.nodeText(fragment);
  const base = table.start(fragment);
  // A word running into `${…}` (or an escape) is not known to be bare; the closing quote is fine.
  const next = table.nextSibling(fragment);
  const openEnded = next !== NO_NODE && table.nextSibling(next) !== NO_NODE;
  const wordAt = (offset: number): BareCommand | undefined => {
    const match = /^[^\s;|&()<>"'`$]+/.exec(fragmentText.slice(offset));
    if (!match || (openEnded && offset + match[0].length === fragmentText.length)) return undefined;
    return { command: match[0], start: base + offset, end: base + offset + match[0].length };
  };
  if (!script) {
    const offset = /^\s*[-@:+!]*/.exec(fragmentText)?.[0].length ?? 0;
    return wordAt(offset);
  }
  let lineStart = 0;
  while (lineStart < fragmentText.length) {
    const lineEnd = fragmentText.indexOf('\n', lineStart) < 0 ? fragmentText.length : fragmentText.indexOf('\n', lineStart);
    const line = fragmentText.slice(lineStart, lineEnd);
    if (line.trim() !== '' && !line.trim().startsWith('#')) {
      let offset = lineStart + (/^\s*/.exec(line)?.[0].length ?? 0);
      let word = wordAt(offset);
      if (word?.command === 'exec') {
        offset = word.end - base + (/^\s*/.exec(fragmentText.slice(word.end - base))?.[0].length ?? 0);
        word = wordAt(offset);
      }
      return word;
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

function isBare(command: string): boolean {
  return !command.includes('/') && !command.includes('=') && !command.startsWith('$');
}

function pkgsInScope(table: SyntaxTable, offset: number): boolean {
  return visibleNames(table, offset).names.has('pkgs');
}

export default defineRule({
  id: 'systemd-execstart-bare',
  meta: {
    severity: 'info',
    category: 'systemd',
    description: 'A systemd service runs a command by bare name instead of a store path',
    fixable: true,
    messages: {
      execStart: '`ExecStart` runs `{{command}}` from the system profile, not a pinned package',
      script: 'The script runs `{{command}}`, which is not on the service `path`',
    },
  },
  check(context) {
    const { table, text } = context.file;
    const reportScript = (service: SystemdService, definition: OptionDefinition): void => {
      if (service.definitions.some((other) => setsServiceOption(service, other, ['path']))) return;
      const word = firstWord(table, definition.value, true);
      if (!word || !isBare(word.command) || SCRIPT_DEFAULTS.has(word.command)) return;
      const fixes: Fix[] = [];
      if (PACKAGE_NAME.test(word.command) && pkgsInScope(table, word.start)) {
        const edit = addSiblingDefinition(text, table, definition, ['path'], `[ pkgs.${word.command} ]`);
        // The package attribute may be named differently from the command (`node` is nodejs).
        if (edit) fixes.push({ title: `Add \`pkgs.${word.command}\` to the service \`path\``, edits: [edit], safe: false });
      }
      context.report({ range: { start: word.start, end: word.end }, messageId: 'script', data: { command: word.command }, severity: severityIn(definition), fixes });
    };
    return {
      file() {
        for (const service of systemdServices(table, context.file.modules)) {
          for (const definition of service.definitions) {
            if (setsServiceOption(service, definition, ['script'])) {
              reportScript(service, definition);
              continue;
            }
            if (!setsServiceOption(service, definition, ['serviceConfig', 'ExecStart'])) continue;
            for (const element of valueOrElements(table, definition.value)) {
              const word = firstWord(table, element, false);
              if (!word || !isBare(word.command)) continue;
              const fixes: Fix[] = [];
              if (PACKAGE_NAME.test(word.command) && pkgsInScope(table, word.start)) {
                const replacement = `\${pkgs.${word.command}}/bin/${word.command}`;
                const edits = [{ range: { start: word.start, end: word.end }, newText: replacement }];
                fixes.push({ title: `Use \`${replacement}\``, edits, safe: false });
              }
              context.report({ range: { start: word.start, end: word.end }, messageId: 'execStart', data: { command: word.command }, severity: severityIn(definition), fixes });
            }
          }
        }
      },
    };
  },
});

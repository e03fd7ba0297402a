// The `nixguard` command: check | rules | explain | lsp. Every failure the user can act on
// becomes one line on stderr and exit status 2; a stack trace is printed only with
// NIXGUARD_DEBUG=1, since it helps us and never the user.
import { writeStderr, writeStdout } from './output';
import { packageInfo } from './package-info';
import { EXIT_CLEAN, EXIT_USAGE, UsageError } from './usage-error';

const HELP = `Usage: nixguard <command> [options]

Commands:
  check [PATH...]   lint Nix files (default: the current folder); see \`nixguard check --help\`
  rules             list every rule (--format json for machines)
  explain RULE      print a rule's documentation
  lsp               run the language server (--stdio, the default; --node-ipc; --socket=PORT)

Options:
  --version         print the version
  -h, --help        show this help

Configuration: .nixguard.json in the project, e.g.
  { "rules": { "bool-comparison": "off" }, "exclude": ["vendor/**"] }
`;

/** Transport arguments that vscode-languageclient passes to a server it launches. */
const LSP_ARGUMENT = /^--(stdio|node-ipc|socket=\d+|pipe=.+|clientProcessId=\d+)$/;

export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      writeStderr(`nixguard: ${error.message}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      writeStderr(`nixguard: internal error: ${message.split('\n')[0]}\n`);
      if (process.env.NIXGUARD_DEBUG && error instanceof Error && error.stack) writeStderr(`${error.stack}\n`);
    }
    return EXIT_USAGE;
  }
}

async function dispatch(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Commands are loaded on use, so `--version` or `lsp` do not load what only `check` needs.
  switch (command) {
    case 'check':
      return (await import('./check-command')).runCheckCommand(rest);
    case 'rules':
      return (await import('./rules-command')).runRulesCommand(rest);
    case 'explain':
      return (await import('./rules-command')).runExplainCommand(rest);
    case 'lsp':
      return startLanguageServer(rest);
    case 'help':
    case '--help':
    case '-h':
      if (rest[0] === 'check') writeStdout((await import('./check-command')).CHECK_HELP);
      else writeStdout(HELP);
      return EXIT_CLEAN;
    case '--version':
    case '-v':
      writeStdout(`${packageInfo().version}\n`);
      return EXIT_CLEAN;
    case undefined:
      writeStderr(HELP);
      return EXIT_USAGE;
    default:
      // Editors may launch the binary with only the transport (`nixguard --stdio`).
      if (LSP_ARGUMENT.test(command)) return startLanguageServer(argv);
      throw new UsageError(`unknown command '${command}' (commands: check, rules, explain, lsp; see \`nixguard --help\`)`);
  }
}

interface LanguageServerModule {
  startServer(): void;
}

/**
 * Hands over to the language server, which owns the process from here on and ends it on
 * `exit`. vscode-languageserver reads the transport from process.argv, so a bare `nixguard lsp`
 * gets `--stdio` added there.
 */
function startLanguageServer(argv: readonly string[]): number {
  const unknown = argv.find((argument) => !LSP_ARGUMENT.test(argument));
  if (unknown !== undefined) throw new UsageError(`unknown option '${unknown}' for \`nixguard lsp\` (use --stdio, --node-ipc or --socket=PORT)`);
  if (!process.argv.some((argument) => /^--(stdio|node-ipc|socket=|pipe=)/.test(argument))) process.argv.push('--stdio');
  let server: LanguageServerModule;
  try {
    // Loaded lazily: `nixguard check` should not pay for the LSP libraries.
    server = require('../lsp/server') as LanguageServerModule;
  } catch (error) {
    const code = error && typeof error === 'object' && 'code' in error ? (error as { code?: unknown }).code : undefined;
    if (code === 'MODULE_NOT_FOUND' && error instanceof Error && error.message.includes('lsp/server')) throw new UsageError('the language server is not part of this build');
    throw error;
  }
  server.startServer();
  return EXIT_CLEAN;
}

// `node server/out/cli/main.js check examples` (what `npm start` runs) works like the bin.
if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

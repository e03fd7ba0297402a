// Nix's own documentation of its builtins, read from the user's `nix` for hover (the text is
// Nix's, LGPL; it is shown, never stored in this repository). Read at most once per server
// process: lazily, on the first hover or completion; asynchronously, so no answer waits for it
// (answers before it arrives show nixguard's one-line descriptions); bounded by a timeout.
// `nix __dump-language` (newer Nix) is tried first, then `nix __dump-builtins` (Nix 2.8 and other
// releases before the rename); each must be the only argument. Without `nix` on PATH, or when both
// fail, the client's log says so once and hover goes on without.
import { execFile } from 'child_process';
import { parseNixBuiltinDump } from '../features/nix-builtin-docs';

export const NIX_DUMP_TIMEOUT_MS = 10_000;
/** `__dump-language` of Nix 2.2x prints about 150 KB. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const DUMP_COMMANDS = ['__dump-language', '__dump-builtins'];

type RunResult = { readonly kind: 'output'; readonly stdout: string } | { readonly kind: 'missing' } | { readonly kind: 'failed'; readonly reason: string };

function run(command: string, argument: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, [argument], { timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ kind: 'output', stdout });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve({ kind: 'missing' });
      const reason = error.killed ? `no answer within ${timeoutMs} ms` : (stderr.trim().split('\n')[0] || error.message);
      resolve({ kind: 'failed', reason });
    });
  });
}

export interface NixBuiltinDocsOptions {
  readonly command?: string;
  readonly timeoutMs?: number;
}

export class NixBuiltinDocs {
  private docs: ReadonlyMap<string, string> | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    /** Told once, when the docs cannot be read or after they were. */
    private readonly log: (message: string) => void,
    private readonly options: NixBuiltinDocsOptions = {},
  ) {}

  /** The docs if already read; starts reading them the first time. Never waits. */
  current(): ReadonlyMap<string, string> | undefined {
    this.start();
    return this.docs;
  }

  /** Starts reading (once); the promise settles when reading ended, whatever the outcome. */
  start(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    const command = this.options.command ?? 'nix';
    const timeoutMs = this.options.timeoutMs ?? NIX_DUMP_TIMEOUT_MS;
    const problems: string[] = [];
    for (const argument of DUMP_COMMANDS) {
      const result = await run(command, argument, timeoutMs);
      if (result.kind === 'missing') {
        this.log(`\`${command}\` is not on PATH: hover shows nixguard's summaries of the builtins instead of Nix's documentation`);
        return;
      }
      if (result.kind === 'failed') {
        problems.push(`\`${command} ${argument}\`: ${result.reason}`);
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(result.stdout);
      } catch {
        problems.push(`\`${command} ${argument}\` printed no JSON`);
        continue;
      }
      const docs = parseNixBuiltinDump(parsed);
      if (docs) {
        this.docs = docs;
        this.log(`read the documentation of ${docs.size} builtins from \`${command} ${argument}\``);
        return;
      }
      problems.push(`\`${command} ${argument}\` printed no builtin documentation`);
    }
    this.log(`cannot read Nix's builtin documentation (${problems.join('; ')}): hover shows nixguard's summaries instead`);
  }
}

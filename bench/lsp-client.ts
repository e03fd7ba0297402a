// A minimal LSP client for the benchmark: spawns the real server over stdio and speaks plain
// JSON-RPC to it. It announces push diagnostics only (no pull capability), so the server must
// answer every didOpen/didChange with a publishDiagnostics carrying the document version.
import { ChildProcess, spawn } from 'child_process';
import { join } from 'path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type {
  DidChangeTextDocumentParams,
  DidOpenTextDocumentParams,
  InitializeParams,
  InitializeResult,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/lib/common/api';
import { REPOSITORY_ROOT } from './corpus';
import { nowMs, peakRssBytes } from './measure';

export const SERVER_ENTRY = join(REPOSITORY_ROOT, 'server', 'bin', 'nixguard');

export interface ReceivedDiagnostics {
  /** nowMs() when the notification was handled. */
  readonly at: number;
  readonly params: PublishDiagnosticsParams;
}

interface Waiter {
  readonly version: number;
  readonly resolve: (received: ReceivedDiagnostics) => void;
}

export class ServerUnavailableError extends Error {}

export function fileUri(name: string): string {
  return `file:///bench/${name}`;
}

export class BenchClient {
  /** Set when a publishDiagnostics arrived without `version`: matching then falls back to order. */
  sawUnversionedDiagnostics = false;
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly latest = new Map<string, ReceivedDiagnostics>();
  private stderr = '';
  private exited = false;
  /** Rejects once the server process is gone, so waits fail fast instead of timing out. */
  private readonly exit: Promise<never>;

  private constructor(
    readonly process: ChildProcess,
    private readonly connection: MessageConnection,
  ) {
    process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    this.exit = new Promise<never>((_resolve, reject) => {
      process.on('exit', (code, signal) => {
        this.exited = true;
        reject(new Error(`the server exited (${signal ?? `code ${code}`})`));
      });
      process.on('error', (error) => reject(error));
    });
    this.exit.catch(() => undefined);
    process.stdin?.on('error', () => undefined);
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => this.received(params));
    // Requests a server may send; the benchmark has no settings and no UI.
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('window/logMessage', () => undefined);
    connection.onError(() => undefined);
    connection.listen();
  }

  /**
   * Spawns `nixguard lsp --stdio` (node runs the bin directly, so the pid is the server's);
   * `nodeArguments` go to node, e.g. `--cpu-prof`.
   */
  static spawn(nodeArguments: readonly string[] = []): BenchClient {
    const child = spawn(process.execPath, [...nodeArguments, SERVER_ENTRY, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    return new BenchClient(child, connection);
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  peakRssBytes(): number | undefined {
    return peakRssBytes(this.pid);
  }

  async initialize(timeoutMs = 30_000): Promise<InitializeResult> {
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: false, willSave: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        },
      },
    };
    const result = await this.withTimeout(this.connection.sendRequest<InitializeResult>('initialize', params), timeoutMs, 'initialize');
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, version: number): Promise<void> {
    const params: DidOpenTextDocumentParams = { textDocument: { uri, languageId: 'nix', version, text } };
    return this.connection.sendNotification('textDocument/didOpen', params);
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const params: DidChangeTextDocumentParams = { textDocument: { uri, version }, contentChanges: changes };
    return this.connection.sendNotification('textDocument/didChange', params);
  }

  /**
   * Resolves with the first publishDiagnostics for `uri` at `version` or later (or, from a server
   * that omits versions, the next one for `uri`).
   */
  diagnostics(uri: string, version: number, timeoutMs: number): Promise<ReceivedDiagnostics> {
    const latest = this.latest.get(uri);
    if (latest && latest.params.version !== undefined && latest.params.version >= version) return Promise.resolve(latest);
    const pending = new Promise<ReceivedDiagnostics>((resolve) => {
      const list = this.waiters.get(uri) ?? [];
      list.push({ version, resolve });
      this.waiters.set(uri, list);
    });
    return this.withTimeout(pending, timeoutMs, `publishDiagnostics for ${uri} version ${version}`);
  }

  /** shutdown + exit, then a kill if the server lingers. */
  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await this.withTimeout(this.connection.sendRequest('shutdown'), 5_000, 'shutdown');
        await this.connection.sendNotification('exit');
      } catch {
        // Killed below.
      }
    }
    const exited = new Promise<void>((resolve) => (this.exited ? resolve() : this.process.once('exit', () => resolve())));
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }

  private received(params: PublishDiagnosticsParams): void {
    const received: ReceivedDiagnostics = { at: nowMs(), params };
    if (params.version === undefined) this.sawUnversionedDiagnostics = true;
    this.latest.set(params.uri, received);
    const list = this.waiters.get(params.uri);
    if (!list) return;
    const remaining = list.filter((waiter) => {
      if (params.version !== undefined && params.version < waiter.version) return true;
      waiter.resolve(received);
      return false;
    });
    if (remaining.length > 0) this.waiters.set(params.uri, remaining);
    else this.waiters.delete(params.uri);
  }

  private withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    const fail = (reason: string): ServerUnavailableError => {
      // Node prints a crash as location, source line, caret, then the error: quote the error.
      const lines = this.stderr.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
      const stderr = lines.find((line) => /error/i.test(line)) ?? lines.slice(-3).join(' | ');
      return new ServerUnavailableError(`${what}: ${reason}${stderr ? `; stderr: ${stderr}` : ''}`);
    };
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(fail(`no answer within ${timeoutMs} ms`)), timeoutMs);
      Promise.race([promise, this.exit]).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          // Let the last lines of stderr arrive before quoting them.
          setTimeout(() => reject(fail(error instanceof Error ? error.message : String(error))), 50);
        },
      );
    });
  }
}

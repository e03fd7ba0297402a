// A small LSP client for tests: spawns the real server (`node server/bin/nixguard lsp --stdio`),
// talks JSON-RPC to it with vscode-jsonrpc, records what the server sends, and always kills the
// child. Every wait is bounded so that a misbehaving server fails a test instead of hanging it.
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
// Types only, by deep path: the package's `exports` map needs moduleResolution node16, and
// these imports vanish at runtime.
import type {
  ClientCapabilities,
  Diagnostic,
  InitializeResult,
  LogMessageParams,
  Position,
  PublishDiagnosticsParams,
  ShowMessageParams,
  TextDocumentContentChangeEvent,
  TextEdit,
} from 'vscode-languageserver-protocol/lib/common/api';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER_BIN = path.join(REPO_ROOT, 'server', 'bin', 'nixguard');
export const DEFAULT_TIMEOUT_MS = 10_000;

/** What a VS Code-like client declares, minus pull diagnostics (so the server pushes). */
export const PUSH_CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: false, workspaceEdit: { documentChanges: true } },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
  },
};

export const PULL_CLIENT_CAPABILITIES: ClientCapabilities = {
  ...PUSH_CLIENT_CAPABILITIES,
  textDocument: { ...PUSH_CLIENT_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
};

export interface ClientOptions {
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: unknown;
  /** Answers `workspace/configuration` items (the server asks for section `nixguard`). */
  readonly configuration?: (section: string | undefined, scopeUri: string | undefined) => unknown;
  readonly args?: readonly string[];
  /** The server's entry script (default: server/bin/nixguard) and the folder to start it in (default: the repository). */
  readonly serverEntry?: string;
  readonly cwd?: string;
  /** The server's environment (default: the test's). */
  readonly env?: NodeJS.ProcessEnv;
}

export class TestClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  /** Every publishDiagnostics notification, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly shownMessages: ShowMessageParams[] = [];
  stderr = '';
  /** How many times the server asked to re-pull diagnostics. */
  diagnosticRefreshes = 0;
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private listeners: (() => void)[] = [];
  configuration: ClientOptions['configuration'];

  constructor(readonly options: ClientOptions = {}) {
    this.configuration = options.configuration;
    this.child = spawn(process.execPath, [options.serverEntry ?? SERVER_BIN, 'lsp', ...(options.args ?? ['--stdio'])], { cwd: options.cwd ?? REPO_ROOT, stdio: 'pipe', env: options.env ?? process.env });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    // Writes after the server exited fail with EPIPE; the tests look at the exit code instead.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        this.exitCode = code;
        this.notify();
        resolve(code);
      });
    });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onError(() => undefined);
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      this.notify();
    });
    this.connection.onNotification('window/logMessage', (params: LogMessageParams) => {
      this.logs.push(params);
      this.notify();
    });
    this.connection.onNotification('window/showMessage', (params: ShowMessageParams) => {
      this.shownMessages.push(params);
      this.notify();
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) =>
      params.items.map((item) => (this.configuration ? this.configuration(item.section, item.scopeUri) : null)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.diagnosticRefreshes++;
      this.notify();
      return null;
    });
    this.connection.listen();
  }

  static async start(options: ClientOptions = {}): Promise<{ client: TestClient; initializeResult: InitializeResult }> {
    const client = new TestClient(options);
    try {
      const initializeResult = await client.initialize();
      return { client, initializeResult };
    } catch (error) {
      client.kill();
      throw error;
    }
  }

  async initialize(): Promise<InitializeResult> {
    const result = await this.request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: this.options.capabilities ?? PUSH_CLIENT_CAPABILITIES,
      initializationOptions: this.options.initializationOptions,
    });
    this.notifyServer('initialized', {});
    return result;
  }

  request<R>(method: string, params: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<R> {
    return withTimeout(this.connection.sendRequest<R>(method, params), timeoutMs, `request ${method}`);
  }

  notifyServer(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params).catch(() => undefined);
  }

  open(uri: string, text: string, version = 1): void {
    this.notifyServer('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): void {
    this.notifyServer('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): void {
    this.notifyServer('textDocument/didClose', { textDocument: { uri } });
  }

  /** Resolves with the first publication for `uri` (after the `after`-th one) that `accept`s. */
  async waitForDiagnostics(
    uri: string,
    options: { accept?: (params: PublishDiagnosticsParams) => boolean; after?: number; timeoutMs?: number } = {},
  ): Promise<PublishDiagnosticsParams> {
    const accept = options.accept ?? (() => true);
    const found = await this.waitFor(() => this.published.slice(options.after ?? 0).find((p) => p.uri === uri && accept(p)), options.timeoutMs, `diagnostics for ${uri}`);
    return found;
  }

  /** Diagnostics of `uri` at `version`. */
  async diagnosticsAt(uri: string, version: number, timeoutMs?: number): Promise<Diagnostic[]> {
    return (await this.waitForDiagnostics(uri, { accept: (p) => p.version === version, timeoutMs })).diagnostics;
  }

  publishedFor(uri: string): PublishDiagnosticsParams[] {
    return this.published.filter((p) => p.uri === uri);
  }

  /** Polls `condition` on every message and at least every 50 ms, until it returns a value. */
  waitFor<T>(condition: () => T | undefined | false, timeoutMs = DEFAULT_TIMEOUT_MS, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = condition();
        if (value === undefined || value === false) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const interval = setInterval(check, 50);
      const listener = (): void => void check();
      const cleanup = (): void => {
        clearTimeout(timer);
        clearInterval(interval);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
      check();
    });
  }

  /** Writes raw bytes to the server's stdin (for malformed-input tests). */
  writeRaw(data: string | Buffer): void {
    this.child.stdin.write(data);
  }

  /** `shutdown` then `exit`; resolves with the exit code. */
  async shutdownAndExit(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number | null> {
    await this.request('shutdown', null, timeoutMs);
    this.notifyServer('exit', null);
    return this.waitForExit(timeoutMs);
  }

  waitForExit(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number | null> {
    return withTimeout(this.exited, timeoutMs, 'server exit');
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Always safe to call: ends the connection and kills the child if it is still running. */
  kill(): void {
    this.connection.dispose();
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Offset of an LSP position (UTF-16 characters) in `text`; the test's own, independent of the server's. */
export function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + position.character;
}

/** Applies LSP text edits (non-overlapping, as a workspace edit's are) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const byOffset = edits
    .map((edit) => ({ start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of byOffset) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

let nextDocument = 0;

/** A fresh `file:` URI in a folder without `.nixguard.json` above it (the repository has none). */
export function documentUri(name = 'test.nix'): string {
  return pathToFileURL(path.join(REPO_ROOT, 'test', 'lsp', `virtual-${nextDocument++}-${name}`)).toString();
}

// Starts and stops the nixguard language server through vscode-languageclient. By default it
// runs the server bundled in the extension (dist/server, with its native parser next to it) on
// the Node runtime of the extension host; `nixguard.server.path` names an external `nixguard`
// instead. Settings reach the server by `workspace/configuration` (section `nixguard`, answered
// by the client library) and, for the first moments, by `initializationOptions`.
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';

/** The client id: also the prefix of the `nixguard.trace.server` setting, which the client library reads. */
const CLIENT_ID = 'nixguard';
const SETTINGS_SECTION = 'nixguard';
/** The bundled server, laid out like the server package (client/scripts/build.js). */
const BUNDLED_SERVER = path.join('dist', 'server', 'out', 'cli', 'main.js');

export type ServerState = 'starting' | 'running' | 'stopped' | 'error';

export type StateListener = (state: ServerState, detail?: string) => void;

export class ServerProcess {
  private client: LanguageClient | undefined;
  /** Set while we stop the client ourselves, so that the stop is not reported as a failure. */
  private stopping = false;
  /** Serializes start, stop and restart. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly onState: StateListener,
  ) {}

  start(): Promise<void> {
    return this.enqueue(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task, task);
    return this.queue;
  }

  private async startNow(): Promise<void> {
    const launch = serverLaunch(this.context);
    const client = new LanguageClient(CLIENT_ID, 'nixguard', launch.options, clientOptions(this.output));
    this.client = client;
    client.onDidChangeState(({ newState }) => {
      if (this.client !== client) return;
      if (newState === State.Starting) this.onState('starting', launch.description);
      else if (newState === State.Running) this.onState('running', launch.description);
      // A stop we did not ask for is a crash: the client library restarts the server a few
      // times (Starting follows) before it gives up and the error stays.
      else this.onState(this.stopping ? 'stopped' : 'error', this.stopping ? undefined : `the server stopped unexpectedly (${launch.description}); see the output`);
    });
    this.onState('starting', launch.description);
    this.output.appendLine(`Starting the nixguard language server: ${launch.description}`);
    try {
      await client.start();
    } catch (error) {
      // The client library has already shown a notification and logged the cause to the output.
      const message = error instanceof Error ? error.message : String(error);
      this.onState('error', `the server did not start (${launch.description}): ${message}`);
    }
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.stopping = true;
    try {
      // dispose() also stops a running server (2 s for `shutdown`, then the process is killed).
      await client.dispose(2000);
    } catch (error) {
      this.output.appendLine(`Stopping the language server failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.stopping = false;
      if (this.client === client) this.client = undefined;
      this.onState('stopped');
    }
  }
}

interface ServerLaunch {
  readonly options: ServerOptions;
  /** For the status tooltip and the output: which server runs. */
  readonly description: string;
}

function serverLaunch(context: vscode.ExtensionContext): ServerLaunch {
  const configured = configuredServerPath();
  if (configured !== undefined) {
    // A JavaScript entry (e.g. a checkout's server/out/cli/main.js) runs on the extension host's Node.
    if (configured.endsWith('.js')) return { options: { module: configured, args: ['lsp'], transport: TransportKind.stdio }, description: `node ${configured}` };
    return { options: { command: configured, args: ['lsp'], transport: TransportKind.stdio }, description: configured };
  }
  const module = context.asAbsolutePath(BUNDLED_SERVER);
  return {
    options: {
      run: { module, args: ['lsp'], transport: TransportKind.stdio },
      debug: { module, args: ['lsp'], transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    },
    description: 'the bundled server',
  };
}

/**
 * `nixguard.server.path`, with `~` expanded. The setting has `machine` scope, so VS Code reads it
 * from user settings only: a workspace (trusted or not) cannot choose a program to run.
 */
function configuredServerPath(): string | undefined {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('server.path', '').trim();
  if (value === '') return undefined;
  if (value === '~' || value.startsWith('~/')) return path.join(os.homedir(), value.slice(1));
  return value;
}

function clientOptions(output: vscode.OutputChannel): LanguageClientOptions {
  const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    documentSelector: [{ language: 'nix' }],
    outputChannel: output,
    traceOutputChannel: output,
    // Plain JSON: the server validates it and uses it until it pulls `workspace/configuration`.
    initializationOptions: {
      [SETTINGS_SECTION]: { rules: settings.get<unknown>('rules', {}), nixpkgs: { path: settings.get<string>('nixpkgs.path', '') } },
    },
  };
}

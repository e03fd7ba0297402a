// A real VS Code for the end-to-end test: code-server 4.100.3 (VS Code 1.100.3 served to a
// browser), installed by scripts/e2e/install-code-server.sh into a cache folder, plus Debian's
// Chromium. Everything the editor writes (settings, extensions, logs, its $HOME) goes into one
// scratch folder that the caller removes.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Same default as scripts/e2e/install-code-server.sh. */
function cacheRoot(): string {
  if (process.env.NIXGUARD_E2E_CACHE) return process.env.NIXGUARD_E2E_CACHE;
  const xdgCache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdgCache, 'nixguard-e2e');
}

/** The code-server launcher, or why it cannot be used (for the skip message). */
export function findCodeServer(): { launcher: string } | { missing: string } {
  const installDirectory = path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const launcher = path.join(installDirectory, 'node_modules', '.bin', 'code-server');
  // The install script writes the marker last, so a half-finished install counts as missing.
  if (!fs.existsSync(path.join(installDirectory, '.install-complete')) || !fs.existsSync(launcher)) {
    return { missing: `code-server ${CODE_SERVER_VERSION} is not installed in ${installDirectory} (run scripts/e2e/install-code-server.sh; .ci/run does)` };
  }
  return { launcher };
}

/** Debian's Chromium (playwright-core never downloads a browser here). */
export function findChromium(): { executable: string } | { missing: string } {
  const executable = process.env.NIXGUARD_E2E_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executable)) return { missing: `Chromium is not installed at ${executable} (Debian package chromium; .ci/run installs it)` };
  return { executable };
}

/** Folders for one run; `remove()` deletes all of them. */
export interface Scratch {
  readonly root: string;
  readonly home: string;
  readonly userData: string;
  readonly extensions: string;
  readonly workspace: string;
  remove(): void;
}

export function createScratch(fixtureWorkspace: string): Scratch {
  // realpath: VS Code reports files by their resolved path, and /tmp may be a link.
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixguard-vscode-')));
  const scratch: Scratch = {
    root,
    home: path.join(root, 'home'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  for (const folder of [scratch.home, scratch.userData, scratch.extensions]) fs.mkdirSync(folder, { recursive: true });
  // A copy, because the test applies a quick fix and saves.
  fs.cpSync(fixtureWorkspace, scratch.workspace, { recursive: true });
  return scratch;
}

/** Keeps the editor quiet and predictable: no welcome page, tips, update checks or autosave. */
export function writeUserSettings(scratch: Scratch, settings: Record<string, unknown>): void {
  const userFolder = path.join(scratch.userData, 'User');
  fs.mkdirSync(userFolder, { recursive: true });
  fs.writeFileSync(path.join(userFolder, 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * code-server and Chromium must not read or write the user's own ~/.config, ~/.local or ~/.cache
 * (Chromium keeps its crash reports in ~/.config/chromium otherwise).
 */
export function scratchEnvironment(scratch: Scratch): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: scratch.home,
    XDG_CONFIG_HOME: path.join(scratch.home, '.config'),
    XDG_DATA_HOME: path.join(scratch.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(scratch.home, '.cache'),
  };
}

function commonArguments(scratch: Scratch): string[] {
  return [
    '--config', path.join(scratch.root, 'config.yaml'),
    '--user-data-dir', scratch.userData,
    '--extensions-dir', scratch.extensions,
  ];
}

export function installExtension(launcher: string, scratch: Scratch, vsix: string): void {
  const result = spawnSync(launcher, [...commonArguments(scratch), '--install-extension', vsix, '--force'], {
    env: scratchEnvironment(scratch),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (status ${result.status}, ${result.error?.message ?? 'no spawn error'}):\n${output}`);
  }
}

/** A port that was free a moment ago; code-server fails loudly if someone takes it first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

export interface RunningCodeServer {
  readonly url: string;
  /** Everything code-server printed so far (for failure messages and the artifact log). */
  output(): string;
  /** Kills code-server and every process it started (extension host, nixguard server). */
  stop(): Promise<void>;
}

export async function startCodeServer(launcher: string, scratch: Scratch, timeoutMs: number): Promise<RunningCodeServer> {
  const port = await freePort();
  const child = spawn(
    launcher,
    [
      ...commonArguments(scratch),
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      scratch.workspace,
    ],
    // Its own process group, so stop() reaches the extension host and the language server too.
    { env: scratchEnvironment(scratch), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const running: RunningCodeServer = {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(scratch.workspace)}`,
    output: () => output,
    stop: () => stopProcessGroup(child),
  };
  try {
    await waitFor(() => /HTTP server listening on/.test(output), timeoutMs, () => `code-server did not start listening within ${timeoutMs} ms:\n${output}`, () => {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    });
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  const groupAlive = (): boolean => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  signalGroup('SIGTERM');
  try {
    await waitFor(() => !groupAlive(), 5_000, () => 'code-server ignored SIGTERM');
  } catch {
    signalGroup('SIGKILL');
  }
}

/** Polls `condition` every 100 ms; `check` may throw to stop early (e.g. the process died). */
export async function waitFor(condition: () => boolean, timeoutMs: number, describe: () => string, check?: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    check?.();
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

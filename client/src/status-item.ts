// The status bar item: the server's state and, for the active Nix file, how many nixguard
// findings it has (counted from VS Code's own diagnostics, so it always matches the Problems
// panel). Shown while a Nix file is active, and always when the server failed. A click opens the
// output.
import * as vscode from 'vscode';
import type { ServerState } from './server-process';

/** The `source` of every diagnostic the server publishes (server/src/lsp/convert.ts). */
const DIAGNOSTIC_SOURCE = 'nixguard';

const ICONS: Record<ServerState, string> = {
  starting: '$(sync~spin)',
  running: '$(shield)',
  stopped: '$(circle-slash)',
  error: '$(error)',
};

export function nixguardFindingCount(uri: vscode.Uri): number {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE).length;
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nixguard.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  private state: ServerState = 'stopped';
  private detail: string | undefined;

  constructor() {
    this.item.name = 'nixguard';
    this.item.command = 'nixguard.showOutput';
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active !== undefined && event.uris.some((uri) => uri.toString() === active)) this.render();
      }),
    ];
    this.render();
  }

  setState(state: ServerState, detail?: string): void {
    this.state = state;
    this.detail = detail;
    this.render();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private render(): void {
    const document = vscode.window.activeTextEditor?.document;
    const nixDocument = document?.languageId === 'nix' ? document : undefined;
    const count = nixDocument && this.state === 'running' ? nixguardFindingCount(nixDocument.uri) : undefined;
    this.item.text = `${ICONS[this.state]} nixguard${count === undefined ? '' : `: ${count}`}`;
    const lines = [`nixguard language server: ${this.state}${this.detail ? ` (${this.detail})` : ''}`];
    if (nixDocument && count !== undefined) {
      const name = vscode.workspace.asRelativePath(nixDocument.uri);
      lines.push(count === 0 ? `No nixguard findings in ${name}` : `${count} nixguard finding${count === 1 ? '' : 's'} in ${name}`);
    }
    lines.push('Click to show the output');
    this.item.tooltip = lines.join('\n');
    this.item.accessibilityInformation = { label: lines.slice(0, -1).join('. ') };
    this.item.backgroundColor = this.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (nixDocument || this.state === 'error') this.item.show();
    else this.item.hide();
  }
}

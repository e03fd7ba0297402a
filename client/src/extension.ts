// The VS Code side of nixguard. Everything about Nix happens in the language server process;
// the extension host only starts it (server-process.ts), forwards three commands and shows the
// server's state with the active file's finding count (status-item.ts).
import * as vscode from 'vscode';
import { ServerProcess } from './server-process';
import { StatusItem } from './status-item';

/** The kind of the server's fix-all action (server/src/lsp/capabilities.ts: `FIX_ALL_KIND`). */
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('nixguard');

let server: ServerProcess | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('nixguard');
  const status = new StatusItem();
  server = new ServerProcess(context, output, (state, detail) => status.setState(state, detail));
  const running = server;
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('nixguard.restartServer', () => running.restart()),
    vscode.commands.registerCommand('nixguard.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('nixguard.fixAll', () => fixAllInActiveEditor()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Rule settings reach the running server through `workspace/configuration`; a different
      // server binary needs a new process.
      if (event.affectsConfiguration('nixguard.server.path')) void running.restart();
    }),
  );
  await server.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

/** Applies the server's `source.fixAll.nixguard` action to the active Nix document. */
async function fixAllInActiveEditor(): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== 'nix') {
    void vscode.window.showInformationMessage('nixguard: open a Nix file to fix its problems');
    return;
  }
  const wholeDocument = new vscode.Range(0, 0, document.lineCount, 0);
  // The last argument asks VS Code to resolve the first action's edit (the server computes it lazily).
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
    'vscode.executeCodeActionProvider',
    document.uri,
    wholeDocument,
    FIX_ALL_KIND.value,
    1,
  );
  const fixAll = actions?.find((action) => action.kind !== undefined && FIX_ALL_KIND.contains(action.kind));
  if (!fixAll?.edit) {
    void vscode.window.showInformationMessage(`nixguard: nothing in ${vscode.workspace.asRelativePath(document.uri)} can be fixed safely`);
    return;
  }
  if (!(await vscode.workspace.applyEdit(fixAll.edit))) void vscode.window.showWarningMessage('nixguard: the fixes could not be applied (the file changed meanwhile?)');
}

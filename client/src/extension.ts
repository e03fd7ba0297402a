// Placeholder until the editors issue: starts the bundled server over stdio for `nix` documents.
import * as path from 'path';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('server', 'bin', 'nixguard'));
  client = new LanguageClient(
    'nixguard',
    'nixguard',
    {
      run: { module: serverModule, args: ['lsp'], transport: TransportKind.stdio },
      debug: { module: serverModule, args: ['lsp'], transport: TransportKind.stdio },
    },
    { documentSelector: [{ language: 'nix' }] },
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

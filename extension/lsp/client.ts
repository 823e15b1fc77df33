// Starts and stops the assembly language server (extension/lsp/server/) for .S/.s files. The
// server is a separate Node process speaking LSP over node IPC; this is the only part that knows
// VS Code. C files are included so "Go to Definition" on an assembly entry point named in C works.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';

/** The language id package.json contributes for AT&T assembly. */
export const ASM_LANGUAGE = 'asm';

let client: LanguageClient | undefined;

/** Starts the client (and with it the server); stopping is registered on `context.subscriptions`. */
export function startAsmLanguageClient(context: vscode.ExtensionContext): void {
  if (client) return;
  const module = context.asAbsolutePath(join('out', 'extension', 'lsp', 'server', 'main.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: ASM_LANGUAGE },
      { scheme: 'untitled', language: ASM_LANGUAGE },
      { scheme: 'file', language: 'c' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{S,s,h,inc,c}') },
    outputChannelName: 'Ringside Assembly',
  };
  const c = new LanguageClient('ringside.asm', 'Ringside Assembly', serverOptions, clientOptions);
  client = c;
  context.subscriptions.push({ dispose: () => void stopAsmLanguageClient() });
  c.start().catch((e: unknown) => {
    void vscode.window.showErrorMessage(`Ringside: the assembly language server did not start: ${e instanceof Error ? e.message : String(e)}`);
  });
}

/** Stops the server; resolves when it has exited. Safe to call when it is not running. */
export async function stopAsmLanguageClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c?.isRunning()) await c.stop();
}

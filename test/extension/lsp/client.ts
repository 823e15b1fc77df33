// A minimal LSP client for the tests: spawns the built server (out/extension/lsp/server/main.js,
// what the packaged extension runs) with --stdio and speaks JSON-RPC to it. No mocks: the real
// server process, the real protocol.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type {
  Diagnostic, DocumentDiagnosticReport, DocumentSymbol, Hover, InitializeResult, Location, MarkupContent, SymbolInformation,
} from 'vscode-languageserver';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
export const SERVER = resolve(ROOT, 'out', 'extension', 'lsp', 'server', 'main.js');

export const uriOf = (path: string): string => pathToFileURL(path).href;

export class LspClient {
  private versions = new Map<string, number>();
  /** Milliseconds from spawn to the initialize response. */
  startMs = 0;
  stderr = '';

  private constructor(readonly proc: ChildProcess, readonly rpc: MessageConnection) {}

  /** Starts the server with `folders` as the workspace; `pull`: declare pull-diagnostics support. */
  static async start(folders: readonly string[], pull = true): Promise<LspClient> {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npx tsc -p tsconfig.json (npm test builds it)`);
    const t0 = performance.now();
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const rpc = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, rpc);
    proc.stderr!.on('data', (d: Buffer) => (client.stderr += d.toString()));
    rpc.onNotification('window/logMessage', (m: { message: string }) => {
      client.stderr += m.message + '\n';
    });
    rpc.onRequest('workspace/diagnostic/refresh', () => null);
    rpc.listen();
    const init = (await rpc.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders[0] ? uriOf(folders[0]) : null,
      workspaceFolders: folders.map((f) => ({ uri: uriOf(f), name: f })),
      capabilities: {
        textDocument: {
          hover: { contentFormat: ['markdown'] },
          ...(pull ? { diagnostic: { dynamicRegistration: false } } : { publishDiagnostics: {} }),
        },
        workspace: { workspaceFolders: true },
      },
    })) as InitializeResult;
    client.startMs = performance.now() - t0;
    client.capabilities = init.capabilities;
    await rpc.sendNotification('initialized', {});
    return client;
  }

  capabilities: InitializeResult['capabilities'] = {};

  async open(uri: string, text: string, languageId = 'asm'): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    if (version === 1) await this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    else await this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const r = (await this.rpc.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport;
    if (r.kind !== 'full') throw new Error('expected a full diagnostic report');
    return r.items;
  }

  /** Waits for the next pushed diagnostics of `uri` (for a client without pull support). */
  pushedDiagnostics(uri: string): Promise<Diagnostic[]> {
    return new Promise((res) => {
      const d = this.rpc.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
        if (p.uri !== uri) return;
        d.dispose();
        res(p.diagnostics);
      });
    });
  }

  async hover(uri: string, line: number, character: number): Promise<string | undefined> {
    const h = (await this.rpc.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as Hover | null;
    return h ? (h.contents as MarkupContent).value : undefined;
  }

  async definition(uri: string, line: number, character: number): Promise<Location[]> {
    const r = (await this.rpc.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line, character } })) as Location | Location[] | null;
    return r === null ? [] : Array.isArray(r) ? r : [r];
  }

  async references(uri: string, line: number, character: number, includeDeclaration = true): Promise<Location[]> {
    return ((await this.rpc.sendRequest('textDocument/references', {
      textDocument: { uri }, position: { line, character }, context: { includeDeclaration },
    })) as Location[] | null) ?? [];
  }

  async documentSymbols(uri: string): Promise<DocumentSymbol[]> {
    return ((await this.rpc.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[] | null) ?? [];
  }

  async workspaceSymbols(query: string): Promise<SymbolInformation[]> {
    return ((await this.rpc.sendRequest('workspace/symbol', { query })) as SymbolInformation[] | null) ?? [];
  }

  async stop(): Promise<void> {
    try {
      await this.rpc.sendRequest('shutdown');
      await this.rpc.sendNotification('exit');
    } finally {
      this.rpc.dispose();
      if (this.proc.exitCode === null) this.proc.kill();
    }
  }
}

// Entry point of the assembly language server process. The extension's client starts it with
// --node-ipc; tests and other editors can use --stdio (or --socket=N / --pipe=NAME).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

const TRANSPORTS = ['--node-ipc', '--stdio', '--socket=', '--pipe='];

if (!process.argv.some((a) => TRANSPORTS.some((t) => a.startsWith(t)))) {
  process.stderr.write('ringside-asm language server: give a transport: --stdio, --node-ipc, --socket=PORT or --pipe=NAME\n');
  process.exit(2);
}
startServer(createConnection(ProposedFeatures.all));

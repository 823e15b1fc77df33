// The adapter as a process: DAP over stdio (VS Code's "executable" adapter), or a TCP server with
// --server=PORT bound to 127.0.0.1 only, for other DAP clients.
import { createServer } from 'node:net';
import { RingsideSession } from './session.js';

const serverArg = process.argv.find((a) => a.startsWith('--server='));
if (serverArg) {
  const port = Number(serverArg.slice('--server='.length));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`ringside adapter: bad port in ${serverArg}`);
    process.exit(1);
  }
  const server = createServer((socket) => {
    const session = new RingsideSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  server.listen(port, '127.0.0.1', () => {
    const addr = server.address();
    console.error(`ringside adapter listening on 127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}`);
  });
} else {
  const session = new RingsideSession();
  session.start(process.stdin, process.stdout);
}

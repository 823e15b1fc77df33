// The guest console as a terminal: output is the adapter's DAP output events (category stdout,
// seen through the adapter tracker in sessions.ts), keystrokes go to the 'consoleInput' request.
import * as vscode from 'vscode';
import type { ConsoleInputArguments } from '../adapter/protocol.js';
import { toGuest, toTerminal } from './model/console.js';
import type { RingsideSessions } from './sessions.js';

class GuestConsole implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly session: vscode.DebugSession, private readonly sessions: RingsideSessions) {}

  open(): void {
    // What the guest printed before the terminal existed.
    const before = this.sessions.outputSoFar(this.session);
    if (before) this.writer.fire(toTerminal(before));
    this.subscriptions.push(
      this.sessions.onDidOutput(({ session, text }) => {
        if (session.id === this.session.id) this.writer.fire(toTerminal(text));
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id === this.session.id) this.writer.fire('\r\n[debug session ended]\r\n');
      }),
    );
  }

  handleInput(data: string): void {
    const args: ConsoleInputArguments = { text: toGuest(data) };
    // The guest has no local echo from us: its own console driver echoes, as a real tty does.
    this.session.customRequest('consoleInput', args).then(undefined, (e: Error) => this.writer.fire(`\r\n[input not delivered: ${e.message}]\r\n`));
  }

  close(): void {
    for (const s of this.subscriptions) s.dispose();
    this.writer.dispose();
    this.closer.dispose();
  }
}

const terminals = new Map<string, vscode.Terminal>();

export function openGuestConsole(sessions: RingsideSessions): void {
  const session = sessions.active;
  if (!session) {
    void vscode.window.showWarningMessage('Ringside: no Ringside debug session is active.');
    return;
  }
  let term = terminals.get(session.id);
  if (!term || term.exitStatus !== undefined) {
    term = vscode.window.createTerminal({ name: `Guest console (${session.name})`, pty: new GuestConsole(session, sessions) });
    terminals.set(session.id, term);
  }
  term.show();
}

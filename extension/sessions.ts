// Which Ringside debug session is active, whether its guest is paused, and what it prints. The
// views and the status bar refresh from here, driven only by DAP traffic (the custom
// 'ringside/stateChanged' event and stopped/continued events), never by polling.
import * as vscode from 'vscode';
import { CUSTOM_EVENT_STATE_CHANGED } from '../adapter/protocol.js';

export const DEBUG_TYPE = 'ringside';

/** A stop as the adapter reported it (the DAP 'stopped' event body). */
export interface StopInfo {
  reason: string;
  description?: string;
  threadId?: number;
}

interface DapMessage {
  type?: string;
  event?: string;
  command?: string;
  body?: Record<string, unknown>;
}

/** Requests after which the guest runs until the next 'stopped' event. */
const RESUMING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue']);

/** Keeps this much guest output per session, so a console opened late shows what came before. */
const BACKLOG_CHARS = 64 * 1024;

export class RingsideSessions implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.DebugSession | undefined>();
  private readonly stoppedEmitter = new vscode.EventEmitter<{ session: vscode.DebugSession; stop: StopInfo }>();
  private readonly outputEmitter = new vscode.EventEmitter<{ session: vscode.DebugSession; text: string }>();
  private readonly paused = new Map<string, boolean>();
  private readonly backlog = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];
  private pending: ReturnType<typeof setTimeout> | undefined;

  /** Fired (coalesced) when the machine state the views show may have changed, or the session did. */
  readonly onDidChange = this.changed.event;
  readonly onDidStop = this.stoppedEmitter.event;
  /** Guest console output (DAP output events of category stdout). */
  readonly onDidOutput = this.outputEmitter.event;

  constructor() {
    this.disposables.push(
      this.changed, this.stoppedEmitter, this.outputEmitter,
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type === DEBUG_TYPE && e.event === CUSTOM_EVENT_STATE_CHANGED) this.fire(e.session);
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.fire(this.active)),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.paused.delete(s.id);
        this.backlog.delete(s.id);
        this.fire(this.active);
      }),
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onWillReceiveMessage: (m: DapMessage) => {
            if (m.type === 'request' && m.command && RESUMING.has(m.command)) this.setPaused(session, false);
          },
          onDidSendMessage: (m: DapMessage) => this.fromAdapter(session, m),
        }),
      }),
    );
  }

  /** The active debug session if it is a Ringside one. */
  get active(): vscode.DebugSession | undefined {
    const s = vscode.debug.activeDebugSession;
    return s?.type === DEBUG_TYPE ? s : undefined;
  }

  /** Custom requests read a paused machine; while it runs the adapter refuses them. */
  isPaused(session: vscode.DebugSession): boolean {
    return this.paused.get(session.id) ?? false;
  }

  outputSoFar(session: vscode.DebugSession): string {
    return this.backlog.get(session.id) ?? '';
  }

  private fromAdapter(session: vscode.DebugSession, m: DapMessage): void {
    if (m.type !== 'event') return;
    const body = m.body ?? {};
    switch (m.event) {
      case 'stopped':
        this.setPaused(session, true);
        this.stoppedEmitter.fire({ session, stop: { reason: String(body.reason ?? ''), description: body.description as string | undefined, threadId: body.threadId as number | undefined } });
        break;
      case 'continued':
        this.setPaused(session, false);
        break;
      case 'output':
        // stdout is the guest's serial console; console/stderr are the adapter's own messages.
        if (body.category === 'stdout' && typeof body.output === 'string') {
          const all = (this.backlog.get(session.id) ?? '') + body.output;
          this.backlog.set(session.id, all.length > BACKLOG_CHARS ? all.slice(-BACKLOG_CHARS) : all);
          this.outputEmitter.fire({ session, text: body.output });
        }
        break;
    }
  }

  private setPaused(session: vscode.DebugSession, paused: boolean): void {
    if (this.paused.get(session.id) === paused) return;
    this.paused.set(session.id, paused);
    this.fire(session);
  }

  /** A stop usually brings a stopped event and a stateChanged event together: refresh once. */
  private fire(session: vscode.DebugSession | undefined): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire(session);
    }, 30);
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const d of this.disposables) d.dispose();
  }
}

// The status bar item while a Ringside session is active: ring, paging, environment (from the
// 'state' request), with the warning background in ring 0.
import * as vscode from 'vscode';
import { statusModel } from './model/status.js';
import type { StateResponse } from './model/wire.js';
import type { RingsideSessions } from './sessions.js';

export class RingStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ringside.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  /** Drops answers that arrive after a newer update started (requests can overtake each other). */
  private generation = 0;

  constructor(private readonly sessions: RingsideSessions) {
    this.item.name = 'Ringside CPU state';
    this.item.command = 'ringside.translateAddress';
    this.subscription = sessions.onDidChange((s) => void this.update(s ?? sessions.active));
  }

  private async update(session: vscode.DebugSession | undefined): Promise<void> {
    const gen = ++this.generation;
    if (!session || session !== this.sessions.active) {
      this.item.hide();
      return;
    }
    if (!this.sessions.isPaused(session)) {
      this.item.text = '$(debug-continue) running';
      this.item.tooltip = 'Ringside: the guest is running';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    try {
      const state = (await session.customRequest('state')) as StateResponse;
      if (gen !== this.generation) return;
      const m = statusModel(state);
      this.item.text = m.text;
      this.item.tooltip = m.tooltip + '\nClick to translate a virtual address.';
      this.item.backgroundColor = m.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      this.item.show();
    } catch {
      if (gen === this.generation) this.item.hide();
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

// The guest's CGA text screen as a view in the Run and Debug container. It asks the adapter for
// the screen ('screen' custom request) when the machine state changes (stops and the adapter's
// stateChanged event, through RingsideSessions) and while the view is visible; it never polls.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { screenModel, type ScreenModel, type ScreenResponse } from '../model/screen.js';
import type { RingsideSessions } from '../sessions.js';
import { screenHtml } from './screen-html.js';

export const SCREEN_VIEW_ID = 'ringside.screen';

export class ScreenView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** The last screen read, kept while the guest runs (it cannot be read then). */
  private last: ScreenModel | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sessions: RingsideSessions) {
    this.disposables.push(
      sessions.onDidChange(() => void this.refresh()),
      vscode.debug.onDidTerminateDebugSession(() => {
        this.last = undefined;
        void this.refresh();
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: false, localResourceRoots: [] };
    view.onDidChangeVisibility(() => void this.refresh(), undefined, this.disposables);
    view.onDidDispose(() => (this.view = undefined), undefined, this.disposables);
    void this.refresh();
  }

  private render(model: ScreenModel | undefined, notice?: string): void {
    if (!this.view) return;
    this.view.webview.html = screenHtml({ model, notice, cspSource: this.view.webview.cspSource, nonce: randomBytes(16).toString('base64') });
  }

  async refresh(): Promise<void> {
    if (!this.view?.visible) return;
    const generation = ++this.generation;
    const session = this.sessions.active;
    if (!session) {
      this.render(undefined, 'Start a Ringside debug session to see the guest\'s screen.');
      return;
    }
    if (!this.sessions.isPaused(session)) {
      this.render(this.last, 'The guest is running: the screen is read again at the next stop.');
      return;
    }
    try {
      const res = (await session.customRequest('screen')) as ScreenResponse;
      if (generation !== this.generation) return; // a newer refresh is under way
      this.last = screenModel(res);
      this.render(this.last);
    } catch (e) {
      if (generation === this.generation) this.render(this.last, `Cannot read the screen: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function registerScreenView(sessions: RingsideSessions): vscode.Disposable {
  const provider = new ScreenView(sessions);
  return vscode.Disposable.from(provider, vscode.window.registerWebviewViewProvider(SCREEN_VIEW_ID, provider));
}

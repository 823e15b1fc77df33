// The trap-frame hover provider. While a Ringside session is stopped, hovering a name that is a
// struct Trapframe (or a pointer to one) shows it decoded. Lookups are cached per stop: the
// evaluatable-expression provider (hovers/register.ts) asks first, to hand trap frames from
// VS Code's debug hover over to this one, and the hover then reuses the answer.
import * as vscode from 'vscode';
import { declaresTrapFrame } from '../model/hover-text.js';
import { OPEN_SOURCE_COMMAND, trapFrameMarkdown } from '../model/trapframe-hover.js';
import type { RingsideSessions } from '../sessions.js';
import { isAssembly, pausedSession } from './session.js';
import { hoverTargetAt, lookUpTrapFrame, type TrapFrameLookup } from './trapframe-lookup.js';

export class TrapFrameHovers implements vscode.HoverProvider, vscode.Disposable {
  private readonly cache = new Map<string, Promise<TrapFrameLookup>>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly sessions: RingsideSessions) {
    // Machine state changed (a stop, a step, a write): every answer may be stale.
    this.disposables = [sessions.onDidChange(() => this.cache.clear()), sessions.onDidStop(() => this.cache.clear())];
  }

  /** The lookup for the name at `position`, or undefined when no stopped session or no name. */
  lookup(document: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; result: Promise<TrapFrameLookup> } | undefined {
    const paused = pausedSession(this.sessions);
    if (!paused) return undefined;
    const found = hoverTargetAt(document.getText(), document.uri.fsPath, position.line, position.character, isAssembly(document));
    if (!found) return undefined;
    const { target } = found;
    const range = new vscode.Range(position.line, found.start, position.line, found.end);
    const key = [paused.session.id, paused.stop.focusedFrameId ?? '', document.uri.toString(), document.version, position.line, target.expression].join('|');
    let result = this.cache.get(key);
    if (!result) {
      result = lookUpTrapFrame(paused.dap, target, paused.stop).catch((e: unknown): TrapFrameLookup => ({
        kind: declaresTrapFrame(target.documentText, target.name, target.offset) ? 'error' : 'none',
        reason: e instanceof Error ? e.message : String(e),
      }));
      this.cache.set(key, result);
    }
    return { range, result };
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const found = this.lookup(document, position);
    if (!found) return undefined;
    const r = await found.result;
    if (r.kind === 'error') return new vscode.Hover(new vscode.MarkdownString().appendText(`Ringside: cannot read this trap frame: ${r.reason}`), found.range);
    if (r.kind !== 'trap-frame') return undefined;
    const text = trapFrameMarkdown(r.view);
    if (!text) return undefined;
    const md = new vscode.MarkdownString(text);
    md.isTrusted = { enabledCommands: [OPEN_SOURCE_COMMAND] };
    return new vscode.Hover(md, found.range);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

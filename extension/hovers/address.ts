// The address hover provider: while a Ringside session is stopped, a number literal in C or
// assembly is translated through the current page tables (the adapter's 'translate' request).
import * as vscode from 'vscode';
import { addressHoverMarkdown } from '../model/address-hover.js';
import { numberAt } from '../model/hover-text.js';
import type { RingsideSessions } from '../sessions.js';
import { lookUpAddress } from './address-lookup.js';
import { lineContext, pausedSession } from './session.js';

export class AddressHovers implements vscode.HoverProvider {
  constructor(private readonly sessions: RingsideSessions) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const paused = pausedSession(this.sessions);
    if (!paused) return undefined;
    const literal = numberAt(document.lineAt(position.line).text, position.character, lineContext(document, position));
    if (!literal) return undefined;
    const range = new vscode.Range(position.line, literal.start, position.line, literal.end);
    try {
      const r = await lookUpAddress(paused.dap, literal.value);
      return new vscode.Hover(new vscode.MarkdownString(addressHoverMarkdown({ literal: literal.text, ...r })), range);
    } catch (e) {
      return new vscode.Hover(new vscode.MarkdownString().appendText(`Ringside: cannot translate ${literal.text}: ${(e as Error).message}`), range);
    }
  }
}

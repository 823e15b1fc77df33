// Registers the Ringside hovers for C and assembly files, and hands their subjects over from
// VS Code's debug hover. While stopped, VS Code shows its own debug hover (the adapter's plain
// evaluate result) for names in the selected frame's file and hides the language hovers; an
// evaluatable-expression provider that declines trap frames and number literals makes it fall
// back to the editor hover, where the decoded trap frame and the page walk are shown.
import * as vscode from 'vscode';
import { expressionAt, numberAt } from '../model/hover-text.js';
import { OPEN_SOURCE_COMMAND } from '../model/trapframe-hover.js';
import type { RingsideSessions } from '../sessions.js';
import { AddressHovers } from './address.js';
import { lineContext, pausedSession } from './session.js';
import { TrapFrameHovers } from './trapframe.js';

/** C, and assembly whatever language id an extension gives .S/.s files. */
export const HOVER_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'c' },
  { language: 'asm' },
  { scheme: 'file', pattern: '**/*.{S,s}' },
];

async function openSourceLine(path: unknown, line: unknown): Promise<void> {
  if (typeof path !== 'string' || typeof line !== 'number' || !Number.isInteger(line) || line < 1) {
    void vscode.window.showErrorMessage(`Ringside: cannot open a source line from ${JSON.stringify([path, line])}: expected a file path and a line number.`);
    return;
  }
  try {
    const at = new vscode.Position(line - 1, 0);
    await vscode.window.showTextDocument(vscode.Uri.file(path), { selection: new vscode.Range(at, at), preview: true });
  } catch (e) {
    void vscode.window.showErrorMessage(`Ringside: cannot open ${path}: ${(e as Error).message}`);
  }
}

export function registerHovers(sessions: RingsideSessions): vscode.Disposable {
  const trapFrames = new TrapFrameHovers(sessions);
  const expressions: vscode.EvaluatableExpressionProvider = {
    async provideEvaluatableExpression(document, position) {
      const line = document.lineAt(position.line).text;
      const ctx = lineContext(document, position);
      const stopped = pausedSession(sessions) !== undefined;
      if (stopped && numberAt(line, position.character, ctx)) return undefined; // the address hover
      const expr = expressionAt(line, position.character, ctx);
      if (!expr) return undefined;
      if (stopped) {
        const found = trapFrames.lookup(document, position);
        if (found && (await found.result).kind === 'trap-frame') return undefined; // the trap-frame hover
      }
      return new vscode.EvaluatableExpression(new vscode.Range(position.line, expr.start, position.line, expr.end), expr.expression);
    },
  };
  return vscode.Disposable.from(
    trapFrames,
    vscode.languages.registerHoverProvider(HOVER_DOCUMENTS, trapFrames),
    vscode.languages.registerHoverProvider(HOVER_DOCUMENTS, new AddressHovers(sessions)),
    vscode.languages.registerEvaluatableExpressionProvider(HOVER_DOCUMENTS, expressions),
    vscode.commands.registerCommand(OPEN_SOURCE_COMMAND, openSourceLine),
  );
}

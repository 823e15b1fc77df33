// What the hovers need from VS Code about the current stop: the paused Ringside session, a way to
// send it DAP requests, and the thread/frame the user has selected.
import * as vscode from 'vscode';
import { inBlockComment, type LineContext } from '../model/hover-text.js';
import type { RingsideSessions } from '../sessions.js';
import type { DapRequest, StopContext } from './dap.js';

export interface PausedSession {
  session: vscode.DebugSession;
  dap: DapRequest;
  stop: StopContext;
}

/** The active Ringside session if its guest is paused (hovers read a stopped machine only). */
export function pausedSession(sessions: RingsideSessions): PausedSession | undefined {
  const session = sessions.active;
  if (!session || !sessions.isPaused(session)) return undefined;
  const item = vscode.debug.activeStackItem;
  let stop: StopContext = {};
  if (item && item.session.id === session.id) {
    stop = item instanceof vscode.DebugStackFrame ? { threadId: item.threadId, focusedFrameId: item.frameId } : { threadId: item.threadId };
  }
  const dap: DapRequest = (command, args) => Promise.resolve(session.customRequest(command, args));
  return { session, dap, stop };
}

/** C is C; the other languages the hovers are registered for are assembly (AT&T syntax). */
export const isAssembly = (document: vscode.TextDocument): boolean => document.languageId !== 'c' && document.languageId !== 'cpp';

/** How to read the hovered line: assembly or C, and whether it starts inside a /* comment. */
export function lineContext(document: vscode.TextDocument, position: vscode.Position): LineContext {
  const lineStart = document.offsetAt(new vscode.Position(position.line, 0));
  return { asm: isAssembly(document), inComment: inBlockComment(document.getText(), lineStart) };
}

// "Ringside: Show Trap Frame": the adapter already offers the live trap frame as a scope of the
// top stack frame ("Trap frame" or "Trap frame (about to be delivered)"); print its fields.
import * as vscode from 'vscode';
import type { RingsideSessions } from '../sessions.js';

interface Variable { name: string; value: string }

async function currentFrame(session: vscode.DebugSession): Promise<number | undefined> {
  const item = vscode.debug.activeStackItem;
  if (item instanceof vscode.DebugStackFrame && item.session.id === session.id) return item.frameId;
  const threadId = item && item.session.id === session.id ? item.threadId
    : ((await session.customRequest('threads')) as { threads: Array<{ id: number }> }).threads[0]?.id;
  if (threadId === undefined) return undefined;
  const st = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as { stackFrames: Array<{ id: number }> };
  return st.stackFrames[0]?.id;
}

export async function showTrapFrame(sessions: RingsideSessions, out: vscode.OutputChannel): Promise<void> {
  const session = sessions.active;
  if (!session || !sessions.isPaused(session)) {
    void vscode.window.showWarningMessage('Ringside: pause a Ringside debug session first.');
    return;
  }
  try {
    const frameId = await currentFrame(session);
    if (frameId === undefined) throw new Error('no stack frame');
    const { scopes } = (await session.customRequest('scopes', { frameId })) as { scopes: Array<{ name: string; variablesReference: number }> };
    const scope = scopes.find((s) => s.name.startsWith('Trap frame'));
    if (!scope) {
      void vscode.window.showInformationMessage('Ringside: no trap frame is live in this frame (stop inside a trap handler or on an exception filter).');
      return;
    }
    const { variables } = (await session.customRequest('variables', { variablesReference: scope.variablesReference })) as { variables: Variable[] };
    out.appendLine(`${scope.name}:`);
    const width = Math.max(...variables.map((v) => v.name.length));
    for (const v of variables) out.appendLine(`  ${v.name.padEnd(width)}  ${v.value}`);
    out.appendLine('');
    out.show(true);
  } catch (e) {
    void vscode.window.showErrorMessage(`Ringside: cannot read the trap frame: ${(e as Error).message}`);
  }
}

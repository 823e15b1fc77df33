// "Ringside: Reveal CR2 in Page Tables": reads CR2 through evaluate ($cr2 is a register the
// adapter's expressions know) and reveals its page's PDE/PTE rows.
import * as vscode from 'vscode';
import { parseAddress } from '../model/translate.js';
import type { RingsideSessions } from '../sessions.js';
import type { RingsideViews } from '../views/views.js';

export async function revealCr2(sessions: RingsideSessions, views: RingsideViews): Promise<void> {
  const session = sessions.active;
  if (!session || !sessions.isPaused(session)) {
    void vscode.window.showWarningMessage('Ringside: pause a Ringside debug session first.');
    return;
  }
  try {
    const r = (await session.customRequest('evaluate', { expression: '$cr2', context: 'watch' })) as { result: string };
    const cr2 = parseAddress(r.result.split(/\s/)[0] ?? '');
    if (cr2 === undefined) throw new Error(`unexpected value ${r.result}`);
    await vscode.commands.executeCommand('ringside.pageTables.focus');
    const found = await views.revealAddress(session, cr2, true);
    if (!found) void vscode.window.showInformationMessage(`Ringside: CR2 = 0x${cr2.toString(16).padStart(8, '0')} is not mapped by any present page directory entry.`);
  } catch (e) {
    void vscode.window.showErrorMessage(`Ringside: cannot read CR2: ${(e as Error).message}`);
  }
}

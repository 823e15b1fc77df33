// "Ringside: Translate Virtual Address...": asks for an address and an access, sends the
// 'translate' request and shows the walk step by step in the Ringside output channel.
import * as vscode from 'vscode';
import { parseAddress, translationLines, verdict, type Access } from '../model/translate.js';
import type { TranslateResponse } from '../model/wire.js';
import type { RingsideSessions } from '../sessions.js';

export async function translateAddress(sessions: RingsideSessions, out: vscode.OutputChannel, initial?: string): Promise<void> {
  const session = sessions.active;
  if (!session || !sessions.isPaused(session)) {
    void vscode.window.showWarningMessage('Ringside: pause a Ringside debug session to translate addresses.');
    return;
  }
  const selected = vscode.window.activeTextEditor?.document.getText(vscode.window.activeTextEditor.selection);
  const text = await vscode.window.showInputBox({
    title: 'Translate a virtual address (current CR3)',
    prompt: 'Linear address: 0xf0100064, f0100064h or decimal',
    value: initial ?? (selected && parseAddress(selected) !== undefined ? selected : ''),
    validateInput: (v) => (parseAddress(v) === undefined ? 'Not a 32-bit address' : undefined),
  });
  if (text === undefined) return;
  const address = parseAddress(text)!;
  const picks: Array<vscode.QuickPickItem & { access: Access; cpl?: number }> = [
    { label: 'read', description: 'at the current CPL', access: 'read' },
    { label: 'write', description: 'at the current CPL', access: 'write' },
    { label: 'execute', description: 'at the current CPL', access: 'execute' },
    { label: 'read from ring 3', description: 'what a user program would get', access: 'read', cpl: 3 },
    { label: 'write from ring 3', description: 'what a user program would get', access: 'write', cpl: 3 },
    { label: 'write from ring 0', description: 'what the kernel would get', access: 'write', cpl: 0 },
  ];
  const pick = await vscode.window.showQuickPick(picks, { title: 'Which access?' });
  if (!pick) return;
  try {
    const t = (await session.customRequest('translate', { address, access: pick.access, ...(pick.cpl !== undefined ? { cpl: pick.cpl } : {}) })) as TranslateResponse;
    for (const line of translationLines(t)) out.appendLine(line);
    out.appendLine('');
    out.show(true);
    const v = verdict(t);
    void (v.ok ? vscode.window.showInformationMessage(`Ringside: ${v.headline}`) : vscode.window.showWarningMessage(`Ringside: ${v.headline}`));
  } catch (e) {
    void vscode.window.showErrorMessage(`Ringside: translate failed: ${(e as Error).message}`);
  }
}

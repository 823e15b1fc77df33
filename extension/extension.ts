// Activation: the adapter factory, the launch.json provider, the views, the status bar and the
// commands. Everything that turns adapter answers into what is shown lives in model/ (no vscode).
import * as vscode from 'vscode';
import { revealCr2 } from './commands/cr2.js';
import { showTrapFrame } from './commands/trapframe.js';
import { translateAddress } from './commands/translate.js';
import { RingsideConfigurationProvider } from './config.js';
import { openGuestConsole } from './console.js';
import { RingsideAdapterFactory } from './factory.js';
import { registerHovers } from './hovers/register.js';
import { startAsmLanguageClient } from './lsp/client.js';
import { DEBUG_TYPE, RingsideSessions } from './sessions.js';
import { RingStatus } from './status.js';
import { registerBuildTasks } from './tasks/provider.js';
import { registerScreenView } from './views/screen.js';
import { RingsideViews } from './views/views.js';

export function activate(context: vscode.ExtensionContext): void {
  const sessions = new RingsideSessions();
  const views = new RingsideViews(sessions);
  const out = vscode.window.createOutputChannel('Ringside');
  startAsmLanguageClient(context);
  context.subscriptions.push(
    sessions, views, out, new RingStatus(sessions),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new RingsideAdapterFactory(context.extensionPath)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new RingsideConfigurationProvider(context.extensionPath)),
    vscode.commands.registerCommand('ringside.translateAddress', (address?: unknown) => translateAddress(sessions, out, typeof address === 'string' ? address : undefined)),
    vscode.commands.registerCommand('ringside.revealCr2', () => revealCr2(sessions, views)),
    vscode.commands.registerCommand('ringside.showTrapFrame', () => showTrapFrame(sessions, out)),
    vscode.commands.registerCommand('ringside.openConsole', () => openGuestConsole(sessions)),
    registerHovers(sessions), registerScreenView(sessions), registerBuildTasks(),
  );
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

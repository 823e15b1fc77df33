// How VS Code gets a Ringside debug adapter: inside the extension host by default (no process to
// start, one emulator per session), or as `node out/adapter/main.js` over stdio when the setting
// ringside.adapter.separateProcess is on (to debug the adapter itself or isolate a crash).
import { join } from 'node:path';
import * as vscode from 'vscode';
import { RingsideSession } from '../adapter/session.js';

export class RingsideAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionPath: string) {}

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const separate = vscode.workspace.getConfiguration('ringside').get<boolean>('adapter.separateProcess', false);
    if (separate) return new vscode.DebugAdapterExecutable('node', [join(this.extensionPath, 'out', 'adapter', 'main.js')]);
    // @vscode/debugadapter's DebugSession already has the inline adapter's shape (handleMessage,
    // onDidSendMessage, dispose); only the Event type's declaration differs between the packages.
    return new vscode.DebugAdapterInlineImplementation(new RingsideSession() as unknown as vscode.DebugAdapter);
  }
}

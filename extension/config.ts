// launch.json support: F5 on samples/user/NAME.c (or .S) with no launch.json debugs
// samples/build/user/NAME.elf; relative paths in a configuration resolve against the workspace.
import * as vscode from 'vscode';
import { defaultLaunchFor } from './model/launch.js';
import { DEBUG_TYPE } from './sessions.js';

export class RingsideConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly extensionPath: string) {}

  private roots(folder: vscode.WorkspaceFolder | undefined): string[] {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    return [...(folder ? [folder.uri.fsPath] : []), ...folders, this.extensionPath];
  }

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    // An empty configuration is what VS Code passes for F5 without a launch.json.
    if (!config.type && !config.request && !config.name) {
      const file = vscode.window.activeTextEditor?.document.uri;
      const launch = defaultLaunchFor(file?.scheme === 'file' ? file.fsPath : undefined, this.roots(folder));
      if (!launch) {
        void vscode.window.showInformationMessage('Ringside: open a sample in samples/user/ (NAME.c or NAME.S) or add a "ringside" configuration to launch.json.');
        return undefined; // cancels the launch
      }
      return { ...launch, cwd: folder?.uri.fsPath ?? this.extensionPath };
    }
    if (config.type !== DEBUG_TYPE) return config;
    return { ...config, cwd: config.cwd ?? folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath };
  }
}

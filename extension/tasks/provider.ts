// The "ringside" task type: a task provider offering "build the samples" and "build <the open
// C/assembly file>", and resolving such tasks written in tasks.json. Each runs in a terminal of
// its own (a CustomExecution): the i386 gcc check first, with a notification carrying the install
// command when it fails, then the build; the problem matcher turns gcc's errors into Problems.
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { PROBLEM_MATCHER } from '../model/problem-matcher.js';
import { buildRequest, findSamplesDir, TASK_TYPE, TaskDefinitionError, type RingsideTaskDefinition } from './plan.js';
import { runBuild } from './run.js';

/** A terminal for one build: CRLF line ends, and closing it stops the build. */
class BuildTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  private readonly abort = new AbortController();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;

  constructor(private readonly definition: RingsideTaskDefinition, private readonly folder: string) {}

  private write(text: string): void {
    this.writer.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  open(): void {
    void this.run();
  }

  close(): void {
    this.abort.abort();
  }

  private async run(): Promise<void> {
    let code = 1;
    try {
      const req = buildRequest(this.definition, this.folder);
      const result = await runBuild(req, (t) => this.write(t), { signal: this.abort.signal });
      code = result.code;
      if (!result.toolchain.ok) void this.adviseToolchain(result.toolchain.message, result.toolchain.installCommand);
    } catch (e) {
      const why = e instanceof TaskDefinitionError ? e.message : `the build could not run: ${(e as Error).message}`;
      this.write(`Ringside: ${why}\n`);
      void vscode.window.showErrorMessage(`Ringside: ${why}`);
    }
    this.closer.fire(code);
  }

  private async adviseToolchain(message: string, installCommand: string | undefined): Promise<void> {
    const copy = 'Copy install command';
    const pick = await vscode.window.showErrorMessage(message, ...(installCommand ? [copy] : []));
    if (pick === copy && installCommand) await vscode.env.clipboard.writeText(installCommand);
  }
}

function task(definition: RingsideTaskDefinition, folder: vscode.WorkspaceFolder, name: string, matcher: string): vscode.Task {
  const t = new vscode.Task(
    definition, folder, name, TASK_TYPE,
    new vscode.CustomExecution(async (resolved) => new BuildTerminal(resolved as RingsideTaskDefinition, folder.uri.fsPath)),
    [`$${matcher}`],
  );
  t.group = vscode.TaskGroup.Build;
  t.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
  return t;
}

export class RingsideTaskProvider implements vscode.TaskProvider {
  provideTasks(): vscode.Task[] {
    const tasks: vscode.Task[] = [];
    const active = vscode.window.activeTextEditor?.document.uri;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const samplesDir = findSamplesDir(folder.uri.fsPath);
      if (!samplesDir) continue;
      const samples = buildRequest({ type: TASK_TYPE, build: 'samples' }, folder.uri.fsPath);
      tasks.push(task({ type: TASK_TYPE, build: 'samples' }, folder, samples.label, samples.problemMatcher));
      // One's own program: a C or assembly file of this folder that the samples' make does not build.
      const ownFile = active?.scheme === 'file' && /\.(c|S|s)$/.test(active.fsPath)
        && vscode.workspace.getWorkspaceFolder(active)?.uri.toString() === folder.uri.toString()
        && !['user', 'kernel', 'include'].some((d) => !relative(join(samplesDir, d), active.fsPath).startsWith('..'));
      if (active && ownFile) {
        const definition: RingsideTaskDefinition = { type: TASK_TYPE, build: 'program', program: relative(folder.uri.fsPath, active.fsPath) };
        const req = buildRequest(definition, folder.uri.fsPath);
        tasks.push(task(definition, folder, req.label, req.problemMatcher));
      }
    }
    return tasks;
  }

  resolveTask(t: vscode.Task): vscode.Task | undefined {
    const folder = typeof t.scope === 'object' ? t.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const definition = t.definition as RingsideTaskDefinition;
    // A definition with mistakes still runs: its terminal says what is wrong (variables such
    // as ${file} are only substituted when it runs).
    let matcher = PROBLEM_MATCHER;
    try {
      matcher = buildRequest(definition, folder.uri.fsPath).problemMatcher;
    } catch {
      // checked again, with the message shown, when the task runs
    }
    return task(definition, folder, t.name, matcher);
  }
}

export function registerBuildTasks(): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, new RingsideTaskProvider());
}

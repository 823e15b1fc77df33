// A TreeDataProvider over model Rows. The rows come from a loader that asks the adapter; they are
// fetched only when VS Code asks for them (i.e. when the view is visible) after a refresh().
import * as vscode from 'vscode';
import type { LazyChildren, Row } from '../model/row.js';

export type RootLoader = (session: vscode.DebugSession) => Promise<Row[]>;
export type LazyLoader = (session: vscode.DebugSession, lazy: LazyChildren) => Promise<Row[]>;

const message = (id: string, label: string, icon = 'info'): Row => ({ id, label, icon });

export class RowTreeProvider implements vscode.TreeDataProvider<Row> {
  private readonly emitter = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Parent of every row handed out, for getParent (which TreeView.reveal needs). */
  private readonly parents = new Map<string, Row | undefined>();
  private readonly rowsById = new Map<string, Row>();
  private session: vscode.DebugSession | undefined;
  private paused = false;

  constructor(
    private readonly name: string,
    private readonly loadRoots: RootLoader,
    private readonly loadLazy?: LazyLoader,
  ) {}

  /** Called on stateChanged/stop/session change: VS Code asks again for the rows if visible. */
  refresh(session: vscode.DebugSession | undefined, paused: boolean): void {
    this.session = session;
    this.paused = paused;
    // parents and rowsById are kept: ids are stable, and getChildren overwrites them. Clearing
    // them here broke a reveal() in flight when a refresh came in between (a stop brings a
    // 'stopped' and a 'stateChanged' event): getParent no longer knew the row, and the Page
    // Tables view did not reveal CR2's entry after a page fault (seen in the e2e suite).
    this.emitter.fire(undefined);
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const collapsible = row.children?.length || row.lazy
      ? row.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(row.label, collapsible);
    item.id = row.id;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.contextValue = row.contextValue;
    if (row.open) {
      const at = new vscode.Position(Math.max(0, row.open.line - 1), 0);
      const options: vscode.TextDocumentShowOptions = { selection: new vscode.Range(at, at), preview: true };
      item.command = { command: 'vscode.open', title: 'Open Source', arguments: [vscode.Uri.file(row.open.path), options] };
    }
    if (row.icon) item.iconPath = new vscode.ThemeIcon(row.icon, row.iconColor ? new vscode.ThemeColor(row.iconColor) : undefined);
    return item;
  }

  async getChildren(row?: Row): Promise<Row[]> {
    let rows: Row[];
    if (row) {
      rows = row.children ?? (row.lazy && this.session && this.loadLazy ? await this.safe(() => this.loadLazy!(this.session!, row.lazy!)) : []);
    } else if (!this.session) {
      rows = [message(`${this.name}:idle`, 'Start a Ringside debug session to see this view.')];
    } else if (!this.paused) {
      rows = [message(`${this.name}:running`, 'The guest is running: pause it to inspect.', 'debug-pause')];
    } else {
      const s = this.session;
      rows = await this.safe(() => this.loadRoots(s));
    }
    for (const r of rows) {
      this.parents.set(r.id, row);
      this.rowsById.set(r.id, r);
    }
    return rows;
  }

  getParent(row: Row): Row | undefined {
    return this.parents.get(row.id);
  }

  /** Loads the rows along `path` (ids from the root down) and returns them, for reveal(). */
  async resolvePath(path: readonly string[]): Promise<Row[]> {
    const out: Row[] = [];
    let level = await this.getChildren(undefined);
    for (const id of path) {
      const r = level.find((x) => x.id === id);
      if (!r) break;
      out.push(r);
      level = await this.getChildren(r);
    }
    return out;
  }

  private async safe(load: () => Promise<Row[]>): Promise<Row[]> {
    try {
      return await load();
    } catch (e) {
      return [message(`${this.name}:error`, `Cannot read: ${(e as Error).message}`, 'warning')];
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

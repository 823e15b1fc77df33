// The five tree views of the Run and Debug container, each a RowTreeProvider whose loader sends
// the adapter's custom requests (adapter/views.ts) and hands the bodies to a pure model.
import * as vscode from 'vscode';
import { frameRows } from '../model/frames.js';
import { gdtRows } from '../model/gdt.js';
import { idtRows } from '../model/idt.js';
import { pageTableEntryRows, pageTableRows, pathToPage } from '../model/pagetables.js';
import { trapLogRows } from '../model/traplog.js';
import type {
  FramesResponse, GdtResponse, IdtResponse, PageTableEntriesResponse, PageTableFoldedResponse, PageTableResponse, TrapLogResponse, TssResponse,
} from '../model/wire.js';
import type { RingsideSessions } from '../sessions.js';
import { RowTreeProvider } from './tree.js';
import type { Row } from '../model/row.js';

async function request<T>(session: vscode.DebugSession, command: string, args: Record<string, unknown> = {}): Promise<T> {
  return (await session.customRequest(command, args)) as T;
}

export class RingsideViews implements vscode.Disposable {
  /** The page CR2 points at after a #PF, marked in the Page Tables view until the next refresh of CR2. */
  private cr2: number | undefined;
  readonly pageTables: RowTreeProvider;
  private readonly pageTableView: vscode.TreeView<Row>;
  private readonly providers: RowTreeProvider[];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sessions: RingsideSessions) {
    this.pageTables = new RowTreeProvider('pt', async (s) => {
      const [dir, folded] = await Promise.all([
        request<PageTableResponse>(s, 'pageTable'),
        request<PageTableFoldedResponse>(s, 'pageTableFolded'),
      ]);
      return pageTableRows(dir, folded, this.cr2);
    }, async (s, lazy) => pageTableEntryRows(await request<PageTableEntriesResponse>(s, 'pageTable', { pde: lazy.pde }), this.cr2));
    const idt = new RowTreeProvider('idt', async (s) => idtRows(await request<IdtResponse>(s, 'idt')));
    const gdt = new RowTreeProvider('gdt', async (s) => {
      const table = await request<GdtResponse>(s, 'gdt');
      // A kernel before ltr has no TSS to read: show the GDT anyway.
      const tss = await request<TssResponse>(s, 'tss').catch(() => undefined);
      return gdtRows(table, tss);
    });
    const traps = new RowTreeProvider('traps', async (s) => trapLogRows(await request<TrapLogResponse>(s, 'trapLog', { count: 200 })));
    const frames = new RowTreeProvider('frames', async (s) => frameRows(await request<FramesResponse>(s, 'frames', { limit: 1024 })));
    this.providers = [this.pageTables, idt, gdt, traps, frames];
    this.pageTableView = vscode.window.createTreeView('ringside.pageTables', { treeDataProvider: this.pageTables, showCollapseAll: true });
    this.disposables.push(
      this.pageTableView,
      vscode.window.createTreeView('ringside.idt', { treeDataProvider: idt }),
      vscode.window.createTreeView('ringside.gdt', { treeDataProvider: gdt, showCollapseAll: true }),
      vscode.window.createTreeView('ringside.trapLog', { treeDataProvider: traps }),
      vscode.window.createTreeView('ringside.frames', { treeDataProvider: frames, showCollapseAll: true }),
      sessions.onDidChange((s) => this.refresh(s)),
      // DESIGN.md: after a page fault, CR2's entry is revealed in the Page Tables view.
      sessions.onDidStop(({ session, stop }) => {
        if (stop.reason === 'exception' && stop.description?.startsWith('#PF')) {
          const m = /cr2 (0x[0-9a-f]+)/i.exec(stop.description);
          if (m) void this.revealAddress(session, Number(m[1]), false);
        }
      }),
    );
    this.refresh(sessions.active);
  }

  private refresh(session: vscode.DebugSession | undefined): void {
    const active = session ?? this.sessions.active;
    const paused = active ? this.sessions.isPaused(active) : false;
    for (const p of this.providers) p.refresh(active, paused);
  }

  /** Marks `va`'s page and reveals its PDE/PTE rows (and focuses the view when asked). */
  async revealAddress(session: vscode.DebugSession, va: number, focus: boolean): Promise<boolean> {
    this.cr2 = va >>> 0;
    this.refresh(session);
    if (!this.pageTableView.visible && !focus) return false;
    const dir = await request<PageTableResponse>(session, 'pageTable');
    const pde = dir.directory.find((d) => d.index === va >>> 22);
    const table = pde?.kind === 'table' ? await request<PageTableEntriesResponse>(session, 'pageTable', { pde: pde.index }) : undefined;
    const path = pathToPage(dir, table, va);
    if (!path) return false;
    const rows = await this.pageTables.resolvePath(path);
    const last = rows[rows.length - 1];
    if (!last) return false;
    await this.pageTableView.reveal(last, { select: true, focus, expand: true });
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const p of this.providers) p.dispose();
  }
}

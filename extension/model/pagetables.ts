// Page Tables view model: a folded summary (runs of pages with equal rights, so the kernel's
// 256 MiB direct map is one line), then the page directory whose table PDEs expand lazily into
// their PTEs (a full tree is up to a million rows; students open one table at a time).
import { hex, hex8, type Row } from './row.js';
import type { PageTableEntriesResponse, PageTableFoldedResponse, PageTableResponse, WireDirectoryEntry, WireRun, WireTableEntry } from './wire.js';

export const PAGE_TABLE_ROOTS = { folded: 'pt:folded', directory: 'pt:dir' } as const;

export const pdeRowId = (pde: number): string => `pt:pde:${pde}`;
export const pteRowId = (pde: number, pte: number): string => `pt:pte:${pde}:${pte}`;

function rights(user: boolean, writable: boolean): string {
  return `${user ? 'user' : 'kernel'} ${writable ? 'rw' : 'r-'}`;
}

/** Colour-codes what a student looks for: user pages, copy-on-write, swapped out. */
function mappingIcon(user: boolean, cow: boolean): { icon: string; iconColor?: string } {
  if (cow) return { icon: 'git-compare', iconColor: 'charts.orange' };
  return user ? { icon: 'person', iconColor: 'charts.green' } : { icon: 'shield', iconColor: 'charts.blue' };
}

export function runRow(r: WireRun): Row {
  return {
    id: `pt:run:${r.vaStart}`,
    label: r.text,
    tooltip: `${r.pages} page(s) mapped contiguously: linear ${hex8(r.vaStart)}-${hex8(r.vaEnd)} to physical ${hex8(r.physStart)}-${hex8(r.physEnd)}, ${rights(r.user, r.writable)}${r.cow ? ', copy-on-write' : ''}`,
    contextValue: 'ringside.run',
    ...mappingIcon(r.user, r.cow),
  };
}

export function pdeRow(d: WireDirectoryEntry, cr2?: number): Row {
  const holdsCr2 = cr2 !== undefined && cr2 >>> 22 === d.index;
  const big = d.kind === 'page4m';
  return {
    id: pdeRowId(d.index),
    label: `PDE ${hex(d.index)}  ${hex8(d.vaStart)}-${hex8(d.vaEnd)}`,
    description: `${d.entry.flags.join(' ')} -> ${big ? '4 MiB page' : 'table'} ${hex8(d.entry.frame)}${d.cow ? ', cow' : ''}${holdsCr2 ? '  ← CR2' : ''}`,
    tooltip: d.text + (d.beyondMemory ? '\nThe entry lies beyond physical memory.' : ''),
    contextValue: big ? 'ringside.pde4m' : 'ringside.pde',
    ...(holdsCr2 ? { icon: 'debug-breakpoint-data', iconColor: 'charts.red' } : big ? mappingIcon(d.entry.user, d.cow) : { icon: 'list-tree' }),
    lazy: big ? undefined : { kind: 'pageTable', pde: d.index },
    expanded: holdsCr2 && !big,
  };
}

export function pteRow(e: WireTableEntry, cr2?: number): Row {
  const holdsCr2 = cr2 !== undefined && cr2 >>> 12 === e.va >>> 12;
  let description: string;
  let look: { icon: string; iconColor?: string };
  if (e.state === 'present') {
    description = `-> ${hex8(e.entry.frame)} ${rights(e.user, e.writable)}${e.cow ? ', cow' : ''}  ${e.entry.flags.join(' ')}`;
    look = mappingIcon(e.user, e.cow);
  } else if (e.state === 'swapped') {
    description = `swapped out, slot ${e.swapSlot ?? '?'}`;
    look = { icon: 'archive', iconColor: 'charts.purple' };
  } else {
    description = `not present (${hex8(e.value)})`;
    look = { icon: 'circle-slash' };
  }
  if (holdsCr2) look = { icon: 'debug-breakpoint-data', iconColor: 'charts.red' };
  return {
    id: pteRowId(e.pdeIndex, e.index),
    label: `PTE ${hex(e.index)}  ${hex8(e.va)}`,
    description: description + (holdsCr2 ? '  ← CR2' : ''),
    tooltip: e.text,
    contextValue: `ringside.pte.${e.state}`,
    ...look,
  };
}

/** The two top-level groups of the view. `cr2` marks (and expands towards) the faulting page. */
export function pageTableRows(dir: PageTableResponse, folded: PageTableFoldedResponse | undefined, cr2?: number): Row[] {
  if (!dir.paging) {
    return [{ id: 'pt:off', label: 'Paging is off (CR0.PG=0)', description: `cr3 ${dir.cr3}`, icon: 'info', tooltip: 'Linear addresses are physical addresses until the kernel sets CR0.PG.' }];
  }
  const rows: Row[] = [];
  if (folded) {
    rows.push({
      id: PAGE_TABLE_ROOTS.folded,
      label: 'Mappings (folded)',
      description: `${folded.runs.length} runs`,
      icon: 'fold',
      children: folded.runs.map(runRow),
      expanded: true,
    });
  }
  rows.push({
    id: PAGE_TABLE_ROOTS.directory,
    label: `Page directory at ${dir.cr3}`,
    description: `${dir.directory.length} present PDEs`,
    icon: 'symbol-structure',
    children: dir.directory.map((d) => pdeRow(d, cr2)),
    expanded: cr2 !== undefined,
  });
  return rows;
}

export function pageTableEntryRows(res: PageTableEntriesResponse, cr2?: number): Row[] {
  return res.entries.map((e) => pteRow(e, cr2));
}

/**
 * The row ids from the root to the row of `va`'s page, for TreeView.reveal: the PDE, then the PTE
 * if the PDE references a table and that table has an entry for the page. Undefined when no
 * present PDE covers `va`.
 */
export function pathToPage(dir: PageTableResponse, table: PageTableEntriesResponse | undefined, va: number): string[] | undefined {
  const pde = dir.directory.find((d) => d.index === va >>> 22);
  if (!pde) return undefined;
  const path: string[] = [PAGE_TABLE_ROOTS.directory, pdeRowId(pde.index)];
  if (pde.kind === 'table' && table) {
    const pte = table.entries.find((e) => e.index === ((va >>> 12) & 0x3ff));
    if (pte) path.push(pteRowId(pde.index, pte.index));
  }
  return path;
}

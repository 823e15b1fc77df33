// The folded page-table view: runs of pages that are contiguous both linearly and physically and
// have the same rights collapse into one row, so a kernel's 256 MiB direct map reads as one line:
//   0xf0000000-0xffffffff -> 0x00000000-0x0fffffff, kernel rw, 65536 pages

import { rightsText } from './entry.js';
import { hexAddr } from './hex.js';
import { mappings, type Mapping, type PageTableOptions } from './pagetables.js';
import type { PhysSource } from './phys.js';

export interface FoldedRun {
  vaStart: number;
  /** Inclusive. */
  vaEnd: number;
  physStart: number;
  /** Inclusive. */
  physEnd: number;
  /** 4 KiB pages in the run. */
  pages: number;
  user: boolean;
  writable: boolean;
  /** Copy-on-write pages never fold with ordinary ones: the difference is what a student looks for. */
  cow: boolean;
  text: string;
}

/** Folds mappings (in linear-address order, as mappings() returns them) into runs. */
export function foldMappings(maps: readonly Mapping[]): FoldedRun[] {
  const runs: Omit<FoldedRun, 'text'>[] = [];
  for (const m of maps) {
    const last = runs[runs.length - 1];
    const bytes = m.pages * 4096;
    if (last && last.vaEnd + 1 === m.va && last.physEnd + 1 === m.phys &&
        last.user === m.user && last.writable === m.writable && last.cow === m.cow) {
      last.vaEnd += bytes;
      last.physEnd += bytes;
      last.pages += m.pages;
    } else {
      runs.push({ vaStart: m.va, vaEnd: m.va + bytes - 1, physStart: m.phys, physEnd: m.phys + bytes - 1, pages: m.pages, user: m.user, writable: m.writable, cow: m.cow });
    }
  }
  return runs.map((r) => ({ ...r, text: formatRun(r) }));
}

/** "0xf0000000-0xffffffff -> 0x00000000-0x0fffffff, kernel rw, 65536 pages" (", cow" when copy-on-write). */
export function formatRun(r: Omit<FoldedRun, 'text'>): string {
  const rights = rightsText(r.user, r.writable) + (r.cow ? ', cow' : '');
  const count = `${r.pages} ${r.pages === 1 ? 'page' : 'pages'}`;
  return `${hexAddr(r.vaStart)}-${hexAddr(r.vaEnd)} -> ${hexAddr(r.physStart)}-${hexAddr(r.physEnd)}, ${rights}, ${count}`;
}

/** mappings() then foldMappings(): the folded view of one CR3. */
export function foldedView(mem: PhysSource, cr3: number, cr4: number, opts: PageTableOptions = {}): FoldedRun[] {
  return foldMappings(mappings(mem, cr3, cr4, opts));
}

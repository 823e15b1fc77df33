// The page-table tree of one CR3, for the Page Tables view: the directory alone (cheap), one
// table on demand (when a node is expanded), the whole tree, and the flat list of mapped pages
// that fold.ts folds into ranges. Read-only, like every inspector.

import { decodePde, decodePte, type PagingEntry, type PagingModel, rightsText } from './entry.js';
import { hex, hex8, hexAddr } from './hex.js';
import { physReader, type PhysReader, type PhysSource } from './phys.js';

/** JOS's PTE_COW (inc/mmu.h): software bit 11 of a PTE marks a copy-on-write page. */
export const JOS_PTE_COW = 0x800;

/**
 * Placeholder swap format until the teaching kernel fixes one: a not-present entry holds the
 * slot number above its P bit (bits 31:1). Pass `swapSlot` to use the kernel's real format.
 */
export function defaultSwapSlot(pte: number): number | undefined {
  return pte >>> 1;
}

/** The kernel's conventions for entries, pluggable because they are software's, not hardware's. */
export interface PageTableOptions {
  model?: PagingModel;
  /**
   * Interprets a not-present, non-zero PTE: the swap slot it names, or undefined if it names
   * none. null: do not interpret such entries. Default: defaultSwapSlot.
   */
  swapSlot?: ((pte: number) => number | undefined) | null;
  /** Whether a present leaf entry (PTE or 4 MiB PDE) is copy-on-write. Default: bit 0x800 set. null: never. */
  isCow?: ((entry: number) => boolean) | null;
}

function conventions(opts: PageTableOptions) {
  const swapSlot = opts.swapSlot === undefined ? defaultSwapSlot : opts.swapSlot;
  const isCow = opts.isCow === undefined ? (e: number) => (e & JOS_PTE_COW) !== 0 : opts.isCow;
  return {
    swapSlot: (pte: number) => (swapSlot ? swapSlot(pte) : undefined),
    isCow: (e: number) => (isCow ? isCow(e) : false),
  };
}

/** A present page-directory entry. */
export interface DirectoryEntryInfo {
  index: number;
  /** Linear range the entry covers (end inclusive). */
  vaStart: number;
  vaEnd: number;
  /** Physical address of the entry. */
  address: number;
  value: number;
  entry: PagingEntry;
  /** 'table': references a page table (list it with listTable); 'page4m': maps a 4 MiB page. */
  kind: 'table' | 'page4m';
  /** For a 4 MiB page only: copy-on-write by the kernel's convention. */
  cow: boolean;
  /** The entry lies beyond physical memory (so reads as all-ones). */
  beyondMemory: boolean;
  text: string;
}

/** A page-table entry that is present, or not present but non-zero (swapped or otherwise in use). */
export interface TableEntryInfo {
  pdeIndex: number;
  index: number;
  /** Linear address of the page. */
  va: number;
  address: number;
  value: number;
  state: 'present' | 'swapped' | 'not-present';
  entry: PagingEntry;
  swapSlot?: number;
  cow: boolean;
  /** Rights combined with the PDE's (what an access actually gets). */
  user: boolean;
  writable: boolean;
  text: string;
}

export interface PageTableTree {
  cr3: number;
  directory: Array<DirectoryEntryInfo & { table?: TableEntryInfo[] }>;
}

/** A present leaf: one 4 KiB page or one 4 MiB page. */
export interface Mapping {
  va: number;
  phys: number;
  /** 4 KiB pages covered: 1, or 1024 for a 4 MiB page. */
  pages: number;
  user: boolean;
  writable: boolean;
  cow: boolean;
}

const PDE_SPAN = 0x400000;

function directoryBase(cr3: number): number {
  return (cr3 & 0xfffff000) >>> 0;
}

function describePde(index: number, phys: PhysReader, cr3: number, cr4: number, opts: PageTableOptions): DirectoryEntryInfo | undefined {
  const address = directoryBase(cr3) + index * 4;
  const value = phys.read32(address);
  const entry = decodePde(value, cr4, opts.model);
  if (!entry.present) return undefined;
  const kind = entry.kind === 'page4m' ? 'page4m' : 'table';
  const vaStart = index * PDE_SPAN;
  const vaEnd = vaStart + PDE_SPAN - 1;
  const cow = kind === 'page4m' && conventions(opts).isCow(value);
  const target = kind === 'table' ? `page table ${hex8(entry.frame)}`
    : `${hexAddr(entry.frame)} 4 MiB ${rightsText(entry.user, entry.writable)}${cow ? ', copy-on-write' : ''}`;
  const text = `PDE[${hex(index)}] ${hex8(vaStart)}-${hex8(vaEnd)} -> ${target} (${entry.flags.join(' ')})`;
  return { index, vaStart, vaEnd, address, value, entry, kind, cow, beyondMemory: address + 4 > phys.size, text };
}

/** The present entries of the page directory at `cr3`, in index order. */
export function listDirectory(mem: PhysSource, cr3: number, cr4: number, opts: PageTableOptions = {}): DirectoryEntryInfo[] {
  const phys = physReader(mem);
  const out: DirectoryEntryInfo[] = [];
  for (let i = 0; i < 1024; i++) {
    const d = describePde(i, phys, cr3, cr4, opts);
    if (d) out.push(d);
  }
  return out;
}

/**
 * The entries of the page table referenced by PDE `pdeIndex`: present ones, and not-present
 * ones with non-zero contents. Undefined when that PDE is not present or maps a 4 MiB page.
 */
export function listTable(mem: PhysSource, cr3: number, cr4: number, pdeIndex: number, opts: PageTableOptions = {}): TableEntryInfo[] | undefined {
  const phys = physReader(mem);
  const dir = describePde(pdeIndex, phys, cr3, cr4, opts);
  if (!dir || dir.kind !== 'table') return undefined;
  const conv = conventions(opts);
  const out: TableEntryInfo[] = [];
  for (let i = 0; i < 1024; i++) {
    const address = dir.entry.frame + i * 4;
    const value = phys.read32(address);
    if (value === 0) continue;
    const entry = decodePte(value, cr4, opts.model);
    const va = dir.vaStart + i * 4096;
    const head = `PTE[${hex(i)}] ${hex8(va)}`;
    const user = dir.entry.user && entry.user;
    const writable = dir.entry.writable && entry.writable;
    if (entry.present) {
      const cow = conv.isCow(value);
      const text = `${head} -> ${hex8(entry.frame)} ${rightsText(user, writable)}${cow ? ', copy-on-write' : ''} (${entry.flags.join(' ')})`;
      out.push({ pdeIndex, index: i, va, address, value, state: 'present', entry, cow, user, writable, text });
      continue;
    }
    const slot = conv.swapSlot(value);
    const base = { pdeIndex, index: i, va, address, value, entry, cow: false, user, writable };
    if (slot === undefined) out.push({ ...base, state: 'not-present', text: `${head} not present (${hex8(value)})` });
    else out.push({ ...base, state: 'swapped', swapSlot: slot, text: `${head} swapped (slot ${slot})` });
  }
  return out;
}

/** The whole tree: every present PDE, and for each page table its entries. */
export function pageTableTree(mem: PhysSource, cr3: number, cr4: number, opts: PageTableOptions = {}): PageTableTree {
  const phys = physReader(mem);
  const directory = listDirectory(phys, cr3, cr4, opts).map((d) =>
    d.kind === 'table' ? { ...d, table: listTable(phys, cr3, cr4, d.index, opts) ?? [] } : d);
  return { cr3: cr3 >>> 0, directory };
}

/** Every present leaf in linear-address order (4 MiB pages as one mapping of 1024 pages). */
export function mappings(mem: PhysSource, cr3: number, cr4: number, opts: PageTableOptions = {}): Mapping[] {
  const phys = physReader(mem);
  const out: Mapping[] = [];
  for (const d of listDirectory(phys, cr3, cr4, opts)) {
    if (d.kind === 'page4m') {
      out.push({ va: d.vaStart, phys: d.entry.frame, pages: 1024, user: d.entry.user, writable: d.entry.writable, cow: d.cow });
      continue;
    }
    for (const t of listTable(phys, cr3, cr4, d.index, opts) ?? []) {
      if (t.state === 'present') out.push({ va: t.va, phys: t.entry.frame, pages: 1, user: t.user, writable: t.writable, cow: t.cow });
    }
  }
  return out;
}

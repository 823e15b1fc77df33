// Decoding of 32-bit paging-structure entries (SDM vol. 3, 4.3, tables 4-4 to 4-6). What a bit
// means depends on where the entry sits (PDE for a table, PDE for a 4 MiB page, PTE) and on which
// optional features the processor has, so decoding takes both.

/** Processor features that change the entry formats. Defaults: this emulator's CPUID. */
export interface PagingModel {
  /** PSE-36 (CPUID.1:EDX bit 17): a 4 MiB PDE carries physical address bits 39:32 in bits 20:13. */
  pse36?: boolean;
  /** MAXPHYADDR; matters only with PSE-36 (the SDM caps it at 40 for this purpose). */
  maxPhysAddr?: number;
  /** PAT (CPUID.1:EDX bit 16). Without it PTE bit 7 and 4 MiB PDE bit 12 are reserved. */
  pat?: boolean;
}

/**
 * Ringside's processor reports PSE but neither PSE-36 nor PAT (emulator/cpu/ops/identity.ts), so
 * by the SDM, with CR4.PSE=1, PDE bits 21:13 and 12 of a 4 MiB page and PTE bit 7 are reserved.
 */
export const RINGSIDE_PAGING: Required<PagingModel> = { pse36: false, maxPhysAddr: 32, pat: false };

export const P = 1, RW = 2, US = 4, PWT = 8, PCD = 0x10, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
export const CR4_PSE = 1 << 4;

/** What an entry is used as: a PDE referencing a page table, a PDE mapping 4 MiB, a PTE. */
export type EntryKind = 'table' | 'page4m' | 'page4k';

export interface PagingEntry {
  /** The raw entry, unsigned. */
  value: number;
  kind: EntryKind;
  present: boolean;
  writable: boolean;
  user: boolean;
  pwt: boolean;
  pcd: boolean;
  accessed: boolean;
  /** Bit 6. Ignored (may hold anything) in a PDE that references a table. */
  dirty: boolean;
  /** Bit 7 of a PDE. In a PTE bit 7 is PAT, reported in `pat`. */
  pageSize: boolean;
  /** Bit 8. Ignored in a PDE that references a table. */
  global: boolean;
  /** PAT bit: PTE bit 7 or 4 MiB PDE bit 12. */
  pat: boolean;
  /** Bits 11:9, available to software (JOS keeps PTE_COW = 0x800 here). */
  avl: number;
  /** Physical address the entry points to: page table, 4 KiB frame or 4 MiB frame (may pass 2^32 with PSE-36). */
  frame: number;
  /** Reserved bits that are set (0 when none). Only present entries can violate reserved bits. */
  reserved: number;
  /** Names of the set bits that mean something for this kind of entry, in SDM spelling. */
  flags: string[];
}

function model(m: PagingModel | undefined): Required<PagingModel> {
  return { ...RINGSIDE_PAGING, ...m };
}

/** Mask of the reserved bits of a present entry of `kind` (SDM 4.3: none at all when CR4.PSE=0). */
export function reservedMask(kind: EntryKind, cr4: number, m?: PagingModel): number {
  if (!(cr4 & CR4_PSE)) return 0;
  const { pse36, maxPhysAddr, pat } = model(m);
  if (kind === 'page4k') return pat ? 0 : PS;
  if (kind === 'table') return 0;
  // 4 MiB page: bits 21:13 without PSE-36; with it, bits 21:(M-19), M = min(40, MAXPHYADDR).
  const highBits = pse36 ? Math.max(0, Math.min(40, maxPhysAddr) - 32) : 0;
  let mask = 0;
  for (let bit = 13 + highBits; bit <= 21; bit++) mask |= 1 << bit;
  if (!pat) mask |= 1 << 12;
  return mask >>> 0;
}

/** Decodes a page-directory entry as the walk would use it under this CR4. */
export function decodePde(value: number, cr4: number, m?: PagingModel): PagingEntry {
  const v = value >>> 0;
  // SDM 4.3: PS selects a 4 MiB page only when CR4.PSE=1; otherwise it is ignored.
  const kind: EntryKind = v & PS && cr4 & CR4_PSE ? 'page4m' : 'table';
  return decodeAs(v, kind, cr4, m);
}

/** Decodes a page-table entry (always maps a 4 KiB page). */
export function decodePte(value: number, cr4: number, m?: PagingModel): PagingEntry {
  return decodeAs(value >>> 0, 'page4k', cr4, m);
}

function decodeAs(v: number, kind: EntryKind, cr4: number, m?: PagingModel): PagingEntry {
  const present = (v & P) !== 0;
  const pat = kind === 'page4k' ? (v & PS) !== 0 : kind === 'page4m' ? (v & 0x1000) !== 0 : false;
  const e: PagingEntry = {
    value: v,
    kind,
    present,
    writable: (v & RW) !== 0,
    user: (v & US) !== 0,
    pwt: (v & PWT) !== 0,
    pcd: (v & PCD) !== 0,
    accessed: (v & A) !== 0,
    dirty: (v & D) !== 0,
    pageSize: kind !== 'page4k' && (v & PS) !== 0,
    global: (v & G) !== 0,
    pat,
    avl: (v >>> 9) & 7,
    frame: frameOf(v, kind, m),
    reserved: present ? (v & reservedMask(kind, cr4, m)) >>> 0 : 0,
    flags: [],
  };
  e.flags = present ? flagNames(e) : [];
  return e;
}

function frameOf(v: number, kind: EntryKind, m?: PagingModel): number {
  if (kind !== 'page4m') return (v & 0xfffff000) >>> 0;
  const { pse36, maxPhysAddr } = model(m);
  const highBits = pse36 ? Math.max(0, Math.min(40, maxPhysAddr) - 32) : 0;
  const high = (v >>> 13) & ((1 << highBits) - 1);
  return high * 0x1_0000_0000 + ((v & 0xffc00000) >>> 0);
}

function flagNames(e: PagingEntry): string[] {
  const out: string[] = ['P'];
  if (e.writable) out.push('R/W');
  if (e.user) out.push('U/S');
  if (e.pwt) out.push('PWT');
  if (e.pcd) out.push('PCD');
  if (e.accessed) out.push('A');
  // D, PS and G mean nothing in a PDE that references a page table (SDM table 4-5).
  if (e.kind !== 'table') {
    if (e.dirty) out.push('D');
    if (e.pageSize) out.push('PS');
    if (e.global) out.push('G');
    if (e.pat) out.push('PAT');
  }
  if (e.avl) out.push(`AVL=${e.avl}`);
  return out;
}

/** "user rw", "kernel ro": the style of the folded page-table rows. */
export function rightsText(user: boolean, writable: boolean): string {
  return `${user ? 'user' : 'kernel'} ${writable ? 'rw' : 'ro'}`;
}

// Builds 32-bit page tables in a real PhysicalMemory, the way a kernel would write them, so the
// inspectors read exactly the bytes the emulated processor would walk.
import { PhysicalMemory } from '../../../emulator/memory/physical.js';

export const P = 1, W = 2, U = 4, PWT = 8, PCD = 0x10, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
export const CR0_PE = 1, CR0_WP = 1 << 16, CR0_PG = 1 << 31;
export const CR4_PSE = 1 << 4, CR4_PAE = 1 << 5, CR4_SMEP = 1 << 20, CR4_SMAP = 1 << 21;
/** Paging on, WP off / on. */
export const PG = CR0_PE | CR0_PG;
export const PG_WP = PG | CR0_WP;

export function write32(mem: PhysicalMemory, addr: number, value: number): void {
  new DataView(mem.u8.buffer).setUint32(addr, value >>> 0, true);
}

/** A page directory at `cr3` and page tables allocated upwards from `firstTable`. */
export class Tables {
  private next: number;
  private readonly tableOf = new Map<number, number>();

  constructor(readonly mem: PhysicalMemory, readonly cr3 = 0x1000, firstTable = 0x2000) {
    this.next = firstTable;
  }

  pde(index: number, value: number): void {
    write32(this.mem, this.cr3 + index * 4, value);
  }

  /** Maps one 4 KiB page; the PDE gets `pdeFlags` (and a new table if it has none yet). */
  map4k(va: number, pa: number, pdeFlags: number, pteFlags: number): number {
    const di = va >>> 22;
    let table = this.tableOf.get(di);
    if (table === undefined) {
      table = this.next;
      this.next += 0x1000;
      this.tableOf.set(di, table);
    }
    this.pde(di, table | pdeFlags);
    const pteAddr = table + ((va >>> 12) & 0x3ff) * 4;
    write32(this.mem, pteAddr, (pa & ~0xfff) | pteFlags);
    return pteAddr;
  }

  /** Writes a raw PTE for `va` (the table must exist). */
  pte(va: number, value: number): void {
    const table = this.tableOf.get(va >>> 22);
    if (table === undefined) throw new Error('no table');
    write32(this.mem, table + ((va >>> 12) & 0x3ff) * 4, value);
  }

  map4m(va: number, pa: number, flags: number): void {
    this.pde(va >>> 22, (pa & 0xffc00000) | PS | flags);
  }
}

export function freshMemory(mb = 4): PhysicalMemory {
  return new PhysicalMemory(mb << 20);
}

/** Whole-memory equality without element-by-element matcher cost (vitest's toEqual on 4 MiB is slow). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

import type { Cpu } from './cpu.js';
import { CpuFault, PF_ } from './fault.js';

// Page-table entry bits (SDM vol. 3, 4.3).
export const PTE_P = 1, PTE_W = 2, PTE_U = 4, PTE_A = 0x20, PTE_D = 0x40, PTE_PS = 0x80;
export const CR0_PE = 1, CR0_WP = 1 << 16, CR0_PG = 1 << 31;
export const CR4_PSE = 1 << 4;

// Page-fault error code bits.
export const PFE_P = 1, PFE_W = 2, PFE_U = 4, PFE_RSVD = 8, PFE_ID = 16;

export const ACCESS_READ = 0, ACCESS_WRITE = 1, ACCESS_FETCH = 2;

// TLB entry bits: the frame address in bits 12-31, permissions below. An entry is usable for an
// access when all bits of the access's mask are set, so one AND and compare decides the fast path.
export const TLB_VALID = 1;
export const TLB_USER_READ = 2;
export const TLB_USER_WRITE = 4;
export const TLB_SUPER_WRITE = 8;
/** The dirty bit is already set in the PTE, so a write needs no walk to set it. */
export const TLB_DIRTY = 16;
/** The entry is a 4 KiB slice of a 4 MiB page (invlpg must drop the whole page). */
export const TLB_LARGE = 32;
/**
 * No snapshot shares the frame (emulator/snapshot/), so a write may go straight to RAM. Part of
 * every write mask: taking a snapshot clears it in all entries, and the first write to each frame
 * then takes the slow path, which saves the frame for the snapshot and sets the bit again.
 */
export const TLB_OWNED = 64;

/** The TLB's contents as (linear page, entry) pairs, for machine snapshots. */
export interface TlbState {
  readonly pages: Int32Array;
  readonly entries: Int32Array;
}

/**
 * The TLB and the page walker. One entry per linear page (a flat Int32Array of 2^20 entries), so
 * a lookup is one load. Entries are filled by walks and dropped only by flush() (CR3 writes, CR0/CR4
 * paging changes) and invalidate() (invlpg): a PTE changed in memory without invlpg stays unseen,
 * as on hardware. With paging off, identity entries are filled the same way, which gives watchpoints
 * one mechanism: pages that hold a watched address are never entered, so their accesses take the
 * slow path where the watch check lives.
 */
export class Mmu {
  readonly tlb = new Int32Array(1 << 20);
  /** Linear pages with a valid entry, so a flush clears only those. */
  private filled = new Int32Array(4096);
  private filledCount = 0;
  private filledOverflow = false;

  /** Masks the fast path compares against, for the current CPL. */
  readMask = TLB_VALID;
  writeMask = TLB_VALID | TLB_SUPER_WRITE | TLB_DIRTY | TLB_OWNED;

  /** Linear and physical pages that must not be entered (watchpoints). */
  noFillLinear: ReadonlySet<number> = new Set();
  noFillPhysical: ReadonlySet<number> = new Set();

  constructor(private readonly cpu: Cpu) {}

  /** Recomputes the access masks after a CPL change. */
  setCpl(cpl: number): void {
    if (cpl === 3) {
      this.readMask = TLB_VALID | TLB_USER_READ;
      this.writeMask = TLB_VALID | TLB_USER_WRITE | TLB_DIRTY | TLB_OWNED;
    } else {
      this.readMask = TLB_VALID;
      this.writeMask = TLB_VALID | TLB_SUPER_WRITE | TLB_DIRTY | TLB_OWNED;
    }
  }

  flush(): void {
    if (this.filledOverflow) {
      this.tlb.fill(0);
    } else {
      const t = this.tlb, f = this.filled;
      for (let k = 0; k < this.filledCount; k++) t[f[k]] = 0;
    }
    this.filledCount = 0;
    this.filledOverflow = false;
    this.largeFills = 0;
    this.cpu.blocks.mappingsChanged();
  }

  invalidate(lin: number): void {
    this.tlb[lin >>> 12] = 0;
    // A 4 MiB page is cached as 4 KiB slices; invlpg anywhere in it drops them all (SDM 4.10.4.1).
    if (this.largeFills !== 0) {
      const first = (lin >>> 22) << 10;
      for (let p = first; p < first + 1024; p++) if (this.tlb[p] & TLB_LARGE) this.tlb[p] = 0;
    }
    this.cpu.blocks.mappingsChanged();
  }

  /** Slices of 4 MiB pages filled since the last flush (0 lets invlpg skip the scan). */
  private largeFills = 0;

  /**
   * Translates `lin` for `access` at the current CPL, walking the page tables (and setting A/D bits,
   * as the hardware does) when the TLB cannot answer. Raises #PF with CR2 and the error code.
   */
  translate(lin: number, access: number, user = this.cpu.cpl === 3): number {
    const cpu = this.cpu;
    const page = lin >>> 12;
    // Supervisor accesses made at CPL 3 (interrupt frames, descriptor tables) come here directly.
    const cached = this.tlb[page];
    const need = access === ACCESS_WRITE
      ? TLB_VALID | TLB_DIRTY | TLB_OWNED | (user ? TLB_USER_WRITE : TLB_SUPER_WRITE)
      : TLB_VALID | (user ? TLB_USER_READ : 0);
    if ((cached & need) === need) return ((cached & ~0xfff) | (lin & 0xfff)) >>> 0;
    if (access === ACCESS_WRITE && ((cached | TLB_OWNED) & need) === need) {
      // The entry allows the write but a snapshot shares the frame: save the frame, keep the entry.
      // No walk: the page tables may have changed without invlpg, which the TLB must keep hiding.
      const phys = ((cached & ~0xfff) | (lin & 0xfff)) >>> 0;
      cpu.mem.claim(phys);
      this.tlb[page] = cached | TLB_OWNED;
      return phys;
    }
    let entry: number;
    if (!(cpu.cr0 & CR0_PG)) {
      entry = (page << 12) | TLB_VALID | TLB_USER_READ | TLB_USER_WRITE | TLB_SUPER_WRITE | TLB_DIRTY;
    } else {
      entry = this.walk(lin, access, user);
    }
    const phys = ((entry & ~0xfff) | (lin & 0xfff)) >>> 0;
    if (access === ACCESS_WRITE) cpu.mem.claim(phys);
    if (!cpu.mem.isShared(phys)) entry |= TLB_OWNED;
    if (!this.noFillLinear.has(page) && !this.noFillPhysical.has(phys >>> 12)) this.fill(page, entry);
    return phys;
  }

  private fill(page: number, entry: number): void {
    if (entry & TLB_LARGE) this.largeFills++;
    if (this.tlb[page] === 0) {
      if (this.filledCount < this.filled.length) this.filled[this.filledCount++] = page;
      else this.filledOverflow = true;
    }
    this.tlb[page] = entry;
  }

  /** The two-level walk of SDM vol. 3, 4.3 and the access rights of 4.6. Returns a TLB entry. */
  private walk(lin: number, access: number, user: boolean): number {
    const cpu = this.cpu;
    const mem = cpu.mem;
    const write = access === ACCESS_WRITE;
    const wp = (cpu.cr0 & CR0_WP) !== 0;
    const pdeAddr = ((cpu.cr3 & ~0xfff) + ((lin >>> 22) << 2)) >>> 0;
    const pde = this.readPhys(pdeAddr);
    if (!(pde & PTE_P)) this.pageFault(lin, access, user, false);
    let frame: number;
    let rights: number; // U and W combined over both levels
    let pteAddr = -1;
    let pte = 0;
    if ((pde & PTE_PS) && (cpu.cr4 & CR4_PSE)) {
      // Without PSE-36 and PAT (not in our CPUID), bits 21:12 of a 4 MiB PDE are reserved (SDM 4.3).
      if (pde & 0x3ff000) this.pageFault(lin, access, user, true, true);
      frame = ((pde & 0xffc00000) | (lin & 0x3ff000)) >>> 0;
      rights = pde & (PTE_U | PTE_W);
    } else {
      pteAddr = ((pde & ~0xfff) + (((lin >>> 12) & 0x3ff) << 2)) >>> 0;
      pte = this.readPhys(pteAddr);
      if (!(pte & PTE_P)) this.pageFault(lin, access, user, false);
      // Bit 7 of a PTE is PAT, reserved on a processor without PAT.
      if (pte & PTE_PS && cpu.cr4 & CR4_PSE) this.pageFault(lin, access, user, true, true);
      frame = (pte & ~0xfff) >>> 0;
      rights = pde & pte & (PTE_U | PTE_W);
    }
    // SDM 4.6: user accesses need U at every level, and W at every level to write; supervisor
    // writes need W at every level only when CR0.WP is set. Supervisor reads are always allowed.
    if (user && !(rights & PTE_U)) this.pageFault(lin, access, user, true);
    if (write && !(rights & PTE_W) && (user || wp)) this.pageFault(lin, access, user, true);
    // Accessed and dirty bits, as the processor sets them during the walk.
    if (!(pde & PTE_A)) this.writePhys(pdeAddr, pde | PTE_A);
    let dirty: boolean;
    if (pteAddr < 0) {
      dirty = (pde & PTE_D) !== 0 || write;
      if (write && !(pde & PTE_D)) this.writePhys(pdeAddr, pde | PTE_A | PTE_D);
    } else {
      const want = pte | PTE_A | (write ? PTE_D : 0);
      if (want !== pte) this.writePhys(pteAddr, want);
      dirty = (want & PTE_D) !== 0;
    }
    let entry = (frame & ~0xfff) | TLB_VALID | (pteAddr < 0 ? TLB_LARGE : 0);
    if (rights & PTE_U) entry |= TLB_USER_READ;
    if ((rights & (PTE_U | PTE_W)) === (PTE_U | PTE_W)) entry |= TLB_USER_WRITE;
    if (rights & PTE_W || !wp) entry |= TLB_SUPER_WRITE;
    if (dirty) entry |= TLB_DIRTY;
    return entry;
  }

  private readPhys(addr: number): number {
    const mem = this.cpu.mem;
    return addr + 4 <= mem.size ? mem.i32[addr >>> 2] : -1;
  }

  private writePhys(addr: number, v: number): void {
    const mem = this.cpu.mem;
    if (addr + 4 <= mem.size) {
      mem.claim(addr, 4); // an A/D bit update is a write like any other for snapshots
      mem.i32[addr >>> 2] = v;
    }
  }

  // ---------------------------------------------------------------- snapshots

  /** Takes write permission (TLB_OWNED) from every entry: a snapshot now shares every frame. */
  revokeOwnership(): void {
    const t = this.tlb;
    if (this.filledOverflow) {
      for (let p = 0; p < t.length; p++) t[p] &= ~TLB_OWNED;
    } else {
      const f = this.filled;
      for (let k = 0; k < this.filledCount; k++) t[f[k]] &= ~TLB_OWNED;
    }
  }

  /**
   * The TLB's entries. They are machine state: a PTE changed without invlpg stays unseen through
   * a stale entry, and a restored machine must keep seeing exactly the same stale entries.
   */
  snapshot(): TlbState {
    const t = this.tlb;
    const pages: number[] = [];
    if (this.filledOverflow) {
      for (let p = 0; p < t.length; p++) if (t[p] !== 0) pages.push(p);
    } else {
      // `filled` may name a page twice (invlpg, then a refill) or name a dropped entry.
      const seen = new Set<number>();
      for (let k = 0; k < this.filledCount; k++) {
        const p = this.filled[k];
        if (t[p] !== 0 && !seen.has(p)) {
          seen.add(p);
          pages.push(p);
        }
      }
    }
    return { pages: Int32Array.from(pages), entries: Int32Array.from(pages, (p) => t[p]) };
  }

  /** Puts back a snapshot's entries, without write permission (the restored frames are all shared). */
  restore(state: TlbState): void {
    this.flush();
    for (let k = 0; k < state.pages.length; k++) this.fill(state.pages[k], state.entries[k] & ~TLB_OWNED);
  }

  private pageFault(lin: number, access: number, user: boolean, present: boolean, reserved = false): never {
    const cpu = this.cpu;
    cpu.cr2 = lin | 0;
    const err = (present ? PFE_P : 0) | (access === ACCESS_WRITE ? PFE_W : 0) | (user ? PFE_U : 0) | (reserved ? PFE_RSVD : 0);
    throw new CpuFault(PF_, err, `${access === ACCESS_FETCH ? 'fetch' : access === ACCESS_WRITE ? 'write' : 'read'} at 0x${(lin >>> 0).toString(16).padStart(8, '0')}`);
  }
}

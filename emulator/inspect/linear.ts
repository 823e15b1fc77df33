// Reading linear addresses the way the processor reads its own tables. GDTR/IDTR bases and the
// TSS base are linear addresses: with paging on they go through the page tables like any other
// access. Those reads are implicit supervisor-mode reads (SDM vol. 3, 4.6), so the reader walks
// with supervisor rules. Unmapped bytes read as undefined rather than faulting.

import type { PagingModel } from './entry.js';
import { physReader, type PhysSource } from './phys.js';
import { type PagingRegisters, translate } from './translate.js';

/** What the descriptor-table decoders need: a dword at a linear address, undefined if unmapped. */
export interface LinearReader {
  read32(linear: number): number | undefined;
}

/** A fuller reader for views that show memory. */
export interface LinearMemory extends LinearReader {
  read8(linear: number): number | undefined;
  read16(linear: number): number | undefined;
  /** The physical address backing `linear`, or undefined when the walk fails. */
  physical(linear: number): number | undefined;
}

/**
 * A side-effect-free LinearMemory over the page tables at `cr3`. Nothing is cached between
 * calls, so the reader always reflects the page tables as they are in memory now.
 */
export function linearReader(mem: PhysSource, cr3: number, cr0: number, cr4: number, model?: PagingModel): LinearMemory {
  const phys = physReader(mem);
  const regs: PagingRegisters = { cr0, cr4 };
  const physical = (linear: number): number | undefined => {
    const t = translate(phys, linear, cr3, regs, 'read', 0, { implicit: true, model });
    return t.ok ? t.phys : undefined;
  };
  // Reads `n` bytes little-endian, translating once per page touched.
  const readN = (linear: number, n: number): number | undefined => {
    let value = 0;
    let pageBase = -1;
    let pagePhys = 0;
    for (let k = 0; k < n; k++) {
      const lin = (linear + k) >>> 0;
      if (lin >>> 12 !== pageBase) {
        const p = physical(lin & 0xfffff000);
        if (p === undefined) return undefined;
        pageBase = lin >>> 12;
        pagePhys = p;
      }
      value += phys.read8(pagePhys + (lin & 0xfff)) * 2 ** (8 * k);
    }
    return value;
  };
  return {
    physical,
    read8: (linear) => readN(linear, 1),
    read16: (linear) => readN(linear, 2),
    read32(linear) {
      // The common case, a dword inside one page, is one walk and one physical read.
      if ((linear & 0xfff) <= 0xffc) {
        const p = physical(linear);
        return p === undefined ? undefined : phys.read32(p);
      }
      return readN(linear, 4);
    },
  };
}

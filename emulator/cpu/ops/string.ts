// String instructions: movs, cmps, stos, lods, scas, with rep / repe / repne.
import { K_SUB, SIZE_MASK, type Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { DF } from '../eflags.js';
import { EAX, ECX, EDI, ES, ESI } from '../regs.js';

/**
 * Iterations one execution of a rep instruction performs before yielding. It then re-executes
 * itself (EIP stays on it), which is where interrupts and the run budget get their chance, as
 * real hardware allows between iterations.
 */
const REP_CHUNK = 4096;

const MOVS = 0, CMPS = 1, STOS = 2, LODS = 3, SCAS = 4;

/** Performs one element; returns false when a repe/repne condition ends the repetition. */
function element(cpu: Cpu, i: Insn, kind: number): boolean {
  const s = i.size;
  const delta = cpu.flags & DF ? -s : s;
  const r = cpu.regs;
  const a16 = i.addr16;
  const si = a16 ? r[ESI] & 0xffff : r[ESI];
  const di = a16 ? r[EDI] & 0xffff : r[EDI];
  const src = (cpu.segBase[i.seg] + si) | 0;
  const dst = (cpu.segBase[ES] + di) | 0;
  let advanceSi = false, advanceDi = false, cmp = false;
  switch (kind) {
    case MOVS:
      cpu.write(s, dst, cpu.read(s, src));
      advanceSi = advanceDi = true;
      break;
    case STOS:
      cpu.write(s, dst, cpu.getReg(s, EAX));
      advanceDi = true;
      break;
    case LODS:
      cpu.setReg(s, EAX, cpu.read(s, src));
      advanceSi = true;
      break;
    case CMPS: {
      const m = SIZE_MASK[s];
      const x = cpu.read(s, src) & m, y = cpu.read(s, dst) & m;
      cpu.setLazy(K_SUB, x, y, (x - y) & m, s);
      advanceSi = advanceDi = cmp = true;
      break;
    }
    default: { // SCAS
      const m = SIZE_MASK[s];
      const x = cpu.getReg(s, EAX) & m, y = cpu.read(s, dst) & m;
      cpu.setLazy(K_SUB, x, y, (x - y) & m, s);
      advanceDi = cmp = true;
    }
  }
  if (advanceSi) {
    if (a16) cpu.r16[ESI << 1] = si + delta;
    else r[ESI] = (si + delta) | 0;
  }
  if (advanceDi) {
    if (a16) cpu.r16[EDI << 1] = di + delta;
    else r[EDI] = (di + delta) | 0;
  }
  if (!cmp || !i.rep) return true;
  // repe (F3) continues while equal, repne (F2) while not equal.
  return i.rep === 0xf3 ? cpu.getZF() : !cpu.getZF();
}

/**
 * rep stos / rep movs, forward, 32-bit addressing: the elements that stay inside the current
 * page(s) of RAM, written straight into guest memory. Returns how many elements it did (at most
 * `max`); 0 means "do the next element the ordinary way" (an element straddling a page, MMIO, a
 * watched page, overlapping movs ranges), NEVER that no later element of this run can be done
 * here either (DF set, 16-bit addressing, misaligned elements: each step keeps the alignment), so
 * the caller stops asking instead of translating every element twice.
 *
 * It does exactly what the element loop would: the first element of each page is translated by
 * the normal access path (so a fault, a TLB fill, an A/D-bit update or a snapshot claim happen
 * as they would, with nothing written before a fault); once the TLB holds a write (and, for movs,
 * read) entry for the page, the TLB's own contract says every further access to that page would
 * take the fast path too: no watchpoint (watched pages never enter the TLB), a claimed frame, the
 * dirty bit set. Code decoded from a written page is dropped, as each write would drop it.
 */
const NEVER = -1;

function bulk(cpu: Cpu, i: Insn, kind: number, count: number, max: number): number {
  const s = i.size;
  const r = cpu.regs;
  const dst = (cpu.segBase[ES] + r[EDI]) | 0;
  // The offset in the page is the same in the linear and the physical address: alignment is
  // decided before any translation.
  const src = kind === MOVS ? (cpu.segBase[i.seg] + r[ESI]) | 0 : 0;
  if (i.addr16 || (cpu.flags & DF) !== 0 || (dst & (s - 1)) !== 0 || (src & (s - 1)) !== 0) return NEVER;
  let n = Math.min(count >>> 0, max, ((0x1000 - (dst & 0xfff)) / s) | 0);
  if (n < 2) return 0;
  const mem = cpu.mem;
  const tlb = cpu.mmu.tlb;
  let ps = -1;
  if (kind === MOVS) {
    n = Math.min(n, ((0x1000 - (src & 0xfff)) / s) | 0);
    if (n < 2) return 0;
    ps = cpu.physRead(src, s); // the element loop reads before it writes: faults in that order
    if ((tlb[src >>> 12] & cpu.mmu.readMask) !== cpu.mmu.readMask || ps + n * s > mem.size) return 0;
  }
  const pd = cpu.physWrite(dst, s);
  if ((tlb[dst >>> 12] & cpu.mmu.writeMask) !== cpu.mmu.writeMask || pd + n * s > mem.size) return 0;
  const bytes = n * s;
  if (ps >= 0 && ps < pd + bytes && pd < ps + bytes) return 0; // overlap: element order matters
  if (kind === STOS) {
    const v = cpu.getReg(s, EAX);
    if (s === 4) mem.i32.fill(v, pd >>> 2, (pd >>> 2) + n);
    else if (s === 2) mem.u16.fill(v, pd >>> 1, (pd >>> 1) + n);
    else mem.u8.fill(v, pd, pd + n);
  } else {
    mem.u8.copyWithin(pd, ps, ps + bytes);
    r[ESI] = (r[ESI] + bytes) | 0;
  }
  r[EDI] = (r[EDI] + bytes) | 0;
  r[ECX] = (count - n) | 0;
  if (cpu.blocks.codePages[pd >>> 12]) cpu.blocks.invalidatePage(pd >>> 12);
  return n;
}

function stringOp(kind: number): Handler {
  const bulkable = kind === STOS || kind === MOVS;
  return (cpu, i) => {
    if (!i.rep) {
      element(cpu, i, kind);
      return;
    }
    const r = cpu.regs;
    let tryBulk = bulkable;
    for (let k = 0; k < REP_CHUNK; k++) {
      const count = i.addr16 ? r[ECX] & 0xffff : r[ECX];
      if (count === 0) return;
      if (tryBulk) {
        const done = bulk(cpu, i, kind, count, REP_CHUNK - k);
        if (done === NEVER) tryBulk = false;
        else if (done > 0) {
          k += done - 1;
          if (count - done === 0) return;
          continue;
        }
      }
      // Count is decremented after the element, so a faulting element leaves eCX as it was.
      const goOn = element(cpu, i, kind);
      if (i.addr16) cpu.r16[ECX << 1] = count - 1;
      else r[ECX] = (count - 1) | 0;
      if (!goOn || count - 1 === 0) return;
    }
    cpu.eip = (cpu.eip - i.len) | 0; // not finished: run this instruction again
  };
}

// SDM CMPS/SCAS: "CF, OF, SF, ZF, AF, PF set according to the temporary result of the comparison".
const CMPF = { set: 'OSZAPC', undefined: '' };

export const STRING_OPS: OpDef[] = [
  { opcode: 0xa4, mnemonic: 'movs', operands: ['Yb', 'Xb'], exec: stringOp(MOVS), branch: true, summary: 'MOVS: copy [eSI] to es:[eDI], advance both (rep: eCX times)' },
  { opcode: 0xa5, mnemonic: 'movs', operands: ['Yv', 'Xv'], exec: stringOp(MOVS), branch: true, summary: 'MOVS: copy [eSI] to es:[eDI], advance both (rep: eCX times)' },
  { opcode: 0xa6, mnemonic: 'cmps', operands: ['Xb', 'Yb'], exec: stringOp(CMPS), branch: true, flags: CMPF, summary: 'CMPS: compare [eSI] with es:[eDI] (repe/repne: while equal / not equal)' },
  { opcode: 0xa7, mnemonic: 'cmps', operands: ['Xv', 'Yv'], exec: stringOp(CMPS), branch: true, flags: CMPF, summary: 'CMPS: compare [eSI] with es:[eDI] (repe/repne: while equal / not equal)' },
  { opcode: 0xaa, mnemonic: 'stos', operands: ['Yb', 'AL'], exec: stringOp(STOS), branch: true, summary: 'STOS: store AL at es:[eDI], advance (rep: fill eCX elements)' },
  { opcode: 0xab, mnemonic: 'stos', operands: ['Yv', 'eAX'], exec: stringOp(STOS), branch: true, summary: 'STOS: store eAX at es:[eDI], advance (rep: fill eCX elements)' },
  { opcode: 0xac, mnemonic: 'lods', operands: ['AL', 'Xb'], exec: stringOp(LODS), branch: true, summary: 'LODS: load AL from [eSI], advance' },
  { opcode: 0xad, mnemonic: 'lods', operands: ['eAX', 'Xv'], exec: stringOp(LODS), branch: true, summary: 'LODS: load eAX from [eSI], advance' },
  { opcode: 0xae, mnemonic: 'scas', operands: ['AL', 'Yb'], exec: stringOp(SCAS), branch: true, flags: CMPF, summary: 'SCAS: compare AL with es:[eDI], advance (repne: search)' },
  { opcode: 0xaf, mnemonic: 'scas', operands: ['eAX', 'Yv'], exec: stringOp(SCAS), branch: true, flags: CMPF, summary: 'SCAS: compare eAX with es:[eDI], advance (repne: search)' },
];

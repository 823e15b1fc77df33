// Multiplication and division: mul, imul (one, two and three operands), div, idiv.
import type { Cpu } from '../cpu.js';
import type { Handler } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { CF, OF } from '../eflags.js';
import { CpuFault, DE } from '../fault.js';
import { EAX, EDX } from '../regs.js';

/** High 32 bits of the unsigned 64-bit product a*b, without BigInt (16-bit partial products stay exact). */
export function mulHighU32(a: number, b: number): number {
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const ll = aL * bL, lh = aL * bH, hl = aH * bL, hh = aH * bH;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

/** High 32 bits of the signed 64-bit product a*b. */
export function mulHighS32(a: number, b: number): number {
  let hi = mulHighU32(a, b);
  if (a < 0) hi = (hi - b) | 0;
  if (b < 0) hi = (hi - a) | 0;
  return hi;
}

/**
 * Flags after a multiply: CF = OF = "the high half is significant". SF, ZF, AF and PF are undefined
 * by the SDM; we set SF/ZF/PF from the low half (as current Intel cores do) and clear AF.
 */
function mulFlags(cpu: Cpu, low: number, size: number, overflow: boolean): void {
  cpu.setResultFlags(low, size, overflow ? CF | OF : 0);
}

const mulE: Handler = (cpu, i) => {
  const s = i.size;
  const src = cpu.readE(i, s);
  if (s === 1) {
    const r = cpu.r8[0] * src;
    cpu.r16[0] = r;
    mulFlags(cpu, r & 0xff, 1, r > 0xff);
  } else if (s === 2) {
    const r = cpu.r16[0] * src;
    cpu.r16[0] = r;
    cpu.r16[EDX << 1] = r >>> 16;
    mulFlags(cpu, r & 0xffff, 2, r > 0xffff);
  } else {
    const a = cpu.regs[EAX];
    const hi = mulHighU32(a, src);
    const lo = Math.imul(a, src);
    cpu.regs[EAX] = lo;
    cpu.regs[EDX] = hi;
    mulFlags(cpu, lo, 4, hi !== 0);
  }
};

const imul1E: Handler = (cpu, i) => {
  const s = i.size;
  const src = cpu.readE(i, s);
  if (s === 1) {
    const r = ((cpu.r8[0] << 24) >> 24) * ((src << 24) >> 24);
    cpu.r16[0] = r;
    mulFlags(cpu, r & 0xff, 1, r !== (r << 24) >> 24);
  } else if (s === 2) {
    const r = ((cpu.r16[0] << 16) >> 16) * ((src << 16) >> 16);
    cpu.r16[0] = r;
    cpu.r16[EDX << 1] = r >> 16;
    mulFlags(cpu, r & 0xffff, 2, r !== (r << 16) >> 16);
  } else {
    const a = cpu.regs[EAX];
    const hi = mulHighS32(a, src);
    const lo = Math.imul(a, src);
    cpu.regs[EAX] = lo;
    cpu.regs[EDX] = hi;
    mulFlags(cpu, lo, 4, hi !== lo >> 31);
  }
};

/** Truncating signed multiply at 16 or 32 bits, setting CF/OF when the product did not fit. */
function imulTrunc(cpu: Cpu, a: number, b: number, s: number): number {
  if (s === 2) {
    const r = ((a << 16) >> 16) * ((b << 16) >> 16);
    mulFlags(cpu, r & 0xffff, 2, r !== (r << 16) >> 16);
    return r & 0xffff;
  }
  // The double product is exact whenever it fits in 32 bits, and rounding cannot bring a product
  // that does not fit back into range, so this range test is the exact overflow condition.
  const p = a * b;
  const lo = Math.imul(a, b);
  mulFlags(cpu, lo, 4, p > 0x7fffffff || p < -0x80000000);
  return lo;
}

const imul2: Handler = (cpu, i) => {
  const s = i.size;
  cpu.setReg(s, i.reg, imulTrunc(cpu, cpu.getReg(s, i.reg), cpu.readE(i, s), s));
};
const imul3: Handler = (cpu, i) => {
  const s = i.size;
  cpu.setReg(s, i.reg, imulTrunc(cpu, cpu.readE(i, s), i.imm, s));
};

function divideError(cpu: Cpu, why: string): never {
  throw new CpuFault(DE, -1, why);
}

const divE: Handler = (cpu, i) => {
  const s = i.size;
  const d = cpu.readE(i, s) >>> 0;
  if (d === 0) divideError(cpu, 'division by zero');
  if (s === 1) {
    const n = cpu.r16[0];
    const q = Math.floor(n / d);
    if (q > 0xff) divideError(cpu, 'quotient does not fit in AL');
    cpu.r8[0] = q;
    cpu.r8[1] = n % d;
  } else if (s === 2) {
    const n = (cpu.r16[EDX << 1] * 0x10000 + cpu.r16[0]);
    const q = Math.floor(n / d);
    if (q > 0xffff) divideError(cpu, 'quotient does not fit in AX');
    cpu.r16[0] = q;
    cpu.r16[EDX << 1] = n % d;
  } else {
    const hi = cpu.regs[EDX] >>> 0, lo = cpu.regs[EAX] >>> 0;
    if (hi >= d) divideError(cpu, 'quotient does not fit in EAX');
    if (hi === 0) {
      cpu.regs[EAX] = Math.floor(lo / d);
      cpu.regs[EDX] = lo % d;
    } else {
      const n = (BigInt(hi) << 32n) | BigInt(lo);
      const bd = BigInt(d);
      cpu.regs[EAX] = Number(n / bd);
      cpu.regs[EDX] = Number(n % bd);
    }
  }
};

const idivE: Handler = (cpu, i) => {
  const s = i.size;
  if (s === 1) {
    const d = (cpu.readE(i, 1) << 24) >> 24;
    if (d === 0) divideError(cpu, 'division by zero');
    const n = (cpu.r16[0] << 16) >> 16;
    const q = Math.trunc(n / d);
    if (q > 127 || q < -128) divideError(cpu, 'quotient does not fit in AL');
    cpu.r8[0] = q;
    cpu.r8[1] = n % d;
  } else if (s === 2) {
    const d = (cpu.readE(i, 2) << 16) >> 16;
    if (d === 0) divideError(cpu, 'division by zero');
    const n = (cpu.r16[EDX << 1] << 16) | cpu.r16[0];
    const q = Math.trunc(n / d);
    if (q > 32767 || q < -32768) divideError(cpu, 'quotient does not fit in AX');
    cpu.r16[0] = q;
    cpu.r16[EDX << 1] = n % d;
  } else {
    const d = cpu.readE(i, 4);
    if (d === 0) divideError(cpu, 'division by zero');
    const hi = cpu.regs[EDX], lo = cpu.regs[EAX];
    let q: number, r: number;
    if (hi === lo >> 31) {
      // The dividend is a sign-extended 32-bit value (cdq): doubles are exact.
      q = Math.trunc(lo / d);
      r = lo % d;
    } else {
      const n = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
      const bd = BigInt(d);
      q = Number(n / bd);
      r = Number(n % bd);
    }
    if (q > 0x7fffffff || q < -0x80000000) divideError(cpu, 'quotient does not fit in EAX');
    cpu.regs[EAX] = q;
    cpu.regs[EDX] = r;
  }
};

// SDM: MUL/IMUL "OF and CF set when the upper half is significant; SF, ZF, AF, PF undefined".
const MULF = { set: 'OC', undefined: 'SZAP' };
// SDM: DIV/IDIV "CF, OF, SF, ZF, AF, and PF flags are undefined".
const DIVF = { set: '', undefined: 'OSZAPC' };

export const MULDIV_OPS: OpDef[] = [
  { opcode: 0xf6, ext: 4, mnemonic: 'mul', operands: ['Eb'], exec: mulE, flags: MULF, summary: 'MUL: unsigned multiply AL by r/m8 into AX' },
  { opcode: 0xf7, ext: 4, mnemonic: 'mul', operands: ['Ev'], exec: mulE, flags: MULF, summary: 'MUL: unsigned multiply eAX by r/m into eDX:eAX' },
  { opcode: 0xf6, ext: 5, mnemonic: 'imul', operands: ['Eb'], exec: imul1E, flags: MULF, summary: 'IMUL: signed multiply AL by r/m8 into AX' },
  { opcode: 0xf7, ext: 5, mnemonic: 'imul', operands: ['Ev'], exec: imul1E, flags: MULF, summary: 'IMUL: signed multiply eAX by r/m into eDX:eAX' },
  { opcode: 0xf6, ext: 6, mnemonic: 'div', operands: ['Eb'], exec: divE, flags: DIVF, summary: 'DIV: unsigned divide AX by r/m8 (#DE on zero or overflow)' },
  { opcode: 0xf7, ext: 6, mnemonic: 'div', operands: ['Ev'], exec: divE, flags: DIVF, summary: 'DIV: unsigned divide eDX:eAX by r/m (#DE on zero or overflow)' },
  { opcode: 0xf6, ext: 7, mnemonic: 'idiv', operands: ['Eb'], exec: idivE, flags: DIVF, summary: 'IDIV: signed divide AX by r/m8 (#DE on zero or overflow)' },
  { opcode: 0xf7, ext: 7, mnemonic: 'idiv', operands: ['Ev'], exec: idivE, flags: DIVF, summary: 'IDIV: signed divide eDX:eAX by r/m (#DE on zero or overflow)' },
  { opcode: 0x0faf, mnemonic: 'imul', operands: ['Gv', 'Ev'], exec: imul2, flags: MULF, summary: 'IMUL: signed multiply register by r/m, truncated' },
  { opcode: 0x69, mnemonic: 'imul', operands: ['Gv', 'Ev', 'Iz'], exec: imul3, flags: MULF, summary: 'IMUL: signed multiply r/m by immediate into register, truncated' },
  { opcode: 0x6b, mnemonic: 'imul', operands: ['Gv', 'Ev', 'Ibs'], exec: imul3, flags: MULF, summary: 'IMUL: signed multiply r/m by sign-extended byte into register, truncated' },
];

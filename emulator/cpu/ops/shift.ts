// Shifts and rotates: rol/ror/rcl/rcr/shl/shr/sar by 1, CL and imm8; shld/shrd.
import { SIZE_MASK, type Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { CF, OF } from '../eflags.js';
import { ECX } from '../regs.js';
import { FAST_SHIFT_RI } from './alu-fast.js';
import { jitShiftRI } from './jit.js';

const ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAL = 6, SAR = 7;
const NAMES = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'shl', 'sar'];

/** Shifts or rotates v (already masked to `size`) by `count` (0..255 as encoded); sets flags. */
export function shiftRotate(cpu: Cpu, op: number, v: number, count: number, size: number): number {
  const c = count & 0x1f; // the count is masked to 5 bits before anything else, for every size
  if (c === 0) return v;
  const bits = size << 3;
  const m = SIZE_MASK[size];
  v &= m;
  let r: number, cf: number;
  switch (op) {
    case SHL:
    case SAL:
      r = c < 32 ? (v << c) & m : 0;
      cf = c <= bits ? (v >>> (bits - c)) & 1 : 0;
      cpu.setResultFlags(r, size, (cf ? CF : 0) | ((((r >>> (bits - 1)) & 1) ^ cf) ? OF : 0));
      return r;
    case SHR:
      r = v >>> c;
      cf = (v >>> (c - 1)) & 1;
      cpu.setResultFlags(r, size, (cf ? CF : 0) | ((v >>> (bits - 1)) & 1 ? OF : 0));
      return r;
    case SAR: {
      const sv = (v << (32 - bits)) >> (32 - bits);
      r = (sv >> c) & m;
      cf = (sv >> (c - 1)) & 1;
      cpu.setResultFlags(r, size, cf ? CF : 0);
      return r;
    }
    case ROL: {
      const n = c % bits;
      r = n ? ((v << n) | (v >>> (bits - n))) & m : v;
      cf = r & 1;
      cpu.setFlagBits(CF | OF, (cf ? CF : 0) | ((((r >>> (bits - 1)) & 1) ^ cf) ? OF : 0));
      return r;
    }
    case ROR: {
      const n = c % bits;
      r = n ? ((v >>> n) | (v << (bits - n))) & m : v;
      cf = (r >>> (bits - 1)) & 1;
      cpu.setFlagBits(CF | OF, (cf ? CF : 0) | ((cf ^ ((r >>> (bits - 2)) & 1)) ? OF : 0));
      return r;
    }
    default: { // RCL / RCR rotate through CF: a (bits+1)-wide rotation, done in exact doubles.
      const n = bits === 32 ? c : c % (bits + 1);
      const oldCf = cpu.getCF();
      if (n === 0) return v;
      const width = 2 ** (bits + 1);
      const x = oldCf * 2 ** bits + (v >>> 0);
      let y: number;
      if (op === RCL) y = ((x * 2 ** n) % width) + Math.floor(x / 2 ** (bits + 1 - n));
      else y = Math.floor(x / 2 ** n) + (x % 2 ** n) * 2 ** (bits + 1 - n);
      r = (y % 2 ** bits) | 0;
      if (bits < 32) r &= m;
      cf = y >= 2 ** bits ? 1 : 0;
      const of = op === RCL ? ((r >>> (bits - 1)) & 1) ^ cf : ((v >>> (bits - 1)) & 1) ^ oldCf;
      cpu.setFlagBits(CF | OF, (cf ? CF : 0) | (of ? OF : 0));
      return r;
    }
  }
}

function shiftE(cpu: Cpu, i: Insn, count: number): void {
  const s = i.size;
  if (i.isMem) {
    const a = cpu.ea(i);
    const v = cpu.read(s, a);
    const r = shiftRotate(cpu, i.reg, v, count, s);
    if (count & 0x1f) cpu.write(s, a, r);
  } else {
    cpu.setReg(s, i.rm, shiftRotate(cpu, i.reg, cpu.getReg(s, i.rm), count, s));
  }
}
const byOne: Handler = (cpu, i) => shiftE(cpu, i, 1);
const byCl: Handler = (cpu, i) => shiftE(cpu, i, cpu.r8[ECX << 2]);
const byImm: Handler = (cpu, i) => shiftE(cpu, i, i.imm);
/** Fast path: 32-bit register shifted by an immediate (compiled code's common case). */
const regByImm32: Handler = (cpu, i) => {
  cpu.regs[i.rm] = shiftRotate(cpu, i.reg, cpu.regs[i.rm], i.imm, 4);
};

/** shld/shrd: shift dest, filling from src. A 16-bit count above 16 gives an undefined result (SDM). */
function doubleShift(cpu: Cpu, i: Insn, count: number, left: boolean): void {
  const c = count & 0x1f;
  if (c === 0) return;
  const s = i.size;
  const bits = s << 3;
  const m = SIZE_MASK[s];
  const a = i.isMem ? cpu.ea(i) : 0;
  const d = (i.isMem ? cpu.read(s, a) : cpu.getReg(s, i.rm)) & m;
  const src = cpu.getReg(s, i.reg) & m;
  let r: number, cf: number;
  if (left) {
    r = c >= bits ? (src << (c - bits)) & m : ((d << c) | (src >>> (bits - c))) & m;
    cf = c <= bits ? (d >>> (bits - c)) & 1 : (src >>> (2 * bits - c)) & 1;
  } else {
    r = c >= bits ? (src >>> (c - bits)) & m : ((d >>> c) | (src << (bits - c))) & m;
    cf = c <= bits ? (d >>> (c - 1)) & 1 : (src >>> (c - bits - 1)) & 1;
  }
  const of = ((r ^ d) >>> (bits - 1)) & 1;
  cpu.setResultFlags(r, s, (cf ? CF : 0) | (of ? OF : 0));
  if (i.isMem) cpu.write(s, a, r);
  else cpu.setReg(s, i.rm, r);
}

// SDM SAL/SAR/SHL/SHR: "CF = last bit shifted out; OF affected only for 1-bit shifts, else undefined;
// SF, ZF, PF set by result; AF undefined. A count of 0 affects no flags."
const SHIFTF = { set: 'OSZPC', undefined: 'A' };
// SDM RCL/RCR/ROL/ROR: "CF as rotated; OF affected only for 1-bit rotates, else undefined; others unaffected."
const ROTF = { set: 'OC', undefined: '' };
// SDM SHLD/SHRD: "CF = last bit shifted out; OF for 1-bit shifts, else undefined; SF ZF PF by result;
// AF undefined; count 0: flags unaffected; count > operand size: result and flags undefined."
const DSHIFTF = { set: 'OSZPC', undefined: 'A' };

function shiftDefs(): OpDef[] {
  const defs: OpDef[] = [];
  for (let op = 0; op < 8; op++) {
    const mn = NAMES[op];
    const flags = op >= SHL ? SHIFTF : ROTF;
    const summary = `${mn.toUpperCase()}: ${['rotate left', 'rotate right', 'rotate left through carry', 'rotate right through carry', 'shift left', 'logical shift right', 'shift left (SAL alias)', 'arithmetic shift right'][op]}`;
    defs.push(
      { opcode: 0xd0, ext: op, mnemonic: mn, operands: ['Eb', 'ONE'], exec: byOne, flags, summary },
      { opcode: 0xd1, ext: op, mnemonic: mn, operands: ['Ev', 'ONE'], exec: byOne, flags, summary },
      { opcode: 0xd2, ext: op, mnemonic: mn, operands: ['Eb', 'CL'], exec: byCl, flags, summary },
      { opcode: 0xd3, ext: op, mnemonic: mn, operands: ['Ev', 'CL'], exec: byCl, flags, summary },
      { opcode: 0xc0, ext: op, mnemonic: mn, operands: ['Eb', 'Ib'], exec: byImm, flags, summary },
      {
        opcode: 0xc1, ext: op, mnemonic: mn, operands: ['Ev', 'Ib'], flags, summary, select: true,
        exec: (i: Insn) => (i.size === 4 && !i.isMem ? FAST_SHIFT_RI[i.reg] ?? regByImm32 : byImm),
        jit: jitShiftRI,
      },
    );
  }
  return defs;
}

export const SHIFT_OPS: OpDef[] = [
  ...shiftDefs(),
  { opcode: 0x0fa4, mnemonic: 'shld', operands: ['Ev', 'Gv', 'Ib'], exec: (cpu, i) => doubleShift(cpu, i, i.imm, true), flags: DSHIFTF, summary: 'SHLD: shift left, filling from a second register' },
  { opcode: 0x0fa5, mnemonic: 'shld', operands: ['Ev', 'Gv', 'CL'], exec: (cpu, i) => doubleShift(cpu, i, cpu.r8[ECX << 2], true), flags: DSHIFTF, summary: 'SHLD: shift left, filling from a second register' },
  { opcode: 0x0fac, mnemonic: 'shrd', operands: ['Ev', 'Gv', 'Ib'], exec: (cpu, i) => doubleShift(cpu, i, i.imm, false), flags: DSHIFTF, summary: 'SHRD: shift right, filling from a second register' },
  { opcode: 0x0fad, mnemonic: 'shrd', operands: ['Ev', 'Gv', 'CL'], exec: (cpu, i) => doubleShift(cpu, i, cpu.r8[ECX << 2], false), flags: DSHIFTF, summary: 'SHRD: shift right, filling from a second register' },
];

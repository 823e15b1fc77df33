// Integer arithmetic and logic: add/or/adc/sbb/and/sub/xor/cmp, test, inc/dec, neg/not.
import { K_ADD, K_LOGIC, K_SUB, SIGN_BIT, SIZE_MASK, type Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { AF, CF, OF } from '../eflags.js';
import { FAST_RI, FAST_RM, FAST_RR, testRI, testRR } from './alu-fast.js';
import { jitAluEG, jitAluGE, jitAluRI, jitIncDec, jitTest } from './jit.js';
import { jitAluAny, jitAluImmAny, jitIncDecAny, jitTestAny } from './jit-generic.js';

const either = (a: (i: Insn) => string | null, b: (i: Insn) => string | null) => (i: Insn): string | null => a(i) ?? b(i);

export const ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7;
const NAMES = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];

/** Computes `a op b` at `size` bytes, sets the status flags, and returns the (masked) result. */
export function alu(cpu: Cpu, op: number, a: number, b: number, size: number): number {
  const m = SIZE_MASK[size];
  a &= m;
  b &= m;
  let r: number;
  switch (op) {
    case ADD:
      r = (a + b) & m;
      cpu.setLazy(K_ADD, a, b, r, size);
      return r;
    case OR:
      r = a | b;
      cpu.setLazy(K_LOGIC, a, b, r, size);
      return r;
    case AND:
      r = a & b;
      cpu.setLazy(K_LOGIC, a, b, r, size);
      return r;
    case XOR:
      r = a ^ b;
      cpu.setLazy(K_LOGIC, a, b, r, size);
      return r;
    case SUB:
    case CMP:
      r = (a - b) & m;
      cpu.setLazy(K_SUB, a, b, r, size);
      return r;
    case ADC: {
      const c = cpu.getCF();
      r = (a + b + c) & m;
      const carry = size === 4 ? (a >>> 0) + (b >>> 0) + c > 0xffffffff : a + b + c > m;
      setCarryFlags(cpu, a, b, r, size, carry, true);
      return r;
    }
    default: { // SBB
      const c = cpu.getCF();
      r = (a - b - c) & m;
      const borrow = (a >>> 0) < (b >>> 0) + c;
      setCarryFlags(cpu, a, b, r, size, borrow, false);
      return r;
    }
  }
}

/** Flags for adc/sbb, whose carry-in keeps them from the lazy add/sub formulas. */
function setCarryFlags(cpu: Cpu, a: number, b: number, r: number, size: number, carry: boolean, add: boolean): void {
  const sign = SIGN_BIT[size];
  const of = add ? (a ^ r) & (b ^ r) & sign : (a ^ b) & (a ^ r) & sign;
  cpu.setResultFlags(r, size, (carry ? CF : 0) | (of ? OF : 0) | ((a ^ b ^ r) & 0x10 ? AF : 0));
}

// ---- 32-bit register forms: the hot path of compiled code.

/** op r/m32, r32 with r/m a register. The ALU op is bits 3..5 of the opcode byte. */
const eg32reg: Handler = (cpu, i) => {
  const op = (i.opcode >> 3) & 7;
  const regs = cpu.regs;
  const r = alu(cpu, op, regs[i.rm], regs[i.reg], 4);
  if (op !== CMP) regs[i.rm] = r;
};
const ge32reg: Handler = (cpu, i) => {
  const op = (i.opcode >> 3) & 7;
  const regs = cpu.regs;
  const r = alu(cpu, op, regs[i.reg], regs[i.rm], 4);
  if (op !== CMP) regs[i.reg] = r;
};
const ge32mem: Handler = (cpu, i) => {
  const op = (i.opcode >> 3) & 7;
  const regs = cpu.regs;
  const r = alu(cpu, op, regs[i.reg], cpu.read32(cpu.ea(i)), 4);
  if (op !== CMP) regs[i.reg] = r;
};
/** Group 1 (80/81/83): the ALU op is ModRM.reg. */
const grp32reg: Handler = (cpu, i) => {
  const op = i.reg;
  const regs = cpu.regs;
  const r = alu(cpu, op, regs[i.rm], i.imm, 4);
  if (op !== CMP) regs[i.rm] = r;
};

// ---- Any size, any operand kind.

const egAny: Handler = (cpu, i) => {
  const op = (i.opcode >> 3) & 7;
  const s = i.size;
  if (i.isMem) {
    const a = cpu.ea(i);
    const r = alu(cpu, op, cpu.read(s, a), cpu.getReg(s, i.reg), s);
    if (op !== CMP) cpu.write(s, a, r);
  } else {
    const r = alu(cpu, op, cpu.getReg(s, i.rm), cpu.getReg(s, i.reg), s);
    if (op !== CMP) cpu.setReg(s, i.rm, r);
  }
};
const geAny: Handler = (cpu, i) => {
  const op = (i.opcode >> 3) & 7;
  const s = i.size;
  const r = alu(cpu, op, cpu.getReg(s, i.reg), cpu.readE(i, s), s);
  if (op !== CMP) cpu.setReg(s, i.reg, r);
};
const accImm: Handler = (cpu, i) => {
  const op = (i.opcode >> 3) & 7;
  const s = i.size;
  const r = alu(cpu, op, cpu.getReg(s, 0), i.imm, s);
  if (op !== CMP) cpu.setReg(s, 0, r);
};
const grpAny: Handler = (cpu, i) => {
  const op = i.reg;
  const s = i.size;
  if (i.isMem) {
    const a = cpu.ea(i);
    const r = alu(cpu, op, cpu.read(s, a), i.imm, s);
    if (op !== CMP) cpu.write(s, a, r);
  } else {
    const r = alu(cpu, op, cpu.getReg(s, i.rm), i.imm, s);
    if (op !== CMP) cpu.setReg(s, i.rm, r);
  }
};

const selEG = (i: Insn): Handler => (i.size === 4 && !i.isMem ? FAST_RR[(i.opcode >> 3) & 7] ?? eg32reg : egAny);
const selGE = (i: Insn): Handler => (i.size === 4 ? (i.isMem ? FAST_RM[(i.opcode >> 3) & 7] ?? ge32mem : ge32reg) : geAny);
const selGrp = (i: Insn): Handler => (i.size === 4 && !i.isMem ? FAST_RI[i.reg] ?? grp32reg : grpAny);

// ---- test, inc/dec, neg/not

const testEG: Handler = (cpu, i) => {
  const s = i.size;
  alu(cpu, AND, cpu.readE(i, s), cpu.getReg(s, i.reg), s);
};
const testEI: Handler = (cpu, i) => {
  const s = i.size;
  alu(cpu, AND, cpu.readE(i, s), i.imm, s);
};
const testAccI: Handler = (cpu, i) => {
  const s = i.size;
  alu(cpu, AND, cpu.getReg(s, 0), i.imm, s);
};

/** inc/dec leave CF alone: it is made concrete first, then the rest computed lazily. */
function incdec(cpu: Cpu, v: number, delta: number, size: number): number {
  const cf = cpu.getCF();
  const m = SIZE_MASK[size];
  const r = (v + delta) & m;
  cpu.setLazy(delta > 0 ? K_ADD : K_SUB, v & m, 1, r, size);
  cpu.flags = (cpu.flags & ~CF) | cf;
  cpu.lazy &= ~CF;
  return r;
}
const incReg32: Handler = (cpu, i) => {
  cpu.regs[i.reg] = incdec(cpu, cpu.regs[i.reg], 1, 4);
};
const decReg32: Handler = (cpu, i) => {
  cpu.regs[i.reg] = incdec(cpu, cpu.regs[i.reg], -1, 4);
};
const incRegV: Handler = (cpu, i) => {
  cpu.setReg(i.size, i.reg, incdec(cpu, cpu.getReg(i.size, i.reg), 1, i.size));
};
const decRegV: Handler = (cpu, i) => {
  cpu.setReg(i.size, i.reg, incdec(cpu, cpu.getReg(i.size, i.reg), -1, i.size));
};
/** Read-modify-write of the r/m operand. */
function rmw(cpu: Cpu, i: Insn, f: (cpu: Cpu, v: number, size: number) => number): void {
  const s = i.size;
  if (i.isMem) {
    const a = cpu.ea(i);
    cpu.write(s, a, f(cpu, cpu.read(s, a), s));
  } else {
    cpu.setReg(s, i.rm, f(cpu, cpu.getReg(s, i.rm), s));
  }
}
const inc = (cpu: Cpu, v: number, s: number): number => incdec(cpu, v, 1, s);
const dec = (cpu: Cpu, v: number, s: number): number => incdec(cpu, v, -1, s);
const neg = (cpu: Cpu, v: number, s: number): number => alu(cpu, SUB, 0, v, s);
const not = (_cpu: Cpu, v: number, s: number): number => ~v & SIZE_MASK[s];
const incE: Handler = (cpu, i) => rmw(cpu, i, inc);
const decE: Handler = (cpu, i) => rmw(cpu, i, dec);
const negE: Handler = (cpu, i) => rmw(cpu, i, neg);
const notE: Handler = (cpu, i) => rmw(cpu, i, not);

const ARITH = { set: 'OSZAPC', undefined: '' };
const LOGIC = { set: 'OSZAPC', undefined: 'A' }; // SDM: "OF and CF cleared; SF, ZF, PF set by result; AF undefined"
const INCDEC = { set: 'OSZAP', undefined: '' }; // SDM: "CF not affected; OF, SF, ZF, AF, PF set by result"

function aluDefs(): OpDef[] {
  const defs: OpDef[] = [];
  for (let op = 0; op < 8; op++) {
    const base = op << 3;
    const mn = NAMES[op];
    const flags = op === AND || op === OR || op === XOR ? LOGIC : ARITH;
    const summary = `${mn.toUpperCase()}: ${['integer add', 'bitwise or', 'add with carry', 'subtract with borrow', 'bitwise and', 'integer subtract', 'bitwise exclusive or', 'compare (subtract, keep only the flags)'][op]}`;
    defs.push(
      { opcode: base, mnemonic: mn, operands: ['Eb', 'Gb'], exec: egAny, jit: jitAluAny, flags, summary },
      { opcode: base + 1, mnemonic: mn, operands: ['Ev', 'Gv'], exec: selEG, select: true, jit: either(jitAluEG, jitAluAny), flags, summary },
      { opcode: base + 2, mnemonic: mn, operands: ['Gb', 'Eb'], exec: geAny, jit: jitAluAny, flags, summary },
      { opcode: base + 3, mnemonic: mn, operands: ['Gv', 'Ev'], exec: selGE, select: true, jit: either(jitAluGE, jitAluAny), flags, summary },
      { opcode: base + 4, mnemonic: mn, operands: ['AL', 'Ib'], exec: accImm, jit: jitAluAny, flags, summary },
      { opcode: base + 5, mnemonic: mn, operands: ['eAX', 'Iz'], exec: accImm, jit: jitAluAny, flags, summary },
      { opcode: 0x80, ext: op, mnemonic: mn, operands: ['Eb', 'Ib'], exec: grpAny, jit: jitAluImmAny, flags, summary },
      { opcode: 0x81, ext: op, mnemonic: mn, operands: ['Ev', 'Iz'], exec: selGrp, select: true, jit: either(jitAluRI, jitAluImmAny), flags, summary },
      // 0x82 is an alias of 0x80 in 32-bit mode (invalid only in 64-bit mode).
      { opcode: 0x82, ext: op, mnemonic: mn, operands: ['Eb', 'Ib'], exec: grpAny, jit: jitAluImmAny, flags, summary },
      { opcode: 0x83, ext: op, mnemonic: mn, operands: ['Ev', 'Ibs'], exec: selGrp, select: true, jit: either(jitAluRI, jitAluImmAny), flags, summary },
    );
  }
  return defs;
}

export const ALU_OPS: OpDef[] = [
  ...aluDefs(),
  { opcode: 0x84, mnemonic: 'test', operands: ['Eb', 'Gb'], exec: testEG, jit: jitTestAny, flags: LOGIC, summary: 'TEST: bitwise and, keep only the flags' },
  { opcode: 0x85, mnemonic: 'test', operands: ['Ev', 'Gv'], exec: (i: Insn) => (i.size === 4 && !i.isMem ? testRR : testEG), select: true, jit: either(jitTest, jitTestAny), flags: LOGIC, summary: 'TEST: bitwise and, keep only the flags' },
  { opcode: 0xa8, mnemonic: 'test', operands: ['AL', 'Ib'], exec: testAccI, jit: jitTestAny, flags: LOGIC, summary: 'TEST: bitwise and, keep only the flags' },
  { opcode: 0xa9, mnemonic: 'test', operands: ['eAX', 'Iz'], exec: testAccI, jit: jitTestAny, flags: LOGIC, summary: 'TEST: bitwise and, keep only the flags' },
  { opcode: 0xf6, ext: 0, mnemonic: 'test', operands: ['Eb', 'Ib'], exec: testEI, jit: jitTestAny, flags: LOGIC, summary: 'TEST: bitwise and, keep only the flags' },
  { opcode: 0xf6, ext: 1, mnemonic: 'test', operands: ['Eb', 'Ib'], exec: testEI, flags: LOGIC, summary: 'TEST: bitwise and, keep only the flags (undocumented alias of /0)' },
  { opcode: 0xf7, ext: 0, mnemonic: 'test', operands: ['Ev', 'Iz'], exec: (i: Insn) => (i.size === 4 && !i.isMem ? testRI : testEI), select: true, jit: either(jitTest, jitTestAny), flags: LOGIC, summary: 'TEST: bitwise and, keep only the flags' },
  { opcode: 0xf7, ext: 1, mnemonic: 'test', operands: ['Ev', 'Iz'], exec: testEI, flags: LOGIC, summary: 'TEST: bitwise and, keep only the flags (undocumented alias of /0)' },
  { opcode: 0xf6, ext: 2, mnemonic: 'not', operands: ['Eb'], exec: notE, summary: 'NOT: one\'s complement (flags unchanged)' },
  { opcode: 0xf7, ext: 2, mnemonic: 'not', operands: ['Ev'], exec: notE, summary: 'NOT: one\'s complement (flags unchanged)' },
  { opcode: 0xf6, ext: 3, mnemonic: 'neg', operands: ['Eb'], exec: negE, flags: ARITH, summary: 'NEG: two\'s complement negation; CF = operand was not zero' },
  { opcode: 0xf7, ext: 3, mnemonic: 'neg', operands: ['Ev'], exec: negE, flags: ARITH, summary: 'NEG: two\'s complement negation; CF = operand was not zero' },
  { opcode: 0xfe, ext: 0, mnemonic: 'inc', operands: ['Eb'], exec: incE, jit: jitIncDecAny, flags: INCDEC, summary: 'INC: add 1, CF unchanged' },
  { opcode: 0xfe, ext: 1, mnemonic: 'dec', operands: ['Eb'], exec: decE, jit: jitIncDecAny, flags: INCDEC, summary: 'DEC: subtract 1, CF unchanged' },
  { opcode: 0xff, ext: 0, mnemonic: 'inc', operands: ['Ev'], exec: incE, jit: jitIncDecAny, flags: INCDEC, summary: 'INC: add 1, CF unchanged' },
  { opcode: 0xff, ext: 1, mnemonic: 'dec', operands: ['Ev'], exec: decE, jit: jitIncDecAny, flags: INCDEC, summary: 'DEC: subtract 1, CF unchanged' },
  ...Array.from({ length: 8 }, (_, r): OpDef => ({
    opcode: 0x40 + r, mnemonic: 'inc', operands: ['Zv'], exec: (i: Insn) => (i.size === 4 ? incReg32 : incRegV), select: true, jit: jitIncDec, flags: INCDEC, summary: 'INC: add 1, CF unchanged',
  })),
  ...Array.from({ length: 8 }, (_, r): OpDef => ({
    opcode: 0x48 + r, mnemonic: 'dec', operands: ['Zv'], exec: (i: Insn) => (i.size === 4 ? decReg32 : decRegV), select: true, jit: jitIncDec, flags: INCDEC, summary: 'DEC: subtract 1, CF unchanged',
  })),
];

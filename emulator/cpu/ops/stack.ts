// Stack: push/pop (register, memory, immediate, segment), pusha/popa, pushf/popf, enter/leave.
import type { Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { ESP, EBP, SS, CS, DS, ES, FS, GS } from '../regs.js';
import { RF, VM } from '../eflags.js';
import { jitPop, jitPush } from './jit.js';

const push32Reg: Handler = (cpu, i) => cpu.push32(cpu.regs[i.reg]);
const pop32Reg: Handler = (cpu, i) => {
  cpu.regs[i.reg] = cpu.pop32();
};
const pushReg: Handler = (cpu, i) => cpu.push(i.size, cpu.getReg(i.size, i.reg));
const popReg: Handler = (cpu, i) => cpu.setReg(i.size, i.reg, cpu.pop(i.size));
const pushImm: Handler = (cpu, i) => cpu.push(i.size, i.imm);
const pushE: Handler = (cpu, i) => cpu.push(i.size, cpu.readE(i, i.size));

/**
 * pop r/m: when ESP is part of the destination address, the address is computed with ESP already
 * incremented (SDM, POP). If the store faults, ESP is put back so the instruction can restart.
 */
const popE: Handler = (cpu, i) => {
  const s = i.size;
  const oldEsp = cpu.regs[ESP];
  const v = cpu.pop(s);
  if (!i.isMem) return cpu.setReg(s, i.rm, v);
  try {
    cpu.write(s, cpu.ea(i), v);
  } catch (e) {
    cpu.regs[ESP] = oldEsp;
    throw e;
  }
};

/**
 * push Sreg with a 32-bit operand size moves only 16 bits into the 4-byte slot, leaving its upper
 * half as it was; current Intel and AMD cores do this (SDM, PUSH).
 */
const pushSeg = (seg: number): Handler => (cpu, i) => {
  const sel = cpu.segSel[seg];
  if (i.size === 2) return cpu.push16(sel);
  const sp = (cpu.regs[ESP] - 4) | 0;
  cpu.write16(cpu.segBase[SS] + sp, sel);
  cpu.regs[ESP] = sp;
};
const popSeg = (seg: number): Handler => (cpu, i) => {
  const sel = cpu.peekStack(2, 0);
  cpu.loadSegment(seg, sel);
  cpu.regs[ESP] = (cpu.regs[ESP] + i.size) | 0;
};

const pusha: Handler = (cpu, i) => {
  const s = i.size;
  const r = cpu.regs;
  const sp = r[ESP];
  // Store all eight first, then move ESP: a fault part-way leaves the registers as they were.
  const base = cpu.segBase[SS];
  for (let k = 0; k < 8; k++) {
    const v = k === ESP ? sp : cpu.getReg(s, k);
    cpu.write(s, base + sp - (k + 1) * s, v);
  }
  r[ESP] = (sp - 8 * s) | 0;
};
const popa: Handler = (cpu, i) => {
  const s = i.size;
  const vals: number[] = [];
  for (let k = 0; k < 8; k++) vals.push(cpu.peekStack(s, k * s));
  for (let k = 0; k < 8; k++) {
    const reg = 7 - k;
    if (reg !== ESP) cpu.setReg(s, reg, vals[k]);
  }
  cpu.regs[ESP] = (cpu.regs[ESP] + 8 * s) | 0;
};

const pushf: Handler = (cpu, i) => {
  // The image pushed has VM and RF clear (SDM, PUSHF).
  cpu.push(i.size, cpu.getEflags() & ~(VM | RF));
};
const popf: Handler = (cpu, i) => {
  const v = cpu.peekStack(i.size, 0);
  cpu.writeFlagsFromStack(v, i.size);
  cpu.regs[ESP] = (cpu.regs[ESP] + i.size) | 0;
};

const enter: Handler = (cpu, i) => {
  const s = i.size;
  const level = i.imm2 & 31;
  const r = cpu.regs;
  const base = cpu.segBase[SS];
  let sp = r[ESP];
  const oldEsp = sp;
  const write = (v: number): void => {
    sp = (sp - s) | 0;
    cpu.write(s, base + sp, v);
  };
  try {
    write(cpu.getReg(s, EBP));
    const frameTemp = sp;
    let bp = r[EBP];
    for (let k = 1; k < level; k++) {
      bp = (bp - s) | 0;
      write(cpu.read(s, base + bp));
    }
    if (level > 0) write(frameTemp);
    cpu.setReg(s, EBP, frameTemp);
    sp = (sp - i.imm) | 0;
    // Touch the lowest byte of the new frame so a stack fault happens here (SDM: ENTER checks it).
    if (i.imm) cpu.read8(base + sp);
  } catch (e) {
    r[ESP] = oldEsp;
    throw e;
  }
  r[ESP] = sp;
};
const leave: Handler = (cpu, i) => {
  const s = i.size;
  const v = cpu.read(s, cpu.segBase[SS] + cpu.regs[EBP]);
  cpu.regs[ESP] = (cpu.regs[EBP] + s) | 0;
  cpu.setReg(s, EBP, v);
};

const regSel = (fast: Handler, any: Handler) => (i: Insn): Handler => (i.size === 4 ? fast : any);

export const STACK_OPS: OpDef[] = [
  ...Array.from({ length: 8 }, (_, r): OpDef => ({ opcode: 0x50 + r, mnemonic: 'push', operands: ['Zv'], exec: regSel(push32Reg, pushReg), select: true, jit: jitPush, summary: 'PUSH: push a register' })),
  ...Array.from({ length: 8 }, (_, r): OpDef => ({ opcode: 0x58 + r, mnemonic: 'pop', operands: ['Zv'], exec: regSel(pop32Reg, popReg), select: true, jit: jitPop, summary: 'POP: pop into a register' })),
  { opcode: 0x68, mnemonic: 'push', operands: ['Iz'], exec: pushImm, summary: 'PUSH: push an immediate' },
  { opcode: 0x6a, mnemonic: 'push', operands: ['Ibs'], exec: pushImm, summary: 'PUSH: push a sign-extended byte' },
  { opcode: 0xff, ext: 6, mnemonic: 'push', operands: ['Ev'], exec: pushE, summary: 'PUSH: push r/m' },
  { opcode: 0x8f, ext: 0, mnemonic: 'pop', operands: ['Ev'], exec: popE, summary: 'POP: pop into r/m' },
  { opcode: 0x06, mnemonic: 'push', operands: ['ES'], size: 'v', exec: pushSeg(ES), summary: 'PUSH: push the ES selector' },
  { opcode: 0x0e, mnemonic: 'push', operands: ['CS'], size: 'v', exec: pushSeg(CS), summary: 'PUSH: push the CS selector' },
  { opcode: 0x16, mnemonic: 'push', operands: ['SS'], size: 'v', exec: pushSeg(SS), summary: 'PUSH: push the SS selector' },
  { opcode: 0x1e, mnemonic: 'push', operands: ['DS'], size: 'v', exec: pushSeg(DS), summary: 'PUSH: push the DS selector' },
  { opcode: 0x0fa0, mnemonic: 'push', operands: ['FS'], size: 'v', exec: pushSeg(FS), summary: 'PUSH: push the FS selector' },
  { opcode: 0x0fa8, mnemonic: 'push', operands: ['GS'], size: 'v', exec: pushSeg(GS), summary: 'PUSH: push the GS selector' },
  { opcode: 0x07, mnemonic: 'pop', operands: ['ES'], size: 'v', exec: popSeg(ES), summary: 'POP: load ES from the stack' },
  { opcode: 0x17, mnemonic: 'pop', operands: ['SS'], size: 'v', exec: popSeg(SS), summary: 'POP: load SS from the stack (interrupts held off for one instruction)' },
  { opcode: 0x1f, mnemonic: 'pop', operands: ['DS'], size: 'v', exec: popSeg(DS), summary: 'POP: load DS from the stack' },
  { opcode: 0x0fa1, mnemonic: 'pop', operands: ['FS'], size: 'v', exec: popSeg(FS), summary: 'POP: load FS from the stack' },
  { opcode: 0x0fa9, mnemonic: 'pop', operands: ['GS'], size: 'v', exec: popSeg(GS), summary: 'POP: load GS from the stack' },
  { opcode: 0x60, mnemonic: 'pusha', operands: [], size: 'v', exec: pusha, summary: 'PUSHA: push all eight general registers (ESP as it was before)' },
  { opcode: 0x61, mnemonic: 'popa', operands: [], size: 'v', exec: popa, summary: 'POPA: pop all general registers (the saved ESP is skipped)' },
  { opcode: 0x9c, mnemonic: 'pushf', operands: [], size: 'v', exec: pushf, ring3: 'allowed', summary: 'PUSHF: push EFLAGS (VM and RF read as 0)' },
  {
    opcode: 0x9d, mnemonic: 'popf', operands: [], size: 'v', exec: popf, branch: true, flags: { set: 'OSZAPC', undefined: '' },
    ring3: 'allowed, but IF changes only when CPL <= IOPL and IOPL only at CPL 0 (silently kept, no fault)', summary: 'POPF: pop EFLAGS',
  },
  { opcode: 0xc8, mnemonic: 'enter', operands: ['Iw', 'Ib'], size: 'v', exec: enter, summary: 'ENTER: make a stack frame (push eBP, copy nesting levels, reserve locals)' },
  { opcode: 0xc9, mnemonic: 'leave', operands: [], size: 'v', exec: leave, summary: 'LEAVE: tear down a stack frame (eSP = eBP, pop eBP)' },
];

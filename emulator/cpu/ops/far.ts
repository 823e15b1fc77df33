// Far transfers between code segments (same privilege, or returns to an outer one) and the
// far-pointer loads lds/les/lss/lfs/lgs.
import type { Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { CS, DS, ES, ESP, FS, GS, SS } from '../regs.js';
import { checkCodeSegment, loadCodeSegment, loadDataSegment, nullInaccessibleSegments } from '../segments.js';

function farJump(cpu: Cpu, sel: number, offset: number): void {
  const d = checkCodeSegment(cpu, sel, cpu.cpl, false);
  loadCodeSegment(cpu, sel, d, cpu.cpl);
  cpu.eip = offset;
}

function farCall(cpu: Cpu, i: Insn, sel: number, offset: number): void {
  const d = checkCodeSegment(cpu, sel, cpu.cpl, false);
  const s = i.size;
  // Push the return address first (it can fault), then switch.
  const sp = cpu.regs[ESP];
  cpu.write(s, cpu.segBase[SS] + sp - s, cpu.segSel[CS]);
  cpu.write(s, cpu.segBase[SS] + sp - 2 * s, cpu.eip);
  cpu.regs[ESP] = (sp - 2 * s) | 0;
  loadCodeSegment(cpu, sel, d, cpu.cpl);
  cpu.eip = offset;
}

/** Reads a far pointer (offset, then 16-bit selector) from memory. */
function readFarPointer(cpu: Cpu, i: Insn): { offset: number; sel: number } {
  const a = cpu.ea(i);
  const offset = i.size === 4 ? cpu.read32(a) : cpu.read16(a);
  return { offset, sel: cpu.read16(a + i.size) };
}

const jmpFarImm: Handler = (cpu, i) => farJump(cpu, i.imm2, i.imm);
const callFarImm: Handler = (cpu, i) => farCall(cpu, i, i.imm2, i.imm);
const jmpFarMem: Handler = (cpu, i) => {
  const p = readFarPointer(cpu, i);
  farJump(cpu, p.sel, p.offset);
};
const callFarMem: Handler = (cpu, i) => {
  const p = readFarPointer(cpu, i);
  farCall(cpu, i, p.sel, p.offset);
};

/** retf [imm16]: back to the same ring, or to an outer ring (then SS:ESP are popped too). */
const retFar: Handler = (cpu, i) => {
  const s = i.size;
  const offset = cpu.peekStack(s, 0);
  const sel = cpu.peekStack(s, s) & 0xffff;
  const rpl = sel & 3;
  const from = cpu.cpl;
  const d = checkCodeSegment(cpu, sel, rpl, true);
  if (rpl > from) {
    const esp = cpu.peekStack(s, 2 * s + i.imm);
    const ss = cpu.peekStack(s, 3 * s + i.imm) & 0xffff;
    loadCodeSegment(cpu, sel, d, rpl);
    loadDataSegment(cpu, SS, ss);
    cpu.regs[ESP] = (esp + i.imm) | 0;
    nullInaccessibleSegments(cpu);
    cpu.ringChanged(from, rpl, 'far');
  } else {
    loadCodeSegment(cpu, sel, d, rpl);
    cpu.regs[ESP] = (cpu.regs[ESP] + 2 * s + i.imm) | 0;
  }
  cpu.eip = s === 4 ? offset : offset & 0xffff;
};

/** lds/les/lss/lfs/lgs: load a far pointer into a segment register and a general register. */
const loadFar = (seg: number): Handler => (cpu, i) => {
  const p = readFarPointer(cpu, i);
  loadDataSegment(cpu, seg, p.sel);
  cpu.setReg(i.size, i.reg, p.offset);
};

export const FAR_OPS: OpDef[] = [
  { opcode: 0xea, mnemonic: 'ljmp', operands: ['Ap'], exec: jmpFarImm, branch: true, summary: 'JMP far: jump to selector:offset (code segments of the same privilege)' },
  { opcode: 0x9a, mnemonic: 'lcall', operands: ['Ap'], exec: callFarImm, branch: true, summary: 'CALL far: push CS:EIP, jump to selector:offset' },
  { opcode: 0xff, ext: 5, modIs: 'mem', mnemonic: 'ljmp', operands: ['Mp'], exec: jmpFarMem, branch: true, summary: 'JMP far: jump to the far pointer in memory' },
  { opcode: 0xff, ext: 3, modIs: 'mem', mnemonic: 'lcall', operands: ['Mp'], exec: callFarMem, branch: true, summary: 'CALL far: call the far pointer in memory' },
  { opcode: 0xcb, mnemonic: 'lret', operands: [], size: 'v', exec: retFar, branch: true, summary: 'RET far: pop EIP and CS (and ESP, SS when returning to an outer ring)' },
  { opcode: 0xca, mnemonic: 'lret', operands: ['Iw'], size: 'v', exec: retFar, branch: true, summary: 'RET far imm16: far return, then release imm16 bytes' },
  { opcode: 0xc5, modIs: 'mem', mnemonic: 'lds', operands: ['Gv', 'Mp'], exec: loadFar(DS), summary: 'LDS: load DS:reg from a far pointer' },
  { opcode: 0xc4, modIs: 'mem', mnemonic: 'les', operands: ['Gv', 'Mp'], exec: loadFar(ES), summary: 'LES: load ES:reg from a far pointer' },
  { opcode: 0x0fb2, modIs: 'mem', mnemonic: 'lss', operands: ['Gv', 'Mp'], exec: loadFar(SS), summary: 'LSS: load SS:reg from a far pointer' },
  { opcode: 0x0fb4, modIs: 'mem', mnemonic: 'lfs', operands: ['Gv', 'Mp'], exec: loadFar(FS), summary: 'LFS: load FS:reg from a far pointer' },
  { opcode: 0x0fb5, modIs: 'mem', mnemonic: 'lgs', operands: ['Gv', 'Mp'], exec: loadFar(GS), summary: 'LGS: load GS:reg from a far pointer' },
];

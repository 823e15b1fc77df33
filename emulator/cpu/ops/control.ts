// Near control transfer: jcc, jmp, call, ret, loop family, jecxz; flag bit instructions.
import type { Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { CF, DF } from '../eflags.js';
import { ECX } from '../regs.js';
import { CC_NAMES, CC_WORDS } from '../conditions.js';
import { jitCallRel, jitJcc, jitJmpRel, jitRet } from './jit.js';

/** New EIP for a relative branch; a 16-bit operand size truncates it to 16 bits (SDM, JMP). */
function relTarget(cpu: Cpu, i: Insn): number {
  const t = (cpu.eip + i.imm) | 0;
  return i.opsize16 ? t & 0xffff : t;
}

const jcc: Handler = (cpu, i) => {
  if (cpu.cond(i.opcode & 15)) cpu.eip = relTarget(cpu, i);
};
const jmpRel: Handler = (cpu, i) => {
  cpu.eip = relTarget(cpu, i);
};
const jmpE: Handler = (cpu, i) => {
  cpu.eip = cpu.readE(i, i.size);
};
const callRel: Handler = (cpu, i) => {
  cpu.push(i.size, cpu.eip);
  cpu.eip = relTarget(cpu, i);
};
const callRel32: Handler = (cpu, i) => {
  cpu.push32(cpu.eip);
  cpu.eip = (cpu.eip + i.imm) | 0;
};
const callE: Handler = (cpu, i) => {
  const target = cpu.readE(i, i.size);
  cpu.push(i.size, cpu.eip);
  cpu.eip = target;
};
const ret32: Handler = (cpu) => {
  cpu.eip = cpu.pop32();
};
const retAny: Handler = (cpu, i) => {
  const t = cpu.pop(i.size);
  cpu.regs[4] = (cpu.regs[4] + i.imm) | 0;
  cpu.eip = t;
};

/** The count register of loop/jecxz: CX under a 0x67 prefix, else ECX. */
function decCount(cpu: Cpu, i: Insn): boolean {
  if (i.addr16) {
    const cx = (cpu.r16[ECX << 1] - 1) & 0xffff;
    cpu.r16[ECX << 1] = cx;
    return cx !== 0;
  }
  const c = (cpu.regs[ECX] - 1) | 0;
  cpu.regs[ECX] = c;
  return c !== 0;
}
const loop: Handler = (cpu, i) => {
  if (decCount(cpu, i)) cpu.eip = relTarget(cpu, i);
};
const loope: Handler = (cpu, i) => {
  if (decCount(cpu, i) && cpu.getZF()) cpu.eip = relTarget(cpu, i);
};
const loopne: Handler = (cpu, i) => {
  if (decCount(cpu, i) && !cpu.getZF()) cpu.eip = relTarget(cpu, i);
};
const jecxz: Handler = (cpu, i) => {
  if ((i.addr16 ? cpu.r16[ECX << 1] : cpu.regs[ECX]) === 0) cpu.eip = relTarget(cpu, i);
};

const cmc: Handler = (cpu) => cpu.setFlagBits(CF, cpu.getCF() ? 0 : CF);
const clc: Handler = (cpu) => cpu.setFlagBits(CF, 0);
const stc: Handler = (cpu) => cpu.setFlagBits(CF, CF);
const cld: Handler = (cpu) => {
  cpu.flags &= ~DF;
};
const std: Handler = (cpu) => {
  cpu.flags |= DF;
};

export const CONTROL_OPS: OpDef[] = [
  ...Array.from({ length: 16 }, (_, cc): OpDef => ({ opcode: 0x70 + cc, mnemonic: 'j' + CC_NAMES[cc], operands: ['Jb'], exec: jcc, jit: jitJcc, branch: true, summary: `J${CC_NAMES[cc].toUpperCase()}: jump if ${CC_WORDS[cc]}` })),
  ...Array.from({ length: 16 }, (_, cc): OpDef => ({ opcode: 0x0f80 + cc, mnemonic: 'j' + CC_NAMES[cc], operands: ['Jz'], exec: jcc, jit: jitJcc, branch: true, summary: `J${CC_NAMES[cc].toUpperCase()}: jump if ${CC_WORDS[cc]}` })),
  { opcode: 0xeb, mnemonic: 'jmp', operands: ['Jb'], exec: jmpRel, jit: jitJmpRel, branch: true, summary: 'JMP: jump (relative)' },
  { opcode: 0xe9, mnemonic: 'jmp', operands: ['Jz'], exec: jmpRel, jit: jitJmpRel, branch: true, summary: 'JMP: jump (relative)' },
  { opcode: 0xff, ext: 4, mnemonic: 'jmp', operands: ['Ev'], exec: jmpE, branch: true, summary: 'JMP: jump to an address in r/m' },
  { opcode: 0xe8, mnemonic: 'call', operands: ['Jz'], exec: (i: Insn) => (i.opsize16 ? callRel : callRel32), select: true, jit: jitCallRel, branch: true, summary: 'CALL: push the return address and jump' },
  { opcode: 0xff, ext: 2, mnemonic: 'call', operands: ['Ev'], exec: callE, branch: true, summary: 'CALL: call an address in r/m' },
  { opcode: 0xc3, mnemonic: 'ret', operands: [], size: 'v', exec: (i: Insn) => (i.opsize16 ? retAny : ret32), select: true, jit: jitRet, branch: true, summary: 'RET: return (pop EIP)' },
  { opcode: 0xc2, mnemonic: 'ret', operands: ['Iw'], size: 'v', exec: retAny, branch: true, summary: 'RET imm16: return and release imm16 bytes of arguments' },
  { opcode: 0xe2, mnemonic: 'loop', operands: ['Jb'], exec: loop, branch: true, summary: 'LOOP: decrement eCX, jump if not zero' },
  { opcode: 0xe1, mnemonic: 'loope', operands: ['Jb'], exec: loope, branch: true, summary: 'LOOPE: decrement eCX, jump if not zero and ZF=1' },
  { opcode: 0xe0, mnemonic: 'loopne', operands: ['Jb'], exec: loopne, branch: true, summary: 'LOOPNE: decrement eCX, jump if not zero and ZF=0' },
  { opcode: 0xe3, mnemonic: 'jecxz', operands: ['Jb'], exec: jecxz, branch: true, summary: 'JECXZ: jump if eCX is zero' },
  { opcode: 0xf5, mnemonic: 'cmc', operands: [], exec: cmc, flags: { set: 'C', undefined: '' }, summary: 'CMC: complement CF' },
  { opcode: 0xf8, mnemonic: 'clc', operands: [], exec: clc, flags: { set: 'C', undefined: '' }, summary: 'CLC: clear CF' },
  { opcode: 0xf9, mnemonic: 'stc', operands: [], exec: stc, flags: { set: 'C', undefined: '' }, summary: 'STC: set CF' },
  { opcode: 0xfc, mnemonic: 'cld', operands: [], exec: cld, summary: 'CLD: clear DF (string ops count up)' },
  { opcode: 0xfd, mnemonic: 'std', operands: [], exec: std, summary: 'STD: set DF (string ops count down)' },
];

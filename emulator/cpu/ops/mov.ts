// Data movement: mov, movzx/movsx, lea, xchg, cmpxchg, cmpxchg8b, xadd, cmovcc, setcc,
// cbw/cwde/cwd/cdq, lahf/sahf, xlat, nop.
import { K_ADD, K_SUB, SIZE_MASK, type Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { ARITH_FLAGS, OF, ZF } from '../eflags.js';
import { EAX, EBX, ECX, EDX } from '../regs.js';
import { CC_NAMES, CC_WORDS } from '../conditions.js';
import { jitLea, jitMovEG, jitMovEI, jitMovGE, jitMovZI, jitMovzxB } from './jit.js';
import { jitMovAny, jitMovExtend, jitSetcc } from './jit-generic.js';

const either = (a: (i: Insn) => string | null, b: (i: Insn) => string | null) => (i: Insn): string | null => a(i) ?? b(i);

// ---- mov

const movRR32: Handler = (cpu, i) => {
  cpu.regs[i.rm] = cpu.regs[i.reg];
};
const movStore32: Handler = (cpu, i) => {
  cpu.write32(cpu.ea(i), cpu.regs[i.reg]);
};
const movLoad32: Handler = (cpu, i) => {
  cpu.regs[i.reg] = cpu.read32(cpu.ea(i));
};
const movGRR32: Handler = (cpu, i) => {
  cpu.regs[i.reg] = cpu.regs[i.rm];
};
const movEG: Handler = (cpu, i) => cpu.writeE(i, i.size, cpu.getReg(i.size, i.reg));
const movGE: Handler = (cpu, i) => cpu.setReg(i.size, i.reg, cpu.readE(i, i.size));
const movEI: Handler = (cpu, i) => cpu.writeE(i, i.size, i.imm);
const movStoreImm32: Handler = (cpu, i) => cpu.write32(cpu.ea(i), i.imm);
const movZI: Handler = (cpu, i) => cpu.setReg(i.size, i.reg, i.imm);
const movZI32: Handler = (cpu, i) => {
  cpu.regs[i.reg] = i.imm;
};
const movAccMoffs: Handler = (cpu, i) => cpu.setReg(i.size, EAX, cpu.read(i.size, cpu.ea(i)));
const movMoffsAcc: Handler = (cpu, i) => cpu.write(i.size, cpu.ea(i), cpu.getReg(i.size, EAX));

/** mov r/m, Sreg: a register destination gets the selector zero-extended; memory gets 16 bits. */
const movFromSeg: Handler = (cpu, i) => {
  const sel = cpu.segSel[i.reg];
  if (i.isMem) cpu.write16(cpu.ea(i), sel);
  else cpu.setReg(i.size, i.rm, sel);
};
const movToSeg: Handler = (cpu, i) => {
  if (i.reg === 1 || i.reg > 5) cpu.undefinedOpcode('mov to CS or to a non-existent segment register');
  cpu.loadSegment(i.reg, cpu.readE(i, 2));
};

// ---- zero/sign extension

const movzxB: Handler = (cpu, i) => cpu.setReg(i.size, i.reg, cpu.readE(i, 1));
const movzxW: Handler = (cpu, i) => cpu.setReg(i.size, i.reg, cpu.readE(i, 2));
const movsxB: Handler = (cpu, i) => cpu.setReg(i.size, i.reg, (cpu.readE(i, 1) << 24) >> 24);
const movsxW: Handler = (cpu, i) => cpu.setReg(i.size, i.reg, (cpu.readE(i, 2) << 16) >> 16);
const movzxB32mem: Handler = (cpu, i) => {
  cpu.regs[i.reg] = cpu.read8(cpu.ea(i));
};

// ---- lea

const lea32: Handler = (cpu, i) => {
  cpu.regs[i.reg] = cpu.offsetOf(i);
};
const leaAny: Handler = (cpu, i) => cpu.setReg(i.size, i.reg, cpu.offsetOf(i));

// ---- exchanges

const xchgEG: Handler = (cpu, i) => {
  const s = i.size;
  const r = cpu.getReg(s, i.reg);
  if (i.isMem) {
    const a = cpu.ea(i);
    const m = cpu.read(s, a);
    cpu.write(s, a, r);
    cpu.setReg(s, i.reg, m);
  } else {
    cpu.setReg(s, i.reg, cpu.getReg(s, i.rm));
    cpu.setReg(s, i.rm, r);
  }
};
const xchgAcc: Handler = (cpu, i) => {
  const s = i.size;
  const a = cpu.getReg(s, EAX);
  cpu.setReg(s, EAX, cpu.getReg(s, i.reg));
  cpu.setReg(s, i.reg, a);
};

/** cmpxchg: compare the accumulator with r/m; equal -> r/m = reg, else accumulator = r/m. */
const cmpxchg: Handler = (cpu, i) => {
  const s = i.size;
  const m = SIZE_MASK[s];
  const a = i.isMem ? cpu.ea(i) : 0;
  const dest = (i.isMem ? cpu.read(s, a) : cpu.getReg(s, i.rm)) & m;
  const acc = cpu.getReg(s, EAX) & m;
  const equal = acc === dest;
  // A locked memory destination is always written back (with its old value when unequal).
  const newDest = equal ? cpu.getReg(s, i.reg) : dest;
  if (i.isMem) cpu.write(s, a, newDest);
  else cpu.setReg(s, i.rm, newDest);
  if (!equal) cpu.setReg(s, EAX, dest);
  cpu.setLazy(K_SUB, acc, dest, (acc - dest) & m, s);
};

const cmpxchg8b: Handler = (cpu, i) => {
  const a = cpu.ea(i);
  const lo = cpu.read32(a), hi = cpu.read32(a + 4);
  const equal = lo === cpu.regs[EAX] && hi === cpu.regs[EDX];
  if (equal) {
    cpu.write32(a, cpu.regs[EBX]);
    cpu.write32(a + 4, cpu.regs[ECX]);
  } else {
    cpu.write32(a, lo);
    cpu.write32(a + 4, hi);
    cpu.regs[EAX] = lo;
    cpu.regs[EDX] = hi;
  }
  cpu.setFlagBits(ZF, equal ? ZF : 0);
};

const xadd: Handler = (cpu, i) => {
  const s = i.size;
  const m = SIZE_MASK[s];
  const src = cpu.getReg(s, i.reg) & m;
  const a = i.isMem ? cpu.ea(i) : 0;
  const dest = (i.isMem ? cpu.read(s, a) : cpu.getReg(s, i.rm)) & m;
  const sum = (src + dest) & m;
  if (i.isMem) cpu.write(s, a, sum);
  cpu.setReg(s, i.reg, dest);
  if (!i.isMem) cpu.setReg(s, i.rm, sum);
  cpu.setLazy(K_ADD, dest, src, sum, s);
};

// ---- conditional moves and sets

/** cmovcc reads its source even when the condition is false (so a bad address still faults). */
const cmov: Handler = (cpu, i) => {
  const v = cpu.readE(i, i.size);
  if (cpu.cond(i.opcode & 15)) cpu.setReg(i.size, i.reg, v);
};
const setcc: Handler = (cpu, i) => cpu.writeE(i, 1, cpu.cond(i.opcode & 15) ? 1 : 0);

// ---- accumulator conversions and flags to AH

const cbw: Handler = (cpu, i) => {
  if (i.size === 4) cpu.regs[EAX] = (cpu.regs[EAX] << 16) >> 16;
  else cpu.r16[0] = (cpu.r8[0] << 24) >> 24;
};
const cwd: Handler = (cpu, i) => {
  if (i.size === 4) cpu.regs[EDX] = cpu.regs[EAX] >> 31;
  else cpu.r16[EDX << 1] = (cpu.r16[0] << 16) >> 31;
};
const lahf: Handler = (cpu) => {
  cpu.r8[1] = cpu.getEflags() & 0xff;
};
const sahf: Handler = (cpu) => {
  // SF ZF AF PF CF come from AH; OF is not touched.
  cpu.setFlagBits(ARITH_FLAGS & ~OF, cpu.r8[1]);
};
const xlat: Handler = (cpu, i) => {
  const off = i.addr16 ? (cpu.regs[EBX] + cpu.r8[0]) & 0xffff : (cpu.regs[EBX] + cpu.r8[0]) | 0;
  cpu.r8[0] = cpu.read8(cpu.segBase[i.seg] + off);
};
const nop: Handler = () => {};

const sel = (fast32reg: Handler, fast32mem: Handler, any: Handler) => (i: Insn): Handler =>
  i.size === 4 ? (i.isMem ? fast32mem : fast32reg) : any;

export const MOV_OPS: OpDef[] = [
  { opcode: 0x88, mnemonic: 'mov', operands: ['Eb', 'Gb'], exec: movEG, jit: jitMovAny, summary: 'MOV: copy register to r/m' },
  { opcode: 0x89, mnemonic: 'mov', operands: ['Ev', 'Gv'], exec: sel(movRR32, movStore32, movEG), select: true, jit: either(jitMovEG, jitMovAny), summary: 'MOV: copy register to r/m' },
  { opcode: 0x8a, mnemonic: 'mov', operands: ['Gb', 'Eb'], exec: movGE, jit: jitMovAny, summary: 'MOV: copy r/m to register' },
  { opcode: 0x8b, mnemonic: 'mov', operands: ['Gv', 'Ev'], exec: sel(movGRR32, movLoad32, movGE), select: true, jit: either(jitMovGE, jitMovAny), summary: 'MOV: copy r/m to register' },
  { opcode: 0x8c, mnemonic: 'mov', operands: ['Ev', 'Sw'], exec: movFromSeg, summary: 'MOV: copy a segment selector to r/m' },
  { opcode: 0x8e, mnemonic: 'mov', operands: ['Sw', 'Ew'], exec: movToSeg, summary: 'MOV: load a segment register (descriptor checks apply in protected mode)' },
  { opcode: 0xa0, mnemonic: 'mov', operands: ['AL', 'Ob'], exec: movAccMoffs, summary: 'MOV: load AL from an absolute address' },
  { opcode: 0xa1, mnemonic: 'mov', operands: ['eAX', 'Ov'], exec: movAccMoffs, summary: 'MOV: load eAX from an absolute address' },
  { opcode: 0xa2, mnemonic: 'mov', operands: ['Ob', 'AL'], exec: movMoffsAcc, summary: 'MOV: store AL at an absolute address' },
  { opcode: 0xa3, mnemonic: 'mov', operands: ['Ov', 'eAX'], exec: movMoffsAcc, summary: 'MOV: store eAX at an absolute address' },
  ...Array.from({ length: 8 }, (_, r): OpDef => ({ opcode: 0xb0 + r, mnemonic: 'mov', operands: ['Zb', 'Ib'], exec: movZI, jit: jitMovAny, summary: 'MOV: load an 8-bit register with an immediate' })),
  ...Array.from({ length: 8 }, (_, r): OpDef => ({
    opcode: 0xb8 + r, mnemonic: 'mov', operands: ['Zv', 'Iz'], exec: (i: Insn) => (i.size === 4 ? movZI32 : movZI), select: true, jit: either(jitMovZI, jitMovAny), summary: 'MOV: load a register with an immediate',
  })),
  { opcode: 0xc6, ext: 0, mnemonic: 'mov', operands: ['Eb', 'Ib'], exec: movEI, jit: jitMovAny, summary: 'MOV: store an immediate to r/m' },
  { opcode: 0xc7, ext: 0, mnemonic: 'mov', operands: ['Ev', 'Iz'], exec: (i: Insn) => (i.size === 4 && i.isMem ? movStoreImm32 : movEI), select: true, jit: either(jitMovEI, jitMovAny), summary: 'MOV: store an immediate to r/m' },
  { opcode: 0x0fb6, mnemonic: 'movzb', operands: ['Gv', 'Eb'], exec: (i: Insn) => (i.size === 4 && i.isMem ? movzxB32mem : movzxB), select: true, jit: either(jitMovzxB, jitMovExtend), summary: 'MOVZX: load a byte, zero-extended' },
  { opcode: 0x0fb7, mnemonic: 'movzw', operands: ['Gv', 'Ew'], exec: movzxW, jit: jitMovExtend, summary: 'MOVZX: load a word, zero-extended' },
  { opcode: 0x0fbe, mnemonic: 'movsb', operands: ['Gv', 'Eb'], exec: movsxB, jit: jitMovExtend, summary: 'MOVSX: load a byte, sign-extended' },
  { opcode: 0x0fbf, mnemonic: 'movsw', operands: ['Gv', 'Ew'], exec: movsxW, jit: jitMovExtend, summary: 'MOVSX: load a word, sign-extended' },
  { opcode: 0x8d, mnemonic: 'lea', operands: ['Gv', 'M'], modIs: 'mem', exec: (i: Insn) => (i.size === 4 ? lea32 : leaAny), select: true, jit: jitLea, summary: 'LEA: compute an effective address (no memory access)' },
  { opcode: 0x86, mnemonic: 'xchg', operands: ['Eb', 'Gb'], exec: xchgEG, summary: 'XCHG: swap register and r/m (locked when memory)' },
  { opcode: 0x87, mnemonic: 'xchg', operands: ['Ev', 'Gv'], exec: xchgEG, summary: 'XCHG: swap register and r/m (locked when memory)' },
  { opcode: 0x90, mandatory: 0xf3, mnemonic: 'pause', operands: [], exec: nop, summary: 'PAUSE: spin-loop hint (a nop here)' },
  { opcode: 0x90, mnemonic: 'nop', operands: [], exec: nop, summary: 'NOP: no operation (xchg eax, eax)' },
  ...Array.from({ length: 7 }, (_, r): OpDef => ({ opcode: 0x91 + r, mnemonic: 'xchg', operands: ['Zv', 'eAX'], exec: xchgAcc, summary: 'XCHG: swap a register with eAX' })),
  { opcode: 0x0fb0, mnemonic: 'cmpxchg', operands: ['Eb', 'Gb'], exec: cmpxchg, flags: { set: 'OSZAPC', undefined: '' }, summary: 'CMPXCHG: compare AL with r/m; if equal store reg, else load AL' },
  { opcode: 0x0fb1, mnemonic: 'cmpxchg', operands: ['Ev', 'Gv'], exec: cmpxchg, flags: { set: 'OSZAPC', undefined: '' }, summary: 'CMPXCHG: compare eAX with r/m; if equal store reg, else load eAX' },
  { opcode: 0x0fc7, ext: 1, modIs: 'mem', mnemonic: 'cmpxchg8b', operands: ['Mq'], exec: cmpxchg8b, flags: { set: 'Z', undefined: '' }, summary: 'CMPXCHG8B: compare EDX:EAX with m64; if equal store ECX:EBX, else load EDX:EAX' },
  { opcode: 0x0fc0, mnemonic: 'xadd', operands: ['Eb', 'Gb'], exec: xadd, flags: { set: 'OSZAPC', undefined: '' }, summary: 'XADD: exchange and add' },
  { opcode: 0x0fc1, mnemonic: 'xadd', operands: ['Ev', 'Gv'], exec: xadd, flags: { set: 'OSZAPC', undefined: '' }, summary: 'XADD: exchange and add' },
  ...Array.from({ length: 16 }, (_, cc): OpDef => ({ opcode: 0x0f40 + cc, mnemonic: 'cmov' + CC_NAMES[cc], operands: ['Gv', 'Ev'], exec: cmov, summary: `CMOV${CC_NAMES[cc].toUpperCase()}: move if ${CC_WORDS[cc]}` })),
  ...Array.from({ length: 16 }, (_, cc): OpDef => ({ opcode: 0x0f90 + cc, mnemonic: 'set' + CC_NAMES[cc], operands: ['Eb'], exec: setcc, jit: jitSetcc, summary: `SET${CC_NAMES[cc].toUpperCase()}: set byte to 1 if ${CC_WORDS[cc]}, else 0` })),
  { opcode: 0x98, mnemonic: 'cbtw', operands: [], exec: cbw, summary: 'CBW/CWDE: sign-extend AL into AX, or AX into EAX' },
  { opcode: 0x99, mnemonic: 'cltd', operands: [], exec: cwd, summary: 'CWD/CDQ: sign-extend eAX into eDX' },
  { opcode: 0x9e, mnemonic: 'sahf', operands: [], exec: sahf, flags: { set: 'SZAPC', undefined: '' }, summary: 'SAHF: load SF ZF AF PF CF from AH' },
  { opcode: 0x9f, mnemonic: 'lahf', operands: [], exec: lahf, summary: 'LAHF: copy the low byte of EFLAGS into AH' },
  { opcode: 0xd7, mnemonic: 'xlat', operands: ['BX_AL'], exec: xlat, summary: 'XLAT: AL = byte at [eBX + AL]' },
  { opcode: 0x0f1f, ext: 0, mnemonic: 'nop', operands: ['Ev'], exec: nop, summary: 'NOP: multi-byte no operation' },
];


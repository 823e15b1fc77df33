// Hand-specialized 32-bit register forms of the hottest ALU instructions. Compiled C spends most of
// its time in these; one small function per operation lets the JIT inline each without a switch.
// They compute exactly what alu() computes (the differential test runs both paths).
import { K_ADD, K_LOGIC, K_SUB } from '../cpu.js';
import type { Handler } from '../insn.js';

// op r/m32(reg), r32
const addRR: Handler = (cpu, i) => { const r = cpu.regs; const a = r[i.rm], b = r[i.reg], v = (a + b) | 0; r[i.rm] = v; cpu.setLazy32(K_ADD, a, b, v); };
const orRR: Handler = (cpu, i) => { const r = cpu.regs; const v = r[i.rm] | r[i.reg]; r[i.rm] = v; cpu.setLazy32(K_LOGIC, 0, 0, v); };
const andRR: Handler = (cpu, i) => { const r = cpu.regs; const v = r[i.rm] & r[i.reg]; r[i.rm] = v; cpu.setLazy32(K_LOGIC, 0, 0, v); };
const subRR: Handler = (cpu, i) => { const r = cpu.regs; const a = r[i.rm], b = r[i.reg], v = (a - b) | 0; r[i.rm] = v; cpu.setLazy32(K_SUB, a, b, v); };
const xorRR: Handler = (cpu, i) => { const r = cpu.regs; const v = r[i.rm] ^ r[i.reg]; r[i.rm] = v; cpu.setLazy32(K_LOGIC, 0, 0, v); };
const cmpRR: Handler = (cpu, i) => { const r = cpu.regs; const a = r[i.rm], b = r[i.reg]; cpu.setLazy32(K_SUB, a, b, (a - b) | 0); };

// op r32, r/m32(mem)
const addRM: Handler = (cpu, i) => { const r = cpu.regs; const a = r[i.reg], b = cpu.read32(cpu.ea(i)), v = (a + b) | 0; r[i.reg] = v; cpu.setLazy32(K_ADD, a, b, v); };
const orRM: Handler = (cpu, i) => { const r = cpu.regs; const v = r[i.reg] | cpu.read32(cpu.ea(i)); r[i.reg] = v; cpu.setLazy32(K_LOGIC, 0, 0, v); };
const andRM: Handler = (cpu, i) => { const r = cpu.regs; const v = r[i.reg] & cpu.read32(cpu.ea(i)); r[i.reg] = v; cpu.setLazy32(K_LOGIC, 0, 0, v); };
const subRM: Handler = (cpu, i) => { const r = cpu.regs; const a = r[i.reg], b = cpu.read32(cpu.ea(i)), v = (a - b) | 0; r[i.reg] = v; cpu.setLazy32(K_SUB, a, b, v); };
const xorRM: Handler = (cpu, i) => { const r = cpu.regs; const v = r[i.reg] ^ cpu.read32(cpu.ea(i)); r[i.reg] = v; cpu.setLazy32(K_LOGIC, 0, 0, v); };
const cmpRM: Handler = (cpu, i) => { const a = cpu.regs[i.reg], b = cpu.read32(cpu.ea(i)); cpu.setLazy32(K_SUB, a, b, (a - b) | 0); };

// op r/m32(reg), imm
const addRI: Handler = (cpu, i) => { const r = cpu.regs; const a = r[i.rm], b = i.imm, v = (a + b) | 0; r[i.rm] = v; cpu.setLazy32(K_ADD, a, b, v); };
const orRI: Handler = (cpu, i) => { const r = cpu.regs; const v = r[i.rm] | i.imm; r[i.rm] = v; cpu.setLazy32(K_LOGIC, 0, 0, v); };
const andRI: Handler = (cpu, i) => { const r = cpu.regs; const v = r[i.rm] & i.imm; r[i.rm] = v; cpu.setLazy32(K_LOGIC, 0, 0, v); };
const subRI: Handler = (cpu, i) => { const r = cpu.regs; const a = r[i.rm], b = i.imm, v = (a - b) | 0; r[i.rm] = v; cpu.setLazy32(K_SUB, a, b, v); };
const xorRI: Handler = (cpu, i) => { const r = cpu.regs; const v = r[i.rm] ^ i.imm; r[i.rm] = v; cpu.setLazy32(K_LOGIC, 0, 0, v); };
const cmpRI: Handler = (cpu, i) => { const a = cpu.regs[i.rm], b = i.imm; cpu.setLazy32(K_SUB, a, b, (a - b) | 0); };

/** Indexed by ALU op (add or adc sbb and sub xor cmp); null where the generic path serves. */
export const FAST_RR: (Handler | null)[] = [addRR, orRR, null, null, andRR, subRR, xorRR, cmpRR];
export const FAST_RM: (Handler | null)[] = [addRM, orRM, null, null, andRM, subRM, xorRM, cmpRM];
export const FAST_RI: (Handler | null)[] = [addRI, orRI, null, null, andRI, subRI, xorRI, cmpRI];

/** test r32, r32 and test r32, imm. */
export const testRR: Handler = (cpu, i) => { cpu.setLazy32(K_LOGIC, 0, 0, cpu.regs[i.rm] & cpu.regs[i.reg]); };
export const testRI: Handler = (cpu, i) => { cpu.setLazy32(K_LOGIC, 0, 0, cpu.regs[i.rm] & i.imm); };

// ---- shifts and rotates of a 32-bit register by an immediate (count masked to 5 bits; 0 = no-op)

import { CF, OF } from '../eflags.js';

const shlRI: Handler = (cpu, i) => {
  const c = i.imm & 31;
  if (c === 0) return;
  const r = cpu.regs, v = r[i.rm], res = v << c, cf = (v >>> (32 - c)) & 1;
  r[i.rm] = res;
  cpu.setResultFlags32(res, (cf ? CF : 0) | (((res >>> 31) ^ cf) ? OF : 0));
};
const shrRI: Handler = (cpu, i) => {
  const c = i.imm & 31;
  if (c === 0) return;
  const r = cpu.regs, v = r[i.rm], res = v >>> c;
  r[i.rm] = res;
  cpu.setResultFlags32(res | 0, ((v >>> (c - 1)) & 1 ? CF : 0) | (v < 0 ? OF : 0));
};
const sarRI: Handler = (cpu, i) => {
  const c = i.imm & 31;
  if (c === 0) return;
  const r = cpu.regs, v = r[i.rm], res = v >> c;
  r[i.rm] = res;
  cpu.setResultFlags32(res, (v >> (c - 1)) & 1 ? CF : 0);
};
const rolRI: Handler = (cpu, i) => {
  const c = i.imm & 31;
  if (c === 0) return;
  const r = cpu.regs, v = r[i.rm], res = (v << c) | (v >>> (32 - c)), cf = res & 1;
  r[i.rm] = res;
  cpu.setFlagBits(CF | OF, (cf ? CF : 0) | (((res >>> 31) ^ cf) ? OF : 0));
};
const rorRI: Handler = (cpu, i) => {
  const c = i.imm & 31;
  if (c === 0) return;
  const r = cpu.regs, v = r[i.rm], res = (v >>> c) | (v << (32 - c)), cf = res >>> 31;
  r[i.rm] = res;
  cpu.setFlagBits(CF | OF, (cf ? CF : 0) | ((cf ^ ((res >>> 30) & 1)) ? OF : 0));
};

/** Indexed by the group-2 operation (rol ror rcl rcr shl shr sal sar). */
export const FAST_SHIFT_RI: (Handler | null)[] = [rolRI, rorRI, null, null, shlRI, shrRI, shlRI, sarRI];

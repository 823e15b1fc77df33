// Inline templates for the hottest instruction forms, used by the block compiler (compile.ts).
// Each returns one JavaScript statement with the same effect as the form's handler, with the decoded
// fields (registers, immediates, displacements) folded in as constants. Names in scope of the
// generated code: c (the Cpu), r (c.regs), h (c.hot: [eip, lzDst, lzSrc, lzRes, lzSign]), sb (c.segBase).
// The differential test runs every case compiled and interpreted, so a template that drifts from its
// handler fails against the host CPU.
import type { Insn } from '../insn.js';
import { ARITH_FLAGS, CF } from '../eflags.js';
import { K_ADD, K_LOGIC, K_SUB } from '../cpu.js';
import { NO_REG } from '../regs.js';
import { condExpr } from './jit-generic.js';

const INT_MIN = -0x80000000;

/** Lazy-flag record of a 32-bit add/sub (all six flags from dst, src, result). */
const lazyArith = (kind: number, a: string, b: string, v: string): string =>
  `h[1]=${a};h[2]=${b};h[3]=${v};h[4]=${INT_MIN};c.lzKind=${kind};c.lazy=${ARITH_FLAGS};`;
/** Lazy-flag record of a 32-bit logic op (CF=OF=0, the rest from the result). */
const lazyLogic = (v: string): string => `h[3]=${v};h[4]=${INT_MIN};c.lzKind=${K_LOGIC};c.lazy=${ARITH_FLAGS};`;

/** The memory operand's linear address as an expression (32-bit addressing only). */
export function eaExpr(i: Insn): string | null {
  if (i.addr16) return null;
  let e = `sb[${i.seg}]`;
  if (i.base !== NO_REG) e += `+r[${i.base}]`;
  if (i.index !== NO_REG) e += i.scale ? `+(r[${i.index}]<<${i.scale})` : `+r[${i.index}]`;
  if (i.disp) e += `+${i.disp}`;
  return `((${e})|0)`;
}
/** The offset part only (what lea computes). */
function offsetExpr(i: Insn): string | null {
  if (i.addr16) return null;
  const parts: string[] = [];
  if (i.base !== NO_REG) parts.push(`r[${i.base}]`);
  if (i.index !== NO_REG) parts.push(i.scale ? `(r[${i.index}]<<${i.scale})` : `r[${i.index}]`);
  if (i.disp || parts.length === 0) parts.push(String(i.disp));
  return `((${parts.join('+')})|0)`;
}

/** Body computing `v` from a and b for ALU op 0..7 (adc/sbb have no template). */
function aluBody(op: number, dst: string, a: string, b: string): string | null {
  switch (op) {
    case 0: return `{const a=${a},b=${b},v=(a+b)|0;${dst ? `${dst}=v;` : ''}${lazyArith(K_ADD, 'a', 'b', 'v')}}`;
    case 5: return `{const a=${a},b=${b},v=(a-b)|0;${dst ? `${dst}=v;` : ''}${lazyArith(K_SUB, 'a', 'b', 'v')}}`;
    case 7: return `{const a=${a},b=${b};${lazyArith(K_SUB, 'a', 'b', '(a-b)|0')}}`;
    case 1: return `{const v=${a}|${b};${dst}=v;${lazyLogic('v')}}`;
    case 4: return `{const v=${a}&${b};${dst}=v;${lazyLogic('v')}}`;
    case 6: return `{const v=${a}^${b};${dst}=v;${lazyLogic('v')}}`;
    default: return null;
  }
}

/** 01/09/21/29/31/39 op r/m32, r32 — register destination only. */
export function jitAluEG(i: Insn): string | null {
  if (i.size !== 4 || i.isMem) return null;
  return aluBody((i.opcode >> 3) & 7, `r[${i.rm}]`, `r[${i.rm}]`, `r[${i.reg}]`);
}
/** 03/0B/23/2B/33/3B op r32, r/m32. */
export function jitAluGE(i: Insn): string | null {
  if (i.size !== 4) return null;
  const src = i.isMem ? eaExpr(i) : `r[${i.rm}]`;
  if (src === null) return null;
  return aluBody((i.opcode >> 3) & 7, `r[${i.reg}]`, `r[${i.reg}]`, i.isMem ? `c.read32(${src})` : src);
}
/** 81/83 op r/m32, imm — register destination only. */
export function jitAluRI(i: Insn): string | null {
  if (i.size !== 4 || i.isMem) return null;
  return aluBody(i.reg, `r[${i.rm}]`, `r[${i.rm}]`, String(i.imm | 0));
}
export function jitTest(i: Insn): string | null {
  if (i.size !== 4 || i.isMem) return null;
  const b = i.opcode === 0x85 ? `r[${i.reg}]` : String(i.imm | 0);
  return `{const v=r[${i.rm}]&${b};${lazyLogic('v')}}`;
}

/** inc/dec r32: CF is kept, so it is made concrete before the record is replaced. */
export function jitIncDec(i: Insn): string | null {
  if (i.size !== 4) return null;
  const inc = i.opcode < 0x48;
  return `{const cf=c.getCF(),a=r[${i.reg}],v=(a${inc ? '+' : '-'}1)|0;r[${i.reg}]=v;` +
    `h[1]=a;h[2]=1;h[3]=v;h[4]=${INT_MIN};c.lzKind=${inc ? K_ADD : K_SUB};c.flags=(c.flags&${~CF})|cf;c.lazy=${ARITH_FLAGS & ~CF};}`;
}

export function jitMovEG(i: Insn): string | null {
  if (i.size !== 4) return null;
  if (!i.isMem) return `r[${i.rm}]=r[${i.reg}];`;
  const a = eaExpr(i);
  return a && `c.write32(${a},r[${i.reg}]);`;
}
export function jitMovGE(i: Insn): string | null {
  if (i.size !== 4) return null;
  if (!i.isMem) return `r[${i.reg}]=r[${i.rm}];`;
  const a = eaExpr(i);
  return a && `r[${i.reg}]=c.read32(${a});`;
}
export function jitMovZI(i: Insn): string | null {
  return i.size === 4 ? `r[${i.reg}]=${i.imm | 0};` : null;
}
export function jitMovEI(i: Insn): string | null {
  if (i.size !== 4) return null;
  if (!i.isMem) return `r[${i.rm}]=${i.imm | 0};`;
  const a = eaExpr(i);
  return a && `c.write32(${a},${i.imm | 0});`;
}
export function jitLea(i: Insn): string | null {
  if (i.size !== 4) return null;
  const o = offsetExpr(i);
  return o && `r[${i.reg}]=${o};`;
}
export function jitMovzxB(i: Insn): string | null {
  if (i.size !== 4) return null;
  if (!i.isMem) return `r[${i.reg}]=c.r8[${[0, 4, 8, 12, 1, 5, 9, 13][i.rm]}];`;
  const a = eaExpr(i);
  return a && `r[${i.reg}]=c.read8(${a});`;
}
export function jitPush(i: Insn): string | null {
  return i.size === 4 ? `c.push32(r[${i.reg}]);` : null;
}
export function jitPop(i: Insn): string | null {
  return i.size === 4 ? `r[${i.reg}]=c.pop32();` : null;
}

/** shl/shr/sar of a 32-bit register by a non-zero immediate. */
export function jitShiftRI(i: Insn): string | null {
  const n = i.imm & 31;
  if (i.size !== 4 || i.isMem || n === 0) return null;
  const rr = `r[${i.rm}]`;
  const flags = (v: string, cf: string, of: string): string =>
    `h[3]=${v};h[4]=${INT_MIN};c.lzKind=${K_LOGIC};c.flags=(c.flags&${~ARITH_FLAGS})|(${cf})|(${of});c.lazy=${0xc4};`;
  switch (i.reg) {
    case 4: case 6:
      return `{const a=${rr},v=a<<${n},cf=(a>>>${32 - n})&1;${rr}=v;${flags('v', 'cf', `(((v>>>31)^cf)<<11)`)}}`;
    case 5:
      return `{const a=${rr},v=(a>>>${n})|0;${rr}=v;${flags('v', `(a>>>${n - 1})&1`, `(a<0?${1 << 11}:0)`)}}`;
    case 7:
      return `{const a=${rr},v=a>>${n};${rr}=v;${flags('v', `(a>>${n - 1})&1`, '0')}}`;
    default:
      return null;
  }
}

// ---- control transfer (always the last instruction of a block: c.eip already holds the next EIP)

export function jitJcc(i: Insn): string | null {
  if (i.opsize16) return null;
  return `if(${condExpr(i.opcode & 15)})c.eip=(c.eip+${i.imm | 0})|0;`;
}
export function jitJmpRel(i: Insn): string | null {
  return i.opsize16 ? null : `c.eip=(c.eip+${i.imm | 0})|0;`;
}
export function jitCallRel(i: Insn): string | null {
  return i.opsize16 ? null : `c.push32(c.eip);c.eip=(c.eip+${i.imm | 0})|0;`;
}
export function jitRet(i: Insn): string | null {
  return i.opsize16 ? null : `c.eip=c.pop32();`;
}

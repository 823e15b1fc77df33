// Inline templates for the common instruction families at every operand size and with memory
// operands (the 32-bit register forms have tighter templates in jit.ts). Same conventions as jit.ts:
// c = Cpu, r = c.regs, h = c.hot, sb = c.segBase; each template is one statement whose effect equals
// the form's handler, and the differential test runs both.
import type { Insn } from '../insn.js';
import { K_ADD, K_LOGIC, K_SUB } from '../cpu.js';
import { REG8_OFFSET } from '../regs.js';
import { ARITH_FLAGS } from '../eflags.js';
import { eaExpr } from './jit.js';

const MASK = ['', '&255', '&65535', '', ''];

function regRead(size: number, reg: number): string {
  if (size === 4) return `r[${reg}]`;
  if (size === 2) return `c.r16[${reg << 1}]`;
  return `c.r8[${REG8_OFFSET[reg]}]`;
}
function regWrite(size: number, reg: number, v: string): string {
  if (size === 4) return `r[${reg}]=${v};`;
  if (size === 2) return `c.r16[${reg << 1}]=${v};`;
  return `c.r8[${REG8_OFFSET[reg]}]=${v};`;
}
const memRead = (size: number, a: string): string => `c.read${size * 8}(${a})`;
const memWrite = (size: number, a: string, v: string): string => `c.write${size * 8}(${a},${v});`;

/** Read and write expressions for the r/m operand; `ad` names the computed address when memory. */
function rmOperand(i: Insn, size: number): { pre: string; read: string; write: (v: string) => string } | null {
  if (!i.isMem) return { pre: '', read: regRead(size, i.rm), write: (v) => regWrite(size, i.rm, v) };
  const ea = eaExpr(i);
  if (ea === null) return null;
  return { pre: `const ad=${ea};`, read: memRead(size, 'ad'), write: (v) => memWrite(size, 'ad', v) };
}

/** ALU op on (dst, src) with lazy flags; adc/sbb (carry-in) are left to their handlers. */
function aluStatement(op: number, size: number, pre: string, dst: string, src: string, write: ((v: string) => string) | null): string | null {
  const m = MASK[size];
  let expr: string, kind: number;
  switch (op) {
    case 0: expr = `(a+b)`; kind = K_ADD; break;
    case 5: case 7: expr = `(a-b)`; kind = K_SUB; break;
    case 1: expr = `(a|b)`; kind = K_LOGIC; break;
    case 4: expr = `(a&b)`; kind = K_LOGIC; break;
    case 6: expr = `(a^b)`; kind = K_LOGIC; break;
    default: return null;
  }
  const v = size === 4 ? `${expr}|0` : `${expr}${m}`;
  const w = op === 7 || !write ? '' : write('v');
  return `{${pre}const a=${dst}${m},b=${src}${m},v=${v};${w}c.setLazy(${kind},a,b,v,${size});}`;
}

/** 00-3D: op E,G / G,E / acc,imm at any size. */
export function jitAluAny(i: Insn): string | null {
  const op = (i.opcode >> 3) & 7;
  const s = i.size;
  const form = i.opcode & 7;
  if (form === 4 || form === 5) return aluStatement(op, s, '', regRead(s, 0), String(i.imm | 0), (v) => regWrite(s, 0, v));
  const e = rmOperand(i, s);
  if (!e) return null;
  if (form === 0 || form === 1) return aluStatement(op, s, e.pre, e.read, regRead(s, i.reg), e.write);
  return aluStatement(op, s, e.pre, regRead(s, i.reg), e.read, (v) => regWrite(s, i.reg, v));
}

/** 80/81/82/83: op r/m, imm at any size. */
export function jitAluImmAny(i: Insn): string | null {
  const e = rmOperand(i, i.size);
  return e && aluStatement(i.reg, i.size, e.pre, e.read, String(i.imm | 0), e.write);
}

/** test E,G / E,imm / acc,imm. */
export function jitTestAny(i: Insn): string | null {
  const s = i.size;
  if (i.opcode === 0xa8 || i.opcode === 0xa9) return aluStatement(4, s, '', regRead(s, 0), String(i.imm | 0), null);
  const e = rmOperand(i, s);
  if (!e) return null;
  const src = i.opcode === 0x84 || i.opcode === 0x85 ? regRead(s, i.reg) : String(i.imm | 0);
  return aluStatement(4, s, e.pre, e.read, src, null);
}

/** mov at any size: E,G / G,E / E,imm / reg,imm. */
export function jitMovAny(i: Insn): string | null {
  const s = i.size;
  switch (i.opcode) {
    case 0x88: case 0x89: {
      const e = rmOperand(i, s);
      return e && `{${e.pre}${e.write(regRead(s, i.reg))}}`;
    }
    case 0x8a: case 0x8b: {
      const e = rmOperand(i, s);
      return e && `{${e.pre}${regWrite(s, i.reg, e.read)}}`;
    }
    case 0xc6: case 0xc7: {
      const e = rmOperand(i, s);
      return e && `{${e.pre}${e.write(String(i.imm | 0))}}`;
    }
    default:
      if (i.opcode >= 0xb0 && i.opcode <= 0xbf) return regWrite(s, i.reg, String(i.imm | 0));
      return null;
  }
}

/** movzx/movsx from a byte or word, at any destination size. */
export function jitMovExtend(i: Insn): string | null {
  const from = i.opcode === 0x0fb6 || i.opcode === 0x0fbe ? 1 : 2;
  const signed = i.opcode === 0x0fbe || i.opcode === 0x0fbf;
  const e = rmOperand(i, from);
  if (!e) return null;
  const shift = from === 1 ? 24 : 16;
  const v = signed ? `((${e.read}<<${shift})>>${shift})` : e.read;
  return `{${e.pre}${regWrite(i.size, i.reg, i.size === 2 ? `${v}&65535` : v)}}`;
}

/** inc/dec of r/m (FE/FF /0 /1) at any size: CF is preserved. */
export function jitIncDecAny(i: Insn): string | null {
  const e = rmOperand(i, i.size);
  if (!e) return null;
  const dec = i.reg === 1;
  const m = MASK[i.size];
  const v = i.size === 4 ? `(a${dec ? '-' : '+'}1)|0` : `(a${dec ? '-' : '+'}1)${m}`;
  return `{${e.pre}const cf=c.getCF(),a=${e.read}${m},v=${v};${e.write('v')}c.setLazy(${dec ? K_SUB : K_ADD},a,1,v,${i.size});c.flags=(c.flags&-2)|cf;c.lazy&=-2;}`;
}

/**
 * The condition of jcc/setcc/cmovcc as an expression. After a 32-bit compare or subtract (lazy
 * record kind SUB) the condition is a direct comparison of the operands h[1], h[2]; after a 32-bit
 * logic op (CF = OF = 0) it is a test of the result h[3]; anything else asks cond().
 */
export function condExpr(cc: number): string {
  const sub32 = `(c.lazy===${ARITH_FLAGS}&&h[4]===-2147483648&&c.lzKind===${K_SUB})`;
  const logic32 = `(c.lazy===${ARITH_FLAGS}&&h[4]===-2147483648&&c.lzKind===${K_LOGIC})`;
  const SUB: Record<number, string> = {
    2: '(h[1]>>>0)<(h[2]>>>0)', 3: '(h[1]>>>0)>=(h[2]>>>0)', 4: 'h[1]===h[2]', 5: 'h[1]!==h[2]',
    6: '(h[1]>>>0)<=(h[2]>>>0)', 7: '(h[1]>>>0)>(h[2]>>>0)', 12: 'h[1]<h[2]', 13: 'h[1]>=h[2]', 14: 'h[1]<=h[2]', 15: 'h[1]>h[2]',
  };
  const LOGIC: Record<number, string> = {
    2: 'false', 3: 'true', 4: 'h[3]===0', 5: 'h[3]!==0', 6: 'h[3]===0', 7: 'h[3]!==0', 8: 'h[3]<0', 9: 'h[3]>=0',
    12: 'h[3]<0', 13: 'h[3]>=0', 14: 'h[3]<=0', 15: 'h[3]>0',
  };
  if (cc === 4 || cc === 5) {
    // ZF alone: whatever computed it, a lazy ZF is "result is zero".
    return cc === 4 ? '(c.lazy&64?h[3]===0:(c.flags&64)!==0)' : '(c.lazy&64?h[3]!==0:(c.flags&64)===0)';
  }
  const parts: string[] = [];
  if (SUB[cc]) parts.push(`${sub32}?(${SUB[cc]})`);
  if (LOGIC[cc]) parts.push(`${logic32}?(${LOGIC[cc]})`);
  return parts.length ? `(${parts.join(':')}:c.cond(${cc}))` : `c.cond(${cc})`;
}

export function jitSetcc(i: Insn): string | null {
  const e = rmOperand(i, 1);
  return e && `{${e.pre}${e.write(`${condExpr(i.opcode & 15)}?1:0`)}}`;
}

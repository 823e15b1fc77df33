// AT&T text of one operand, from its kind in the opcode table and the decoded instruction.
import type { Insn } from '../cpu/insn.js';
import type { OperandKind } from '../cpu/operands.js';
import { NO_REG, NO_SEG, REG16_NAMES, REG32_NAMES, REG8_NAMES, SEG_NAMES } from '../cpu/regs.js';

/** What the operand printer needs besides the Insn. */
export interface OperandContext {
  /** Address of the instruction (branch targets are relative to its end). */
  eip: number;
  /** Whether a segment override is shown on the memory operand (`%fs:0x14`). */
  showSeg: boolean;
  /** Print r/m registers of kind Ew at the operand size (mov %eax,%es; lar %eax,%eax). */
  ewAtOpsize: boolean;
  /** Indirect branch: the r/m operand gets a `*`. */
  indirect: boolean;
  /** The instruction has no 16-bit addressing (MPX): objdump prints such a memory operand as `(bad)`. */
  only32BitAddressing: boolean;
}

export function hex(v: number): string {
  return '0x' + (v >>> 0).toString(16);
}

/** Signed hex as objdump prints displacements: -0x4, 0x0. */
function signedHex(v: number): string {
  return v < 0 ? '-0x' + (-v).toString(16) : '0x' + v.toString(16);
}

/** Register name of a general register at a width in bytes. */
export function regName(size: number, r: number): string {
  if (size === 1) return '%' + REG8_NAMES[r];
  if (size === 2) return '%' + REG16_NAMES[r];
  return '%' + REG32_NAMES[r];
}

/** objdump prints segment register numbers 6 and 7 (which do not exist) as `%?`. */
function segName(s: number): string {
  return s >= 0 && s < SEG_NAMES.length ? '%' + SEG_NAMES[s] : '%?';
}

/** The width of a 'v' operand: 16 with 0x66, else 32 (not Insn.size, which the table may pin). */
export function opsize(insn: Insn): number {
  return insn.opsize16 ? 2 : 4;
}

function sizeMask(size: number): number {
  return size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff;
}

function segPrefix(insn: Insn, ctx: OperandContext): string {
  return ctx.showSeg && insn.segOverride !== NO_SEG ? segName(insn.segOverride) + ':' : '';
}

/** A ModRM memory operand: disp(base,index,scale) in 32- or 16-bit addressing. */
function modrmMemory(insn: Insn, ctx: OperandContext): string {
  const seg = segPrefix(insn, ctx);
  if (insn.addr16) {
    if (insn.base === NO_REG && insn.index === NO_REG) return seg + signedHex((insn.disp << 16) >> 16);
    const disp = insn.mod === 0 ? '' : signedHex(insn.disp);
    const regs = [insn.base, insn.index].filter((r) => r !== NO_REG).map((r) => regName(2, r));
    return `${seg}${disp}(${regs.join(',')})`;
  }
  // No SIB and no base: an absolute address, printed unsigned.
  if (!insn.hasSib && insn.base === NO_REG) return seg + hex(insn.disp);
  // With a base, mod says whether a displacement byte/dword is present (printed even if zero);
  // without one (SIB base 5, mod 0) a disp32 always is.
  const disp = insn.base === NO_REG || insn.mod !== 0 ? signedHex(insn.disp) : '';
  const base = insn.base === NO_REG ? '' : regName(4, insn.base);
  let index = '';
  if (insn.hasSib) {
    const scale = 1 << insn.scale;
    // A SIB byte with index 100 means "no index"; objdump still shows it as %eiz, except in the
    // plain (%esp) form that is the only way to address through esp.
    if (insn.index !== NO_REG) index = `,${regName(4, insn.index)},${scale}`;
    else if (!(insn.base === 4 && insn.scale === 0)) index = `,%eiz,${scale}`;
  }
  return `${seg}${disp}(${base}${index})`;
}

/** The string-instruction operands: %ds:(%esi) (overridable) and %es:(%edi) (never overridden). */
function stringOperand(insn: Insn, ctx: OperandContext, src: boolean): string {
  const r = insn.addr16 ? (src ? '%si' : '%di') : src ? '%esi' : '%edi';
  if (!src) return `%es:(${r})`;
  const seg = ctx.showSeg && insn.segOverride !== NO_SEG ? insn.segOverride : 3;
  return `${segName(seg)}:(${r})`;
}

/** The r/m operand as register or memory, with register width `regSize`. */
function rm(insn: Insn, ctx: OperandContext, regSize: number): string {
  const text = insn.isMem ? memoryOperand(insn, ctx) : regName(regSize, insn.rm);
  return ctx.indirect ? '*' + text : text;
}

function memoryOperand(insn: Insn, ctx: OperandContext): string {
  return insn.addr16 && ctx.only32BitAddressing ? segPrefix(insn, ctx) + '(bad)' : modrmMemory(insn, ctx);
}

/** MPX bound registers: objdump names %bnd0-%bnd3, and `(bad)` for the encodings 4-7. */
function boundName(r: number): string {
  return r < 4 ? `%bnd${r}` : '(bad)';
}

/**
 * The AT&T text of operand `k`. `imm` is the immediate that belongs to it (immediates are stored
 * in Insn.imm then Insn.imm2, in operand order).
 */
export function formatOperand(k: OperandKind, insn: Insn, ctx: OperandContext, imm: number): string {
  const vs = opsize(insn);
  switch (k) {
    case 'Eb': return rm(insn, ctx, 1);
    case 'Ew': return rm(insn, ctx, ctx.ewAtOpsize ? vs : 2);
    case 'Ed': return rm(insn, ctx, 4);
    case 'Ev': return rm(insn, ctx, vs);
    case 'M': case 'Mp': case 'Mq': case 'Ms': return rm(insn, ctx, vs);
    case 'Gb': return regName(1, insn.reg);
    case 'Gw': return regName(2, insn.reg);
    case 'Gv': return regName(vs, insn.reg);
    // mov to/from CRn/DRn: the r/m is a register whatever mod says.
    case 'Rd': return regName(4, insn.rm);
    case 'Cd': return `%cr${insn.reg + (insn.lock ? 8 : 0)}`; // see the LOCK note in prefixes.ts
    case 'Dd': return `%db${insn.reg}`;
    case 'Sw': return segName(insn.reg);
    case 'Bg': return boundName(insn.reg);
    case 'Be': return insn.isMem ? memoryOperand(insn, ctx) : boundName(insn.rm);
    case 'Ib': return '$' + hex(imm & 0xff);
    case 'Iw': return '$' + hex(imm & 0xffff);
    case 'Iz': case 'Ibs': return '$' + hex(imm & sizeMask(vs));
    case 'Jb': return hex(insnEnd(insn, ctx) + imm);
    case 'Jz': return hex((insnEnd(insn, ctx) + imm) & sizeMask(vs));
    case 'Ap': return `$${hex(insn.imm2 & 0xffff)},$${hex(insn.imm & sizeMask(vs))}`;
    case 'Ob': case 'Ov':
      return segPrefix(insn, ctx) + hex(insn.addr16 ? insn.disp & 0xffff : insn.disp);
    case 'Zb': return regName(1, insn.reg);
    case 'Zv': return regName(vs, insn.reg);
    case 'AL': return '%al';
    case 'AX': return '%ax';
    case 'eAX': return regName(vs, 0);
    case 'CL': return '%cl';
    case 'DX': return '(%dx)';
    case 'ONE': return '$0x1';
    case 'ES': return '%es';
    case 'CS': return '%cs';
    case 'SS': return '%ss';
    case 'DS': return '%ds';
    case 'FS': return '%fs';
    case 'GS': return '%gs';
    case 'Xb': case 'Xv': return stringOperand(insn, ctx, true);
    case 'Yb': case 'Yv': return stringOperand(insn, ctx, false);
    case 'BX_AL': {
      const seg = ctx.showSeg && insn.segOverride !== NO_SEG ? insn.segOverride : 3;
      return `${segName(seg)}:(${insn.addr16 ? '%bx' : '%ebx'})`;
    }
  }
}

/** Address just past the instruction: where relative branches count from. */
function insnEnd(insn: Insn, ctx: OperandContext): number {
  return (ctx.eip + insn.len) | 0;
}

/** Whether operand kind `k` carries an immediate (and so consumes Insn.imm / imm2). */
export function takesImmediate(k: OperandKind): boolean {
  return k === 'Ib' || k === 'Iw' || k === 'Iz' || k === 'Ibs' || k === 'Jb' || k === 'Jz' || k === 'Ap';
}

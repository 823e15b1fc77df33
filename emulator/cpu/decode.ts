import type { Cpu } from './cpu.js';
import { Insn, type Handler } from './insn.js';
import type { OpDef } from './opdef.js';
import { MODRM_KINDS, type OperandKind } from './operands.js';
import { OPCODE_TABLE } from './optable.js';
import { DS, EBP, ES, ESP, NO_REG, NO_SEG, SS, EBX, ESI, EDI } from './regs.js';
import { CpuFault, GP, UD } from './fault.js';

/** Entries sharing an opcode (groups, mandatory prefixes, reg/mem variants), found by `match`. */
interface Slot {
  defs: OpDef[];
  needsModrm: boolean;
}

function buildSlots(): (Slot | undefined)[] {
  const slots: (Slot | undefined)[] = new Array(0x1000 + 0x100);
  for (const def of OPCODE_TABLE) {
    const idx = def.opcode >= 0x0f00 ? 0x100 + (def.opcode & 0xff) : def.opcode;
    let slot = slots[idx];
    if (!slot) slots[idx] = slot = { defs: [], needsModrm: false };
    slot.defs.push(def);
    if (def.ext !== undefined || def.operands.some((k) => MODRM_KINDS.has(k))) slot.needsModrm = true;
  }
  return slots;
}

/** Built on first use: the opcode table's modules import the CPU, which imports this decoder. */
let SLOTS: (Slot | undefined)[] | null = null;

/** The table entry for an opcode byte sequence, given the ModRM and prefixes seen. */
function match(slot: Slot, modrm: number, rep: number, opsize16: number): OpDef | null {
  const reg = (modrm >> 3) & 7;
  const isReg = modrm >= 0xc0;
  let fallback: OpDef | null = null;
  for (const d of slot.defs) {
    if (d.ext !== undefined && d.ext !== reg) continue;
    if (d.modIs === 'reg' && !isReg) continue;
    if (d.modIs === 'mem' && isReg) continue;
    if (d.rm !== undefined && d.rm !== (modrm & 7)) continue;
    if (d.mandatory !== undefined) {
      if (d.mandatory === rep || (d.mandatory === 0x66 && opsize16)) return d;
      continue;
    }
    if (!fallback) fallback = d;
  }
  return fallback;
}

const MAX_INSN_LEN = 15;

/** Size in bytes an operand kind implies; 0 when it says nothing about the operand size. */
function kindSize(k: OperandKind, opsize: number): number {
  switch (k) {
    case 'Eb': case 'Gb': case 'Ib': case 'AL': case 'Ob': case 'Xb': case 'Yb': case 'Zb': case 'CL': case 'BX_AL':
      return 1;
    case 'Ew': case 'Gw': case 'Iw': case 'AX': case 'Sw':
      return 2;
    case 'Ed': case 'Rd': case 'Cd': case 'Dd':
      return 4;
    case 'Ev': case 'Gv': case 'Iz': case 'Ibs': case 'eAX': case 'Ov': case 'Xv': case 'Yv': case 'Zv':
    case 'Jz': case 'M': case 'Mp':
      return opsize;
    default:
      return 0;
  }
}

/** Operand size of the instruction: that of the first operand that implies one. */
function operandSize(def: OpDef, opsize: number): number {
  if (def.size === 'v') return opsize;
  if (def.size) return def.size;
  for (const k of def.operands) {
    if (k === 'DX') continue;
    const s = kindSize(k, opsize);
    if (s) return s;
  }
  return opsize;
}

const raiseUd: Handler = (cpu) => {
  throw new CpuFault(UD, -1, `invalid or unsupported opcode at 0x${(cpu.eip >>> 0).toString(16)}`);
};

/**
 * Decodes the instruction at linear address `lin` (fetching through the CPU's execute path).
 * Unknown opcodes decode to an instruction that raises #UD when executed, with def = null.
 */
export function decode(cpu: Cpu, lin: number): Insn {
  const i = new Insn();
  let p = lin;
  const next8 = (): number => {
    if (((p - lin) | 0) >= MAX_INSN_LEN) throw new CpuFault(GP, 0, 'instruction longer than 15 bytes');
    const b = cpu.fetch8(p);
    p = (p + 1) | 0;
    return b;
  };
  const next16 = (): number => next8() | (next8() << 8);
  const next32 = (): number => next16() | (next16() << 16);

  // Prefixes.
  let b: number;
  for (;;) {
    b = next8();
    if (b === 0x66) i.opsize16 = 1;
    else if (b === 0x67) i.addr16 = 1;
    else if (b === 0xf0) i.lock = 1;
    else if (b === 0xf2 || b === 0xf3) i.rep = b;
    else if (b === 0x26) i.segOverride = ES;
    else if (b === 0x2e) i.segOverride = 1;
    else if (b === 0x36) i.segOverride = SS;
    else if (b === 0x3e) i.segOverride = DS;
    else if (b === 0x64) i.segOverride = 4;
    else if (b === 0x65) i.segOverride = 5;
    else break;
  }
  let opcode = b;
  let slotIdx = b;
  if (b === 0x0f) {
    const b2 = next8();
    opcode = 0x0f00 | b2;
    slotIdx = 0x100 + b2;
  }
  i.opcode = opcode;
  SLOTS ??= buildSlots();
  const slot = SLOTS[slotIdx];
  let modrm = -1;
  if (slot && slot.needsModrm) modrm = next8();
  const def = slot ? match(slot, modrm < 0 ? 0xc0 : modrm, i.rep, i.opsize16) : null;
  const opsize = i.opsize16 ? 2 : 4;
  i.size = opsize;
  if (!def) {
    i.len = Math.max(1, (p - lin) | 0);
    i.exec = raiseUd;
    return i;
  }
  i.def = def;
  i.size = operandSize(def, opsize);

  // mov to/from control and debug registers ignore mod: r/m is always a register, no SIB or disp.
  if (modrm >= 0) decodeModrm(i, def.operands.includes('Rd') ? modrm | 0xc0 : modrm, next8, next16, next32);

  // Immediates and other operand bytes, in operand order.
  let immCount = 0;
  const setImm = (v: number): void => {
    if (immCount++ === 0) i.imm = v;
    else i.imm2 = v;
  };
  for (const k of def.operands) {
    switch (k) {
      case 'Ib': setImm(next8()); break;
      case 'Ibs': case 'Jb': setImm((next8() << 24) >> 24); break;
      case 'Iw': setImm(next16()); break;
      case 'Iz': setImm(opsize === 2 ? next16() : next32()); break;
      case 'Jz': setImm(opsize === 2 ? (next16() << 16) >> 16 : next32()); break;
      case 'Ap': {
        const off = opsize === 2 ? next16() : next32();
        i.imm = off;
        i.imm2 = next16();
        immCount = 2;
        break;
      }
      case 'Ob': case 'Ov':
        i.isMem = 1;
        i.base = NO_REG;
        i.index = NO_REG;
        i.disp = i.addr16 ? next16() : next32();
        i.seg = i.segOverride !== NO_SEG ? i.segOverride : DS;
        break;
      case 'Zb': case 'Zv':
        i.reg = opcode & 7;
        break;
      case 'Xb': case 'Xv': case 'BX_AL':
        i.seg = i.segOverride !== NO_SEG ? i.segOverride : DS;
        if (k === 'BX_AL') i.base = EBX;
        break;
      default:
        break;
    }
  }
  i.len = (p - lin) | 0;
  i.exec = def.select ? (def.exec as (x: Insn) => Handler)(i) : (def.exec as Handler);
  return i;
}

/** Registers of the eight 16-bit addressing forms (ModRM.rm), as [base, index]. */
const ADDR16: ReadonlyArray<readonly [number, number]> = [
  [EBX, ESI], [EBX, EDI], [EBP, ESI], [EBP, EDI], [ESI, NO_REG], [EDI, NO_REG], [EBP, NO_REG], [EBX, NO_REG],
];

function decodeModrm(i: Insn, modrm: number, next8: () => number, next16: () => number, next32: () => number): void {
  const mod = modrm >> 6;
  i.mod = mod;
  i.reg = (modrm >> 3) & 7;
  i.rm = modrm & 7;
  if (mod === 3) return;
  i.isMem = 1;
  let defaultSeg = DS;
  if (i.addr16) {
    if (mod === 0 && i.rm === 6) {
      i.disp = next16();
    } else {
      [i.base, i.index] = ADDR16[i.rm];
      if (i.base === EBP) defaultSeg = SS;
      if (mod === 1) i.disp = (next8() << 24) >> 24;
      else if (mod === 2) i.disp = (next16() << 16) >> 16;
    }
  } else {
    let base = i.rm;
    if (i.rm === 4) {
      const sib = next8();
      i.hasSib = 1;
      i.scale = sib >> 6;
      const idx = (sib >> 3) & 7;
      i.index = idx === 4 ? NO_REG : idx;
      base = sib & 7;
      if (base === 5 && mod === 0) {
        base = NO_REG;
        i.disp = next32();
      }
    } else if (i.rm === 5 && mod === 0) {
      base = NO_REG;
      i.disp = next32();
    }
    i.base = base;
    if (base === ESP || base === EBP) defaultSeg = SS;
    if (mod === 1) i.disp = (next8() << 24) >> 24;
    else if (mod === 2) i.disp = next32();
  }
  i.seg = i.segOverride !== NO_SEG ? i.segOverride : defaultSeg;
}

import type { OpDef } from './opdef.js';
import { NO_REG, NO_SEG } from './regs.js';
import type { Cpu } from './cpu.js';

export type Handler = (cpu: Cpu, i: Insn) => void;

/**
 * One decoded instruction. Every field is a number (or a fixed reference) so all Insn objects share
 * one hidden class and the execute loop stays monomorphic. Decoded once, kept in the block cache.
 */
export class Insn {
  /** The execution routine chosen for this exact form (register vs memory, operand size). */
  exec: Handler = nopHandler;
  /** The table entry this was decoded from (mnemonic, operands, documentation). */
  def: OpDef | null = null;
  /** Length in bytes, prefixes included. */
  len = 0;
  /** Byte offset of this instruction from the start of its block. */
  offset = 0;
  /** Operand size in bytes for 'v'-sized operands (2 with a 0x66 prefix, else 4); 1 for byte forms. */
  size = 4;
  /** 0x66 seen. */
  opsize16 = 0;
  /** 0x67 seen: 16-bit addressing. */
  addr16 = 0;
  /** Segment override (ES..GS) or NO_SEG. */
  segOverride = NO_SEG;
  /** Segment the memory operand uses (override or default). */
  seg = 3;
  /** 0 none, 0xF3 rep/repe, 0xF2 repne. */
  rep = 0;
  lock = 0;
  /** ModRM fields. */
  mod = 0;
  reg = 0;
  rm = 0;
  /** 1 when the r/m operand is memory. */
  isMem = 0;
  /** Effective-address parts: regs[base] + (regs[index] << scale) + disp. NO_REG reads as 0. */
  base = NO_REG;
  index = NO_REG;
  scale = 0;
  disp = 0;
  /** For 16-bit addressing the two registers of the mode (bx+si ...) are base and index as 16-bit values. */
  /** Immediate operand (sign- or zero-extended as the operand kind says), and a second one (enter, far ptr). */
  imm = 0;
  imm2 = 0;
  /** Whether a SIB byte was present (the disassembler needs it to print %eiz like objdump). */
  hasSib = 0;
  /** The opcode byte(s): one-byte opcodes as 0x00-0xff, two-byte as 0x0f00-0x0fff. */
  opcode = 0;
}

export const nopHandler: Handler = () => {};

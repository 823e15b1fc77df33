import type { OperandKind } from './operands.js';
import type { Handler, Insn } from './insn.js';

/** Which status flags an instruction writes, and which of those the SDM leaves undefined. */
export interface FlagEffect {
  /** Flags written with a defined value, e.g. 'OSZAPC'. */
  set: string;
  /** Flags whose value the SDM calls undefined after the instruction. */
  undefined: string;
}

/**
 * One entry of the opcode table. The table is the single description of the instruction set:
 * the decoder reads opcode/ext/operands, the executor calls exec, the disassembler prints mnemonic
 * and operands, and the language server shows summary/flags/privilege.
 */
export interface OpDef {
  /** 0x00-0xff, or 0x0f00-0x0fff for 0F-prefixed opcodes. */
  opcode: number;
  /** ModRM.reg value for group opcodes (/0../7), or undefined. */
  ext?: number;
  /** Required mandatory prefix that selects this entry (e.g. 0xF3 for pause). */
  mandatory?: number;
  /** When set, the ModRM r/m must be a register (3) or memory (0) for this entry to match. */
  modIs?: 'reg' | 'mem';
  /**
   * ModRM.rm value, for forms that the whole ModRM byte selects (with ext and modIs 'reg'):
   * F3 0F 1E FB is endbr32, F3 0F 1E with any other register operand a hint NOP.
   */
  rm?: number;
  /** AT&T mnemonic stem, without size suffix. */
  mnemonic: string;
  /** Operands in Intel order (destination first). */
  operands: OperandKind[];
  /** Operand size when the operands do not say it (e.g. enter, ret imm16): 'v' = 16 or 32 by prefix. */
  size?: 1 | 2 | 4 | 'v';
  /** Chooses the execution routine for a decoded form; or the routine itself. */
  exec: Handler | ((i: Insn) => Handler);
  /**
   * Optional inline JavaScript for hot blocks (see compile.ts): given the decoded form, the same
   * semantics as exec as a statement, or null when this form has no template. The differential test
   * runs compiled and interpreted blocks against the host CPU, so both stay equal.
   */
  jit?: (i: Insn) => string | null;
  /** True when exec is a selector taking the Insn (not the routine). */
  select?: boolean;
  /** Status flags written, for documentation and the differential test's undefined-flag mask. */
  flags?: FlagEffect;
  /** Ends a decoded block: it may change EIP, or re-execute itself (rep string ops). */
  branch?: boolean;
  /** Privileged: ring 3 gets #GP(0) (or IOPL-dependent, described in `ring3`). */
  privileged?: boolean;
  /** What happens when ring 3 executes it, when that differs from normal execution. */
  ring3?: string;
  /** One line of documentation. */
  summary: string;
}

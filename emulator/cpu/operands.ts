// Operand kinds of the opcode table, in the notation of the Intel SDM's opcode map (vol. 2, appendix A).
// The decoder reads them to know what bytes follow the opcode; the disassembler reads them to print.
export type OperandKind =
  | 'Eb' | 'Ew' | 'Ed' | 'Ev'   // ModRM r/m: register or memory, byte / word / dword / operand size
  | 'Gb' | 'Gw' | 'Gv'          // ModRM reg field: general register
  | 'M' | 'Mp' | 'Mq' | 'Ms'    // ModRM memory only: any size, far pointer, quadword, pseudo-descriptor
  | 'Rd'                        // ModRM r/m that must be a register (mov to/from control registers)
  | 'Cd' | 'Dd'                 // ModRM reg field naming a control / debug register
  | 'Sw'                        // ModRM reg field naming a segment register
  | 'Bg' | 'Be'                 // MPX: ModRM reg naming a bound register; r/m as bound register or memory
  | 'Ib' | 'Iw' | 'Iz' | 'Ibs'  // immediate: byte, word, word-or-dword, byte sign-extended to operand size
  | 'Jb' | 'Jz'                 // relative branch target
  | 'Ap'                        // far pointer immediate (seg:offset)
  | 'Ob' | 'Ov'                 // moffs: absolute address, no ModRM
  | 'Zb' | 'Zv'                 // register encoded in the low 3 bits of the opcode
  | 'AL' | 'AX' | 'eAX' | 'CL' | 'DX' | 'ONE'
  | 'ES' | 'CS' | 'SS' | 'DS' | 'FS' | 'GS'
  | 'Xb' | 'Xv' | 'Yb' | 'Yv'   // string source ds:(esi) / destination es:(edi)
  | 'BX_AL';                    // xlat's ds:(ebx,al)

/** Operand kinds that require a ModRM byte. */
export const MODRM_KINDS: ReadonlySet<OperandKind> = new Set<OperandKind>([
  'Eb', 'Ew', 'Ed', 'Ev', 'Gb', 'Gw', 'Gv', 'M', 'Mp', 'Mq', 'Ms', 'Rd', 'Cd', 'Dd', 'Sw', 'Bg', 'Be',
]);

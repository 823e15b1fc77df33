// The opcode table: every instruction the processor knows, gathered from the per-family files.
// Decoder, executor, disassembler and the assembly language server all read this one table.
import type { OpDef } from './opdef.js';
import { ALU_OPS } from './ops/alu.js';
import { BIT_OPS } from './ops/bits.js';
import { CONTROL_OPS } from './ops/control.js';
import { IDENTITY_OPS } from './ops/identity.js';
import { MOV_OPS } from './ops/mov.js';
import { MULDIV_OPS } from './ops/muldiv.js';
import { SHIFT_OPS } from './ops/shift.js';
import { STACK_OPS } from './ops/stack.js';
import { STRING_OPS } from './ops/string.js';
import { SYSTEM_OPS } from './ops/system.js';
import { FAR_OPS } from './ops/far.js';
import { IO_OPS } from './ops/io.js';
import { HINT_NOP_OPS } from './ops/hint-nop.js';

export const OPCODE_TABLE: readonly OpDef[] = [
  ...ALU_OPS,
  ...MULDIV_OPS,
  ...SHIFT_OPS,
  ...BIT_OPS,
  ...MOV_OPS,
  ...STACK_OPS,
  ...CONTROL_OPS,
  ...STRING_OPS,
  ...IDENTITY_OPS,
  ...SYSTEM_OPS,
  ...FAR_OPS,
  ...IO_OPS,
  ...HINT_NOP_OPS,
];

// AT&T disassembly, printed exactly as GNU objdump 2.40 `objdump -d` prints the instruction column.
//
// There is no second opcode table here: the text comes from the decoded Insn and its OpDef (AT&T
// mnemonic stem + Intel-order operand kinds), so every instruction the decoder learns prints without
// new code. emulator/disasm/ holds the parts: operand text, mnemonic and suffix rule, prefixes.
import { decode } from './cpu/decode.js';
import type { Cpu } from './cpu/cpu.js';
import type { Insn } from './cpu/insn.js';
import type { OpDef } from './cpu/opdef.js';
import { CS } from './cpu/regs.js';
import { farName, isBoundInsn, isModrmMemKind, SYSREG_STORE_MNEMONICS } from './disasm/classify.js';
import { mnemonicOf } from './disasm/mnemonic.js';
import { formatOperand, takesImmediate, type OperandContext } from './disasm/operands.js';
import { prefixBytesFromInsn, prefixBytesOf, prefixText } from './disasm/prefixes.js';

export { formatOperandsForDocs } from './disasm/docs.js';

/** objdump pads the mnemonic (with its prefixes) to this width, then adds one space. */
const MNEMONIC_WIDTH = 6;

/**
 * The AT&T text of a decoded instruction at address `eip` (branch targets are absolute).
 * `bytes` (the instruction's bytes) is optional: with it, repeated or unusually ordered prefixes
 * print exactly as objdump shows them; without it they are rebuilt from the Insn's prefix fields.
 */
export function disassemble(insn: Insn, eip: number, bytes?: ArrayLike<number>): string {
  const prefixes = bytes ? prefixBytesOf(bytes, insn.len) : prefixBytesFromInsn(insn);
  const def = insn.def;
  if (!def) return join(prefixText(null, insn, prefixes, false).names, '(bad)', []);

  const mn = mnemonicOf(def, insn);
  const pre = prefixText(def, insn, prefixes, mn.f3Consumed);
  const ctx: OperandContext = {
    eip,
    showSeg: pre.showSeg,
    ewAtOpsize: ewAtOpsize(def),
    indirect: isIndirect(def),
    only32BitAddressing: isBoundInsn(def),
  };
  return join(pre.names, mn.text + pre.hint, mn.operands ?? operandTexts(def, insn, ctx));
}

/** Operands in AT&T order (source first), without the implicit shift count of 1. */
function operandTexts(def: OpDef, insn: Insn, ctx: OperandContext): string[] {
  const texts: string[] = [];
  let immSlot = 0;
  for (const k of def.operands) {
    let imm = 0;
    if (takesImmediate(k)) imm = immSlot++ === 0 ? insn.imm : insn.imm2;
    if (k === 'ONE') continue; // objdump prints `shl %eax` for the by-one form
    texts.push(formatOperand(k, insn, ctx, imm));
  }
  // enter keeps the Intel order of its two immediates (`enter $0x8,$0x0`); all else is reversed.
  return def.opcode === 0xc8 ? texts : texts.reverse();
}

/** Whether the r/m register of an Ew operand prints at the operand size, as objdump does. */
function ewAtOpsize(def: OpDef): boolean {
  return def.operands.includes('Sw') || SYSREG_STORE_MNEMONICS.has(def.mnemonic);
}

/** jmp/call through a register or memory: objdump marks the target operand with `*`. */
function isIndirect(def: OpDef): boolean {
  const m = farName(def) || def.mnemonic;
  if (m !== 'jmp' && m !== 'call' && m !== 'ljmp' && m !== 'lcall') return false;
  return def.operands.some(isModrmMemKind);
}

function join(prefixNames: string[], mnemonic: string, operands: string[]): string {
  const head = [...prefixNames, mnemonic].join(' ');
  if (operands.length === 0) return head;
  return head.padEnd(MNEMONIC_WIDTH) + ' ' + operands.join(',');
}

export interface Disassembly {
  text: string;
  length: number;
  bytes: number[];
}

/**
 * Decodes and prints the instruction at `eip` (an offset in CS, as EIP is). Reads through the CPU's
 * instruction-fetch path, so once paging exists a fetch from an unmapped page throws its fault.
 */
export function disassembleAt(cpu: Cpu, eip: number): Disassembly {
  const lin = (cpu.segBase[CS] + eip) | 0;
  const insn = decode(cpu, lin);
  const bytes: number[] = [];
  for (let k = 0; k < insn.len; k++) bytes.push(cpu.fetch8((lin + k) | 0));
  return { text: disassemble(insn, eip, bytes), length: insn.len, bytes };
}

// The AT&T mnemonic objdump prints for a table entry: the table's stem, objdump's size suffix rule,
// and the few names that depend on a prefix rather than on the opcode.
//
// objdump's default suffix rule: an instruction gets b/w/l only when nothing else shows its operand
// size, i.e. it has a memory operand of variable width and no general-register operand
// (`movl $0x1,(%eax)`, `shll (%eax)`, `shlw %cl,(%eax)`, but `mov %eax,(%ebx)`). Stack and control
// transfers default to 32 bits and say only a 16-bit size (`push (%eax)`, `pushw (%eax)`, `retw`).
import type { Insn } from '../cpu/insn.js';
import type { OpDef } from '../cpu/opdef.js';
import type { OperandKind } from '../cpu/operands.js';
import {
  countsInCx, farName, hasSizingRegister, isBoundInsn, STACK_MNEMONICS, SYSREG_STORE_MNEMONICS, usesOperandSize, varMemKind,
} from './classify.js';

export interface Mnemonic {
  text: string;
  /** The F3 prefix is part of the instruction (tzcnt, lzcnt) and is not printed. */
  f3Consumed: boolean;
  /** Operands that replace the table's (66 90 is `xchg %ax,%ax`, not a nop with a prefix). */
  operands?: string[];
}

/** Movzx/movsx under their AT&T stems or their Intel names. */
const EXTEND_MOVES: ReadonlySet<string> = new Set(['movzx', 'movsx', 'movzb', 'movzw', 'movsb', 'movsw']);

/** F3 before bsf/bsr is tzcnt/lzcnt on CPUs that have them; objdump always shows those. */
const F3_RENAMES: ReadonlyMap<number, string> = new Map([[0x0fbc, 'tzcnt'], [0x0fbd, 'lzcnt']]);

function sizeLetter(size: number): string {
  return size === 1 ? 'b' : size === 2 ? 'w' : 'l';
}

function kindLetter(k: OperandKind, insn: Insn): string {
  if (k === 'Eb' || k === 'Xb' || k === 'Yb') return 'b';
  if (k === 'Ed') return 'l';
  return sizeLetter(insn.opsize16 ? 2 : 4);
}

export function mnemonicOf(def: OpDef, insn: Insn): Mnemonic {
  const op = def.opcode;
  const o16 = insn.opsize16 !== 0;
  const plain = (text: string): Mnemonic => ({ text, f3Consumed: false });

  // Names that a prefix selects.
  if (op === 0x98) return plain(o16 ? 'cbtw' : 'cwtl');
  if (op === 0x99) return plain(o16 ? 'cwtd' : 'cltd');
  if (op === 0x90 && o16 && def.operands.length === 0 && def.mandatory === undefined) {
    return { text: 'xchg', f3Consumed: false, operands: ['%ax', '%ax'] };
  }
  if (countsInCx(def) && insn.addr16) return plain(op === 0xe3 ? 'jcxz' : def.mnemonic + 'w');
  const renamed = F3_RENAMES.get(op);
  if (renamed && insn.rep === 0xf3 && def.mandatory === undefined) return { text: renamed, f3Consumed: true };

  const stem = farName(def) || def.mnemonic;
  if (EXTEND_MOVES.has(stem) && def.operands.some((k) => k === 'Gv' || k === 'Gw')) {
    const src = def.operands.includes('Eb') ? 'b' : 'w';
    return plain(stem.slice(0, 4) + src + sizeLetter(o16 || def.operands.includes('Gw') ? 2 : 4));
  }
  return plain(stem + suffix(def, insn, stem));
}

function suffix(def: OpDef, insn: Insn, stem: string): string {
  // Pseudo-descriptor loads and stores (lgdt, sidt ...) always say their size.
  if (def.operands.includes('Ms')) return sizeLetter(insn.opsize16 ? 2 : 4);
  if (STACK_MNEMONICS.has(stem)) {
    return insn.opsize16 && usesOperandSize(def, insn) && !hasSizingRegister(def, insn) ? 'w' : '';
  }
  // Fixed-width operands: setcc's byte, segment and system registers, MPX's bounds.
  if (stem.startsWith('set') || def.operands.includes('Sw') || SYSREG_STORE_MNEMONICS.has(stem) || isBoundInsn(def)) return '';
  const mem = varMemKind(def, insn);
  return mem && !hasSizingRegister(def, insn) ? kindLetter(mem, insn) : '';
}

// Questions the AT&T printer asks about a decoded instruction: which prefixes it consumes, whether an
// operand names a register whose width already tells the operand size, and so on. All answers come
// from the table entry's operand kinds (plus a few mnemonic families objdump treats as a class), so
// new table entries get the right behaviour without code here.
import type { Insn } from '../cpu/insn.js';
import type { OperandKind } from '../cpu/operands.js';
import type { OpDef } from '../cpu/opdef.js';

/** Kinds whose width follows the operand-size attribute: a 0x66 prefix changes them. */
const OPSIZE_KINDS: ReadonlySet<OperandKind> = new Set<OperandKind>([
  'Ev', 'Gv', 'Iz', 'Ibs', 'Jz', 'eAX', 'Zv', 'Xv', 'Yv', 'Ov', 'Mp', 'Ms', 'Ap',
]);

/** ModRM r/m kinds (register or memory) and memory-only ModRM kinds. */
const E_KINDS: ReadonlySet<OperandKind> = new Set<OperandKind>(['Eb', 'Ew', 'Ed', 'Ev']);
const M_KINDS: ReadonlySet<OperandKind> = new Set<OperandKind>(['M', 'Mp', 'Mq', 'Ms']);

/** Memory operands whose width varies with the instruction (so a suffix can be needed to say it). */
const VAR_MEM_KINDS: ReadonlySet<OperandKind> = new Set<OperandKind>(['Eb', 'Ed', 'Ev', 'Xb', 'Xv', 'Yb', 'Yv']);

/** General-register operands whose printed name (%al, %ax, %eax) states the operand size. */
const SIZING_REG_KINDS: ReadonlySet<OperandKind> = new Set<OperandKind>([
  'Gb', 'Gw', 'Gv', 'Zb', 'Zv', 'AL', 'AX', 'eAX', 'Rd',
]);

/**
 * Mnemonics objdump treats as stack / control transfer: their 32-bit form is the default and is
 * printed bare (`push (%eax)`, `ret`), only a 16-bit form gets a `w` (`pushw`, `retw`, `jmpw`).
 */
export const STACK_MNEMONICS: ReadonlySet<string> = new Set([
  'push', 'pop', 'call', 'jmp', 'ret', 'lret', 'iret', 'enter', 'leave',
  'pushf', 'popf', 'pusha', 'popa', 'ljmp', 'lcall',
]);

/**
 * r/m operands of fixed width that objdump never suffixes, and whose register form it prints at the
 * operand size (`str %eax`, `mov %es,%eax`): system registers moved to or from a GPR or memory.
 */
export const SYSREG_STORE_MNEMONICS: ReadonlySet<string> = new Set(['str', 'sldt', 'smsw', 'lar', 'lsl']);

/**
 * MPX instructions (a bound-register operand). objdump reads them only with 32-bit addressing: after
 * a 67 prefix it prints the memory operand as `(bad)` and names the prefix `addr16`. They never
 * take a size suffix (`bndcl (%eax),%bnd0`).
 */
export function isBoundInsn(def: OpDef): boolean {
  return def.operands.includes('Bg');
}

/**
 * Hint NOPs that an F3/F2 prefix selects because the opcode means something else without it
 * (F3 0F 1E, F3 0F 1B with a register, F3/F2 0F 1C; hint-nop.ts). objdump still names that prefix
 * (repz, repnz), and names a 66 `data16` although the 66 makes the operand 16-bit (`nopw`).
 */
export function isPrefixSelectedNop(def: OpDef): boolean {
  return def.mnemonic === 'nop' && (def.mandatory === 0xf3 || def.mandatory === 0xf2);
}

export function isModrmMemKind(k: OperandKind): boolean {
  return E_KINDS.has(k) || M_KINDS.has(k);
}

/** Whether the instruction has a memory operand of variable width (what a b/w/l suffix would size). */
export function varMemKind(def: OpDef, insn: Insn): OperandKind | undefined {
  for (const k of def.operands) {
    if (!VAR_MEM_KINDS.has(k)) continue;
    if (E_KINDS.has(k) && !insn.isMem) continue;
    return k;
  }
  return undefined;
}

/** Whether some operand is a general register whose name gives the operand size. */
export function hasSizingRegister(def: OpDef, insn: Insn): boolean {
  for (const k of def.operands) {
    if (SIZING_REG_KINDS.has(k)) return true;
    if (E_KINDS.has(k) && !insn.isMem) return true;
  }
  return false;
}

/** jcc / loop / jecxz: conditional relative branches (objdump shows 2E/3E before them as hints). */
export function isConditionalBranch(def: OpDef): boolean {
  return def.operands.some((k) => k === 'Jb' || k === 'Jz') && def.mnemonic !== 'jmp' && def.mnemonic !== 'call';
}

/** loop, loope, loopne, jecxz: they count in (E)CX, so the address-size prefix selects CX or ECX. */
export function countsInCx(def: OpDef): boolean {
  return def.opcode >= 0xe0 && def.opcode <= 0xe3;
}

/** Near jmp/call through a register or memory (FF /2, FF /4): 3E before them is `notrack`. */
export function isIndirectNearBranch(def: OpDef): boolean {
  return (def.mnemonic === 'jmp' || def.mnemonic === 'call') && def.operands.some((k) => E_KINDS.has(k));
}

/** Near branches that MPX's BND prefix (F2) applies to: jmp, call, ret and jcc, not loop/jecxz. */
export function takesBnd(def: OpDef): boolean {
  if (def.mnemonic === 'ret' || isIndirectNearBranch(def)) return true;
  return def.operands.some((k) => k === 'Jb' || k === 'Jz') && !countsInCx(def);
}

/** String instructions: they read ds:(esi) and/or write es:(edi). */
export function isStringOp(def: OpDef): boolean {
  return def.operands.some((k) => k === 'Xb' || k === 'Xv' || k === 'Yb' || k === 'Yv');
}

/** cmps/scas: the string ops whose F3 prefix objdump names `repz` rather than `rep`. */
export function isStringCompare(def: OpDef): boolean {
  return isStringOp(def) && (def.mnemonic.startsWith('cmps') || def.mnemonic.startsWith('scas'));
}

/** Whether a 0x66 prefix changes this instruction (else objdump prints it as `data16`). */
export function usesOperandSize(def: OpDef, insn: Insn): boolean {
  const op = def.opcode;
  if (op === 0x98 || op === 0x99) return true; // cbtw/cwtl, cwtd/cltd
  if (op === 0x90 && def.operands.length === 0 && def.mandatory === undefined) return true; // xchg %ax,%ax
  if (STACK_MNEMONICS.has(def.mnemonic) || STACK_MNEMONICS.has(farName(def))) {
    return !def.operands.includes('Jb'); // jmp rel8 ignores it
  }
  // Moves of segment/system registers: the prefix sizes the register form only.
  if (def.operands.includes('Sw') || SYSREG_STORE_MNEMONICS.has(def.mnemonic)) {
    if (!insn.isMem) return true;
    return def.operands.includes('Gv');
  }
  if (def.size === 'v') return true;
  return def.operands.some((k) => OPSIZE_KINDS.has(k));
}

/** Whether a 0x67 prefix changes this instruction (else objdump prints it as `addr16`). */
export function usesAddressSize(def: OpDef, insn: Insn): boolean {
  if (countsInCx(def)) return true;
  if (isBoundInsn(def)) return false;
  for (const k of def.operands) {
    if (k === 'Xb' || k === 'Xv' || k === 'Yb' || k === 'Yv' || k === 'BX_AL') return true;
    if (insn.isMem && isModrmMemKind(k)) return true;
  }
  // Ob/Ov (moffs) are sized by 0x67 too, but objdump still prints the prefix: match it.
  return false;
}

/** Whether a segment-override prefix lands on a memory operand (else objdump prints its name). */
export function usesSegment(def: OpDef, insn: Insn): boolean {
  for (const k of def.operands) {
    if (k === 'Ob' || k === 'Ov' || k === 'Xb' || k === 'Xv' || k === 'BX_AL') return true;
    if (insn.isMem && (isModrmMemKind(k) || k === 'Be')) return true;
  }
  return false;
}

/** Far transfers print with an `l` (ljmp, lcall, lret) whatever the table calls them. */
const FAR_OPCODES: ReadonlyMap<number, string> = new Map([
  [0x9a, 'lcall'], [0xea, 'ljmp'], [0xca, 'lret'], [0xcb, 'lret'],
]);

/** The AT&T name of a far transfer (FF /3, FF /5 and the opcodes above), or '' if not one. */
export function farName(def: OpDef): string {
  const byOpcode = FAR_OPCODES.get(def.opcode);
  if (byOpcode) return byOpcode;
  if (def.opcode === 0xff && def.ext === 3) return 'lcall';
  if (def.opcode === 0xff && def.ext === 5) return 'ljmp';
  return '';
}

/** Read-modify-write instructions that accept LOCK when their destination is memory. */
const LOCKABLE: ReadonlySet<string> = new Set([
  'add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'not', 'neg', 'inc', 'dec',
  'bts', 'btr', 'btc', 'xadd', 'cmpxchg', 'cmpxchg8b', 'xchg',
]);

/**
 * What F2/F3 mean as HLE hints (xacquire/xrelease), which objdump prints instead of repnz/repz:
 * 'both' on a locked (or xchg, implicitly locked) read-modify-write of memory, 'release' (F3 only)
 * on a plain mov to memory, '' otherwise.
 */
export function hleForm(def: OpDef, insn: Insn, locked: boolean): 'both' | 'release' | '' {
  const dst = def.operands[0];
  if (dst === undefined || !insn.isMem || !isModrmMemKind(dst)) return '';
  if (LOCKABLE.has(def.mnemonic) && (locked || def.mnemonic === 'xchg')) return 'both';
  if (def.mnemonic === 'mov' && !def.operands.includes('Sw')) return 'release';
  return '';
}

// From what a programmer types to a catalog instruction: gas's size suffixes (movl, pushw),
// condition-code synonyms (jz, setnae), the AT&T names of movzx/movsx (movzbl, movswl), Intel
// names gas also accepts (cwde, cdq), and objdump's spellings. Which suffixes an instruction takes
// follows from its operand kinds in the opcode table, the way gas decides it.
import type { OpDef } from '../../../../emulator/cpu/opdef.js';
import type { OperandKind } from '../../../../emulator/cpu/operands.js';
import { isBoundInsn } from '../../../../emulator/disasm/classify.js';
import { INSTRUCTIONS, type Instruction } from './catalog.js';
import { CONDITION_SUFFIXES, CONDITIONAL_FAMILIES } from './conditions.js';

export type OperandSize = 1 | 2 | 4;

export interface Spelling {
  instruction: Instruction;
  /** Operand size the spelling fixes (a b/w/l suffix, or a name like cwtl), if any. */
  size?: OperandSize;
  /** movzx/movsx: the source size the name fixes (movzbl: 1, movzwl: 2). */
  sourceSize?: OperandSize;
  /** How the spelling relates to the canonical one, for the hover ("jz is another name for je"). */
  note?: string;
  /** The emulator runs this spelling, but not as a newer CPU would: worth a warning. */
  caveat?: string;
}

const SUFFIX_SIZE: Readonly<Record<string, OperandSize>> = { b: 1, w: 2, l: 4 };

/**
 * Operand kinds whose width a b/w/l suffix can state. Ew takes l too: gas accepts `smswl %eax`
 * and `strl %eax` (the register form is written at the operand size).
 */
const SIZED_BY: Readonly<Record<OperandSize, ReadonlySet<OperandKind>>> = {
  1: new Set<OperandKind>(['Eb', 'Gb', 'Zb', 'AL', 'Xb', 'Yb', 'Ob']),
  2: new Set<OperandKind>(['Ew', 'Ev', 'Gw', 'Gv', 'Zv', 'AX', 'eAX', 'Iz', 'Ibs', 'Xv', 'Yv', 'Ov', 'Sw', 'Mp', 'Ms', 'Ap']),
  4: new Set<OperandKind>(['Ed', 'Ew', 'Ev', 'Gv', 'Zv', 'eAX', 'Iz', 'Ibs', 'Xv', 'Yv', 'Ov', 'Sw', 'Mp', 'Ms', 'Ap', 'Rd', 'Cd', 'Dd']),
};

/** Instructions that take w/l as an address-size (count register) suffix, not an operand size. */
const ADDRESS_SIZED = new Set(['loop', 'loope', 'loopne']);

/** Hint-NOP-space instructions whose register operand has one width: gas takes no suffix on them. */
const NEVER_SUFFIXED = new Set(['rdsspd']);

/** Whether gas accepts `size` as a suffix for this table entry. */
export function takesSize(def: OpDef, size: OperandSize): boolean {
  if (isBoundInsn(def) || NEVER_SUFFIXED.has(def.mnemonic)) return false; // `bndcll`, `rdsspdl`: gas refuses
  if (def.size === 'v') return size !== 1;
  if (def.size !== undefined) return def.size === size;
  if (size !== 1 && def.mnemonic === 'call' && def.operands.includes('Jz')) return true; // calll/callw label
  if (size !== 1 && ADDRESS_SIZED.has(def.mnemonic)) return true;
  return def.operands.some((k) => SIZED_BY[size].has(k));
}

/** The forms of `instruction` a spelling with this size can mean (all of them without a size). */
export function formsFor(s: Spelling): readonly OpDef[] {
  const size = s.size;
  if (s.sourceSize !== undefined) {
    const source = s.sourceSize === 1 ? 'Eb' : 'Ew';
    return s.instruction.defs.filter((d) => d.operands.includes(source));
  }
  if (size === undefined) return s.instruction.defs;
  const sized = s.instruction.defs.filter((d) => takesSize(d, size));
  // cwtl, cltd: the name fixes the size of an instruction with no operands to suffix.
  return sized.length > 0 ? sized : s.instruction.defs;
}

function instruction(name: string): Instruction {
  const found = INSTRUCTIONS.get(name);
  if (!found) throw new Error(`the opcode table has no instruction '${name}' (language server spelling table is stale)`);
  return found;
}

/**
 * Names gas accepts that are not a table stem plus a suffix. Each maps to a table stem; a missing
 * stem is a programming error caught at load time by instruction().
 */
function extraSpellings(): [string, Spelling][] {
  const out: [string, Spelling][] = [];
  const add = (name: string, stem: string, extra: Omit<Spelling, 'instruction'> = {}): void => {
    out.push([name, { instruction: instruction(stem), ...extra }]);
  };
  add('sal', 'shl', { note: '`sal` is another name for `shl` (the same opcode)' });
  for (const [s, size] of Object.entries(SUFFIX_SIZE)) add('sal' + s, 'shl', { size, note: '`sal` is another name for `shl` (the same opcode)' });
  // 0x98 / 0x99: the operand size picks the name.
  add('cbtw', 'cbtw', { size: 2 });
  add('cwtl', 'cbtw', { size: 4 });
  add('cbw', 'cbtw', { size: 2, note: 'Intel name of `cbtw`' });
  add('cwde', 'cbtw', { size: 4, note: 'Intel name of `cwtl`' });
  add('cwtd', 'cltd', { size: 2 });
  add('cltd', 'cltd', { size: 4 });
  add('cwd', 'cltd', { size: 2, note: 'Intel name of `cwtd`' });
  add('cdq', 'cltd', { size: 4, note: 'Intel name of `cltd`' });
  // movzx / movsx: AT&T names carry both sizes.
  for (const [ext, stem] of [['z', 'movzx'], ['s', 'movsx']] as const) {
    add(`mov${ext}x`, stem);
    add(`mov${ext}bw`, stem, { sourceSize: 1, size: 2 });
    add(`mov${ext}bl`, stem, { sourceSize: 1, size: 4 });
    add(`mov${ext}wl`, stem, { sourceSize: 2, size: 4 });
    add(`mov${ext}ww`, stem, { sourceSize: 2, size: 2 }); // objdump's name for 66 0F B7/BF
  }
  add('movzb', 'movzx', { sourceSize: 1 });
  add('movzw', 'movzx', { sourceSize: 2 });
  add('jcxz', 'jecxz', { note: '`jcxz` tests CX (address-size prefix); `jecxz` tests ECX' });
  add('loopz', 'loope', { note: '`loopz` is another name for `loope`' });
  add('loopnz', 'loopne', { note: '`loopnz` is another name for `loopne`' });
  for (const s of ['w', 'l']) {
    add('loopz' + s, 'loope', { note: '`loopz` is another name for `loope`' });
    add('loopnz' + s, 'loopne', { note: '`loopnz` is another name for `loopne`' });
  }
  add('xlatb', 'xlat');
  // F3 0F BC/BD: tzcnt/lzcnt on CPUs with BMI1/LZCNT; older CPUs, and the emulator, ignore the F3.
  for (const [name, stem, differs] of [
    ['tzcnt', 'bsf', 'the same index for a non-zero source'],
    ['lzcnt', 'bsr', '31 - the count for a non-zero source'],
  ] as const) {
    const caveat = `the emulator has no BMI1/LZCNT: \`${name}\` runs as \`${stem}\` (F3 is ignored), which gives ${differs}, ` +
      'leaves the destination unchanged and sets ZF when the source is 0 (a newer CPU returns the operand width and sets CF)';
    add(name, stem, { caveat });
    for (const [s, size] of Object.entries(SUFFIX_SIZE)) if (size !== 1) add(name + s, stem, { size, caveat });
  }
  add('ud2a', 'ud2');
  add('wbnoinvd', 'wbinvd', { note: 'F3 0F 09: `wbinvd` on CPUs (and the emulator) without WBNOINVD; the emulator has no caches, so both do nothing but the privilege check' });
  return out;
}

/** Conditional families: every synonym of every condition, with the suffixes the family takes. */
function conditionSpellings(): [string, Spelling][] {
  const out: [string, Spelling][] = [];
  for (const family of CONDITIONAL_FAMILIES) {
    for (const [written, cc] of CONDITION_SUFFIXES) {
      const inst = instruction(family + cc);
      const note = written === cc ? undefined : `\`${family}${written}\` is another name for \`${family}${cc}\``;
      out.push([family + written, { instruction: inst, ...(note ? { note } : {}) }]);
      for (const [s, size] of Object.entries(SUFFIX_SIZE)) {
        if (inst.defs.some((d) => takesSize(d, size))) out.push([family + written + s, { instruction: inst, size, ...(note ? { note } : {}) }]);
      }
    }
  }
  return out;
}

function buildSpellings(): ReadonlyMap<string, Spelling> {
  const map = new Map<string, Spelling>();
  // Suffixed forms first, so that a stem that is also a suffixed spelling keeps its own meaning.
  for (const inst of INSTRUCTIONS.values()) {
    for (const [s, size] of Object.entries(SUFFIX_SIZE)) {
      if (inst.defs.some((d) => takesSize(d, size))) map.set(inst.name + s, { instruction: inst, size });
    }
  }
  for (const inst of INSTRUCTIONS.values()) map.set(inst.name, { instruction: inst });
  for (const [name, sp] of [...conditionSpellings(), ...extraSpellings()]) map.set(name, sp);
  return map;
}

/** Every spelling of every implemented instruction, lower case. */
export const SPELLINGS: ReadonlyMap<string, Spelling> = buildSpellings();

/**
 * Spellings whose meaning depends on the operands: movsb/movsw are the string moves, or movsx when
 * a general register is the destination (`movsb %al,%ecx`); movsd/cmpsd are the string ops on
 * dwords, or SSE2 scalar-double instructions when an operand is an %xmm register.
 */
export function resolveMnemonic(word: string, operands: readonly string[] = []): Spelling | undefined {
  const w = word.toLowerCase();
  const xmm = operands.some((o) => /%xmm\d/i.test(o));
  if ((w === 'movsd' || w === 'cmpsd') && xmm) return undefined;
  if (w === 'movsd') return { instruction: instruction('movs'), size: 4, note: 'Intel-style name of `movsl`' };
  if (w === 'cmpsd') return { instruction: instruction('cmps'), size: 4, note: 'Intel-style name of `cmpsl`' };
  if ((w === 'movsb' || w === 'movsw') && operands.length === 2 && /^%(e?[a-d]x|e?[sd]i|e?[sb]p)$/i.test(operands[1].trim())) {
    return { instruction: instruction('movsx'), sourceSize: w === 'movsb' ? 1 : 2, note: `\`${w}\` with a register destination is \`movsx\`` };
  }
  return SPELLINGS.get(w);
}

// Which status flags an instruction leaves undefined. The opcode table (emulator/cpu/ops/*.ts,
// field `flags`) is the one source of that information; this module only reads it, and adds the
// count-dependent rules of the SDM that a per-mnemonic table cannot express (shifts, rotates).
// The emulator's modules form a cycle (optable -> ops -> cpu -> blocks -> decode -> optable) that
// only initialises correctly when entered from the machine side; load that first.
import '../../../emulator/machine.js';
import { OPCODE_TABLE } from '../../../emulator/cpu/optable.js';
import { CF, OF, parseFlagLetters } from './gen/asm.js';

/** A flag effect as masks: `defined` flags get a value the SDM specifies, `undef` ones do not. */
export interface FlagMasks {
  defined: number;
  undef: number;
}

interface TableFlags {
  /** How many table entries carry this mnemonic. */
  entries: number;
  /** Entries without a `flags` field. */
  withoutFlags: number;
  set: number;
  undef: number;
}

const byMnemonic = new Map<string, TableFlags>();
for (const def of OPCODE_TABLE) {
  let t = byMnemonic.get(def.mnemonic);
  if (!t) byMnemonic.set(def.mnemonic, (t = { entries: 0, withoutFlags: 0, set: 0, undef: 0 }));
  t.entries++;
  if (!def.flags) {
    t.withoutFlags++;
    continue;
  }
  // Entries of one mnemonic should agree; if they do not, the union is the safe reading.
  t.set |= parseFlagLetters(def.flags.set);
  t.undef |= parseFlagLetters(def.flags.undefined);
}

/** What the table says about a mnemonic, or undefined when it has no entry with that name. */
export function tableFlags(mnemonic: string): Readonly<TableFlags> | undefined {
  return byMnemonic.get(mnemonic);
}

const SHIFTS = new Set(['shl', 'sal', 'shr', 'sar']);
const ROTATES = new Set(['rol', 'ror', 'rcl', 'rcr']);
const DOUBLE_SHIFTS = new Set(['shld', 'shrd']);

export interface FlagContext {
  /** Shift or rotate count as encoded (before masking), when the instruction has one. */
  count?: number;
  /** Operand size in bytes, for count rules. */
  size?: number;
}

/**
 * The flag effect of one execution of `mnemonic`. Unknown mnemonics and entries without flag
 * information count as "changes no flags".
 */
export function flagEffect(mnemonic: string, ctx: FlagContext = {}): FlagMasks {
  const t = byMnemonic.get(mnemonic);
  if (!t) return { defined: 0, undef: 0 };
  let undef = t.undef;
  let defined = t.set & ~undef;
  const isShift = SHIFTS.has(mnemonic), isRotate = ROTATES.has(mnemonic), isDouble = DOUBLE_SHIFTS.has(mnemonic);
  if ((isShift || isRotate || isDouble) && ctx.count !== undefined) {
    const bitsWide = (ctx.size ?? 4) * 8;
    const c = ctx.count & 31;
    // SDM SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD/SHRD: "If the count is 0, the flags are not affected."
    if (c === 0) return { defined: 0, undef: 0 };
    if (c === 1) {
      // SDM: "The OF flag is affected only for 1-bit shifts/rotates" -- then it is defined.
      undef &= ~OF;
      defined |= OF;
    } else {
      // SDM: "...; otherwise, it is undefined" (OF for multi-bit shifts and rotates).
      undef |= OF;
      defined &= ~OF;
    }
    if ((mnemonic === 'shl' || mnemonic === 'sal' || mnemonic === 'shr') && c >= bitsWide) {
      // SDM SAL/SAR/SHL/SHR: CF "is undefined for SHL and SHR instructions where the count is
      // greater than or equal to the size (in bits) of the destination operand".
      undef |= CF;
      defined &= ~CF;
    }
    if ((mnemonic === 'rcl' || mnemonic === 'rcr') && bitsWide < 32 && c % (bitsWide + 1) === 0) {
      // SDM RCL/RCR: the rotate count is taken MOD 9 (8-bit) or MOD 17 (16-bit); a count that
      // reduces to 0 rotates nothing, so CF keeps its old value (defined or not).
      defined &= ~CF;
    }
  }
  return { defined, undef };
}

/**
 * Mnemonics that, per the SDM, write status flags: each must carry `flags` in the opcode table, or
 * the harness cannot know which flags to mask. Used only to report omissions.
 */
export const FLAG_WRITERS = [
  'add', 'adc', 'sub', 'sbb', 'and', 'or', 'xor', 'cmp', 'test', 'inc', 'dec', 'neg',
  'mul', 'imul', 'div', 'idiv', 'rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar', 'shld', 'shrd',
  'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'cmpxchg', 'cmpxchg8b', 'xadd', 'cmps', 'scas',
  'popf', 'sahf', 'clc', 'stc', 'cmc',
];

/** Flag-writing mnemonics the table lacks, or has without flag information. */
export function missingFlagInfo(): string[] {
  const out: string[] = [];
  for (const m of FLAG_WRITERS) {
    const t = byMnemonic.get(m);
    if (!t) out.push(`${m}: no opcode table entry`);
    else if (t.withoutFlags > 0) out.push(`${m}: ${t.withoutFlags} of ${t.entries} entries have no flags field`);
  }
  return out;
}

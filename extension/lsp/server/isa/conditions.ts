// The condition-code names gas accepts after j, set and cmov: the emulator's canonical suffix (the
// one objdump prints) and its synonyms (jz for je, jnae and jc for jb, ...). SDM vol. 2, Jcc.
import { CC_NAMES } from '../../../../emulator/cpu/conditions.js';

/** Synonyms of each canonical condition suffix, in encoding order (o, no, b, ae, ...). */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  o: [], no: [], b: ['c', 'nae'], ae: ['nb', 'nc'], e: ['z'], ne: ['nz'], be: ['na'], a: ['nbe'],
  s: [], ns: [], p: ['pe'], np: ['po'], l: ['nge'], ge: ['nl'], le: ['ng'], g: ['nle'],
};

/** Every condition suffix gas accepts, mapped to the canonical one the opcode table uses. */
export const CONDITION_SUFFIXES: ReadonlyMap<string, string> = new Map(
  CC_NAMES.flatMap((cc) => [[cc, cc] as const, ...(SYNONYMS[cc] ?? []).map((s) => [s, cc] as const)]),
);

/** The instruction families whose mnemonic is a prefix plus a condition suffix. */
export const CONDITIONAL_FAMILIES = ['j', 'set', 'cmov'] as const;

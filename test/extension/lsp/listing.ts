// Turns objdump listings into assembly documents for the language server, and finds the mnemonic
// of each line the way objdump lays it out (prefix names, then the mnemonic).
import type { ObjdumpLine } from '../../emulator/disasm/objdump.js';

/** Prefix names objdump prints before a mnemonic (binutils' i386-dis.c spellings). */
const OBJDUMP_PREFIXES = new Set([
  'lock', 'rep', 'repz', 'repnz', 'data16', 'addr16', 'cs', 'ds', 'es', 'fs', 'gs', 'ss', 'notrack', 'bnd', 'xacquire', 'xrelease',
]);

export interface Word {
  text: string;
  start: number;
  end: number;
}

/** The mnemonic word of one instruction line (without a `,pt` hint), or undefined for `(bad)`. */
export function mnemonicOf(text: string): Word | undefined {
  for (const m of text.matchAll(/[^\s,]+/g)) {
    const w = m[0];
    if (OBJDUMP_PREFIXES.has(w)) continue;
    if (!/^[a-z][a-z0-9]*$/.test(w)) return undefined;
    return { text: w, start: m.index, end: m.index + w.length };
  }
  return undefined;
}

/** The registers a line names (`%eax`, `%st(1)`), with their columns. */
export function registersOf(text: string): Word[] {
  return [...text.matchAll(/%[a-z0-9]+(\([0-7]\))?/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/** One document line per listing line: objdump's text is valid gas input once normalised. */
export function documentOf(lines: readonly ObjdumpLine[]): string {
  return lines.map((l) => '\t' + l.text).join('\n') + '\n';
}

/** Column offset of the text in a documentOf() line. */
export const INDENT = 1;

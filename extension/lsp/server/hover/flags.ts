// EFLAGS status-flag effects of an instruction in words, from the opcode table's FlagEffect.
import type { FlagEffect } from '../../../../emulator/cpu/opdef.js';

const FLAG_NAMES: Readonly<Record<string, string>> = { O: 'OF', S: 'SF', Z: 'ZF', A: 'AF', P: 'PF', C: 'CF' };
const ORDER = 'OSZAPC';

function names(letters: string): string[] {
  return [...ORDER].filter((l) => letters.includes(l)).map((l) => FLAG_NAMES[l]);
}

/** "written: OF CF · undefined: SF ZF AF PF", or "not affected" when the entry writes no status flag. */
export function flagsText(flags: FlagEffect | undefined): string {
  if (!flags || (flags.set === '' && flags.undefined === '')) return 'not affected';
  const defined = names([...flags.set].filter((l) => !flags.undefined.includes(l)).join(''));
  const undef = names(flags.undefined);
  const untouched = names([...ORDER].filter((l) => !flags.set.includes(l) && !flags.undefined.includes(l)).join(''));
  const parts: string[] = [];
  if (defined.length) parts.push(`written: ${defined.join(' ')}`);
  if (undef.length) parts.push(`undefined afterwards: ${undef.join(' ')}`);
  if (untouched.length) parts.push(`unchanged: ${untouched.join(' ')}`);
  return parts.join(' · ');
}

export function flagsKey(flags: FlagEffect | undefined): string {
  return flags ? `${flags.set}/${flags.undefined}` : '';
}

// Compares the emulator's final state with the host's: all eight registers, EFLAGS (less the
// flags the case leaves undefined), and every byte of the data, stack and low windows.
import type { MachineState } from './gen/case.js';
import { flagNames } from './gen/asm.js';
import { DATA_WIN, LOW_WIN, STACK_WIN } from './layout.js';

export interface Difference {
  what: string;
  native: string;
  emulator: string;
}

const REG_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const hex32 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');
const hex8 = (v: number): string => '0x' + v.toString(16).padStart(2, '0');

/** Differences in order: registers, EFLAGS, data, stack and low windows; at most `limit`. */
export function compareStates(native: MachineState, emu: MachineState, undefMask: number, limit = 12): Difference[] {
  const out: Difference[] = [];
  for (let r = 0; r < 8 && out.length < limit; r++) {
    if (native.regs[r] !== emu.regs[r]) out.push({ what: REG_NAMES[r], native: hex32(native.regs[r]), emulator: hex32(emu.regs[r]) });
  }
  const flagDiff = ((native.eflags ^ emu.eflags) & ~undefMask) >>> 0;
  if (flagDiff !== 0 && out.length < limit) {
    out.push({
      what: `eflags (${flagNames(flagDiff)} differ${undefMask ? `; undefined, not compared: ${flagNames(undefMask)}` : ''})`,
      native: hex32(native.eflags),
      emulator: hex32(emu.eflags),
    });
  }
  const windows: Array<[string, number, Uint8Array, Uint8Array]> = [
    ['data', DATA_WIN, native.data, emu.data],
    ['stack', STACK_WIN, native.stack, emu.stack],
    ['low', LOW_WIN, native.low, emu.low],
  ];
  for (const [name, base, a, b] of windows) {
    for (let k = 0; k < a.length && out.length < limit; k++) {
      if (a[k] !== b[k]) out.push({ what: `${name}[${k}] @ ${hex32(base + k)}`, native: hex8(a[k]), emulator: hex8(b[k]) });
    }
  }
  return out;
}

// EFLAGS (SDM vol. 1, 3.4.3 and vol. 3, 2.3).

import { type BitDef, bitsText, decodeBits, type DecodedBits } from './flagbits.js';

const EFLAGS_BITS: readonly BitDef[] = [
  { bit: 0, name: 'CF', description: 'carry' },
  { bit: 2, name: 'PF', description: 'parity (low byte has an even number of 1 bits)' },
  { bit: 4, name: 'AF', description: 'auxiliary carry (BCD)' },
  { bit: 6, name: 'ZF', description: 'zero' },
  { bit: 7, name: 'SF', description: 'sign' },
  { bit: 8, name: 'TF', description: 'trap: single-step, #DB after each instruction' },
  { bit: 9, name: 'IF', description: 'interrupts enabled' },
  { bit: 10, name: 'DF', description: 'direction: string instructions count down' },
  { bit: 11, name: 'OF', description: 'signed overflow' },
  { bit: 14, name: 'NT', description: 'nested task (iret returns to the linked task)' },
  { bit: 16, name: 'RF', description: 'resume: suppress instruction breakpoints once' },
  { bit: 17, name: 'VM', description: 'virtual-8086 mode' },
  { bit: 18, name: 'AC', description: 'alignment check (with CR0.AM, at CPL 3)' },
  { bit: 19, name: 'VIF', description: 'virtual interrupt flag' },
  { bit: 20, name: 'VIP', description: 'virtual interrupt pending' },
  { bit: 21, name: 'ID', description: 'CPUID available (software can toggle it)' },
];

export interface DecodedEflags extends DecodedBits {
  /** I/O privilege level, bits 13:12: the highest CPL allowed in/out, cli/sti. */
  iopl: number;
  /** "IF ZF PF IOPL=0". */
  text: string;
}

export function decodeEflags(value: number): DecodedEflags {
  // Bit 1 always reads 1 and IOPL is a field, not a flag: neither is listed as a bit.
  const d = decodeBits(value, EFLAGS_BITS, (1 << 1) | (3 << 12));
  const iopl = (value >>> 12) & 3;
  const flags = bitsText(d);
  return { ...d, iopl, text: `${flags === '-' ? '' : flags + ' '}IOPL=${iopl}` };
}

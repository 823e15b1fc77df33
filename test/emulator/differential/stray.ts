// Finds emulator writes outside the two windows: after a batch, guest RAM must still hold exactly
// the loaded ELF image (and zeros elsewhere), except for the windows the cases may write.
import type { Machine } from '../../../emulator/machine.js';
import type { Elf32 } from './elf32.js';
import { DATA_SIZE, DATA_WIN, LOW_SIZE, LOW_WIN, STACK_SIZE, STACK_WIN, SYS_TABLES, SYS_TABLES_SIZE } from './layout.js';

const inWindow = (a: number): boolean =>
  (a >= DATA_WIN && a < DATA_WIN + DATA_SIZE) || (a >= STACK_WIN && a < STACK_WIN + STACK_SIZE) ||
  (a >= LOW_WIN && a < LOW_WIN + LOW_SIZE) ||
  // The harness's own GDT/IDT (guest.ts): not part of the image, never written by cases.
  (a >= SYS_TABLES && a < SYS_TABLES + SYS_TABLES_SIZE);

function expectedByte(elf: Elf32, a: number): number {
  for (const s of elf.segments) {
    if (a >= s.vaddr && a < s.vaddr + s.memsz) return a - s.vaddr < s.data.length ? s.data[a - s.vaddr] : 0;
  }
  return 0;
}

/** Addresses (up to `limit`) whose content differs from the loaded image, windows excluded. */
export function strayWrites(machine: Machine, elf: Elf32, limit = 8): number[] {
  const found: number[] = [];
  const ram = machine.mem.u8;
  // Inside the segments: byte by byte against the file.
  for (const s of elf.segments) {
    for (let a = s.vaddr; a < s.vaddr + s.memsz && found.length < limit; a++) {
      if (!inWindow(a) && ram[a] !== expectedByte(elf, a)) found.push(a);
    }
  }
  // Elsewhere RAM must be zero: scan by dwords, look closer only at non-zero ones.
  const words = machine.mem.i32;
  for (let w = 0; w < words.length && found.length < limit; w++) {
    if (words[w] === 0) continue;
    for (let a = w * 4; a < w * 4 + 4; a++) {
      if (ram[a] === 0 || inWindow(a)) continue;
      if (elf.segments.some((s) => a >= s.vaddr && a < s.vaddr + s.memsz)) continue;
      if (found.length < limit) found.push(a);
    }
  }
  return found;
}

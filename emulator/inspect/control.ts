// Control registers CR0, CR3, CR4 (SDM vol. 3, 2.5).

import { type BitDef, bitsText, decodeBits, type DecodedBits } from './flagbits.js';
import { hex8 } from './hex.js';

const CR0_BITS: readonly BitDef[] = [
  { bit: 0, name: 'PE', description: 'protected mode enabled' },
  { bit: 1, name: 'MP', description: 'monitor coprocessor (wait/fwait honours TS)' },
  { bit: 2, name: 'EM', description: 'x87 emulation: FPU instructions raise #NM' },
  { bit: 3, name: 'TS', description: 'task switched: next FPU use raises #NM' },
  { bit: 4, name: 'ET', description: 'extension type (387 present)' },
  { bit: 5, name: 'NE', description: 'native x87 error reporting (#MF)' },
  { bit: 16, name: 'WP', description: 'write protect: supervisor writes honour read-only pages' },
  { bit: 18, name: 'AM', description: 'alignment mask (with EFLAGS.AC)' },
  { bit: 29, name: 'NW', description: 'not write-through' },
  { bit: 30, name: 'CD', description: 'cache disable' },
  { bit: 31, name: 'PG', description: 'paging enabled' },
];

const CR4_BITS: readonly BitDef[] = [
  { bit: 0, name: 'VME', description: 'virtual-8086 mode extensions' },
  { bit: 1, name: 'PVI', description: 'protected-mode virtual interrupts' },
  { bit: 2, name: 'TSD', description: 'time-stamp disable: rdtsc only at CPL 0' },
  { bit: 3, name: 'DE', description: 'debugging extensions (I/O breakpoints)' },
  { bit: 4, name: 'PSE', description: 'page size extensions: 4 MiB pages' },
  { bit: 5, name: 'PAE', description: 'physical address extension' },
  { bit: 6, name: 'MCE', description: 'machine-check enable' },
  { bit: 7, name: 'PGE', description: 'page global enable' },
  { bit: 8, name: 'PCE', description: 'rdpmc allowed at any CPL' },
  { bit: 9, name: 'OSFXSR', description: 'OS supports fxsave/fxrstor' },
  { bit: 10, name: 'OSXMMEXCPT', description: 'OS handles SIMD exceptions (#XM)' },
  { bit: 11, name: 'UMIP', description: 'user-mode instruction prevention' },
  { bit: 13, name: 'VMXE', description: 'VMX enable' },
  { bit: 14, name: 'SMXE', description: 'SMX enable' },
  { bit: 16, name: 'FSGSBASE', description: 'rdfsbase and friends enabled' },
  { bit: 17, name: 'PCIDE', description: 'process-context identifiers' },
  { bit: 18, name: 'OSXSAVE', description: 'xsave and extended states enabled' },
  { bit: 20, name: 'SMEP', description: 'supervisor-mode execution prevention' },
  { bit: 21, name: 'SMAP', description: 'supervisor-mode access prevention' },
  { bit: 22, name: 'PKE', description: 'protection keys for user pages' },
];

const CR3_BITS: readonly BitDef[] = [
  { bit: 3, name: 'PWT', description: 'page directory write-through' },
  { bit: 4, name: 'PCD', description: 'page directory cache disable' },
];

export interface DecodedControl extends DecodedBits {
  /** "PG WP PE", "-" when no bit is set. */
  text: string;
}

export interface DecodedCr3 extends DecodedControl {
  /** Physical address of the page directory (bits 31:12). */
  pageDirectory: number;
}

export function decodeCr0(value: number): DecodedControl {
  const d = decodeBits(value, CR0_BITS);
  return { ...d, text: bitsText(d) };
}

export function decodeCr4(value: number): DecodedControl {
  const d = decodeBits(value, CR4_BITS);
  return { ...d, text: bitsText(d) };
}

/** With 32-bit paging, CR3 bits 2:0 and 11:5 are ignored, so they are not reported as unknown. */
export function decodeCr3(value: number): DecodedCr3 {
  const d = decodeBits(value, CR3_BITS, 0xfffff000 | 0xfe7);
  const pageDirectory = (value & 0xfffff000) >>> 0;
  const flags = d.set.length ? ' ' + d.set.join(' ') : '';
  return { ...d, pageDirectory, text: `page directory ${hex8(pageDirectory)}${flags}` };
}

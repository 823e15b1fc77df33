// objdump's view of a batch ELF, for failure reports: the instruction at a faulting EIP, and the
// disassembly and bytes of one case.
import { disassemble, runOrThrow } from './toolchain.js';
import type { Elf32 } from './elf32.js';

/** Every instruction of the ELF's .text by address (one objdump run, only when something failed). */
export function instructionMap(elfPath: string): Map<number, string> {
  const out = runOrThrow('objdump', ['-d', '-w', '-j', '.text', elfPath]).toString();
  const map = new Map<number, string>();
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+((?:[0-9a-f]{2} )+)\s*(.*)$/.exec(line);
    if (m) map.set(parseInt(m[1], 16), `${m[3].replace(/\s+/g, ' ').trim()}   [${m[2].trim()}]`);
  }
  return map;
}

/** The instruction's text without operands' noise: the mnemonic with prefixes, for grouping. */
export function mnemonicOf(line: string): string {
  const text = line.split('   [')[0];
  const words = text.split(' ');
  const prefixes = new Set(['lock', 'rep', 'repz', 'repnz', 'repe', 'repne', 'data16', 'addr16', 'cs', 'ds', 'es', 'ss', 'fs', 'gs']);
  const out: string[] = [];
  for (const w of words) {
    out.push(w);
    if (!prefixes.has(w)) break;
  }
  return out.join(' ');
}

export function bytesAt(elf: Elf32, start: number, end: number): Uint8Array {
  for (const s of elf.segments) {
    if (start >= s.vaddr && end <= s.vaddr + s.data.length) return s.data.subarray(start - s.vaddr, end - s.vaddr);
  }
  return new Uint8Array(0);
}

export function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

export function caseDisassembly(elfPath: string, start: number, end: number): string {
  return disassemble(elfPath, start, end);
}

// Guest memory as the debugger reads it: through a chosen address space (CR3) or physically,
// always side-effect free (no accessed/dirty bits set, no TLB fill, no fault raised).
import { linearReader, translate } from '../emulator/inspect/index.js';
import type { Machine } from '../emulator/machine.js';

export interface AddressSpace {
  /** Page directory base; null means "paging as the CPU has it now". */
  cr3: number | null;
}

/** Reads `len` bytes at linear `addr` in the given address space; undefined if any byte is unmapped. */
export function readVirtual(m: Machine, addr: number, len: number, cr3: number | null = null): Uint8Array | undefined {
  const { bytes, readable } = readVirtualPartial(m, addr, len, cr3);
  return readable === len ? bytes : undefined;
}

export function readVirtual32(m: Machine, addr: number, cr3: number | null = null): number | undefined {
  const b = readVirtual(m, addr, 4, cr3);
  return b ? (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0 : undefined;
}

/** Reads as much as is mapped from `addr` on (for memory views): bytes, and how many were readable. */
export function readVirtualPartial(m: Machine, addr: number, len: number, cr3: number | null = null): { bytes: Uint8Array; readable: number } {
  const cpu = m.cpu;
  const r = linearReader(m.mem, cr3 ?? cpu.cr3, cpu.cr0, cpu.cr4);
  const out = new Uint8Array(len);
  let k = 0;
  // One walk per page, then a copy of the page's part.
  while (k < len) {
    const lin = (addr + k) >>> 0;
    const phys = r.physical(lin);
    if (phys === undefined) break;
    const n = Math.min(len - k, 0x1000 - (lin & 0xfff));
    if (phys + n > m.mem.size) {
      out.set(m.mem.peek(phys, n), k);
    } else {
      out.set(m.mem.u8.subarray(phys, phys + n), k);
    }
    k += n;
  }
  return { bytes: out.subarray(0, k), readable: k };
}

/** Writes bytes at linear addresses (debugger edits); returns how many were mapped and written. */
export function writeVirtual(m: Machine, addr: number, bytes: Uint8Array, cr3: number | null = null): number {
  const cpu = m.cpu;
  let k = 0;
  for (; k < bytes.length; k++) {
    const t = translate(m.mem, (addr + k) >>> 0, cr3 ?? cpu.cr3, { cr0: cpu.cr0, cr4: cpu.cr4 }, 'read', 0);
    if (t.kind !== 'ok' || t.physBeyondMemory) break;
    writePhysical(m, t.phys, bytes.subarray(k, k + 1));
  }
  return k;
}

/** Writes physical memory, keeping the decoded-code cache honest. */
export function writePhysical(m: Machine, phys: number, bytes: Uint8Array): void {
  const withSnapshots = m as Machine & { writePhysical?: (a: number, b: Uint8Array) => void };
  if (typeof withSnapshots.writePhysical === 'function') {
    withSnapshots.writePhysical(phys, bytes);
    return;
  }
  m.mem.u8.set(bytes, phys);
  for (let p = phys >>> 12; p <= (phys + bytes.length - 1) >>> 12; p++) m.cpu.blocks.invalidatePage(p);
}

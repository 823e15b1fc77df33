// Puts a Machine into the state a 32-bit Linux process sees: the ELF's segments at their link
// addresses, flat segments, CPL 3 with the host's selectors, IF set. Exceptions stop the run
// (through the CPU's vector hook) instead of being delivered, so a failure names its vector and EIP.
import { Machine } from '../../../emulator/machine.js';
import type { Elf32 } from './elf32.js';
import { GUEST_MEMORY, SYS_TABLES, SYS_TABLES_SIZE } from './layout.js';

/** Flat 4 GiB user descriptors' access bytes with their flags nibble (G=1, D=1), DPL 3. */
const USER_CODE_ATTR = 0xfb | (0xc << 8);
const USER_DATA_ATTR = 0xf3 | (0xc << 8);

export function newGuest(): Machine {
  return new Machine({ memory: GUEST_MEMORY });
}

/** Copies the loadable segments; the rest of each segment (bss) is zeroed. */
export function loadSegments(m: Machine, elf: Elf32): void {
  for (const seg of elf.segments) {
    m.mem.u8.fill(0, seg.vaddr, seg.vaddr + seg.memsz);
    m.mem.load(seg.vaddr, seg.data);
  }
}

/**
 * A GDT with a flat ring-0 code segment and an IDT whose 256 gates point at it. Delivery never
 * happens (the vector hook stops first), but the CPU reads the gate before asking the hook.
 */
function installTrapTables(m: Machine): void {
  const gdt = SYS_TABLES, idt = SYS_TABLES + 0x100;
  if (idt + 256 * 8 > SYS_TABLES + SYS_TABLES_SIZE) throw new Error('SYS_TABLES too small');
  const dv = new DataView(m.mem.u8.buffer);
  dv.setUint32(gdt + 8, 0x0000ffff, true); // selector 0x08: base 0, limit 4 GiB, code, DPL 0
  dv.setUint32(gdt + 12, 0x00cf9a00, true);
  const handler = SYS_TABLES + 0x0f00;
  for (let v = 0; v < 256; v++) {
    dv.setUint32(idt + 8 * v, (0x08 << 16) | (handler & 0xffff), true);
    dv.setUint32(idt + 8 * v + 4, (handler & 0xffff0000) | 0x8e00, true); // 32-bit interrupt gate, present
  }
  const cpu = m.cpu;
  cpu.gdtBase = gdt;
  cpu.gdtLimit = 15;
  cpu.idtBase = idt;
  cpu.idtLimit = 256 * 8 - 1;
  cpu.vectorHook = () => true;
}

/** User mode as natively: CPL 3, the host's selectors (ES CS SS DS FS GS), flat DPL-3 segments. */
export function enterUserMode(m: Machine, selectors: readonly number[]): void {
  installTrapTables(m);
  const cpu = m.cpu;
  selectors.forEach((s, k) => {
    cpu.segSel[k] = s;
    cpu.segBase[k] = 0;
    cpu.segLimit[k] = 0xffffffff;
    cpu.segAttr[k] = k === 1 ? USER_CODE_ATTR : USER_DATA_ATTR;
  });
  cpu.cpl = 3;
}

/** Forgets an exception the hook stopped on, so the next run starts clean instead of delivering it. */
export function clearPendingVector(m: Machine): void {
  m.cpu.pendingVector = null;
  m.cpu.lastVectorEvent = null;
  m.cpu.vectorHookBypass = false;
  m.cpu.halted = false;
}

/**
 * The machine state a multiboot kernel finds at its first instruction (Multiboot Specification
 * 0.6.96, 3.2): EAX = 0x2BADB002, EBX = the MBI's physical address, protected mode without
 * paging, flat 4 GiB code and data segments, interrupts off.
 */
import type { Cpu } from '../cpu/cpu.js';
import { CS, EAX, EBX, ESP } from '../cpu/regs.js';
import { FLAT_CODE_ATTR, FLAT_DATA_ATTR } from '../cpu/segments.js';

export const BOOTLOADER_MAGIC = 0x2badb002;
/** Selectors a GRUB-style GDT would give; the kernel must load its own GDT before reloading any. */
export const BOOT_CODE_SELECTOR = 0x08;
export const BOOT_DATA_SELECTOR = 0x10;
/**
 * ESP is undefined by the spec; a kernel sets its own before using the stack. A valid value in
 * free low memory (below the MBI at 0x9000) keeps a kernel that pushes first from faulting.
 */
export const BOOT_STACK = 0x7ff0;

const CR0_PE = 1;
const CR0_PG = 0x80000000;

export function enterMultibootKernel(cpu: Cpu, entry: number, mbiAddress: number): void {
  for (let seg = 0; seg < 6; seg++) {
    const code = seg === CS;
    cpu.segSel[seg] = code ? BOOT_CODE_SELECTOR : BOOT_DATA_SELECTOR;
    cpu.segBase[seg] = 0;
    cpu.segLimit[seg] = 0xffffffff;
    cpu.segAttr[seg] = code ? FLAT_CODE_ATTR : FLAT_DATA_ATTR;
  }
  cpu.cpl = 0;
  cpu.cr0 = (cpu.cr0 | CR0_PE) & ~CR0_PG;
  cpu.regs.fill(0);
  cpu.regs[EAX] = BOOTLOADER_MAGIC | 0;
  cpu.regs[EBX] = mbiAddress;
  cpu.regs[ESP] = BOOT_STACK;
  // VM and IF must be clear and nothing else is promised: all clear but bit 1, which reads as 1.
  cpu.setEflags(0x2);
  cpu.eip = entry | 0;
  cpu.halted = false;
  // RAM changed behind the CPU's back (and paging may have been on): drop translations and code.
  cpu.mmu.flush();
  cpu.blocks.flushAll();
}

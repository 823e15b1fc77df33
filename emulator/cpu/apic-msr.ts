// The processor's side of its local APIC: the IA32_APIC_BASE MSR (0x1B) and CPUID's APIC bit
// (SDM vol. 3A 10.4.3-10.4.4; vol. 2, CPUID leaf 1 EDX bit 9). The APIC itself is a device on
// the MMIO bus (devices/local-apic.ts); the processor "has" one when a device answers at the
// APIC's reset address, which is how a machine without one (the bare Machine of unit tests)
// reports no APIC, as a processor without one does.
import type { Cpu } from './cpu.js';
import { CpuFault, GP } from './fault.js';

export const MSR_APIC_BASE = 0x1b;
/** Where the local APIC's registers sit after reset. */
export const APIC_DEFAULT_BASE = 0xfee00000;
/** This processor is the bootstrap processor (read-only: the only processor, chosen at reset). */
export const APIC_BASE_BSP = 1 << 8;
/** x2APIC mode (bit 10): not supported, so reserved here. */
const APIC_BASE_X2APIC = 1 << 10;
/** The APIC is globally enabled. */
export const APIC_BASE_ENABLE = 1 << 11;
/** Bits 0-7 and 9 are reserved; bit 10 too without x2APIC. */
const RESERVED_LOW = 0x2ff | APIC_BASE_X2APIC;

export function hasLocalApic(cpu: Cpu): boolean {
  return cpu.mmio.find(APIC_DEFAULT_BASE) !== null;
}

/** IA32_APIC_BASE: 0xFEE00900 (the reset base, BSP, enabled), as on QEMU's single processor. */
export function readApicBase(cpu: Cpu): number {
  if (!hasLocalApic(cpu)) throw new CpuFault(GP, 0, 'rdmsr IA32_APIC_BASE (0x1b): this machine has no local APIC');
  return (APIC_DEFAULT_BASE | APIC_BASE_BSP | APIC_BASE_ENABLE) >>> 0;
}

/**
 * wrmsr IA32_APIC_BASE. Rewriting the value read (what a kernel does to make sure the APIC is
 * enabled) is accepted; BSP is read-only, as on QEMU. Reserved bits give #GP(0), as on hardware
 * (with no PAE, the physical-address width is 32 bits: EDX must be 0). Moving the APIC or
 * disabling it globally is legal on hardware but not modelled here: the write gets #GP(0) with a
 * message that says so, rather than being ignored while the APIC stays where it was.
 */
export function writeApicBase(cpu: Cpu, lo: number, hi: number): void {
  const what = `wrmsr IA32_APIC_BASE (0x1b) with 0x${(hi >>> 0).toString(16)}:${(lo >>> 0).toString(16).padStart(8, '0')}`;
  if (!hasLocalApic(cpu)) throw new CpuFault(GP, 0, `${what}: this machine has no local APIC`);
  if (hi !== 0 || lo & RESERVED_LOW) throw new CpuFault(GP, 0, `${what}: sets reserved bits`);
  if ((lo & 0xfffff000) >>> 0 !== APIC_DEFAULT_BASE) {
    throw new CpuFault(GP, 0, `${what}: moving the local APIC away from 0xfee00000 is not supported by Ringside`);
  }
  if (!(lo & APIC_BASE_ENABLE)) throw new CpuFault(GP, 0, `${what}: globally disabling the local APIC is not supported by Ringside`);
}

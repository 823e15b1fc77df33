/**
 * What a PC BIOS leaves in low memory for the operating system, written once when the PC's
 * devices are plugged in (pc.ts), since no BIOS code runs here:
 *
 *   0x00400  BIOS data area (IBM PC/AT technical reference): COM1's port at 0x400, the EBDA
 *            segment at 0x40E, the equipment word at 0x410, the base memory size in KiB at 0x413,
 *            the video mode, columns, page size, cursor shape and CRT controller port
 *            (0x449-0x463), the number of hard disks (0x475) and rows - 1 (0x484);
 *   0x9FC00  the extended BIOS data area (1 KiB, its size in KiB in its first byte): conventional
 *            memory ends there, which is why the BDA says 639 KiB;
 *   0xB8000  the colour text screen, cleared (spaces, light grey on black);
 *   0xF5000  the MP floating pointer structure and, after it, the MP configuration table
 *            (mp-table.ts) describing this PC: one processor (the bootstrap processor, local
 *            APIC 0 at 0xFEE00000), one ISA bus, one I/O APIC (id 1 at 0xFEC00000), the ISA IRQs
 *            on the I/O APIC's inputs as the board wires them (IRQ 0 on INTIN2, IRQ n on INTIN n,
 *            no IRQ 2), and the 8259A on LINT0 (ExtINT) and NMI on LINT1.
 *
 * Why here and not in the multiboot loader: these describe the board and its devices (which
 * APICs, how many disks), which pc.ts knows and the loader does not; and they are there whatever
 * is booted, as on a PC. None of it overlaps what the loader writes (the MBI at 0x9000 and the
 * kernel and modules at 1 MiB and above); the loader's memory map reports these areas reserved.
 */
import { CPUID_FEATURES_EDX, CPUID_SIGNATURE } from '../cpu/ops/identity.js';
import { CGA_TEXT_BASE, CGA_TEXT_BYTES } from '../devices/cga.js';
import { COM1_BASE } from '../devices/uart16550.js';
import { IOAPIC_BASE, IOAPIC_ID, IOAPIC_VERSION, isaIrqToPin } from '../devices/io-apic.js';
import { LAPIC_BASE, LAPIC_VERSION } from '../devices/local-apic.js';
import type { Machine } from '../machine.js';
import { buildConfigTable, buildFloatingPointer, MP_EXTINT, MP_FLOATING_SIZE, MP_INT, MP_NMI, type MpConfig } from './mp-table.js';

export const BDA_BASE = 0x400;
export const EBDA_BASE = 0x9fc00;
export const EBDA_SEGMENT = EBDA_BASE >> 4;
/** Conventional memory below the EBDA, in KiB (BDA 0x413). */
export const BASE_MEMORY_KIB = EBDA_BASE / 1024;
export const MP_FLOATING_POINTER = 0xf5000;
export const MP_CONFIG_TABLE = MP_FLOATING_POINTER + MP_FLOATING_SIZE;
/** CPUID leaf 1 EDX bit 9: the processor has a local APIC. */
const CPUID_APIC = 1 << 9;

export interface FirmwareOptions {
  /** IDE hard disks present (BDA 0x475). */
  hardDisks?: number;
}

export interface FirmwareLayout {
  floatingPointer: number;
  configTable: number;
  configTableLength: number;
}

/** The MP configuration of this PC (one processor, one ISA bus, one I/O APIC). */
export function pcMpConfig(): MpConfig {
  const isaIrqs = [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  return {
    oemId: 'RINGSIDE',
    productId: 'PC',
    localApicAddress: LAPIC_BASE,
    // The processor's feature flags name its APIC (CPUID itself does not report bit 9 yet).
    processors: [{ apicId: 0, apicVersion: LAPIC_VERSION & 0xff, bootstrap: true, signature: CPUID_SIGNATURE, features: CPUID_FEATURES_EDX | CPUID_APIC }],
    buses: ['ISA'],
    ioApics: [{ id: IOAPIC_ID, version: IOAPIC_VERSION, address: IOAPIC_BASE }],
    ioInterrupts: isaIrqs.map((irq) => ({ type: MP_INT, flags: 0, bus: 0, busIrq: irq, dest: IOAPIC_ID, pin: isaIrqToPin(irq) })),
    localInterrupts: [
      { type: MP_EXTINT, flags: 0, bus: 0, busIrq: 0, dest: 0, pin: 0 },
      { type: MP_NMI, flags: 0, bus: 0, busIrq: 0, dest: 0xff, pin: 1 },
    ],
  };
}

/** Writes the BIOS data areas, the blank text screen and the MP tables into the machine's RAM. */
export function installFirmware(machine: Machine, opts: FirmwareOptions = {}): FirmwareLayout {
  const mem = machine.mem;
  const put = (at: number, bytes: Uint8Array): void => {
    if (at + bytes.length <= mem.size) mem.load(at, bytes);
  };
  const words = (pairs: [number, number, number][]): void => {
    for (const [at, size, v] of pairs) {
      const b = new Uint8Array(size);
      for (let i = 0; i < size; i++) b[i] = (v >>> (8 * i)) & 0xff;
      put(at, b);
    }
  };
  words([
    [0x400, 2, COM1_BASE], // COM1
    [0x40e, 2, EBDA_SEGMENT],
    [0x410, 2, 0x0220], // equipment: one serial port, 80x25 colour display, no floppy, no FPU
    [0x413, 2, BASE_MEMORY_KIB],
    [0x449, 1, 0x03], // video mode 3: 80x25 colour text
    [0x44a, 2, 80], // columns
    [0x44c, 2, 0x1000], // bytes per video page
    [0x450, 2, 0], // page 0 cursor: row 0, column 0
    [0x460, 2, 0x0607], // cursor shape
    [0x462, 1, 0], // active page
    [0x463, 2, 0x3d4], // CRT controller port
    [0x475, 1, opts.hardDisks ?? 0],
    [0x484, 1, 24], // rows - 1
    [0x485, 2, 16], // character height
    [EBDA_BASE, 1, 1], // EBDA size in KiB
  ]);
  const screen = new Uint8Array(CGA_TEXT_BYTES);
  for (let i = 0; i < screen.length; i += 2) {
    screen[i] = 0x20;
    screen[i + 1] = 0x07;
  }
  put(CGA_TEXT_BASE, screen);
  const table = buildConfigTable(pcMpConfig());
  put(MP_FLOATING_POINTER, buildFloatingPointer(MP_CONFIG_TABLE));
  put(MP_CONFIG_TABLE, table);
  return { floatingPointer: MP_FLOATING_POINTER, configTable: MP_CONFIG_TABLE, configTableLength: table.length };
}

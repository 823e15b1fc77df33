/**
 * The standard PC devices plugged into a Machine: the PC that course kernels (xv6, JOS, QEMU test
 * kernels) expect.
 *
 *   ports 0x20/0xA0   8259A pair              ports 0x40-0x43, 0x61  8254 PIT (IRQ 0)
 *   ports 0x3F8-0x3FF COM1 16550 (IRQ 4)      port 0xF4              QEMU's isa-debug-exit
 *   ports 0x5000-     the swap block device   ports 0x70/0x71        CMOS RAM and RTC (IRQ 8)
 *   ports 0x60/0x64   8042 keyboard (IRQ 1)   ports 0x1F0-7, 0x3F6   IDE primary channel (IRQ 14)
 *   ports 0x3D4/0x3D5 CGA CRT controller      ports 0x510/0x511      QEMU's fw_cfg
 *   0xB8000           CGA text memory (RAM)   0xFEC00000 I/O APIC, 0xFEE00000 local APIC (MMIO)
 *
 * Interrupts: each ISA IRQ line drives both the 8259A pair and the I/O APIC; the processor takes
 * the local APIC's interrupts and, through LINT0 in ExtINT mode, the 8259A's (InterruptRouter).
 * The BIOS data areas and the MP tables are written into low memory (firmware/bios.ts).
 * The wiring follows the DeviceHost contract, so moving it into machine.ts later changes no device.
 */
import { BlockDevice } from './devices/block-device.js';
import { CgaText } from './devices/cga.js';
import { Cmos } from './devices/cmos.js';
import { DebugExit } from './devices/debug-exit.js';
import { FwCfg } from './devices/fw-cfg.js';
import { KeyboardController } from './devices/i8042.js';
import { IdeChannel } from './devices/ide.js';
import { InterruptRouter } from './devices/interrupt-router.js';
import { IoApic } from './devices/io-apic.js';
import { LocalApic } from './devices/local-apic.js';
import { Pic8259Pair } from './devices/pic8259.js';
import { Pit8254 } from './devices/pit8254.js';
import { Uart16550 } from './devices/uart16550.js';
import { installFirmware, type FirmwareLayout } from './firmware/bios.js';
import type { Machine } from './machine.js';

export interface StandardDevices {
  readonly pic: Pic8259Pair;
  readonly pit: Pit8254;
  readonly com1: Uart16550;
  readonly debugExit: DebugExit;
  /** The swap block device at port 0x5000. */
  readonly disk: BlockDevice;
  readonly lapic: LocalApic;
  readonly ioapic: IoApic;
  /** What the processor's INTR sees: the local APIC, and the 8259A through LINT0. */
  readonly interrupts: InterruptRouter;
  readonly cmos: Cmos;
  readonly cga: CgaText;
  readonly keyboard: KeyboardController;
  /** The primary IDE channel (its drives: ide.drives[0] master, [1] slave, null when absent). */
  readonly ide: IdeChannel;
  readonly fwCfg: FwCfg;
  /** Where the firmware put the MP tables. */
  readonly firmware: FirmwareLayout;
}

export interface StandardDeviceOptions {
  /** Contents of the swap block device (used in place); a blank 4 MiB disk otherwise. */
  readonly diskImage?: Uint8Array;
  /** The IDE master's (disk 0) image, used in place: writes land in it. None: no master. */
  readonly ideMaster?: Uint8Array;
  /** The IDE slave's (disk 1) image, used in place. None: no slave. */
  readonly ideSlave?: Uint8Array;
}

export function attachStandardDevices(machine: Machine, opts: StandardDeviceOptions = {}): StandardDevices {
  const bus = machine.cpu.io;
  const mmio = machine.cpu.mmio;
  const pic = new Pic8259Pair(machine);
  pic.register(bus);

  const pit = new Pit8254(machine);
  pit.register(bus);
  const com1 = new Uart16550(machine);
  com1.register(bus);
  // iosize 4, as in the command line the course kernels and the bench guest are run with in QEMU.
  const debugExit = new DebugExit(machine, { port: 0xf4, iosize: 4 });
  debugExit.register(bus);
  const disk = new BlockDevice(machine, opts.diskImage ? { image: opts.diskImage } : {});
  disk.register(bus);

  const lapic = new LocalApic(machine);
  lapic.register(mmio);
  const ioapic = new IoApic(machine);
  ioapic.register(mmio);
  ioapic.lapic = lapic;
  lapic.onLevelEoi = (vector) => ioapic.eoi(vector);
  const interrupts = new InterruptRouter(pic, lapic);
  machine.interrupts = interrupts;
  machine.irqSink = (line, level) => {
    pic.setIrq(line, level);
    ioapic.setIrq(line, level);
  };
  // Masking, EOI, reprogramming and the APIC's timer change INTR without any device line moving.
  pic.onIntrChange = () => machine.updateIntr();
  lapic.onIntrChange = () => machine.updateIntr();

  const cmos = new Cmos(machine, { memorySize: machine.mem.size });
  cmos.register(bus);
  const cga = new CgaText(machine, machine);
  cga.register(bus);
  const keyboard = new KeyboardController(machine);
  keyboard.register(bus);
  const ide = new IdeChannel(machine, { master: opts.ideMaster, slave: opts.ideSlave });
  ide.register(bus);
  const fwCfg = new FwCfg(machine, { memorySize: machine.mem.size });
  fwCfg.register(bus);

  const firmware = installFirmware(machine, { hardDisks: ide.drives.filter((d) => d !== null).length });
  return { pic, pit, com1, debugExit, disk, lapic, ioapic, interrupts, cmos, cga, keyboard, ide, fwCfg, firmware };
}

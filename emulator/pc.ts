/**
 * The standard PC devices plugged into a Machine: the 8259A pair, the 8254 PIT, COM1 (16550),
 * QEMU's isa-debug-exit at 0xF4 and the block device. Written for the headless CLI while the
 * machine itself has no such function; the wiring follows the DeviceHost contract, so moving it
 * into machine.ts later changes no device.
 */
import { BlockDevice } from './devices/block-device.js';
import { DebugExit } from './devices/debug-exit.js';
import { Pic8259Pair } from './devices/pic8259.js';
import { Pit8254 } from './devices/pit8254.js';
import { Uart16550 } from './devices/uart16550.js';
import type { Machine } from './machine.js';

export interface StandardDevices {
  readonly pic: Pic8259Pair;
  readonly pit: Pit8254;
  readonly com1: Uart16550;
  readonly debugExit: DebugExit;
  readonly disk: BlockDevice;
}

export interface StandardDeviceOptions {
  /** Contents of the block device (used in place); a blank 4 MiB disk otherwise. */
  readonly diskImage?: Uint8Array;
}

export function attachStandardDevices(machine: Machine, opts: StandardDeviceOptions = {}): StandardDevices {
  const bus = machine.cpu.io;
  const pic = new Pic8259Pair(machine);
  pic.register(bus);
  machine.interrupts = pic;
  machine.irqSink = (line, level) => pic.setIrq(line, level);
  // Masking, EOI and reprogramming change INTR without any device line moving.
  pic.onIntrChange = () => machine.updateIntr();

  const pit = new Pit8254(machine);
  pit.register(bus);
  const com1 = new Uart16550(machine);
  com1.register(bus);
  // iosize 4, as in the command line the course kernels and the bench guest are run with in QEMU.
  const debugExit = new DebugExit(machine, { port: 0xf4, iosize: 4 });
  debugExit.register(bus);
  const disk = new BlockDevice(machine, opts.diskImage ? { image: opts.diskImage } : {});
  disk.register(bus);
  return { pic, pit, com1, debugExit, disk };
}

// The PC that course kernels expect, end to end: the platform test kernel (kernel/platform.c)
// finds the MP table, programs the local APIC and the I/O APIC with both 8259As masked, takes
// timer, UART, keyboard and disk interrupts through them, reads and writes the slave IDE disk,
// writes to the CGA screen and probes CMOS and fw_cfg. Its COM1 output must equal QEMU's byte for
// byte when qemu-system-i386 is installed (-drive ...,if=ide,index=1 for the slave disk), and the
// expected text below always.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VectorEvent } from '../../../emulator/cpu/interrupts.js';
import { screenText } from '../../../emulator/devices/cga.js';
import { loadMultiboot } from '../../../emulator/loader/multiboot.js';
import { Machine, type MachineSnapshot, type StopReason } from '../../../emulator/machine.js';
import { attachStandardDevices, type StandardDevices } from '../../../emulator/pc.js';
import type { BuiltKernel } from '../system/build.js';
import { qemuAvailable, runQemu, type QemuRun } from '../system/run-qemu.js';
import { buildPlatformKernel, platformDiskImage } from './build.js';
import { EXPECTED } from './expected.js';



interface Run {
  machine: Machine;
  dev: StandardDevices;
  disk: Uint8Array;
  output: number[];
  events: VectorEvent[];
}

function boot(kernel: BuiltKernel, cmdline = ''): Run {
  const machine = new Machine({ memory: 32 << 20 }); // as QEMU's -m 32
  const disk = platformDiskImage();
  const dev = attachStandardDevices(machine, { ideSlave: disk });
  const output: number[] = [];
  const events: VectorEvent[] = [];
  dev.com1.onTransmit = (b) => output.push(b);
  machine.cpu.vectorHook = (e) => {
    events.push({ ...e });
    return false;
  };
  loadMultiboot(machine, kernel.bytes, 'kernel.elf', [], { cmdline });
  return { machine, dev, disk, output, events };
}

const text = (r: Run): string => Buffer.from(r.output).toString('latin1');

describe('the PC platform (APICs, MP table, CMOS, 8042, IDE, CGA, fw_cfg)', () => {
  let kernel: BuiltKernel;
  let qemu: Promise<QemuRun> | undefined;
  let dir: string;
  beforeAll(() => {
    kernel = buildPlatformKernel();
    dir = mkdtempSync(join(tmpdir(), 'ringside-platform-'));
    if (qemuAvailable) {
      // QEMU writes the disk file: it gets a copy of its own.
      const image = join(dir, 'disk1.img');
      writeFileSync(image, platformDiskImage());
      qemu = runQemu(kernel.path, '', 60_000, ['-drive', `file=${image},if=ide,index=1,format=raw`]);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let run: Run;
  let stop: StopReason;

  it('prints what QEMU prints, byte for byte (and the expected text)', async () => {
    run = boot(kernel);
    stop = run.machine.run(400_000_000);
    expect(stop).toEqual({ kind: 'debug-exit', status: 1 });
    if (qemu) {
      const q = await qemu;
      expect(q.timedOut, 'QEMU timed out').toBe(false);
      expect.soft(q.output, 'QEMU vs the expected output').toBe(EXPECTED);
      expect.soft(q.exitCode, 'QEMU exit status').toBe(1);
      expect(text(run), 'Ringside vs QEMU, byte for byte').toBe(q.output);
      // The disks too: QEMU wrote its image file, Ringside its image bytes.
      expect(new Uint8Array(readFileSync(join(dir, 'disk1.img'))), 'disk image after the run').toEqual(run.disk);
    }
    expect(text(run)).toBe(EXPECTED);
  });

  it('left the machine as the output says', () => {
    const { machine, dev, disk, events } = run;
    // The screen and the cursor.
    expect(screenText(machine)[5]!.slice(10, 18)).toBe('RINGSIDE');
    expect(dev.cga.inspect()).toMatchObject({ cursor: 418, cursorRow: 5, cursorColumn: 18 });
    // Sector 7 of the disk image holds what the kernel wrote; sector 6 is untouched.
    const dwords = new DataView(disk.buffer, 7 * 512, 512);
    for (let i = 0; i < 128; i++) expect(dwords.getUint32(i * 4, true)).toBe((0x5a000000 + i * 0x01010101) >>> 0);
    expect(disk.subarray(6 * 512, 7 * 512)).toEqual(platformDiskImage().subarray(6 * 512, 7 * 512));
    expect(dev.ide.drives[0]).toBeNull();
    expect(dev.ide.drives[1]!.inspect()).toMatchObject({ sectorsWritten: 1, interruptPending: false });
    // External interrupts came from the APICs only (both 8259As masked): the vectors the kernel
    // programmed, never the 8259A's 0x20-0x2F from its own lines.
    const external = events.filter((e) => e.errorCode === -1 && e.vector >= 32);
    const vectors = new Set(external.map((e) => e.vector));
    expect([...vectors].sort((a, b) => a - b)).toEqual([32, 33, 36, 40, 46, 48, 49]);
    expect(external.filter((e) => e.vector === 33)).toHaveLength(12);
    expect(dev.pic.inspect().master.imr).toBe(0xff);
    const io = dev.ioapic.inspect();
    expect(io.entries[1]).toMatchObject({ vector: 33, masked: false, destination: 0 });
    expect(io.entries[14]).toMatchObject({ vector: 46, masked: false });
    expect(io.entries[4]).toMatchObject({ masked: true });
    const lapic = dev.lapic.inspect();
    expect(lapic).toMatchObject({ enabled: true, spuriousVector: 63, tpr: 0, isr: [], irr: [], passesPic: false });
  });

  it('runs the same from snapshots taken along the way (device state included)', () => {
    const r = boot(kernel);
    const m = r.machine;
    const snaps: { snap: MachineSnapshot; output: number }[] = [];
    let s: StopReason;
    for (;;) {
      snaps.push({ snap: m.snapshot(), output: r.output.length });
      s = m.run(1_500_000);
      if (s.kind !== 'budget') break;
    }
    expect(s).toEqual({ kind: 'debug-exit', status: 1 });
    const final = text(r);
    const finalDisk = r.disk.slice();
    expect(final).toBe(text(run));
    // From the middle ones, in reverse order: the run repeats to the same end.
    for (const { snap, output } of snaps.slice(1).reverse().filter((_, k) => k % 2 === 0)) {
      m.restore(snap);
      r.output.splice(output);
      expect(m.run(400_000_000)).toEqual({ kind: 'debug-exit', status: 1 });
      expect(text(r)).toBe(final);
      expect(r.disk).toEqual(finalDisk);
    }
  });

  it('counts local APIC timer interrupts in bench mode (the npm run bench guest)', () => {
    const r = boot(kernel, 'bench');
    expect(r.machine.run(400_000_000)).toEqual({ kind: 'debug-exit', status: 1 });
    const m = /bench: (\d+) timer interrupts/.exec(text(r));
    // One every 2000 instructions (divide by 1, one bus clock per instruction), the first one on
    // time too: an event armed from inside a run slice ends the slice (Machine.schedule).
    expect(Number(m?.[1])).toBeGreaterThan(Math.floor(r.machine.cpu.icount / 2000) - 100);
  });
});

// Snapshots of device state that guests feed on: console input still queued in the UART (pending
// input is machine state: a replay must read the same bytes at the same instructions) and the
// block device's disk image, shared page by page with snapshots until written.
import { describe, expect, it } from 'vitest';
import { BLK_CMD_WRITE, BLK_COMMAND, BLK_COUNT, BLK_DATA, BLK_LBA, BLOCK_DEVICE_BASE } from '../../../emulator/devices/block-device.js';
import { hash, observe, Rig } from './harness.js';

/**
 * A polling echo loop at 0x1000 (flat protected mode, as the multiboot loader leaves the CPU):
 * wait for LSR.DR, read RBR, store the byte at [ebx++], send byte+1 back.
 */
const ECHO = [
  0x66, 0xba, 0xfd, 0x03, //  0: mov dx, 0x3fd
  0xec, //                     4: in al, dx
  0xa8, 0x01, //               5: test al, 1
  0x74, 0xf7, //               7: jz 0
  0x66, 0xba, 0xf8, 0x03, //   9: mov dx, 0x3f8
  0xec, //                    13: in al, dx
  0x88, 0x03, //              14: mov [ebx], al
  0x43, //                    16: inc ebx
  0xfe, 0xc0, //              17: inc al
  0xee, //                    19: out dx, al
  0xeb, 0xea, //              20: jmp 0
];

function echoRig(): Rig {
  const rig = new Rig(1 << 20, { diskImage: new Uint8Array(64 * 512) });
  const m = rig.machine;
  m.mem.load(0x1000, Uint8Array.from(ECHO));
  m.cpu.eip = 0x1000;
  m.cpu.regs[3] = 0x8000; // ebx: where the received bytes go
  m.cpu.regs[4] = 0x7000; // esp
  return rig;
}

describe('snapshots and device state', () => {
  it('a snapshot taken while the UART holds input brings that input back', () => {
    const rig = echoRig();
    const com1 = rig.dev.com1;
    const input = 'snapshots keep pending input: the same bytes at the same instructions';
    com1.receive(input);
    rig.run(400);
    const queued = com1.inspect().rxQueued;
    expect(queued).toBeGreaterThan(20); // the guest has read some, and more are waiting
    expect(rig.output.length).toBeGreaterThan(0);
    const atSnapshot = observe(rig);
    const s = rig.snapshot();

    rig.run(3_000);
    const done = observe(rig);
    expect(done.devices).toMatchObject({ com1: { rxQueued: 0 } });
    expect(done.output).toBe(Array.from(input, (c) => String.fromCharCode(c.charCodeAt(0) + 1)).join(''));

    // Input typed after the snapshot is not part of it.
    com1.receive('later');
    rig.restore(s);
    expect(com1.inspect().rxQueued).toBe(queued);
    expect(observe(rig)).toEqual(atSnapshot);
    rig.run(3_000);
    expect(observe(rig)).toEqual(done);
    const received = rig.machine.mem.peek(0x8000, 70);
    expect(Buffer.from(received).toString('latin1')).toContain('same bytes at the same instructions');
  });

  it('input queued after a restore is read like new input', () => {
    const rig = echoRig();
    rig.run(100);
    const s = rig.snapshot();
    rig.dev.com1.receive('abc');
    rig.run(1_000);
    expect(Buffer.from(rig.output).toString()).toBe('bcd');
    rig.restore(s);
    expect(rig.output).toEqual([]);
    rig.dev.com1.receive('xyz');
    rig.run(1_000);
    expect(Buffer.from(rig.output).toString()).toBe('yz{');
  });

  it('the disk image is shared until written and comes back on restore, mid-transfer too', () => {
    const rig = echoRig();
    const { machine, dev } = rig;
    const io = machine.cpu.io;
    const disk = dev.disk.image;
    for (let k = 0; k < disk.length; k++) disk[k] = (k * 7) & 0xff;
    const original = hash(disk);

    const s0 = rig.snapshot();
    expect(machine.snapshotStats().storage.pagesSaved).toBe(0);
    // WRITE sectors 9..16 (bytes 4608..8703: pages 1 and 2 of the image), half of it now.
    io.out(BLOCK_DEVICE_BASE + BLK_LBA, 4, 9);
    io.out(BLOCK_DEVICE_BASE + BLK_COUNT, 4, 8);
    io.out(BLOCK_DEVICE_BASE + BLK_COMMAND, 4, BLK_CMD_WRITE);
    for (let k = 0; k < 512; k++) io.out(BLOCK_DEVICE_BASE + BLK_DATA, 4, 0x11111111 * (k & 15));
    const midTransfer = observe(rig);
    expect(midTransfer.disk).not.toBe(original);
    expect(machine.snapshotStats().storage.pagesSaved).toBe(1); // only page 1 so far

    const s1 = rig.snapshot();
    for (let k = 0; k < 512; k++) io.out(BLOCK_DEVICE_BASE + BLK_DATA, 4, 0x01020304 + k);
    const finished = observe(rig);
    expect(finished.devices).toMatchObject({ disk: { transfer: null, sectorsWritten: 8, writeCommands: 1 } });

    rig.restore(s1);
    expect(observe(rig)).toEqual(midTransfer);
    for (let k = 0; k < 512; k++) io.out(BLOCK_DEVICE_BASE + BLK_DATA, 4, 0x01020304 + k);
    expect(observe(rig)).toEqual(finished);

    rig.restore(s0);
    expect(hash(disk)).toBe(original);
    expect(rig.dev.disk.inspect()).toMatchObject({ transfer: null, sectorsWritten: 0, writeCommands: 0 });
    rig.restore(s1);
    expect(observe(rig)).toEqual(midTransfer);

    // With every snapshot released the image is written with no bookkeeping at all.
    machine.release(s0);
    machine.release(s1);
    expect(dev.disk.storage.guard).toBeNull();
    const stats = machine.snapshotStats().storage;
    expect(stats).toMatchObject({ layers: 0, pagesHeld: 0, bytesHeld: 0 });
    console.log(`disk image: ${stats.pagesSaved} pages saved, ${stats.pagesRestored} restored, ${stats.bytesCopied} bytes copied`);
  });
});

// The swap disk through its documented register map (emulator/devices/block-device.ts), driven as
// a kernel driver would: LBA, COUNT, COMMAND, then 128 dwords per sector through DATA.
import { describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import {
  BLK_CAPACITY, BLK_CMD_READ, BLK_CMD_WRITE, BLK_COMMAND, BLK_CONTROL, BLK_COUNT, BLK_DATA, BLK_ID, BLK_LBA, BLK_STATUS,
  BLK_STATUS_DRQ, BLK_STATUS_ERROR, BLK_STATUS_IRQ, BLK_STATUS_READY, BLOCK_DEVICE_ID, BlockDevice, SECTOR_SIZE,
} from '../../../emulator/devices/block-device.js';
import { TestHost } from './test-host.js';

const BASE = 0x5000;

function setup(opts: ConstructorParameters<typeof BlockDevice>[1] = { sectors: 64 }) {
  const host = new TestHost();
  const bus = new PortBus();
  const disk = new BlockDevice(host, opts);
  disk.register(bus);
  const outl = (reg: number, v: number): void => bus.out(BASE + reg, 4, v);
  const inl = (reg: number): number => bus.in(BASE + reg, 4) >>> 0;
  const command = (cmd: number, lba: number, count: number): void => {
    outl(BLK_LBA, lba);
    outl(BLK_COUNT, count);
    outl(BLK_COMMAND, cmd);
  };
  return { host, bus, disk, outl, inl, command };
}

describe('BlockDevice', () => {
  it('identifies itself and reports its capacity', () => {
    const { inl } = setup();
    expect(inl(BLK_ID)).toBe(BLOCK_DEVICE_ID);
    expect(String.fromCharCode(...new Uint8Array(new Uint32Array([inl(BLK_ID)]).buffer))).toBe('RBLK');
    expect(inl(BLK_CAPACITY)).toBe(64);
    expect(inl(BLK_STATUS)).toBe(BLK_STATUS_READY);
  });

  it('writes sectors through DATA and reads them back', () => {
    const { outl, inl, command, disk } = setup();
    command(BLK_CMD_WRITE, 5, 2);
    expect(inl(BLK_STATUS)).toBe(BLK_STATUS_DRQ);
    for (let i = 0; i < 256; i++) outl(BLK_DATA, (0xdead0000 + i) >>> 0);
    expect(inl(BLK_STATUS)).toBe(BLK_STATUS_READY);
    expect(disk.image[5 * SECTOR_SIZE]).toBe(0x00);
    expect(disk.image[5 * SECTOR_SIZE + 3]).toBe(0xde);
    command(BLK_CMD_READ, 6, 1); // the second sector written
    const words: number[] = [];
    for (let i = 0; i < 128; i++) words.push(inl(BLK_DATA));
    expect(words[0]).toBe(0xdead0080);
    expect(words[127]).toBe(0xdead00ff);
    expect(inl(BLK_STATUS)).toBe(BLK_STATUS_READY);
    expect(disk.inspect()).toMatchObject({ sectorsRead: 1, sectorsWritten: 2, readCommands: 1, writeCommands: 1, errors: 0 });
  });

  it('byte and word DATA accesses move that many bytes', () => {
    const { bus, command, disk } = setup();
    disk.image.set([1, 2, 3, 4], 0);
    command(BLK_CMD_READ, 0, 1);
    expect(bus.in(BASE, 1)).toBe(1);
    expect(bus.in(BASE, 2)).toBe(0x0302);
    expect(disk.inspect().transfer).toMatchObject({ command: 'read', bytesDone: 3, bytesLeft: 509 });
  });

  it('uses a given image in place; capacity rounds down to whole sectors', () => {
    const image = new Uint8Array(3 * SECTOR_SIZE + 100);
    image[2 * SECTOR_SIZE] = 0x77;
    const { inl, command } = setup({ image });
    expect(inl(BLK_CAPACITY)).toBe(3);
    command(BLK_CMD_READ, 2, 1);
    expect(inl(BLK_DATA) & 0xff).toBe(0x77);
  });

  it('fails without throwing: out of range, COUNT 0, unknown command', () => {
    const { inl, command, disk } = setup();
    for (const [cmd, lba, count] of [[BLK_CMD_READ, 63, 2], [BLK_CMD_WRITE, 0xffffffff, 1], [BLK_CMD_READ, 0, 0], [7, 0, 1]]) {
      command(cmd!, lba!, count!);
      expect(inl(BLK_STATUS)).toBe(BLK_STATUS_READY | BLK_STATUS_ERROR);
    }
    command(BLK_CMD_READ, 63, 1); // the last sector is fine and clears ERROR
    expect(inl(BLK_STATUS)).toBe(BLK_STATUS_DRQ);
    expect(disk.inspect().errors).toBe(4);
  });

  it('DATA with no transfer in progress reads all-ones and sets ERROR', () => {
    const { inl, outl, disk } = setup();
    expect(inl(BLK_DATA)).toBe(0xffffffff);
    expect(inl(BLK_STATUS) & BLK_STATUS_ERROR).toBe(BLK_STATUS_ERROR);
    outl(BLK_DATA, 1);
    expect(disk.image.every((b) => b === 0)).toBe(true);
  });

  it('raises IRQ 11 on completion when CONTROL bit 0 is set; reading STATUS acknowledges', () => {
    const { host, outl, inl, command } = setup();
    outl(BLK_CONTROL, 1);
    command(BLK_CMD_READ, 0, 1);
    for (let i = 0; i < 127; i++) inl(BLK_DATA);
    expect(host.levels.get(11)).toBeUndefined();
    inl(BLK_DATA);
    expect(host.levels.get(11)).toBe(true);
    expect(inl(BLK_STATUS)).toBe(BLK_STATUS_READY | BLK_STATUS_IRQ);
    expect(host.levels.get(11)).toBe(false);
    command(9, 0, 1); // a failed command completes at once
    expect(host.levels.get(11)).toBe(true);
    outl(BLK_CONTROL, 0);
    expect(host.levels.get(11)).toBe(false);
  });

  it('registers accept byte writes to their parts; COMMAND reads back the last command', () => {
    const { bus, inl } = setup();
    bus.out(BASE + BLK_LBA, 1, 0x34);
    bus.out(BASE + BLK_LBA + 1, 1, 0x12);
    expect(inl(BLK_LBA)).toBe(0x1234);
    expect(bus.in(BASE + BLK_LBA + 1, 1)).toBe(0x12);
    bus.out(BASE + BLK_COUNT, 2, 1);
    bus.out(BASE + BLK_LBA, 4, 0);
    bus.out(BASE + BLK_COMMAND, 1, BLK_CMD_READ);
    expect(inl(BLK_COMMAND)).toBe(BLK_CMD_READ);
    expect(inl(BLK_STATUS)).toBe(BLK_STATUS_DRQ);
  });
});

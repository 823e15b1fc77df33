// The IDE channel through its ports, against ATA-4 (T13 1153D): the PIO data-in and data-out
// protocols (DRQ per block, INTRQ per block on reads, after each block on writes), device
// selection and an absent device, nIEN, software reset signatures, IDENTIFY DEVICE, multiple
// mode, CHS addressing and the error register (ABRT, IDNF).
import { describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import { ATA_ABRT, ATA_IDNF, IdeChannel } from '../../../emulator/devices/ide.js';
import { TestHost } from './test-host.js';

/** A disk whose sector n starts with the dword n, then bytes (n + i) & 0xff. */
function image(sectors: number): Uint8Array {
  const img = new Uint8Array(sectors * 512);
  for (let n = 0; n < sectors; n++) {
    for (let i = 0; i < 512; i++) img[n * 512 + i] = (n + i) & 0xff;
    new DataView(img.buffer).setUint32(n * 512, n, true);
  }
  return img;
}

function setup(opts: { master?: boolean; slave?: boolean; sectors?: number } = {}) {
  const host = new TestHost();
  const bus = new PortBus();
  const sectors = opts.sectors ?? 64;
  const master = opts.master === false ? undefined : image(sectors);
  const slave = opts.slave ? image(sectors) : undefined;
  const ide = new IdeChannel(host, { master, slave });
  ide.register(bus);
  const outb = (p: number, v: number): void => bus.out(p, 1, v);
  const inb = (p: number): number => bus.in(p, 1);
  const irq = (): boolean => host.levels.get(14) === true;
  /** Registers for a 28-bit LBA command to device `dev`, then the command. */
  const issue = (dev: number, lba: number, count: number, cmd: number): void => {
    outb(0x1f2, count);
    outb(0x1f3, lba & 0xff);
    outb(0x1f4, (lba >> 8) & 0xff);
    outb(0x1f5, (lba >> 16) & 0xff);
    outb(0x1f6, 0xe0 | (dev << 4) | ((lba >> 24) & 0x0f));
    outb(0x1f7, cmd);
  };
  const readSector = (): Uint8Array => {
    const out = new Uint8Array(512);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 128; i++) view.setUint32(i * 4, bus.in(0x1f0, 4), true); // insl
    return out;
  };
  const writeSector = (data: Uint8Array): void => {
    for (let i = 0; i < 256; i++) bus.out(0x1f0, 2, data[2 * i]! | (data[2 * i + 1]! << 8)); // outsw
  };
  return { host, bus, ide, master, slave, outb, inb, irq, issue, readSector, writeSector };
}

describe('device selection and presence', () => {
  it('an absent slave reads status 0 (xv6 checks disk 1 that way); a present one 0x50', () => {
    const { outb, inb } = setup();
    expect(inb(0x1f7)).toBe(0x50); // DRDY | DSC
    outb(0x1f6, 0xe0 | 0x10);
    expect(inb(0x1f7)).toBe(0);
    expect(inb(0x3f6)).toBe(0);
    const two = setup({ slave: true });
    two.outb(0x1f6, 0xf0);
    expect(two.inb(0x1f7)).toBe(0x50);
    expect(two.inb(0x1f6)).toBe(0xf0);
  });

  it('a slave-only channel: the slave answers, the absent master reads 0', () => {
    const { outb, inb, issue, readSector, irq } = setup({ master: false, slave: true });
    outb(0x1f6, 0xe0);
    expect(inb(0x1f7)).toBe(0);
    outb(0x1f7, 0x20); // a command to nobody: nothing happens
    expect(irq()).toBe(false);
    issue(1, 9, 1, 0x20);
    expect(irq()).toBe(true);
    expect(new DataView(readSector().buffer).getUint32(0, true)).toBe(9);
  });
});

describe('PIO data-in: READ SECTORS', () => {
  it('sets DRQ and INTRQ for each sector; reading status acknowledges; the data is the image', () => {
    const { master, inb, irq, issue, readSector } = setup();
    issue(0, 5, 3, 0x20);
    for (let s = 5; s < 8; s++) {
      expect(irq(), `sector ${s}`).toBe(true);
      expect(inb(0x3f6)).toBe(0x58); // alternate status: DRDY DSC DRQ, no acknowledge
      expect(irq()).toBe(true);
      expect(inb(0x1f7)).toBe(0x58);
      expect(irq()).toBe(false);
      expect(readSector()).toEqual(master!.subarray(s * 512, (s + 1) * 512));
    }
    expect(irq()).toBe(false); // no interrupt after the last block of a read
    expect(inb(0x1f7)).toBe(0x50);
    // The registers hold the address of the last sector transferred; the count is 0.
    expect([0x1f2, 0x1f3, 0x1f4, 0x1f5].map(inb)).toEqual([0, 7, 0, 0]);
  });

  it('reads 16-bit words as well (insw), a count of 0 meaning 256 sectors', () => {
    const { bus, master, inb, issue } = setup({ sectors: 300 });
    issue(0, 0, 0, 0x21);
    const got = new Uint16Array(256 * 256 + 1);
    let words = 0;
    while (inb(0x1f7) & 0x08 && words < got.length) got[words++] = bus.in(0x1f0, 2);
    expect(words).toBe(256 * 256);
    expect(new Uint8Array(got.buffer, 0, 256 * 512)).toEqual(master!.subarray(0, 256 * 512));
  });

  it('with nIEN set there is no interrupt; the data is polled', () => {
    const { outb, irq, issue, readSector, inb } = setup();
    outb(0x3f6, 0x02);
    issue(0, 1, 1, 0x20);
    expect(irq()).toBe(false);
    expect(inb(0x1f7) & 0x08).toBe(0x08);
    readSector();
    outb(0x3f6, 0x00);
    expect(irq()).toBe(false); // status was read: nothing pending
  });
});

describe('PIO data-out: WRITE SECTORS', () => {
  it('DRQ at once without an interrupt; after each sector an interrupt; the image changes', () => {
    const { master, inb, irq, issue, writeSector } = setup();
    issue(0, 10, 2, 0x30);
    expect(irq()).toBe(false);
    expect(inb(0x1f7)).toBe(0x58);
    const a = new Uint8Array(512).fill(0xaa);
    const b = new Uint8Array(512).fill(0xbb);
    writeSector(a);
    expect(irq()).toBe(true); // DRQ again for the next sector
    expect(inb(0x1f7)).toBe(0x58);
    writeSector(b);
    expect(irq()).toBe(true); // completion
    expect(inb(0x1f7)).toBe(0x50);
    expect(master!.subarray(10 * 512, 11 * 512)).toEqual(a);
    expect(master!.subarray(11 * 512, 12 * 512)).toEqual(b);
    expect(master![12 * 512]).toBe(12);
  });

  it('a write abandoned mid-sector changes nothing', () => {
    const { bus, master, outb, issue } = setup();
    const before = master!.slice();
    issue(0, 3, 1, 0x30);
    for (let i = 0; i < 100; i++) bus.out(0x1f0, 2, 0xffff);
    outb(0x3f6, 0x04); // SRST
    outb(0x3f6, 0x00);
    expect(master).toEqual(before);
  });
});

describe('errors, IDENTIFY, multiple mode, CHS and reset', () => {
  it('an address beyond the disk ends with ERR and IDNF; an unknown command with ABRT', () => {
    const { inb, irq, issue, outb } = setup({ sectors: 16 });
    issue(0, 15, 2, 0x20);
    expect(irq()).toBe(true);
    expect(inb(0x1f7)).toBe(0x41);
    expect(inb(0x1f1)).toBe(ATA_IDNF);
    outb(0x1f7, 0xa0); // PACKET: not for an ATA disk
    expect(inb(0x1f7)).toBe(0x41);
    expect(inb(0x1f1)).toBe(ATA_ABRT);
    issue(0, 0, 1, 0x20);
    expect(inb(0x1f1)).toBe(0); // the next command clears the error
  });

  it('IDENTIFY DEVICE: 256 words with geometry, strings, capabilities and the sector count', () => {
    const { bus, inb, irq, outb } = setup({ sectors: 20160 });
    outb(0x1f6, 0xa0);
    outb(0x1f7, 0xec);
    expect(irq()).toBe(true);
    expect(inb(0x1f7)).toBe(0x58);
    const w: number[] = [];
    for (let i = 0; i < 256; i++) w.push(bus.in(0x1f0, 2));
    expect(inb(0x1f7)).toBe(0x50);
    expect(w[0]).toBe(0x0040);
    expect([w[1], w[3], w[6]]).toEqual([20, 16, 63]);
    const str = (from: number, n: number): string =>
      w.slice(from, from + n).map((x) => String.fromCharCode(x >> 8, x & 0xff)).join('').trim();
    expect(str(27, 20)).toBe('RINGSIDE HARDDISK');
    expect(str(10, 10)).toBe('RS00001');
    expect(w[49]! & 0x0200).toBe(0x0200); // LBA
    expect(w[47]).toBe(0x8010);
    expect(w[60]! | (w[61]! << 16)).toBe(20160);
    let sum = 0;
    for (const x of w) sum += (x & 0xff) + (x >> 8);
    expect(w[255]! & 0xff).toBe(0xa5);
    expect(sum & 0xff).toBe(0); // integrity word
  });

  it('READ/WRITE MULTIPLE move blocks of the SET MULTIPLE size, an interrupt per block', () => {
    const { master, inb, irq, issue, readSector, outb, host } = setup();
    issue(0, 0, 1, 0xc4);
    expect(inb(0x1f1)).toBe(ATA_ABRT); // multiple mode not set yet
    outb(0x1f2, 3);
    outb(0x1f7, 0xc6);
    expect(inb(0x1f1)).toBe(ATA_ABRT); // not a power of two
    outb(0x1f2, 4);
    outb(0x1f7, 0xc6);
    expect(inb(0x1f7)).toBe(0x50);
    const edges = host.risingEdges(14).length;
    issue(0, 20, 6, 0xc4);
    const got: Uint8Array[] = [];
    for (const block of [4, 2]) {
      expect(irq()).toBe(true);
      expect(inb(0x1f7)).toBe(0x58); // acknowledges: the next block's interrupt is a new edge
      for (let s = 0; s < block; s++) got.push(readSector());
    }
    expect(got.map((g) => new DataView(g.buffer).getUint32(0, true))).toEqual([20, 21, 22, 23, 24, 25]);
    expect(host.risingEdges(14).length - edges).toBe(2); // blocks of 4 and 2
    expect(got[5]).toEqual(master!.subarray(25 * 512, 26 * 512));
    expect(irq()).toBe(false);
  });

  it('addresses by cylinder, head and sector when the LBA bit is clear', () => {
    const { outb, readSector, bus } = setup({ sectors: 2 * 16 * 63 });
    // Cylinder 1, head 2, sector 3: (1 * 16 + 2) * 63 + 2 = 1136.
    outb(0x1f2, 1);
    outb(0x1f3, 3);
    outb(0x1f4, 1);
    outb(0x1f5, 0);
    outb(0x1f6, 0xa0 | 2);
    outb(0x1f7, 0x20);
    expect(new DataView(readSector().buffer).getUint32(0, true)).toBe(1136);
    expect(bus.in(0x1f3, 1)).toBe(3);
  });

  it('software reset: BSY while SRST is set, then the signature and diagnostic code', () => {
    const { outb, inb, issue } = setup({ slave: true });
    issue(1, 4, 1, 0x20);
    outb(0x3f6, 0x04);
    expect(inb(0x3f6)).toBe(0x80);
    outb(0x3f6, 0x00);
    expect(inb(0x1f6) & 0x10).toBe(0); // device 0 selected
    expect([0x1f1, 0x1f2, 0x1f3, 0x1f4, 0x1f5].map(inb)).toEqual([0x01, 0x01, 0x01, 0x00, 0x00]);
    expect(inb(0x1f7)).toBe(0x50); // the read that was in progress is gone
  });
});

describe('snapshots', () => {
  it('save the registers and a transfer in progress; the image is shared through storage', () => {
    const { ide, master, inb, issue, readSector } = setup();
    issue(0, 2, 2, 0x20);
    inb(0x1f7);
    const first = readSector();
    const ch = ide.snapshot();
    const drive = ide.drives[0]!.snapshot();
    expect(ide.drives[0]!.storage.bytes).toBe(master);
    readSector();
    issue(0, 9, 1, 0x20);
    ide.restore(ch);
    ide.drives[0]!.restore(drive);
    inb(0x1f7);
    expect(readSector()).toEqual(master!.subarray(3 * 512, 4 * 512));
    expect(first).toEqual(master!.subarray(2 * 512, 3 * 512));
  });
});

// The MMIO bus and the CPU's out-of-RAM path to it: accesses above the end of RAM reach the
// device claiming the address whole (size and address as the guest used them) unless they cross
// a page; unclaimed addresses still read as all-ones and ignore writes; RAM is unaffected.
import { describe, expect, it } from 'vitest';
import { MmioBus, type MmioDevice } from '../../../emulator/memory/mmio.js';
import { Machine } from '../../../emulator/machine.js';

class Recorder implements MmioDevice {
  readonly log: string[] = [];
  constructor(private readonly value: (addr: number, size: number) => number = (a) => a ^ 0x5a5a5a5a) {}
  mmioRead(addr: number, size: number): number {
    this.log.push(`r${size}@${addr.toString(16)}`);
    return this.value(addr, size);
  }
  mmioWrite(addr: number, size: number, value: number): void {
    this.log.push(`w${size}@${addr.toString(16)}=${(value >>> 0).toString(16)}`);
  }
}

describe('MmioBus', () => {
  it('dispatches to the claiming device; unclaimed addresses read all-ones', () => {
    const bus = new MmioBus();
    const a = new Recorder(() => 0x11);
    const b = new Recorder(() => 0x22);
    bus.register(0xfee00000, 0x1000, a);
    bus.register(0xfec00000, 0x1000, b);
    expect(bus.list().map((r) => r.start)).toEqual([0xfec00000, 0xfee00000]);
    expect(bus.read(0xfee00ffc, 4)).toBe(0x11);
    expect(bus.read(0xfec00000, 1)).toBe(0x22);
    expect(bus.read(0xfee01000, 4)).toBe(-1);
    expect(bus.read(0xfebfffff, 1)).toBe(0xff);
    expect(bus.read(0xfed00000, 2)).toBe(0xffff);
    bus.write(0xfee00010, 4, 7);
    bus.write(0xfed00000, 4, 7); // nobody: ignored
    expect(a.log).toEqual(['r4@fee00ffc', 'w4@fee00010=7']);
  });

  it('refuses overlapping and malformed ranges', () => {
    const bus = new MmioBus();
    bus.register(0xfee00000, 0x1000, new Recorder());
    expect(() => bus.register(0xfee00800, 0x1000, new Recorder())).toThrow(/overlaps/);
    expect(() => bus.register(0xfedff000, 0x1001, new Recorder())).toThrow(/overlaps/);
    expect(() => bus.register(0xfffff000, 0x2000, new Recorder())).toThrow(/bad MMIO range/);
    bus.register(0xfedff000, 0x1000, new Recorder()); // adjacent is fine
  });
});

describe('the CPU reaches MMIO beyond the end of RAM', () => {
  function setup() {
    const m = new Machine({ memory: 1 << 20 });
    const dev = new Recorder((addr, size) => (size === 4 ? 0x80000000 | (addr & 0xfff) : addr & ((1 << (8 * size)) - 1)));
    m.cpu.mmio.register(0xfee00000, 0x1000, dev);
    return { cpu: m.cpu, mem: m.mem, dev };
  }

  it('passes 1, 2 and 4-byte reads and writes whole, aligned or not', () => {
    const { cpu, dev } = setup();
    expect(cpu.read32(0xfee00020) >>> 0).toBe(0x80000020);
    expect(cpu.read32(0xfee00020)).toBeLessThan(0); // a signed 32-bit value, as RAM reads give
    expect(cpu.read16(0xfee00031)).toBe(0x0031);
    expect(cpu.read8(0xfee000b0)).toBe(0xb0);
    cpu.write32(0xfee000b0, 0x12345678);
    cpu.write16(0xfee000b3, 0xbeef);
    cpu.write8(0xfee000f0, 0x1ff);
    expect(dev.log).toEqual(['r4@fee00020', 'r4@fee00020', 'r2@fee00031', 'r1@fee000b0', 'w4@fee000b0=12345678', 'w2@fee000b3=beef', 'w1@fee000f0=ff']);
  });

  it('splits an access that crosses a page, into the parts on each side', () => {
    const { cpu, dev } = setup();
    // The half on this page reaches the device whole; the half on the next page is unclaimed: all-ones.
    expect(cpu.read32(0xfee00ffe) >>> 0).toBe(0xffff0ffe);
    expect(dev.log).toEqual(['r2@fee00ffe']);
    cpu.write32(0xfee00fff, 0xaabbccdd);
    expect(dev.log).toEqual(['r2@fee00ffe', 'w1@fee00fff=dd']);
  });

  it('leaves RAM accesses and unclaimed addresses as they were', () => {
    const { cpu, mem, dev } = setup();
    cpu.write32(0x1000, 0x11223344);
    expect(mem.u8[0x1000]).toBe(0x44);
    expect(cpu.read32(0x1000)).toBe(0x11223344);
    expect(cpu.read32(0xfec00000)).toBe(-1);
    expect(cpu.read16(0x00200000)).toBe(0xffff); // past RAM's end, nothing there
    cpu.write32(0xfec00000, 1); // ignored
    expect(dev.log).toEqual([]);
  });

  it('works through paging: the TLB maps the MMIO page like any other', () => {
    const { cpu, mem, dev } = setup();
    // Page directory at 0x10000, one table at 0x11000 mapping linear 0x400000 to the APIC page.
    const pd = 0x10000, pt = 0x11000;
    mem.i32[(pd + 4) >>> 2] = pt | 3;
    mem.i32[pt >>> 2] = 0xfee00000 | 3;
    cpu.cr3 = pd;
    cpu.cr0 |= 0x80000000;
    cpu.mmu.flush();
    expect(cpu.read32(0x400030) >>> 0).toBe(0x80000030);
    expect(cpu.read32(0x400030) >>> 0).toBe(0x80000030); // now through the filled TLB entry
    cpu.write32(0x4000b0, 0);
    expect(dev.log).toEqual(['r4@fee00030', 'r4@fee00030', 'w4@fee000b0=0']);
  });
});

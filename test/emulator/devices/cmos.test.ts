// CMOS RAM and RTC through ports 0x70/0x71, against the MC146818A datasheet (address map,
// registers A-D, BCD/binary and 12/24-hour data modes, the SET bit, UIP, periodic rates and the
// interrupt flags) and the IBM PC/AT CMOS map for the memory-size bytes kernels read.
import { describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import { Cmos, DEFAULT_RTC_START, INSTRUCTIONS_PER_SECOND, type CmosOptions } from '../../../emulator/devices/cmos.js';
import { TestHost } from './test-host.js';

function setup(opts: CmosOptions = {}) {
  const host = new TestHost({ replace: true });
  const bus = new PortBus();
  const cmos = new Cmos(host, opts);
  cmos.register(bus);
  const read = (reg: number): number => {
    bus.out(0x70, 1, reg);
    return bus.in(0x71, 1);
  };
  const write = (reg: number, v: number): void => {
    bus.out(0x70, 1, reg);
    bus.out(0x71, 1, v);
  };
  const word = (lo: number): number => read(lo) | (read(lo + 1) << 8);
  const clock = (): number[] => [0, 2, 4, 6, 7, 8, 9, 0x32].map(read);
  return { host, bus, cmos, read, write, word, clock };
}

const S = INSTRUCTIONS_PER_SECOND;

describe('memory size bytes (what JOS and QEMU-era BIOSes read)', () => {
  it.each([
    [32 << 20, 640, 31744, 256],
    [128 << 20, 640, 0xffff, 1792],
    [8 << 20, 640, 7168, 0],
    [1 << 20, 640, 0, 0],
  ])('%d bytes: base %d KiB, extended %d KiB, %d x 64 KiB above 16 MiB', (mem, base, ext, ext16) => {
    const { word } = setup({ memorySize: mem });
    expect(word(0x15)).toBe(base);
    expect(word(0x17)).toBe(ext);
    expect(word(0x30)).toBe(ext);
    expect(word(0x34)).toBe(ext16);
  });

  it('keeps the PC/AT checksum of bytes 0x10-0x2D at 0x2E/0x2F', () => {
    const { read } = setup({ memorySize: 32 << 20 });
    let sum = 0;
    for (let r = 0x10; r <= 0x2d; r++) sum += read(r);
    expect((read(0x2e) << 8) | read(0x2f)).toBe(sum);
  });
});

describe('the clock', () => {
  it('starts at 2025-01-01 00:00:00 (a Wednesday) in BCD, 24-hour mode', () => {
    const { clock, read } = setup();
    expect(DEFAULT_RTC_START).toBe(Date.UTC(2025, 0, 1) / 1000);
    // seconds, minutes, hours, day of week (1 = Sunday), day, month, year, century
    expect(clock()).toEqual([0x00, 0x00, 0x00, 0x04, 0x01, 0x01, 0x25, 0x20]);
    expect(read(0x0a)).toBe(0x26);
    expect(read(0x0b)).toBe(0x02);
    expect(read(0x0d)).toBe(0x80);
  });

  it('advances one second per INSTRUCTIONS_PER_SECOND instructions, deterministically', () => {
    const { host, clock } = setup();
    expect(S).toBe(84 * 1_193_182);
    host.runTo(S - 1);
    expect(clock()[0]).toBe(0x00);
    host.runTo(S);
    expect(clock()[0]).toBe(0x01);
    host.runTo(S * (13 * 3600 + 59 * 60 + 58));
    expect(clock().slice(0, 3)).toEqual([0x58, 0x59, 0x13]);
  });

  it('follows register B: binary data mode and 12-hour format with the PM bit', () => {
    const { host, clock, write } = setup({ startTime: Date.UTC(2031, 11, 31, 23, 45, 30) / 1000 });
    write(0x0b, 0x06); // binary, 24-hour
    expect(clock()).toEqual([30, 45, 23, 4, 31, 12, 31, 0x20]); // century stays BCD
    write(0x0b, 0x00); // BCD, 12-hour
    expect(clock().slice(0, 3)).toEqual([0x30, 0x45, 0x80 | 0x11]);
    host.runTo(S * 30);
    expect(clock()).toEqual([0x00, 0x46, 0x80 | 0x11, 0x04, 0x31, 0x12, 0x31, 0x20]);
  });

  it('UIP is set only in the last 244 us before each update, never stuck', () => {
    const { host, read } = setup();
    const window = Math.round(S * 244e-6);
    host.runTo(S - window - 1);
    expect(read(0x0a) & 0x80).toBe(0);
    host.runTo(S - window);
    expect(read(0x0a) & 0x80).toBe(0x80);
    host.runTo(S);
    expect(read(0x0a) & 0x80).toBe(0);
    expect(read(0x00)).toBe(0x01);
  });

  it('SET freezes the clock while software writes the time; it runs on from there', () => {
    const { host, clock, write, read } = setup();
    host.runTo(5 * S);
    write(0x0b, 0x82); // SET
    write(0x04, 0x09);
    write(0x02, 0x30);
    write(0x00, 0x15);
    write(0x07, 0x29);
    write(0x08, 0x02);
    write(0x09, 0x24);
    host.runTo(20 * S);
    expect(read(0x0a) & 0x80).toBe(0);
    expect(clock()).toEqual([0x15, 0x30, 0x09, 0x05, 0x29, 0x02, 0x24, 0x20]); // Thursday 2024-02-29
    write(0x0b, 0x02);
    host.runTo(22 * S);
    expect(clock()[0]).toBe(0x17);
  });

  it('index bit 7 is the NMI mask; the index port reads as 0xFF; NVRAM bytes are plain storage', () => {
    const { bus, read, write, cmos } = setup();
    bus.out(0x70, 1, 0x80 | 0x0d);
    expect(bus.in(0x71, 1)).toBe(0x80);
    expect(cmos.inspect().nmiDisabled).toBe(true);
    expect(bus.in(0x70, 1)).toBe(0xff);
    write(0x50, 0xa5);
    expect(read(0x50)).toBe(0xa5);
    write(0x0d, 0);
    write(0x0c, 0xff);
    expect(read(0x0d)).toBe(0x80);
  });
});

describe('interrupt flags and IRQ 8', () => {
  it('periodic interrupt: PF at the register A rate, IRQ 8 while PIE, cleared by reading C', () => {
    const { host, read, write } = setup();
    write(0x0a, 0x2f); // rate 15: 2 Hz
    write(0x0b, 0x42); // PIE
    const period = Math.round(S / 2);
    host.runTo(period - 1);
    expect(host.levels.get(8)).toBeUndefined();
    host.runTo(period);
    expect(host.levels.get(8)).toBe(true);
    expect(read(0x0c)).toBe(0xc0); // IRQF | PF
    expect(host.levels.get(8)).toBe(false);
    expect(read(0x0c)).toBe(0x00);
    host.runTo(2 * period);
    expect(host.risingEdges(8)).toEqual([period, 2 * period]);
  });

  it('update-ended and alarm flags, with their interrupts', () => {
    const { host, read, write } = setup();
    write(0x01, 0x03); // alarm at 00:00:03
    write(0x03, 0x00);
    write(0x05, 0x00);
    write(0x0b, 0x22); // AIE
    host.runTo(2 * S);
    expect(host.levels.get(8)).toBeUndefined();
    expect(read(0x0c) & 0xb0).toBe(0x10); // UF set, no interrupt for it (PF too: it is set whatever PIE)
    host.runTo(3 * S);
    expect(host.levels.get(8)).toBe(true);
    expect(read(0x0c) & 0xb0).toBe(0xb0); // IRQF | AF | UF
    write(0x05, 0xc0); // "don't care" hours, minutes, seconds: every second
    write(0x03, 0xc0);
    write(0x01, 0xc0);
    host.runTo(4 * S);
    expect(read(0x0c) & 0xa0).toBe(0xa0);
  });

  it('snapshot and restore keep the clock offset, frozen state and flags', () => {
    const { host, cmos, clock, write } = setup();
    write(0x0b, 0x82);
    write(0x00, 0x42);
    const s = cmos.snapshot();
    write(0x0b, 0x02);
    host.runTo(9 * S);
    cmos.restore(s);
    expect(clock()[0]).toBe(0x42);
  });
});

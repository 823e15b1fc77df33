// The I/O APIC through IOREGSEL/IOWIN, against the Intel 82093AA datasheet (290566): the
// register window (3.1), ID, version and arbitration registers (3.2.1-3.2.3), the redirection
// table (3.2.4: vector, delivery mode, destination mode, polarity, remote IRR, trigger mode,
// mask, destination), and delivery to the local APIC, with the PC's ISA wiring.
import { describe, expect, it } from 'vitest';
import { MmioBus } from '../../../emulator/memory/mmio.js';
import { IOAPIC_BASE, IoApic, isaIrqToPin } from '../../../emulator/devices/io-apic.js';
import { LAPIC_EOI, LocalApic, LAPIC_BASE, LAPIC_LDR } from '../../../emulator/devices/local-apic.js';
import { TestHost } from './test-host.js';

function setup() {
  const host = new TestHost({ replace: true });
  const bus = new MmioBus();
  const lapic = new LocalApic(host);
  lapic.register(bus);
  const io = new IoApic(host);
  io.register(bus);
  io.lapic = lapic;
  lapic.onLevelEoi = (v) => io.eoi(v);
  const read = (reg: number): number => {
    bus.write(IOAPIC_BASE, 4, reg);
    return bus.read(IOAPIC_BASE + 0x10, 4) >>> 0;
  };
  const write = (reg: number, v: number): void => {
    bus.write(IOAPIC_BASE, 4, reg);
    bus.write(IOAPIC_BASE + 0x10, 4, v);
  };
  const route = (pin: number, lo: number, dest = 0): void => {
    write(0x10 + 2 * pin, lo);
    write(0x11 + 2 * pin, dest << 24);
  };
  const take = (): number => {
    const v = lapic.acknowledge();
    if (v >= 0) bus.write(LAPIC_BASE + LAPIC_EOI, 4, 0);
    return v;
  };
  return { host, bus, lapic, io, read, write, route, take };
}

describe('registers', () => {
  it('ID 1 (as the firmware sets it), version 0x11 with max redirection entry 23, arbitration ID', () => {
    const { read, write, bus } = setup();
    expect(read(0x00)).toBe(0x01000000);
    expect(read(0x01)).toBe(0x00170011);
    expect(read(0x02)).toBe(0x01000000);
    write(0x00, 0x0f000000);
    expect(read(0x00)).toBe(0x0f000000);
    write(0x01, 0); // read-only
    expect(read(0x01)).toBe(0x00170011);
    bus.write(IOAPIC_BASE, 1, 0x01); // IOREGSEL is byte-wide
    expect(bus.read(IOAPIC_BASE, 4)).toBe(1);
    expect(bus.read(IOAPIC_BASE + 0x10, 1)).toBe(0x11);
    expect(bus.read(IOAPIC_BASE + 0x12, 1)).toBe(0x17);
  });

  it('starts with every entry masked; entries keep their writable bits', () => {
    const { read, write } = setup();
    for (let pin = 0; pin < 24; pin++) {
      expect(read(0x10 + 2 * pin)).toBe(0x10000);
      expect(read(0x11 + 2 * pin)).toBe(0);
    }
    write(0x10 + 2 * 3, 0xffffffff);
    // Delivery status (bit 12) and remote IRR (bit 14) are read-only; bits 17-31 reserved.
    expect(read(0x10 + 2 * 3)).toBe(0x1afff);
    write(0x11 + 2 * 3, 0xffffffff);
    expect(read(0x11 + 2 * 3)).toBe(0xff000000);
    expect(read(0x10 + 2 * 24)).toBe(0); // past the table
  });
});

describe('delivery', () => {
  it('routes an ISA line on a rising edge to the vector of its entry (IRQ 0 on INTIN2)', () => {
    const { io, route, take } = setup();
    expect([0, 1, 2, 4, 14].map(isaIrqToPin)).toEqual([2, 1, 9, 4, 14]);
    route(1, 0x21);
    route(2, 0x20);
    io.setIrq(1, true);
    expect(take()).toBe(0x21);
    io.setIrq(1, true); // no new edge
    expect(take()).toBe(-1);
    io.setIrq(1, false);
    io.setIrq(1, true);
    expect(take()).toBe(0x21);
    io.setIrq(0, true);
    expect(take()).toBe(0x20);
  });

  it('ignores edges on a masked input; unmasking does not replay them (82093AA 3.2.4)', () => {
    const { io, route, take } = setup();
    route(4, 0x10000 | 0x24);
    io.setIrq(4, true);
    route(4, 0x24);
    expect(take()).toBe(-1);
    io.setIrq(4, false);
    io.setIrq(4, true);
    expect(take()).toBe(0x24);
  });

  it('active-low inputs interrupt on the falling edge', () => {
    const { io, route, take } = setup();
    io.setPin(10, true); // idle high
    route(10, 0x2000 | 0x2a);
    io.setPin(10, false);
    expect(take()).toBe(0x2a);
  });

  it('level-triggered inputs set remote IRR until EOI, and deliver again if still asserted', () => {
    const { io, lapic, bus, read, route } = setup();
    route(11, 0x8000 | 0x2b);
    io.setPin(11, true);
    expect(read(0x10 + 2 * 11) & 0x4000).toBe(0x4000);
    expect(lapic.acknowledge()).toBe(0x2b);
    expect(lapic.acknowledge()).toBe(-1);
    bus.write(LAPIC_BASE + LAPIC_EOI, 4, 0); // still asserted: again
    expect(lapic.acknowledge()).toBe(0x2b);
    io.setPin(11, false);
    bus.write(LAPIC_BASE + LAPIC_EOI, 4, 0);
    expect(read(0x10 + 2 * 11) & 0x4000).toBe(0);
    expect(lapic.acknowledge()).toBe(-1);
  });

  it('unmasking an asserted level input delivers it', () => {
    const { io, route, take } = setup();
    io.setPin(9, true);
    route(9, 0x18000 | 0x29);
    expect(take()).toBe(-1);
    route(9, 0x8000 | 0x29);
    expect(take()).toBe(0x29);
  });

  it('delivers only to a destination naming the local APIC, and only fixed or lowest priority', () => {
    const { io, bus, route, take } = setup();
    route(3, 0x23, 1); // APIC 1: nobody
    io.setIrq(3, true);
    expect(take()).toBe(-1);
    io.setIrq(3, false);
    route(3, 0x23, 0xff); // broadcast
    io.setIrq(3, true);
    expect(take()).toBe(0x23);
    io.setIrq(3, false);
    bus.write(LAPIC_BASE + LAPIC_LDR, 4, 0x01000000);
    route(3, 0x0800 | 0x0100 | 0x23, 0x01); // logical, lowest priority
    io.setIrq(3, true);
    expect(take()).toBe(0x23);
    io.setIrq(3, false);
    route(3, 0x0400 | 0x23, 0); // NMI: no receiver here
    io.setIrq(3, true);
    expect(take()).toBe(-1);
  });

  it('snapshots registers and input levels', () => {
    const { io, read, route } = setup();
    route(5, 0x25);
    io.setIrq(5, true);
    const s = io.snapshot();
    route(5, 0x10000);
    io.setIrq(5, false);
    io.restore(s);
    expect(read(0x10 + 2 * 5)).toBe(0x25);
    expect(io.inspect().entries[5]).toMatchObject({ vector: 0x25, masked: false, input: true });
  });
});

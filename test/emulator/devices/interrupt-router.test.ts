// The processor's INTR with both interrupt systems wired as pc.ts does: the 8259A pair through
// LINT0 (ExtINT, virtual wire mode: MP spec 1.4, 3.6.2.2) and the local APIC's own interrupts,
// which come first. ISA lines reach both the 8259A and the I/O APIC.
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../emulator/machine.js';
import { attachStandardDevices } from '../../../emulator/pc.js';
import { LAPIC_BASE, LAPIC_EOI, LAPIC_LVT_LINT0, LAPIC_SVR } from '../../../emulator/devices/local-apic.js';
import { IOAPIC_BASE } from '../../../emulator/devices/io-apic.js';

function pc() {
  const machine = new Machine({ memory: 1 << 20 });
  const dev = attachStandardDevices(machine);
  const io = machine.cpu.io;
  const mmio = machine.cpu.mmio;
  const outb = (p: number, v: number): void => io.out(p, 1, v);
  // Remap the 8259As to 0x20/0x28, everything unmasked.
  for (const [p, v] of [[0x20, 0x11], [0xa0, 0x11], [0x21, 0x20], [0xa1, 0x28], [0x21, 4], [0xa1, 2], [0x21, 1], [0xa1, 1], [0x21, 0], [0xa1, 0]]) {
    outb(p!, v!);
  }
  const lapicWrite = (off: number, v: number): void => mmio.write(LAPIC_BASE + off, 4, v);
  const ioapicRoute = (pin: number, lo: number): void => {
    mmio.write(IOAPIC_BASE, 4, 0x10 + 2 * pin);
    mmio.write(IOAPIC_BASE + 0x10, 4, lo);
    mmio.write(IOAPIC_BASE, 4, 0x11 + 2 * pin);
    mmio.write(IOAPIC_BASE + 0x10, 4, 0);
  };
  return { machine, dev, outb, lapicWrite, ioapicRoute };
}

describe('the interrupt router', () => {
  it('passes the 8259A through in virtual wire mode, and updates the CPU INTR line', () => {
    const { machine, dev } = pc();
    expect(machine.interrupts).toBe(dev.interrupts);
    machine.setIrq(4, true);
    expect(machine.cpu.intrPending).toBe(true);
    expect(dev.interrupts.acknowledge()).toBe(0x24);
  });

  it('masking LINT0 cuts the 8259A off; unmasking it brings the request back', () => {
    const { machine, dev, lapicWrite } = pc();
    lapicWrite(LAPIC_LVT_LINT0, 0x10000);
    machine.setIrq(1, true);
    expect(machine.cpu.intrPending).toBe(false);
    lapicWrite(LAPIC_LVT_LINT0, 0x700);
    expect(machine.cpu.intrPending).toBe(true);
    expect(dev.interrupts.acknowledge()).toBe(0x21);
  });

  it('an ISA line reaches the I/O APIC too; the APIC interrupt is taken before the 8259A one', () => {
    const { machine, dev, ioapicRoute, lapicWrite, outb } = pc();
    ioapicRoute(1, 0x41);
    machine.setIrq(1, true); // both: the 8259A's IRQ 1 (0x21) and the I/O APIC's 0x41
    expect(dev.interrupts.acknowledge()).toBe(0x41);
    lapicWrite(LAPIC_EOI, 0);
    expect(dev.interrupts.acknowledge()).toBe(0x21);
    outb(0x20, 0x20);
    expect(dev.interrupts.intr()).toBe(false);
  });

  it('xv6 style: 8259As masked (0xFF) and LINT0 masked, so only the I/O APIC delivers', () => {
    const { machine, dev, ioapicRoute, lapicWrite, outb } = pc();
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    lapicWrite(LAPIC_LVT_LINT0, 0x10000);
    ioapicRoute(4, 0x24);
    machine.setIrq(4, true);
    expect(machine.cpu.intrPending).toBe(true);
    expect(dev.interrupts.acknowledge()).toBe(0x24);
    lapicWrite(LAPIC_EOI, 0);
    expect(machine.cpu.intrPending).toBe(false);
  });

  it('answers the spurious vector when the request went away before the acknowledge', () => {
    const { dev, lapicWrite } = pc();
    lapicWrite(LAPIC_SVR, 0x1ef);
    expect(dev.interrupts.acknowledge()).toBe(0xef);
  });
});

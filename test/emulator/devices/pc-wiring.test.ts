// The devices wired together as on a PC (PIT -> IRQ 0, COM1 -> IRQ 4, disk -> IRQ 11, all into the
// 8259A pair), with the test playing the CPU: whenever INTR is up it acknowledges, runs a tiny
// "handler" and sends EOI, as a kernel's interrupt path would.
import { describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import { Pic8259Pair } from '../../../emulator/devices/pic8259.js';
import { Pit8254 } from '../../../emulator/devices/pit8254.js';
import { Uart16550 } from '../../../emulator/devices/uart16550.js';
import { BlockDevice } from '../../../emulator/devices/block-device.js';
import { TestHost } from './test-host.js';

function pc() {
  const host = new TestHost();
  const bus = new PortBus();
  const pic = new Pic8259Pair(host);
  host.irqSink = (line, level) => pic.setIrq(line, level);
  const pit = new Pit8254(host, { instructionsPerTick: 1 });
  const uart = new Uart16550(host);
  const disk = new BlockDevice(host, { sectors: 16 });
  for (const d of [pic, pit, uart, disk]) d.register(bus);
  const outb = (p: number, v: number): void => bus.out(p, 1, v);
  const inb = (p: number): number => bus.in(p, 1);
  // Remap to 0x20/0x28 and unmask everything, as a kernel's PIC setup does.
  for (const [p, v] of [[0x20, 0x11], [0xa0, 0x11], [0x21, 0x20], [0xa1, 0x28], [0x21, 4], [0xa1, 2], [0x21, 1], [0xa1, 1], [0x21, 0], [0xa1, 0]]) {
    outb(p!, v!);
  }
  return { host, bus, pic, pit, uart, disk, outb, inb };
}

describe('devices wired to the 8259A pair', () => {
  it('a 100-clock mode 2 timer interrupts once per period at vector 0x20', () => {
    const { host, pic, outb } = pc();
    outb(0x43, 0x34);
    outb(0x40, 100);
    outb(0x40, 0);
    const at: number[] = [];
    for (let t = 1; t <= 1000; t++) {
      host.runTo(t);
      while (pic.intr()) {
        expect(pic.acknowledge()).toBe(0x20);
        at.push(t);
        outb(0x20, 0x20);
      }
    }
    expect(at).toEqual([101, 201, 301, 401, 501, 601, 701, 801, 901]);
  });

  it('interrupt-driven transmit: each THRE interrupt sends one byte until the text is out', () => {
    const { pic, uart, outb, inb } = pc();
    const text = 'hello';
    let next = 0;
    const out: number[] = [];
    uart.onTransmit = (b) => out.push(b);
    outb(0x3fc, 0x08); // OUT2
    outb(0x3f9, 0x02); // ETBEI: THR is empty, so an interrupt comes at once
    for (let guard = 0; guard < 20 && pic.intr(); guard++) {
      expect(pic.acknowledge()).toBe(0x24);
      if ((inb(0x3fa) & 0x0f) === 0x02) {
        if (next < text.length) outb(0x3f8, text.charCodeAt(next++));
        else outb(0x3f9, 0x00); // nothing left: stop THRE interrupts
      }
      outb(0x20, 0x20);
    }
    expect(String.fromCharCode(...out)).toBe(text);
    expect(pic.intr()).toBe(false);
  });

  it('console input raises IRQ 4; the handler drains it and the next input interrupts again', () => {
    const { pic, uart, outb, inb } = pc();
    outb(0x3fc, 0x08);
    outb(0x3f9, 0x01);
    const got: number[] = [];
    const handle = (): void => {
      expect(pic.acknowledge()).toBe(0x24);
      while (inb(0x3fd) & 1) got.push(inb(0x3f8));
      outb(0x20, 0x20);
    };
    uart.receive('ab');
    handle();
    expect(pic.intr()).toBe(false);
    uart.receive('c');
    expect(pic.intr()).toBe(true);
    handle();
    expect(String.fromCharCode(...got)).toBe('abc');
  });

  it('the disk completion interrupt arrives through the slave at vector 0x2B', () => {
    const { bus, pic, outb } = pc();
    bus.out(0x5018, 4, 1); // CONTROL: interrupt on completion
    bus.out(0x5004, 4, 0);
    bus.out(0x5008, 4, 1);
    bus.out(0x500c, 4, 1); // READ
    for (let i = 0; i < 128; i++) bus.in(0x5000, 4);
    expect(pic.intr()).toBe(true);
    expect(pic.acknowledge()).toBe(0x2b);
    bus.in(0x5010, 4); // STATUS read acknowledges the device
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    expect(pic.intr()).toBe(false);
  });
});

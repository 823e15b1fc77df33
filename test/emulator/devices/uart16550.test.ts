// The 16550 through its ports, against the National Semiconductor PC16550D datasheet: register
// map with DLAB, IER/IIR interrupt sources and priorities, FIFO control, LSR, MCR loopback and
// MSR, plus the IRQ wiring: QEMU's (the line follows INTR) by default, a PC card's OUT2 gate as
// an option.
import { beforeEach, describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import { Uart16550 } from '../../../emulator/devices/uart16550.js';
import { TestHost } from './test-host.js';

const COM1 = 0x3f8;
const THR = COM1, RBR = COM1, DLL = COM1, IER = COM1 + 1, DLM = COM1 + 1, IIR = COM1 + 2, FCR = COM1 + 2;
const LCR = COM1 + 3, MCR = COM1 + 4, LSR = COM1 + 5, MSR = COM1 + 6, SCR = COM1 + 7;

let host: TestHost;
let bus: PortBus;
let uart: Uart16550;
let sent: number[];
const outb = (port: number, v: number): void => bus.out(port, 1, v);
const inb = (port: number): number => bus.in(port, 1);
const irq = (): boolean => host.levels.get(4) ?? false;

beforeEach(() => {
  host = new TestHost();
  bus = new PortBus();
  uart = new Uart16550(host);
  uart.register(bus);
  sent = [];
  uart.onTransmit = (b) => sent.push(b);
});

describe('registers', () => {
  it('has the reset values of the datasheet (IER 0, IIR 1, LSR THRE|TEMT)', () => {
    expect(inb(IER)).toBe(0x00);
    expect(inb(IIR)).toBe(0x01);
    expect(inb(LCR)).toBe(0x00);
    expect(inb(MCR)).toBe(0x00);
    expect(inb(LSR)).toBe(0x60);
  });

  it('DLAB switches offsets 0 and 1 to the divisor latch', () => {
    outb(LCR, 0x80);
    outb(DLL, 0x01);
    outb(DLM, 0x00);
    expect(inb(DLL)).toBe(0x01);
    expect(uart.inspect().divisor).toBe(1);
    expect(sent).toEqual([]); // not a transmit
    outb(LCR, 0x03); // 8N1, DLAB off
    expect(inb(LCR)).toBe(0x03);
    outb(IER, 0x00);
    outb(THR, 0x41);
    expect(sent).toEqual([0x41]);
  });

  it('IER keeps only its 4 defined bits; SCR holds any byte', () => {
    outb(IER, 0xff);
    expect(inb(IER)).toBe(0x0f);
    outb(SCR, 0x5a);
    expect(inb(SCR)).toBe(0x5a);
  });
});

describe('transmit', () => {
  it('delivers each THR byte at once; THR and the transmitter stay empty', () => {
    for (const c of 'hi\n') outb(THR, c.charCodeAt(0));
    expect(String.fromCharCode(...sent)).toBe('hi\n');
    expect(inb(LSR) & 0x60).toBe(0x60);
    expect(uart.inspect().txBytes).toBe(3);
  });

  it('THRE interrupt: raised when enabled with THR empty, cleared by reading IIR', () => {
    outb(MCR, 0x08); // OUT2: connect INTR to IRQ 4
    outb(IER, 0x02);
    expect(irq()).toBe(true);
    expect(inb(IIR)).toBe(0x02);
    expect(irq()).toBe(false);
    expect(inb(IIR)).toBe(0x01); // the read cleared it
  });

  it('writing THR clears THRE and it comes back with a fresh edge (THR empties again)', () => {
    outb(MCR, 0x08);
    outb(IER, 0x02);
    const rises = host.risingEdges(4).length;
    outb(THR, 0x41);
    expect(host.risingEdges(4).length).toBe(rises + 1);
    expect(host.fallingEdges(4).length).toBe(1);
    expect(inb(IIR)).toBe(0x02);
  });

  it('disabling ETBEI drops the THRE interrupt', () => {
    outb(MCR, 0x08);
    outb(IER, 0x02);
    outb(IER, 0x00);
    expect(irq()).toBe(false);
    expect(inb(IIR)).toBe(0x01);
  });
});

describe('receive', () => {
  it('queues input; LSR DR is set while bytes remain; RBR returns them in order', () => {
    uart.receive('ok');
    expect(inb(LSR) & 0x01).toBe(1);
    expect(inb(RBR)).toBe(0x6f);
    expect(inb(RBR)).toBe(0x6b);
    expect(inb(LSR) & 0x01).toBe(0);
  });

  it('RDA interrupt (IER bit 0): IIR 0x04 until the data is read', () => {
    outb(MCR, 0x08);
    outb(IER, 0x01);
    expect(irq()).toBe(false);
    uart.receive(new Uint8Array([1, 2]));
    expect(irq()).toBe(true);
    expect(inb(IIR)).toBe(0x04);
    inb(RBR);
    expect(irq()).toBe(true);
    inb(RBR);
    expect(irq()).toBe(false);
    expect(inb(IIR)).toBe(0x01);
  });

  it('received data outranks THRE in IIR', () => {
    outb(MCR, 0x08);
    outb(IER, 0x03);
    uart.receive('x');
    expect(inb(IIR)).toBe(0x04);
    inb(RBR);
    expect(inb(IIR)).toBe(0x02);
  });

  it('with the card wiring, without OUT2 the interrupt is pending in IIR but the IRQ line stays low', () => {
    uart.irqNeedsOut2 = true;
    outb(IER, 0x01);
    uart.receive('x');
    expect(inb(IIR)).toBe(0x04);
    expect(host.irqLog).toEqual([]);
    outb(MCR, 0x08);
    expect(irq()).toBe(true);
  });

  it('by default (QEMU\'s wiring) the IRQ line follows the interrupt whatever OUT2 says', () => {
    outb(MCR, 0x00); // what xv6's uartinit and JOS's serial_init write
    outb(IER, 0x01);
    uart.receive('x');
    expect(irq()).toBe(true);
    inb(RBR);
    expect(irq()).toBe(false);
  });

  it('the card wiring can be chosen when the UART is made', () => {
    const card = new Uart16550(host, { base: 0x2f8, irq: 3, irqNeedsOut2: true });
    card.register(bus);
    bus.out(0x2f9, 1, 0x01);
    card.receive('x');
    expect(host.levels.get(3) ?? false).toBe(false);
    bus.out(0x2fc, 1, 0x08);
    expect(host.levels.get(3)).toBe(true);
  });

  it('strings are sent as UTF-8', () => {
    uart.receive('é');
    expect([inb(RBR), inb(RBR)]).toEqual([0xc3, 0xa9]);
  });
});

describe('FIFOs', () => {
  it('FCR bit 0 enables them: IIR bits 7-6 read 11', () => {
    outb(FCR, 0x01);
    expect(inb(IIR)).toBe(0xc1);
    outb(FCR, 0x00);
    expect(inb(IIR)).toBe(0x01);
  });

  it('below the trigger level the character time-out is reported; at it, data available', () => {
    outb(FCR, 0x41); // trigger level 4
    outb(MCR, 0x08);
    outb(IER, 0x01);
    uart.receive('ab');
    expect(inb(IIR)).toBe(0xcc);
    uart.receive('cd');
    expect(inb(IIR)).toBe(0xc4);
    expect(uart.inspect().triggerLevel).toBe(4);
  });

  it('FCR bit 1 clears what the receive FIFO holds (16 bytes), not input still on the wire', () => {
    outb(FCR, 0x01);
    uart.receive('0123456789abcdefXYZ'); // 19 bytes
    outb(FCR, 0x03);
    expect(uart.inspect().rxQueued).toBe(3);
    expect(String.fromCharCode(inb(RBR), inb(RBR), inb(RBR))).toBe('XYZ');
  });

  it('switching FIFO mode clears the receiver (16450 mode holds one byte)', () => {
    uart.receive('ab');
    outb(FCR, 0x01);
    expect(inb(RBR)).toBe(0x62);
  });
});

describe('modem control and loopback', () => {
  it('reports a console partner: CTS, DSR and DCD asserted', () => {
    expect(inb(MSR)).toBe(0xb0);
  });

  it('loopback wires RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD (the Linux 8250 probe)', () => {
    outb(MCR, 0x1a); // LOOP | OUT2 | RTS
    expect(inb(MSR) & 0xf0).toBe(0x90);
    outb(MCR, 0x1f);
    expect(inb(MSR) & 0xf0).toBe(0xf0);
  });

  it('loopback sends THR to the receiver, not the console; the card wiring keeps the IRQ line low', () => {
    uart.irqNeedsOut2 = true;
    outb(MCR, 0x18);
    outb(IER, 0x01);
    outb(THR, 0x55);
    expect(sent).toEqual([]);
    expect(inb(LSR) & 0x01).toBe(1);
    expect(inb(IIR)).toBe(0x04);
    expect(irq()).toBe(false); // OUT2 is forced inactive in loopback
    expect(inb(RBR)).toBe(0x55);
    // QEMU's wiring raises it (its loopback still interrupts).
    uart.irqNeedsOut2 = false;
    outb(THR, 0x56);
    expect(irq()).toBe(true);
  });

  it('MSR delta bits record changes, raise the modem status interrupt, and clear on read', () => {
    outb(MCR, 0x18); // loopback + OUT2: DCD goes 1 -> 1, CTS and DSR 1 -> 0
    expect(inb(MSR) & 0x0f).toBe(0x03); // delta CTS, delta DSR
    expect(inb(MSR) & 0x0f).toBe(0x00);
    outb(IER, 0x08);
    outb(MCR, 0x1c); // OUT1 -> RI rises: no TERI (trailing edge only)
    expect(inb(IIR)).toBe(0x01);
    outb(MCR, 0x18); // RI falls: TERI
    expect(inb(IIR)).toBe(0x00);
    expect(inb(MSR) & 0x0f).toBe(0x04);
    expect(inb(IIR)).toBe(0x01);
  });
});

describe('inspect', () => {
  it('shows IIR without clearing a THRE interrupt', () => {
    outb(IER, 0x02);
    expect(uart.inspect().iir).toBe(0x02);
    expect(uart.inspect().iir).toBe(0x02);
    expect(inb(IIR)).toBe(0x02);
  });

  it('can sit at another base and IRQ (COM2: 0x2F8, IRQ 3)', () => {
    const com2 = new Uart16550(host, { base: 0x2f8, irq: 3 });
    com2.register(bus);
    bus.out(0x2fc, 1, 0x08);
    bus.out(0x2f9, 1, 0x02);
    expect(host.levels.get(3)).toBe(true);
  });
});

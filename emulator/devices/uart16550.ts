// A 16550A UART (National Semiconductor PC16550D datasheet) as the guest's console: COM1 at
// 0x3F8 with IRQ 4 by default. There is no line timing: a byte written to THR is handed to
// onTransmit at once (so THR and the transmitter are always empty again, LSR THRE and TEMT
// stay set), and input given to receive() is available at once.
//
// The receive side is one queue: its first 16 bytes (FIFO mode) or first byte (16450 mode) are
// what the chip holds; the rest is still "on the wire" (the console waits, as a flow-controlled
// link would), so no input is lost to overrun. Clearing the receive FIFO discards only what the
// chip holds. With FIFOs on, a receive FIFO below its trigger level reports the character
// time-out interrupt (IIR 0x0C) at once instead of after four character times.
//
// The IRQ line: by default it follows the chip's INTR, as on QEMU, whose 16550 ignores MCR OUT2.
// Course kernels are written against QEMU and rely on that: xv6's uartinit and JOS's serial_init
// write 0 to MCR and still expect receive interrupts. With `irqNeedsOut2` the line is wired as
// on PC serial cards instead: INTR gated by OUT2, and no IRQ in loopback mode, where the
// modem-control outputs (OUT2 among them) are forced inactive while the registers still report
// the interrupts (datasheet, MCR bit 4).
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { DeviceHost, StatefulDevice } from './device.js';
import { readBytes, writeBytes } from './byte-ports.js';

export const COM1_BASE = 0x3f8;
export const COM1_IRQ = 4;

export interface UartOptions {
  /** First of the 8 ports (default 0x3F8, COM1). */
  base?: number;
  /** ISA interrupt line (default 4). */
  irq?: number;
  /**
   * Wire the IRQ as a real PC serial card does: only while MCR OUT2 is set, never in loopback.
   * Default false: the line follows INTR whatever MCR holds, as QEMU's 16550 does.
   */
  irqNeedsOut2?: boolean;
}

export interface UartInspection {
  base: number;
  irq: number;
  ier: number;
  /** What a read of IIR would return now (without its side effect). */
  iir: number;
  lcr: number;
  mcr: number;
  lsr: number;
  msr: number;
  scr: number;
  divisor: number;
  fifoEnabled: boolean;
  /** Receive FIFO trigger level in bytes (1, 4, 8 or 14). */
  triggerLevel: number;
  /** Input bytes not yet read by the guest (chip and wire). */
  rxQueued: number;
  txBytes: number;
  rxBytes: number;
  irqLevel: boolean;
}

/** The UART's complete state for snapshots, including console input not yet read by the guest. */
export interface UartState {
  ier: number;
  lcr: number;
  mcr: number;
  scr: number;
  dll: number;
  dlm: number;
  fifoEnabled: boolean;
  triggerLevel: number;
  threPending: boolean;
  msrDelta: number;
  /** Unread input, oldest first (the chip's FIFO, then the wire). */
  rx: number[];
  lastRbr: number;
  irqLevel: boolean;
  txBytes: number;
  rxBytes: number;
}

// Interrupt enable register bits.
const IER_RDA = 0x01;
const IER_THRE = 0x02;
const IER_MS = 0x08;
// Interrupt identification values (bits 3-1, bit 0 = 0 for "pending").
const IIR_NONE = 0x01;
const IIR_MS = 0x00;
const IIR_THRE = 0x02;
const IIR_RDA = 0x04;
const IIR_TIMEOUT = 0x0c;
const IIR_FIFO = 0xc0;
// Line status register bits.
const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
// Modem control register bits.
const MCR_DTR = 0x01;
const MCR_RTS = 0x02;
const MCR_OUT1 = 0x04;
const MCR_OUT2 = 0x08;
const MCR_LOOP = 0x10;
// Modem status: a console line has its partner present: CTS, DSR and DCD asserted.
const MSR_CTS = 0x10;
const MSR_DSR = 0x20;
const MSR_RI = 0x40;
const MSR_DCD = 0x80;
const CONSOLE_MODEM_INPUTS = MSR_CTS | MSR_DSR | MSR_DCD;

const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14];

export class Uart16550 implements PortDevice, StatefulDevice<UartState> {
  readonly base: number;
  readonly irq: number;
  /** Each byte the guest transmits (not called in loopback mode). */
  onTransmit?: (byte: number) => void;
  /**
   * Real-card IRQ wiring (see UartOptions.irqNeedsOut2). A setting of the machine, not guest
   * state: snapshots leave it alone. Changing it takes effect at the next register access.
   */
  irqNeedsOut2: boolean;

  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 0x0c; // 9600 baud; the divisor has no effect here
  private dlm = 0;
  private fifoEnabled = false;
  private triggerLevel = 1;
  /** THR-empty interrupt condition: set when THR empties, cleared by IIR read or THR write. */
  private threPending = false;
  /** MSR bits 0-3: delta CTS, delta DSR, trailing-edge RI, delta DCD. */
  private msrDelta = 0;
  private rx: number[] = [];
  private rxHead = 0;
  private lastRbr = 0;
  private irqLevel = false;
  private txBytes = 0;
  private rxBytes = 0;

  constructor(
    private readonly host: DeviceHost,
    opts: UartOptions = {},
  ) {
    this.base = opts.base ?? COM1_BASE;
    this.irq = opts.irq ?? COM1_IRQ;
    this.irqNeedsOut2 = opts.irqNeedsOut2 ?? false;
    host.registerDevice?.(this);
  }

  snapshot(): UartState {
    return {
      ier: this.ier,
      lcr: this.lcr,
      mcr: this.mcr,
      scr: this.scr,
      dll: this.dll,
      dlm: this.dlm,
      fifoEnabled: this.fifoEnabled,
      triggerLevel: this.triggerLevel,
      threPending: this.threPending,
      msrDelta: this.msrDelta,
      rx: this.rx.slice(this.rxHead),
      lastRbr: this.lastRbr,
      irqLevel: this.irqLevel,
      txBytes: this.txBytes,
      rxBytes: this.rxBytes,
    };
  }

  restore(s: UartState): void {
    Object.assign(this, s);
    // The queue is consumed and appended to in place: the snapshot keeps its own copy.
    this.rx = [...s.rx];
    this.rxHead = 0;
  }

  register(bus: PortBus): void {
    bus.register(this.base, 8, this);
  }

  /** Queues console input for the guest. Strings are sent as UTF-8. */
  receive(bytes: Uint8Array | string): void {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    for (const b of data) this.rx.push(b);
    this.update();
  }

  portIn(port: number, size: number): number {
    const v = readBytes(port, size, (p) => this.read8(p - this.base));
    this.update();
    return v;
  }

  portOut(port: number, size: number, value: number): void {
    writeBytes(port, size, value, (p, v) => this.write8(p - this.base, v));
    this.update();
  }

  inspect(): UartInspection {
    return {
      base: this.base,
      irq: this.irq,
      ier: this.ier,
      iir: this.iir(),
      lcr: this.lcr,
      mcr: this.mcr,
      lsr: this.lsr(),
      msr: this.modemInputs() | this.msrDelta,
      scr: this.scr,
      divisor: (this.dlm << 8) | this.dll,
      fifoEnabled: this.fifoEnabled,
      triggerLevel: this.triggerLevel,
      rxQueued: this.rxCount(),
      txBytes: this.txBytes,
      rxBytes: this.rxBytes,
      irqLevel: this.irqLevel,
    };
  }

  private get dlab(): boolean {
    return (this.lcr & 0x80) !== 0;
  }

  private rxCount(): number {
    return this.rx.length - this.rxHead;
  }

  /** Bytes inside the chip: the receive FIFO, or the receiver buffer register in 16450 mode. */
  private held(): number {
    return Math.min(this.rxCount(), this.fifoEnabled ? FIFO_SIZE : 1);
  }

  private read8(offset: number): number {
    switch (offset) {
      case 0:
        return this.dlab ? this.dll : this.readRbr();
      case 1:
        return this.dlab ? this.dlm : this.ier;
      case 2: {
        const v = this.iir();
        // Reading IIR when THRE is the reported source clears that interrupt.
        if ((v & 0x0f) === IIR_THRE) this.threPending = false;
        return v;
      }
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5:
        return this.lsr();
      case 6: {
        const v = this.modemInputs() | this.msrDelta;
        this.msrDelta = 0;
        return v;
      }
      case 7:
        return this.scr;
      default:
        return 0xff;
    }
  }

  private write8(offset: number, v: number): void {
    switch (offset) {
      case 0:
        if (this.dlab) this.dll = v;
        else this.writeThr(v);
        break;
      case 1:
        if (this.dlab) this.dlm = v;
        else this.writeIer(v);
        break;
      case 2:
        this.writeFcr(v);
        break;
      case 3:
        this.lcr = v;
        break;
      case 4:
        this.writeMcr(v);
        break;
      case 7:
        this.scr = v;
        break;
      default: // LSR and MSR are read-only (their factory-test writes are not modelled)
    }
  }

  private readRbr(): number {
    if (this.rxCount() > 0) {
      this.lastRbr = this.rx[this.rxHead++]!;
      this.rxBytes++;
      if (this.rxHead > 4096 && this.rxHead * 2 > this.rx.length) {
        this.rx = this.rx.slice(this.rxHead);
        this.rxHead = 0;
      }
    }
    return this.lastRbr;
  }

  private writeThr(v: number): void {
    // Writing THR clears the THRE interrupt; the byte leaves at once, THR is empty again and
    // the interrupt comes back: the line drops and rises, a fresh edge for an edge-triggered PIC
    // (on hardware the line is low while the byte moves to the transmitter shift register).
    this.threPending = false;
    this.update();
    this.txBytes++;
    if (this.mcr & MCR_LOOP) this.rx.push(v);
    else this.onTransmit?.(v);
    this.threPending = true;
  }

  private writeIer(v: number): void {
    const enabling = v & ~this.ier & IER_THRE;
    this.ier = v & 0x0f;
    // Enabling the THRE interrupt with THR empty raises it at once (a 16550 does; drivers rely on it).
    if (enabling) this.threPending = true;
    if (!(this.ier & IER_THRE)) this.threPending = false;
  }

  private writeFcr(v: number): void {
    const enable = (v & 0x01) !== 0;
    // Switching between FIFO and 16450 mode clears the FIFOs; FCR1 clears the receive FIFO. The
    // other bits are only written with FCR0 set.
    if (enable !== this.fifoEnabled || (enable && v & 0x02)) this.rxHead += this.held();
    this.fifoEnabled = enable;
    if (enable) this.triggerLevel = TRIGGER_LEVELS[v >> 6]!;
  }

  private writeMcr(v: number): void {
    const before = this.modemInputs();
    this.mcr = v & 0x1f;
    const after = this.modemInputs();
    const changed = before ^ after;
    if (changed & MSR_CTS) this.msrDelta |= 0x01;
    if (changed & MSR_DSR) this.msrDelta |= 0x02;
    if (before & ~after & MSR_RI) this.msrDelta |= 0x04; // trailing edge of RI only
    if (changed & MSR_DCD) this.msrDelta |= 0x08;
  }

  /** MSR bits 4-7: the console's lines, or in loopback the MCR outputs wired back. */
  private modemInputs(): number {
    const m = this.mcr;
    if (!(m & MCR_LOOP)) return CONSOLE_MODEM_INPUTS;
    return (
      (m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) | (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0)
    );
  }

  private lsr(): number {
    return LSR_THRE | LSR_TEMT | (this.rxCount() > 0 ? LSR_DR : 0);
  }

  /** The highest-priority pending interrupt (datasheet, IIR table), without side effects. */
  private iir(): number {
    return this.interruptId() | (this.fifoEnabled ? IIR_FIFO : 0);
  }

  private interruptId(): number {
    // Receiver line status (IER bit 2, IIR 0x06: overrun, parity, framing, break) never occurs:
    // nothing overruns (see the top of the file) and the line has no errors.
    const count = this.rxCount();
    if (this.ier & IER_RDA && count > 0) {
      if (!this.fifoEnabled || Math.min(count, FIFO_SIZE) >= this.triggerLevel) return IIR_RDA;
      return IIR_TIMEOUT;
    }
    if (this.ier & IER_THRE && this.threPending) return IIR_THRE;
    if (this.ier & IER_MS && this.msrDelta) return IIR_MS;
    return IIR_NONE;
  }

  /**
   * Drives the IRQ line: INTR itself (QEMU's wiring), or with irqNeedsOut2 INTR gated by OUT2
   * and off in loopback (outputs forced inactive).
   */
  private update(): void {
    const gateOpen = !this.irqNeedsOut2 || (this.mcr & (MCR_OUT2 | MCR_LOOP)) === MCR_OUT2;
    const level = gateOpen && this.interruptId() !== IIR_NONE;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.host.setIrq(this.irq, level);
  }
}

// The I/O APIC at 0xFEC00000, after the Intel 82093AA I/O APIC datasheet (order no. 290566):
// the indirect register window (IOREGSEL at +0x00, IOWIN at +0x10, section 3.0), the ID (3.2.1),
// version (3.2.2: version 0x11, maximum redirection entry 23) and arbitration (3.2.3) registers,
// and the 24-entry redirection table (3.2.4): vector, delivery mode, destination mode, delivery
// status, polarity, remote IRR, trigger mode, mask and destination.
//
// Interrupt inputs are the ISA IRQ lines as a PC board wires them (isaIrqToPin): IRQ 0 (the
// PIT) on INTIN2, IRQ n on INTIN n otherwise; the bus's IRQ 2 line is IRQ 9 on an AT, as the
// 8259A pair has it. The MP table (emulator/firmware) describes the same wiring.
//
// Messages go to the one local APIC when their destination names it. Fixed and lowest-priority
// delivery set an IRR bit there; SMI, NMI, INIT and ExtINT messages have no receiver here and
// are dropped. Edge-triggered pins deliver on a rising edge of the (polarity-corrected) input
// while unmasked; level-triggered pins deliver while asserted and set remote IRR until the
// local APIC's EOI for the vector (82093AA 3.2.4, bits 14 and 15).
import type { MmioBus, MmioDevice } from '../memory/mmio.js';
import type { DeviceHost, StatefulDevice } from './device.js';
import type { LocalApic } from './local-apic.js';

export const IOAPIC_BASE = 0xfec00000;
export const IOAPIC_SIZE = 0x1000;
/** The APIC ID the firmware gives the I/O APIC (the processor's local APIC is 0: IDs are unique, MP spec 1.4 4.3.3). */
export const IOAPIC_ID = 1;
export const IOAPIC_VERSION = 0x11;
export const IOAPIC_PINS = 24;

export const IOREGSEL = 0x00;
export const IOWIN = 0x10;
export const IOAPICID = 0x00;
export const IOAPICVER = 0x01;
export const IOAPICARB = 0x02;
export const IOREDTBL = 0x10;

export const RTE_MASKED = 0x10000;
export const RTE_LEVEL = 0x8000;
export const RTE_REMOTE_IRR = 0x4000;
export const RTE_ACTIVE_LOW = 0x2000;
export const RTE_LOGICAL = 0x800;

/** The I/O APIC input an ISA interrupt line drives on a PC (IRQ 0 on INTIN2, as boards and QEMU wire it). */
export function isaIrqToPin(irq: number): number {
  if (irq === 0) return 2;
  if (irq === 2) return 9; // the AT's cascade: the bus's IRQ 2 line is IRQ 9
  return irq;
}

export interface IoApicInspection {
  id: number;
  version: number;
  ioregsel: number;
  /** Each redirection entry decoded. */
  entries: {
    pin: number;
    vector: number;
    deliveryMode: number;
    logical: boolean;
    activeLow: boolean;
    level: boolean;
    masked: boolean;
    remoteIrr: boolean;
    destination: number;
    /** The input as the device drives it now. */
    input: boolean;
  }[];
}

export interface IoApicState {
  id: number;
  ioregsel: number;
  lo: number[];
  hi: number[];
  inputs: number;
}

export class IoApic implements MmioDevice, StatefulDevice<IoApicState> {
  readonly base = IOAPIC_BASE;
  /** The local APIC messages go to (wired by pc.ts). */
  lapic: LocalApic | null = null;

  private id = IOAPIC_ID;
  private ioregsel = 0;
  /** Redirection entries, low and high dwords; reset state: masked, edge, vector 0 (82093AA 3.2.4). */
  private lo = new Array<number>(IOAPIC_PINS).fill(RTE_MASKED);
  private hi = new Array<number>(IOAPIC_PINS).fill(0);
  /** Input levels as the devices drive them (bit n: INTIN n high). */
  private inputs = 0;

  constructor(host: DeviceHost) {
    host.registerDevice?.(this);
  }

  register(bus: MmioBus): void {
    bus.register(this.base, IOAPIC_SIZE, this);
  }

  snapshot(): IoApicState {
    return { id: this.id, ioregsel: this.ioregsel, lo: [...this.lo], hi: [...this.hi], inputs: this.inputs };
  }

  restore(s: IoApicState): void {
    this.id = s.id;
    this.ioregsel = s.ioregsel;
    this.lo = [...s.lo];
    this.hi = [...s.hi];
    this.inputs = s.inputs;
  }

  /** Drives ISA interrupt line `irq` (0-15) through the board's wiring (isaIrqToPin). */
  setIrq(irq: number, level: boolean): void {
    this.setPin(isaIrqToPin(irq), level);
  }

  /** Drives input INTIN `pin` (0-23). */
  setPin(pin: number, level: boolean): void {
    if (pin < 0 || pin >= IOAPIC_PINS) return;
    const bit = 1 << pin;
    const was = this.asserted(pin);
    this.inputs = level ? this.inputs | bit : this.inputs & ~bit;
    const now = this.asserted(pin);
    if (this.lo[pin]! & RTE_LEVEL) {
      if (now) this.deliverLevel(pin);
    } else if (now && !was) {
      this.deliver(pin);
    }
  }

  /** The local APIC's EOI for a level-triggered vector: clears remote IRR of the entries using it. */
  eoi(vector: number): void {
    for (let pin = 0; pin < IOAPIC_PINS; pin++) {
      const e = this.lo[pin]!;
      if ((e & 0xff) !== vector || !(e & RTE_REMOTE_IRR)) continue;
      this.lo[pin] = e & ~RTE_REMOTE_IRR;
      if (e & RTE_LEVEL && this.asserted(pin)) this.deliverLevel(pin);
    }
  }

  // ---------------------------------------------------------------- MMIO

  mmioRead(addr: number, size: number): number {
    const offset = (addr - this.base) >>> 0;
    let v: number;
    if ((offset & ~3) === IOREGSEL) v = this.ioregsel;
    else if ((offset & ~3) === IOWIN) v = this.readRegister(this.ioregsel);
    else return 0;
    const shifted = v >>> (8 * (offset & 3));
    return size >= 4 ? shifted : shifted & ((1 << (8 * size)) - 1);
  }

  mmioWrite(addr: number, size: number, value: number): void {
    const offset = (addr - this.base) >>> 0;
    if (offset === IOREGSEL) {
      this.ioregsel = value & 0xff;
    } else if (offset === IOWIN && size === 4) {
      // IOWIN is a 32-bit register (82093AA 3.1.2); narrower writes are ignored.
      this.writeRegister(this.ioregsel, value >>> 0);
    }
  }

  private readRegister(index: number): number {
    if (index === IOAPICID) return (this.id << 24) >>> 0;
    if (index === IOAPICVER) return ((IOAPIC_PINS - 1) << 16) | IOAPIC_VERSION;
    if (index === IOAPICARB) return (this.id << 24) >>> 0; // the arbitration ID starts as the APIC ID
    if (index >= IOREDTBL && index < IOREDTBL + 2 * IOAPIC_PINS) {
      const pin = (index - IOREDTBL) >> 1;
      return index & 1 ? this.hi[pin]! : this.lo[pin]!;
    }
    return 0;
  }

  private writeRegister(index: number, v: number): void {
    if (index === IOAPICID) {
      this.id = (v >>> 24) & 0x0f;
      return;
    }
    if (index < IOREDTBL || index >= IOREDTBL + 2 * IOAPIC_PINS) return; // version, arbitration: read-only
    const pin = (index - IOREDTBL) >> 1;
    if (index & 1) {
      this.hi[pin] = (v & 0xff000000) >>> 0;
      return;
    }
    // Delivery status (bit 12) and remote IRR (bit 14) are read-only.
    const old = this.lo[pin]!;
    let e = (v & 0x1afff) | (old & RTE_REMOTE_IRR);
    if (!(e & RTE_LEVEL)) e &= ~RTE_REMOTE_IRR; // edge mode has no remote IRR
    this.lo[pin] = e;
    // Unmasking a level-triggered input that is asserted delivers it.
    if (e & RTE_LEVEL && this.asserted(pin)) this.deliverLevel(pin);
  }

  // ---------------------------------------------------------------- delivery

  /** The input after the polarity bit: true while the pin requests an interrupt. */
  private asserted(pin: number): boolean {
    const high = (this.inputs & (1 << pin)) !== 0;
    return this.lo[pin]! & RTE_ACTIVE_LOW ? !high : high;
  }

  private deliverLevel(pin: number): void {
    const e = this.lo[pin]!;
    if (e & (RTE_MASKED | RTE_REMOTE_IRR)) return;
    if (this.deliver(pin)) this.lo[pin] = e | RTE_REMOTE_IRR;
  }

  /** Sends the entry's message if unmasked; true when a local APIC accepted it. */
  private deliver(pin: number): boolean {
    const e = this.lo[pin]!;
    if (e & RTE_MASKED) return false;
    const mode = (e >> 8) & 7;
    if (mode !== 0 && mode !== 1) return false; // only fixed and lowest priority have a receiver
    const lapic = this.lapic;
    if (!lapic || !lapic.matchesDestination(this.hi[pin]! >>> 24, (e & RTE_LOGICAL) !== 0)) return false;
    lapic.acceptInterrupt(e & 0xff, (e & RTE_LEVEL) !== 0);
    return true;
  }

  inspect(): IoApicInspection {
    return {
      id: this.id,
      version: ((IOAPIC_PINS - 1) << 16) | IOAPIC_VERSION,
      ioregsel: this.ioregsel,
      entries: this.lo.map((e, pin) => ({
        pin,
        vector: e & 0xff,
        deliveryMode: (e >> 8) & 7,
        logical: (e & RTE_LOGICAL) !== 0,
        activeLow: (e & RTE_ACTIVE_LOW) !== 0,
        level: (e & RTE_LEVEL) !== 0,
        masked: (e & RTE_MASKED) !== 0,
        remoteIrr: (e & RTE_REMOTE_IRR) !== 0,
        destination: this.hi[pin]! >>> 24,
        input: (this.inputs & (1 << pin)) !== 0,
      })),
    };
  }
}

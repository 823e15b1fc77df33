// The PC/AT pair of 8259A programmable interrupt controllers: master at 0x20-0x21, slave at
// 0xA0-0xA1, the slave's INT output wired to the master's IR2. Behaviour follows the Intel 8259A
// datasheet (order no. 231468): the ICW1-ICW4 initialization sequence, OCW1 (mask), OCW2 (EOI,
// rotation, set priority), OCW3 (read IRR/ISR, poll, special mask mode), priority resolution
// with rotation, auto-EOI, and the "default IR7" (spurious) acknowledge.
//
// Not modelled: ELCR (ports 0x4D0/0x4D1; ICW1 LTIM still selects level mode for a whole chip),
// buffered mode, and the MCS-80/85 call sequence (the CPU is always handed an 8086-style vector).
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { DeviceHost, InterruptSource, StatefulDevice } from './device.js';
import { readBytes, writeBytes } from './byte-ports.js';

/** One chip's registers as the debugger shows them. */
export interface PicChipInspection {
  irr: number;
  isr: number;
  imr: number;
  vectorBase: number;
  /** IR input levels as the devices drive them now. */
  lines: number;
  /** False while an ICW1..ICW4 sequence is half-written. */
  initialized: boolean;
  levelTriggered: boolean;
  autoEoi: boolean;
  /** The IR line with the lowest priority (7 until rotated); the next one up has the highest. */
  lowestPriority: number;
  specialMask: boolean;
  /** What a read of the even port returns (OCW3 RR/RIS). */
  readRegister: 'irr' | 'isr';
}

export interface PicInspection {
  /** The INTR line to the CPU. */
  intr: boolean;
  master: PicChipInspection;
  slave: PicChipInspection;
}

/** One chip's complete state (every field but the fixed master/slave role), for snapshots. */
export interface PicChipState {
  lines: number;
  irr: number;
  isr: number;
  imr: number;
  vectorBase: number;
  levelTriggered: boolean;
  autoEoi: boolean;
  rotateOnAutoEoi: boolean;
  specialFullyNested: boolean;
  lowestPriority: number;
  specialMask: boolean;
  readIsr: boolean;
  pollNext: boolean;
  initStep: number;
  needIcw4: boolean;
  single: boolean;
  cascade: number;
}

export interface PicState {
  master: PicChipState;
  slave: PicChipState;
  intrLevel: boolean;
}

/** One 8259A. Everything is a plain field so the pair (and a snapshot) can copy it. */
class Pic8259 {
  lines = 0;
  irr = 0;
  isr = 0;
  imr = 0;
  vectorBase = 0;
  levelTriggered = false;
  autoEoi = false;
  rotateOnAutoEoi = false;
  /** Special fully nested mode (ICW4 SFNM): a master lets a slave interrupt nest in its own level. */
  specialFullyNested = false;
  lowestPriority = 7;
  specialMask = false;
  readIsr = false;
  pollNext = false;
  /** The next ICW expected on the odd port (2, 3 or 4), or 0 once initialized (odd port = OCW1). */
  initStep = 0;
  needIcw4 = false;
  single = false;
  /** ICW3: on the master a bitmap of IR lines with a slave; on the slave its cascade identity. */
  cascade = 0;

  constructor(readonly isMaster: boolean) {}

  /**
   * An IR input changes level. A rising edge sets the request bit. A falling edge clears it even
   * in edge mode: the 8259A gates its edge latch with the input level, which is why a request
   * that goes away before INTA becomes a spurious IR7 (datasheet, "Edge Triggered Mode").
   */
  setLine(n: number, level: boolean): void {
    const bit = 1 << n;
    if (level) {
      if (!(this.lines & bit)) {
        this.lines |= bit;
        this.irr |= bit;
      }
    } else if (this.lines & bit) {
      this.lines &= ~bit;
      this.irr &= ~bit;
    }
  }

  /** The IR line whose priority is highest among `mask`'s bits, or -1. */
  private best(mask: number): number {
    const highest = (this.lowestPriority + 1) & 7;
    for (let p = 0; p < 8; p++) {
      const irq = (highest + p) & 7;
      if (mask & (1 << irq)) return irq;
    }
    return -1;
  }

  /** 0 is the highest priority, 7 the lowest. */
  private rank(irq: number): number {
    return (irq - this.lowestPriority - 1) & 7;
  }

  /** The request this chip would deliver now (its INT output is high), or -1. */
  pending(): number {
    const req = this.irr & ~this.imr & 0xff;
    if (req === 0) return -1;
    const irq = this.best(req);
    let inService = this.isr;
    // Special mask mode: a masked level in service no longer holds back lower priorities.
    if (this.specialMask) inService &= ~this.imr;
    // Special fully nested: the slave's own level in service does not block the slave.
    if (this.specialFullyNested && this.isMaster) inService &= ~this.cascade;
    const current = this.best(inService);
    if (current >= 0 && this.rank(current) <= this.rank(irq)) return -1;
    return irq;
  }

  /** The INTA (or poll) cycle for `irq`: the edge latch resets and the level goes in service. */
  acknowledge(irq: number): void {
    const bit = 1 << irq;
    // In level mode the request bit follows the input, which is still high.
    if (!this.levelTriggered) this.irr &= ~bit;
    if (this.autoEoi) {
      if (this.rotateOnAutoEoi) this.lowestPriority = irq;
    } else {
      this.isr |= bit;
    }
  }

  write(a0: number, v: number): void {
    if (a0 === 0) {
      if (v & 0x10) this.icw1(v);
      else if (v & 0x08) this.ocw3(v);
      else this.ocw2(v);
      return;
    }
    switch (this.initStep) {
      case 2: // ICW2: T7-T3 of the vector; the low 3 bits come from the IR line in 8086 mode.
        this.vectorBase = v & 0xf8;
        this.initStep = this.single ? (this.needIcw4 ? 4 : 0) : 3;
        break;
      case 3: // ICW3
        this.cascade = v;
        this.initStep = this.needIcw4 ? 4 : 0;
        break;
      case 4: // ICW4: uPM (ignored: always 8086 vectors), AEOI, M/S and BUF (ignored), SFNM.
        this.autoEoi = (v & 0x02) !== 0;
        this.specialFullyNested = (v & 0x10) !== 0;
        this.initStep = 0;
        break;
      default: // OCW1
        this.imr = v;
    }
  }

  /** ICW1 restarts initialization and resets the chip (datasheet, "Initialization Command Words"). */
  private icw1(v: number): void {
    this.initStep = 2;
    this.needIcw4 = (v & 0x01) !== 0;
    this.single = (v & 0x02) !== 0;
    this.levelTriggered = (v & 0x08) !== 0;
    // The edge sense circuit is reset: an input already high must go low and high again.
    this.irr = this.levelTriggered ? this.lines : 0;
    this.imr = 0;
    this.isr = 0;
    this.lowestPriority = 7;
    this.specialMask = false;
    this.readIsr = false;
    this.pollNext = false;
    this.rotateOnAutoEoi = false;
    // "If IC4 = 0, then all functions selected in ICW4 are set to zero."
    if (!this.needIcw4) {
      this.autoEoi = false;
      this.specialFullyNested = false;
    }
  }

  private ocw2(v: number): void {
    const level = v & 7;
    switch (v >> 5) {
      case 0: // rotate in automatic EOI mode (clear)
        this.rotateOnAutoEoi = false;
        break;
      case 1: // non-specific EOI
        this.endOfInterrupt(this.best(this.isr), false);
        break;
      case 3: // specific EOI
        this.endOfInterrupt(level, false);
        break;
      case 4: // rotate in automatic EOI mode (set)
        this.rotateOnAutoEoi = true;
        break;
      case 5: // rotate on non-specific EOI
        this.endOfInterrupt(this.best(this.isr), true);
        break;
      case 6: // set priority: `level` becomes the lowest
        this.lowestPriority = level;
        break;
      case 7: // rotate on specific EOI
        this.endOfInterrupt(level, true);
        break;
      default: // 2: no operation
    }
  }

  private endOfInterrupt(irq: number, rotate: boolean): void {
    if (irq < 0) return;
    this.isr &= ~(1 << irq);
    if (rotate) this.lowestPriority = irq;
  }

  private ocw3(v: number): void {
    if (v & 0x40) this.specialMask = (v & 0x20) !== 0; // ESMM qualifies SMM
    if (v & 0x04) this.pollNext = true;
    if (v & 0x02) this.readIsr = (v & 0x01) !== 0; // RR qualifies RIS
  }

  read(a0: number): number {
    // After a poll command the next read returns the poll word and acknowledges, whatever A0.
    if (this.pollNext) {
      this.pollNext = false;
      const irq = this.pending();
      if (irq < 0) return 0x00;
      this.acknowledge(irq);
      return 0x80 | irq;
    }
    if (a0 === 1) return this.imr;
    return this.readIsr ? this.isr : this.irr;
  }

  snapshot(): PicChipState {
    return {
      lines: this.lines,
      irr: this.irr,
      isr: this.isr,
      imr: this.imr,
      vectorBase: this.vectorBase,
      levelTriggered: this.levelTriggered,
      autoEoi: this.autoEoi,
      rotateOnAutoEoi: this.rotateOnAutoEoi,
      specialFullyNested: this.specialFullyNested,
      lowestPriority: this.lowestPriority,
      specialMask: this.specialMask,
      readIsr: this.readIsr,
      pollNext: this.pollNext,
      initStep: this.initStep,
      needIcw4: this.needIcw4,
      single: this.single,
      cascade: this.cascade,
    };
  }

  restore(s: PicChipState): void {
    Object.assign(this, s);
  }

  inspect(): PicChipInspection {
    return {
      irr: this.irr,
      isr: this.isr,
      imr: this.imr,
      vectorBase: this.vectorBase,
      lines: this.lines,
      initialized: this.initStep === 0,
      levelTriggered: this.levelTriggered,
      autoEoi: this.autoEoi,
      lowestPriority: this.lowestPriority,
      specialMask: this.specialMask,
      readRegister: this.readIsr ? 'isr' : 'irr',
    };
  }
}

const MASTER_PORT = 0x20;
const SLAVE_PORT = 0xa0;
/** The master input the slave's INT drives. */
const CASCADE_LINE = 2;

/**
 * The two 8259As as the CPU and the devices see them. Devices drive ISA lines 0-15 through
 * setIrq(); the CPU samples intr() and runs acknowledge() for the INTA cycle.
 *
 * Power-on state: what a PC BIOS leaves behind (vector bases 0x08 and 0x70, slave on IR2,
 * 8086 mode, normal EOI, every device line masked), so a kernel that skips the remap gets no
 * surprise interrupts, and one that remaps (ICW1 clears the masks) behaves as on real hardware.
 */
export class Pic8259Pair implements PortDevice, InterruptSource, StatefulDevice<PicState> {
  private readonly master = new Pic8259(true);
  private readonly slave = new Pic8259(false);
  private intrLevel = false;

  /** Called whenever the INTR line changes level (only on a change), e.g. to wake a halted CPU. */
  onIntrChange?: () => void;

  /** The PIC asks nothing of the machine (it is the one being asked); the host is for uniformity. */
  constructor(readonly host?: DeviceHost) {
    this.master.vectorBase = 0x08;
    this.master.cascade = 1 << CASCADE_LINE;
    this.master.imr = 0xff & ~(1 << CASCADE_LINE);
    this.slave.vectorBase = 0x70;
    this.slave.cascade = CASCADE_LINE;
    this.slave.imr = 0xff;
    host?.registerDevice?.(this);
  }

  snapshot(): PicState {
    return { master: this.master.snapshot(), slave: this.slave.snapshot(), intrLevel: this.intrLevel };
  }

  /** Puts the registers back; INTR is restored as it was, without telling anyone (the CPU state holds it). */
  restore(s: PicState): void {
    this.master.restore(s.master);
    this.slave.restore(s.slave);
    this.intrLevel = s.intrLevel;
  }

  register(bus: PortBus): void {
    bus.register(MASTER_PORT, 2, this);
    bus.register(SLAVE_PORT, 2, this);
  }

  /**
   * Drives ISA interrupt line `line` (0-15). Line 2 is the cascade on an AT, so the bus's IRQ2
   * pin is routed to IRQ9 as on real boards.
   */
  setIrq(line: number, level: boolean): void {
    if (line === CASCADE_LINE) line = 9;
    if (line < 8) this.master.setLine(line, level);
    else this.slave.setLine(line & 7, level);
    this.update();
  }

  intr(): boolean {
    return this.intrLevel;
  }

  /**
   * The INTA cycle. If nothing deliverable is left (the request went away since INTR rose), the
   * chip answers with its IR7 vector and sets no in-service bit (datasheet: "default IR7"); a
   * slave that finds nothing answers base+7 while the master keeps IR2 in service, which is
   * why a handler for spurious IRQ 15 still sends the master an EOI.
   */
  acknowledge(): number {
    const m = this.master;
    const irq = m.pending();
    let vector: number;
    if (irq < 0) {
      vector = m.vectorBase + 7;
    } else {
      m.acknowledge(irq);
      if (!m.single && m.cascade & (1 << irq)) {
        const s = this.slave;
        const sirq = s.pending();
        if (sirq < 0) {
          vector = s.vectorBase + 7;
        } else {
          s.acknowledge(sirq);
          vector = s.vectorBase + sirq;
        }
      } else {
        vector = m.vectorBase + irq;
      }
    }
    this.update();
    return vector;
  }

  portIn(port: number, size: number): number {
    const v = readBytes(port, size, (p) => {
      const chip = this.chipAt(p);
      return chip ? chip.read(p & 1) : 0xff;
    });
    this.update(); // a poll read acknowledges
    return v;
  }

  portOut(port: number, size: number, value: number): void {
    writeBytes(port, size, value, (p, v) => this.chipAt(p)?.write(p & 1, v));
    this.update();
  }

  /** Side-effect free (a read of the even port would consume a pending poll). */
  inspect(): PicInspection {
    return { intr: this.intrLevel, master: this.master.inspect(), slave: this.slave.inspect() };
  }

  private chipAt(port: number): Pic8259 | undefined {
    if ((port & ~1) === MASTER_PORT) return this.master;
    if ((port & ~1) === SLAVE_PORT) return this.slave;
    return undefined;
  }

  /** Propagates the slave's INT to master IR2, then the master's INT to the CPU. */
  private update(): void {
    this.master.setLine(CASCADE_LINE, this.slave.pending() >= 0);
    const level = this.master.pending() >= 0;
    if (level !== this.intrLevel) {
      this.intrLevel = level;
      this.onIntrChange?.();
    }
  }
}

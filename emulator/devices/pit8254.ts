// The 8254 programmable interval timer of a PC: counters 0-2 at ports 0x40-0x42, the control
// word register at 0x43 (Intel 82C54 datasheet, order no. 231244), and the timer bits of system
// control port B at 0x61. Counter 0's OUT drives ISA IRQ 0; counter 1 (DRAM refresh on old PCs)
// has no effect; counter 2's GATE and OUT are port 0x61 bits 0 and 5 (the speaker is silent).
//
// Time is the machine clock (instructions retired): one PIT input clock every
// INSTRUCTIONS_PER_PIT_TICK instructions, tick k at instruction k * INSTRUCTIONS_PER_PIT_TICK.
// Counters are evaluated lazily from host.now() (pit-counter.ts); the only timed work is one
// scheduled event per change of counter 0's OUT, where IRQ 0 follows OUT's level.
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { ClockedDevice, DeviceHost, StatefulDevice } from './device.js';
import { readBytes, writeBytes } from './byte-ports.js';
import { ACCESS_LATCH, PitCounter, type PitChannelInspection, type PitCounterState } from './pit-counter.js';

/** The PIT's input clock on every PC: 14.31818 MHz / 12. */
export const PIT_INPUT_HZ = 1_193_182;

/**
 * Instructions per PIT input clock. The emulated CPU is nominally 100 MIPS: 100e6 / 1193182 =
 * 83.8, rounded to an integer so that the tick grid is exact and deterministic; the guest thus
 * measures 84 * 1.193182 MHz = 100.2 million instructions per second. A 100 Hz timer (count
 * 11932) interrupts every 1,002,288 instructions.
 */
export const INSTRUCTIONS_PER_PIT_TICK = 84;

export interface PitOptions {
  /** Instructions per PIT input clock (default INSTRUCTIONS_PER_PIT_TICK); tests use 1. */
  instructionsPerTick?: number;
  /** The ISA line counter 0 drives (default 0). */
  irq?: number;
}

export interface PitInspection {
  instructionsPerTick: number;
  /** The current PIT input clock (host.now() / instructionsPerTick, rounded down). */
  tick: number;
  channels: PitChannelInspection[];
  /** The level IRQ 0 was last driven to. */
  irqLevel: boolean;
  /** The instruction count at which counter 0's OUT next changes, or null. */
  nextEventAt: number | null;
  /** Port 0x61 bits 0-3 as last written. */
  portB: number;
}

/** The PIT's complete state for snapshots (its events in the machine's queue are the machine's). */
export interface PitState {
  counters: PitCounterState[];
  portB: number;
  syncedTick: number;
  irqLevel: boolean;
  scheduledTick: number;
  lowerAt: number;
}

const BASE_PORT = 0x40;
const CONTROL_PORT = 0x43;
const PORT_B = 0x61;
/** Port 0x61 bit 4 toggles with each DRAM refresh request, every 18 PIT clocks (15.085 us). */
const REFRESH_TICKS = 18;
const NEVER = Number.POSITIVE_INFINITY;

export class Pit8254 implements PortDevice, ClockedDevice, StatefulDevice<PitState> {
  private readonly k: number;
  private readonly irq: number;
  /** Counters 0 and 1 have GATE tied high on a PC; counter 2's starts low (port 0x61 bit 0). */
  private readonly counters = [new PitCounter(true), new PitCounter(true), new PitCounter(false)];
  private portB = 0;
  /** The last tick up to which IRQ 0 edges have been delivered. */
  private syncedTick = 0;
  /**
   * The IRQ 0 level last driven. Power-on: counters idle with OUT high, as a BIOS's mode 3
   * timer may leave it; counting that starts high (modes 2 and 3) then makes no edge at once, and
   * the first timer interrupt comes when OUT first rises. The PIC is not told (no edge to show).
   */
  private irqLevel = true;
  private scheduledTick = NEVER;
  /** After a late-delivered rising edge, IRQ 0 stays high until this tick (see sync); else -1. */
  private lowerAt = -1;

  constructor(
    private readonly host: DeviceHost,
    opts: PitOptions = {},
  ) {
    this.k = opts.instructionsPerTick ?? INSTRUCTIONS_PER_PIT_TICK;
    this.irq = opts.irq ?? 0;
    if (!Number.isInteger(this.k) || this.k < 1) throw new Error(`instructionsPerTick must be a positive integer, got ${this.k}`);
    host.registerDevice?.(this);
  }

  snapshot(): PitState {
    return {
      counters: this.counters.map((c) => c.snapshot()),
      portB: this.portB,
      syncedTick: this.syncedTick,
      irqLevel: this.irqLevel,
      scheduledTick: this.scheduledTick,
      lowerAt: this.lowerAt,
    };
  }

  restore(s: PitState): void {
    s.counters.forEach((c, i) => this.counters[i]!.restore(c));
    this.portB = s.portB;
    this.syncedTick = s.syncedTick;
    this.irqLevel = s.irqLevel;
    this.scheduledTick = s.scheduledTick;
    this.lowerAt = s.lowerAt;
  }

  /** Claims 0x40-0x43 and system control port B (0x61). */
  register(bus: PortBus): void {
    bus.register(BASE_PORT, 4, this);
    bus.register(PORT_B, 1, this);
  }

  /** The machine calls this when a scheduled instant has come (or later; stale calls are harmless). */
  advance(now: number): void {
    // Never step back behind edges a port access has already delivered.
    const t = Math.max(this.tickAt(now), this.syncedTick);
    this.sync(t);
    this.reschedule(t);
  }

  portIn(port: number, size: number): number {
    const t = this.tickAt(this.host.now());
    this.sync(t);
    const v = readBytes(port, size, (p) => this.read8(p, t));
    this.settle(t);
    return v;
  }

  portOut(port: number, size: number, value: number): void {
    const t = this.tickAt(this.host.now());
    this.sync(t);
    writeBytes(port, size, value, (p, v) => this.write8(p, v, t));
    this.settle(t);
  }

  inspect(): PitInspection {
    const t = this.tickAt(this.host.now());
    const next = Math.min(this.counters[0]!.nextTransition(t), this.lowerAt > t ? this.lowerAt : NEVER);
    return {
      instructionsPerTick: this.k,
      tick: t,
      channels: this.counters.map((c) => c.inspect(t)),
      irqLevel: this.irqLevel,
      nextEventAt: next === NEVER ? null : next * this.k,
      portB: this.portB,
    };
  }

  private tickAt(now: number): number {
    return Math.floor(now / this.k);
  }

  private read8(port: number, t: number): number {
    if (port >= BASE_PORT && port < CONTROL_PORT) return this.counters[port - BASE_PORT]!.read(t);
    if (port === PORT_B) {
      const refresh = Math.floor(t / REFRESH_TICKS) & 1 ? 0x10 : 0;
      const out2 = this.counters[2]!.out(t) ? 0x20 : 0;
      return this.portB | refresh | out2;
    }
    // The control word register is write-only (the 8254 leaves the bus floating).
    return 0xff;
  }

  private write8(port: number, v: number, t: number): void {
    if (port >= BASE_PORT && port < CONTROL_PORT) {
      this.counters[port - BASE_PORT]!.write(v, t);
    } else if (port === CONTROL_PORT) {
      this.controlWord(v, t);
    } else if (port === PORT_B) {
      this.portB = v & 0x0f;
      this.counters[2]!.setGate((v & 1) !== 0, t);
    }
  }

  private controlWord(v: number, t: number): void {
    const sc = v >> 6;
    if (sc === 3) {
      // Read-back command: bit 5 low latches counts, bit 4 low latches status, bits 1-3 select.
      for (let i = 0; i < 3; i++) {
        if (!(v & (2 << i))) continue;
        const c = this.counters[i]!;
        if (!(v & 0x10)) c.latchStatus(t);
        if (!(v & 0x20)) c.latchCount(t);
      }
      return;
    }
    const c = this.counters[sc]!;
    if (((v >> 4) & 3) === ACCESS_LATCH) c.latchCount(t);
    else c.control(v, t);
  }

  /**
   * Delivers counter 0's OUT edges up to tick `t`. A rising edge since the last sync is shown to
   * the PIC as a new edge (a low-high pulse if the line was already high). If the machine calls
   * so late that OUT has already fallen again, the line stays high for one more tick instead of
   * dropping at once: the 8259A forgets a request whose line falls before INTA, and a timer
   * interrupt must not be lost to the machine's own lateness.
   */
  private sync(t: number): void {
    if (t < this.syncedTick) return;
    const c0 = this.counters[0]!;
    const rose = c0.risesIn(this.syncedTick, t);
    this.syncedTick = t;
    if (rose) {
      if (this.irqLevel) this.host.setIrq(this.irq, false);
      this.host.setIrq(this.irq, true);
      this.irqLevel = true;
      if (!c0.out(t)) this.lowerAt = t + 1;
    }
    this.drive(t);
  }

  /** After a port access: OUT may have changed at once (control word, count write, gate). */
  private settle(t: number): void {
    this.drive(t);
    this.reschedule(t);
  }

  /** Drives IRQ 0 to counter 0's OUT at tick `t` (held high until `lowerAt` after a late edge). */
  private drive(t: number): void {
    let level = this.counters[0]!.out(t);
    if (t < this.lowerAt) level = true;
    else this.lowerAt = -1;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.host.setIrq(this.irq, level);
  }

  /** Asks for a call at counter 0's next OUT change (unless already asked for that instant). */
  private reschedule(t: number): void {
    const next = Math.min(this.counters[0]!.nextTransition(t), this.lowerAt > t ? this.lowerAt : NEVER);
    if (next === NEVER || next === this.scheduledTick) return;
    this.scheduledTick = next;
    this.host.schedule(this, next * this.k);
  }
}

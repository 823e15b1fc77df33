// Test scaffolding: a DeviceHost with a clock the test moves by hand and a tiny event queue, the
// part of the machine that devices talk to. It records what devices ask of it (IRQ line changes,
// exits, schedule requests) so tests can check them; optionally it routes IRQ lines to a PIC.
import type { ClockedDevice, DeviceHost } from '../../../emulator/devices/device.js';

export interface IrqChange {
  at: number;
  line: number;
  level: boolean;
}

export interface TestHostOptions {
  /** A new schedule() call from a device replaces its pending event (default: events accumulate). */
  replace?: boolean;
  /** Events fire this many instructions after their instant (a machine that only checks now and then). */
  lag?: number;
}

export class TestHost implements DeviceHost {
  clock = 0;
  readonly irqLog: IrqChange[] = [];
  readonly levels = new Map<number, boolean>();
  readonly exits: number[] = [];
  scheduleCalls = 0;
  advanceCalls = 0;
  /** Where setIrq goes besides the log (e.g. a real Pic8259Pair). */
  irqSink?: (line: number, level: boolean) => void;
  private events: { device: ClockedDevice; at: number }[] = [];

  constructor(private readonly opts: TestHostOptions = {}) {}

  now(): number {
    return this.clock;
  }

  setIrq(line: number, level: boolean): void {
    this.irqLog.push({ at: this.clock, line, level });
    this.levels.set(line, level);
    this.irqSink?.(line, level);
  }

  requestExit(status: number): void {
    this.exits.push(status);
  }

  schedule(device: ClockedDevice, at: number): void {
    this.scheduleCalls++;
    if (this.opts.replace) this.events = this.events.filter((e) => e.device !== device);
    this.events.push({ device, at });
  }

  /** Moves the clock to `to`, firing due events in time order at their instant (plus the lag). */
  runTo(to: number): void {
    const lag = this.opts.lag ?? 0;
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.events.length; i++) {
        if (this.events[i]!.at + lag <= to && (best < 0 || this.events[i]!.at < this.events[best]!.at)) best = i;
      }
      if (best < 0) break;
      const [e] = this.events.splice(best, 1);
      this.clock = Math.max(this.clock, e!.at + lag);
      this.advanceCalls++;
      e!.device.advance(this.clock);
    }
    this.clock = to;
  }

  /**
   * Instants at which `line` went from low to high. Devices only report changes, so a device's
   * first report on a line is a change too (whatever its silent power-on level was).
   */
  risingEdges(line: number): number[] {
    return this.edges(line, true);
  }

  /** Instants at which `line` went from high to low. */
  fallingEdges(line: number): number[] {
    return this.edges(line, false);
  }

  private edges(line: number, to: boolean): number[] {
    const out: number[] = [];
    let level: boolean | undefined;
    for (const c of this.irqLog) {
      if (c.line !== line) continue;
      if (c.level === to && level !== to) out.push(c.at);
      level = c.level;
    }
    return out;
  }

  pendingEvents(): number {
    return this.events.length;
  }
}

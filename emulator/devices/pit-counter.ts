// One counter of an 8254 programmable interval timer, evaluated lazily. Nothing here runs per
// input clock: a counter remembers when its current counting sequence started (a "segment": the
// counting element held `startCount` at tick `start`) and computes its count and OUT level for
// any later tick with arithmetic. Ticks are PIT input clocks (1.193182 MHz), counted from 0.
//
// Behaviour follows the Intel 82C54 datasheet (order no. 231244), "Mode Definitions":
//  - a new initial count is loaded into the counting element on the CLK pulse after it is written,
//    and that pulse does not decrement it (so mode 0's OUT rises N+1 clocks after the write);
//  - mode 0: OUT low from the control word / count write until the count reaches 0; counting
//    continues (wrapping through 0xFFFF) but OUT stays high; the first byte of a two-byte count
//    stops counting and drives OUT low; GATE low suspends counting;
//  - mode 1: a GATE rising edge triggers; OUT low from the next clock until the count reaches 0;
//  - mode 2: period N: OUT low for one clock when the count reaches 1, then the count reloads and
//    OUT goes high again; a new count takes effect at the next reload; GATE low forces OUT high
//    and stops counting, GATE rising reloads on the next clock;
//  - mode 3: square wave of period N: OUT high for ceil(N/2) clocks and low for floor(N/2); the
//    count decrements by 2 (odd counts: N-1 is loaded, with one extra clock at 0 while high);
//    a new count takes effect at the end of the current half-cycle; GATE as in mode 2;
//  - mode 4: OUT low for one clock when the count reaches 0 (N+1 clocks after the write), once;
//  - mode 5: as mode 4 but triggered by a GATE rising edge.
// Counts 0 mean 65536. A count of 1 is illegal in modes 2 and 3 (datasheet table of minimum
// counts); it is treated as 2. BCD counting is accepted in the control word but counts in binary.

export const ACCESS_LATCH = 0;
export const ACCESS_LOW = 1;
export const ACCESS_HIGH = 2;
export const ACCESS_WORD = 3;

export interface PitChannelInspection {
  mode: number;
  access: 'lobyte' | 'hibyte' | 'lobyte/hibyte';
  bcd: boolean;
  /** The initial count last written (1..65536), or null since the last control word. */
  reload: number | null;
  /** The counting element now (what an unlatched read would return, 0..65535). */
  count: number;
  out: boolean;
  gate: boolean;
  /** True while the last count written has not reached the counting element (status bit 6). */
  nullCount: boolean;
  /** True while the counting element is counting (a count is loaded and GATE allows it). */
  counting: boolean;
}

const NEVER = Number.POSITIVE_INFINITY;

/** A counter's complete state, for snapshots (Infinity stands for "never", as in the fields). */
export interface PitCounterState {
  mode: number;
  access: number;
  bcd: boolean;
  gate: boolean;
  reload: number;
  lowByte: number;
  writeHigh: boolean;
  readHigh: boolean;
  latchedStatus: number;
  latchedCount: number[];
  start: number;
  startCount: number;
  startLow: boolean;
  tcDone: boolean;
  held: number;
  heldOut: boolean;
  pendingAt: number;
  pendingCount: number;
  pendingLow: boolean;
  loadAt: number;
}

/** The smallest progression element `first + k*period` (k >= 0) strictly after `x`. */
function nextInProgression(first: number, period: number, x: number): number {
  if (x < first) return first;
  return first + (Math.floor((x - first) / period) + 1) * period;
}

export class PitCounter {
  mode = 0;
  access = ACCESS_WORD;
  bcd = false;
  gate: boolean;

  /** The count register (last initial count written, 1..65536); 0 = none since the control word. */
  private reload = 0;
  private lowByte = 0;
  private writeHigh = false;
  private readHigh = false;
  private latchedStatus = -1;
  private latchedCount: number[] = [];

  // The counting sequence: at tick `start` the counting element held `startCount`.
  private start = NEVER;
  private startCount = 0;
  /** Mode 3: the segment starts with the low half-cycle (a new count loaded at a falling edge). */
  private startLow = false;
  /** Modes 0, 1, 4, 5: the terminal-count event already happened before `start`. */
  private tcDone = false;
  /** Counting element and OUT while not counting (before `start`). */
  private held = 0;
  private heldOut = true;
  /** Modes 2 and 3: a new count waiting for the end of the current cycle / half-cycle. */
  private pendingAt = NEVER;
  private pendingCount = 0;
  private pendingLow = false;
  /** The tick at which the last count written reaches the counting element (null count until). */
  private loadAt = NEVER;

  constructor(gate: boolean) {
    this.gate = gate;
  }

  snapshot(): PitCounterState {
    return {
      mode: this.mode,
      access: this.access,
      bcd: this.bcd,
      gate: this.gate,
      reload: this.reload,
      lowByte: this.lowByte,
      writeHigh: this.writeHigh,
      readHigh: this.readHigh,
      latchedStatus: this.latchedStatus,
      latchedCount: [...this.latchedCount],
      start: this.start,
      startCount: this.startCount,
      startLow: this.startLow,
      tcDone: this.tcDone,
      held: this.held,
      heldOut: this.heldOut,
      pendingAt: this.pendingAt,
      pendingCount: this.pendingCount,
      pendingLow: this.pendingLow,
      loadAt: this.loadAt,
    };
  }

  restore(s: PitCounterState): void {
    Object.assign(this, s);
    // The latch is consumed by reads (shift): the snapshot's array must stay untouched.
    this.latchedCount = [...s.latchedCount];
  }

  /** A control word with RW != 0 selecting this counter: new mode, counting stops. */
  control(value: number, t: number): void {
    this.held = this.ce(t);
    this.access = (value >> 4) & 3;
    this.mode = (value >> 1) & 7;
    if (this.mode > 5) this.mode -= 4; // 110 and 111 are modes 2 and 3
    this.bcd = (value & 1) !== 0;
    this.start = NEVER;
    this.pendingAt = NEVER;
    this.reload = 0;
    this.loadAt = NEVER;
    this.tcDone = false;
    this.writeHigh = false;
    this.readHigh = false;
    this.latchedStatus = -1;
    this.latchedCount = [];
    // "When a Control Word is written to a Counter ... OUT goes to a known initial state":
    // low in mode 0, high in every other mode.
    this.heldOut = this.mode !== 0;
  }

  /** Counter latch command: freezes the count for reading until it has been read (once). */
  latchCount(t: number): void {
    if (this.latchedCount.length > 0) return; // a second latch before reading is ignored
    const c = this.ce(t);
    if (this.access === ACCESS_LOW) this.latchedCount = [c & 0xff];
    else if (this.access === ACCESS_HIGH) this.latchedCount = [c >> 8];
    else this.latchedCount = [c & 0xff, c >> 8];
  }

  /** Read-back command's status latch: OUT, NULL COUNT, RW, mode, BCD. */
  latchStatus(t: number): void {
    if (this.latchedStatus >= 0) return;
    this.latchedStatus =
      (this.out(t) ? 0x80 : 0) | (t < this.loadAt ? 0x40 : 0) | (this.access << 4) | (this.mode << 1) | (this.bcd ? 1 : 0);
  }

  read(t: number): number {
    if (this.latchedStatus >= 0) {
      const s = this.latchedStatus;
      this.latchedStatus = -1;
      return s;
    }
    const latched = this.latchedCount.shift();
    if (latched !== undefined) return latched;
    const c = this.ce(t);
    if (this.access === ACCESS_LOW) return c & 0xff;
    if (this.access === ACCESS_HIGH) return c >> 8;
    this.readHigh = !this.readHigh;
    return this.readHigh ? c & 0xff : c >> 8;
  }

  write(v: number, t: number): void {
    this.commitIfDue(t);
    if (this.access === ACCESS_LOW) return this.writeCount(v, t);
    if (this.access === ACCESS_HIGH) return this.writeCount(v << 8, t);
    if (!this.writeHigh) {
      this.lowByte = v;
      this.writeHigh = true;
      // Mode 0: "Writing the first byte disables counting. OUT is set low immediately."
      if (this.mode === 0) this.stop(t, false);
      return;
    }
    this.writeHigh = false;
    this.writeCount(this.lowByte | (v << 8), t);
  }

  /** A complete initial count `n` (0 = 65536) has been written at tick `t`. */
  private writeCount(n: number, t: number): void {
    const count = n === 0 ? 0x10000 : n;
    this.reload = count;
    switch (this.mode) {
      case 0:
      case 4:
        if (this.mode === 0) this.heldOut = false;
        this.held = this.ce(t);
        this.tcDone = false;
        this.loadAt = t + 1;
        if (this.gate) this.begin(t + 1, count);
        else this.suspendAt(count);
        break;
      case 2:
      case 3:
        if (this.start !== NEVER && t >= this.start) {
          this.deferReload(count, t);
        } else if (this.start !== NEVER) {
          this.startCount = count; // not loaded yet: the newer count is the one loaded
        } else if (this.gate) {
          this.held = this.ce(t);
          this.loadAt = t + 1;
          this.begin(t + 1, count);
        }
        break;
      default: // modes 1 and 5 wait for a GATE trigger
    }
  }

  /** Modes 2/3: the count loads at the next reload (mode 2) or half-cycle end (mode 3). */
  private deferReload(count: number, t: number): void {
    const n = this.period();
    const e = t - this.start;
    const phase = e % n;
    const base = t - phase;
    let at: number;
    let low = false;
    if (this.mode === 2) {
      at = base + n;
    } else {
      const first = this.startLow ? Math.floor(n / 2) : Math.ceil(n / 2);
      if (phase < first) {
        at = base + first;
        low = !this.startLow; // the half-cycle ending at `first` is followed by the other level
      } else {
        at = base + n;
        low = this.startLow;
      }
    }
    this.pendingAt = at;
    this.pendingCount = count;
    this.pendingLow = low;
    this.loadAt = at;
  }

  /** GATE input (only counter 2's is wired to software on a PC, through port 0x61 bit 0). */
  setGate(level: boolean, t: number): void {
    if (level === this.gate) return;
    this.commitIfDue(t);
    this.gate = level;
    switch (this.mode) {
      case 0:
      case 4:
        if (!level) {
          if (this.start !== NEVER) this.suspend(t);
        } else if (this.reload !== 0 && this.start === NEVER && !this.writeHigh) {
          // Resume: the held count decrements on the next clock (after the load, if still due).
          this.begin(Math.max(t, this.loadAt), this.held);
        }
        break;
      case 2:
      case 3:
        if (!level) {
          this.stop(t, true); // GATE low forces OUT high and stops counting
        } else if (this.reload !== 0) {
          this.loadAt = t + 1;
          this.begin(t + 1, this.reload); // a trigger reloads on the next clock
        }
        break;
      default: // modes 1 and 5: a rising edge is a trigger
        if (level && this.reload !== 0) {
          this.held = this.ce(t);
          this.heldOut = this.out(t);
          this.tcDone = false;
          this.loadAt = t + 1;
          this.begin(t + 1, this.reload);
        }
    }
  }

  private begin(start: number, count: number): void {
    this.start = start;
    this.startCount = count;
    this.startLow = false;
    this.pendingAt = NEVER;
  }

  /** Stops counting at tick `t`, holding the count, with OUT at `out`. */
  private stop(t: number, out: boolean): void {
    this.held = this.ce(t);
    this.heldOut = out;
    this.start = NEVER;
    this.pendingAt = NEVER;
  }

  /** Modes 0/4, GATE low: the count holds (OUT is unaffected) until GATE returns. */
  private suspend(t: number): void {
    if (t < this.start) {
      this.suspendAt(this.startCount);
      return;
    }
    const out = this.out(t);
    const e = t - this.start;
    if (e >= this.startCount) this.tcDone = true;
    const remaining = this.startCount - e;
    this.held = remaining > 0 ? remaining : (remaining & 0xffff) || 0x10000;
    this.heldOut = out;
    this.start = NEVER;
  }

  private suspendAt(count: number): void {
    this.held = count;
    this.start = NEVER;
  }

  /** Modes 2/3 period: counts below 2 are illegal there. */
  private period(): number {
    return Math.max(this.startCount, 2);
  }

  private commitIfDue(t: number): void {
    if (t < this.pendingAt) return;
    this.start = this.pendingAt;
    this.startCount = this.pendingCount;
    this.startLow = this.pendingLow;
    this.pendingAt = NEVER;
  }

  /** The counting element at tick `t` (0..65535). */
  ce(t: number): number {
    this.commitIfDue(t);
    if (t < this.start) return this.held & 0xffff;
    const e = t - this.start;
    const n = this.startCount;
    switch (this.mode) {
      case 2: {
        const p = this.period();
        return (p - (e % p)) & 0xffff;
      }
      case 3: {
        const p = this.period();
        const phase = e % p;
        const first = this.startLow ? Math.floor(p / 2) : Math.ceil(p / 2);
        const q = phase < first ? phase : phase - first;
        return ((p & 1 ? p - 1 : p) - 2 * q) & 0xffff;
      }
      default:
        return (n - e) & 0xffff;
    }
  }

  /** The OUT pin at tick `t`. */
  out(t: number): boolean {
    this.commitIfDue(t);
    return t < this.start ? this.heldOut : this.formulaOut(t);
  }

  /** OUT at tick t >= start. */
  private formulaOut(t: number): boolean {
    const e = t - this.start;
    const n = this.startCount;
    switch (this.mode) {
      case 0:
      case 1:
        return this.tcDone || e >= n;
      case 2: {
        const p = this.period();
        return e % p !== p - 1;
      }
      case 3: {
        const p = this.period();
        const phase = e % p;
        return this.startLow ? phase >= Math.floor(p / 2) : phase < Math.ceil(p / 2);
      }
      default: // 4, 5
        return this.tcDone || e !== n;
    }
  }

  /** The first tick after `x` at which OUT changes level, or Infinity. */
  nextTransition(x: number): number {
    this.commitIfDue(x);
    if (this.start === NEVER) return NEVER;
    if (x < this.start) {
      if (this.formulaOut(this.start) !== this.heldOut) return this.start;
      x = this.start;
    }
    const s = this.start;
    const n = this.startCount;
    switch (this.mode) {
      case 0:
      case 1:
        return this.tcDone || x >= s + n ? NEVER : s + n;
      case 2: {
        const p = this.period();
        // Falls at s + kp - 1, rises at s + kp (k >= 1).
        return Math.min(nextInProgression(s + p - 1, p, x), nextInProgression(s + p, p, x));
      }
      case 3: {
        const p = this.period();
        const first = this.startLow ? Math.floor(p / 2) : Math.ceil(p / 2);
        return Math.min(nextInProgression(s + first, p, x), nextInProgression(s + p, p, x));
      }
      default: // 4, 5: low during [s+n, s+n+1)
        if (this.tcDone) return NEVER;
        if (x < s + n) return s + n;
        if (x < s + n + 1) return s + n + 1;
        return NEVER;
    }
  }

  /** True if OUT rises at some tick in (a, b]. Transitions alternate, so two looks suffice. */
  risesIn(a: number, b: number): boolean {
    if (b <= a) return false;
    const x1 = this.nextTransition(a);
    if (x1 > b) return false;
    if (this.out(x1)) return true;
    return this.nextTransition(x1) <= b;
  }

  inspect(t: number): PitChannelInspection {
    const access = this.access === ACCESS_LOW ? 'lobyte' : this.access === ACCESS_HIGH ? 'hibyte' : 'lobyte/hibyte';
    return {
      mode: this.mode,
      access,
      bcd: this.bcd,
      reload: this.reload === 0 ? null : this.reload,
      count: this.ce(t),
      out: this.out(t),
      gate: this.gate,
      nullCount: t < this.loadAt,
      counting: this.start !== NEVER && t >= this.start,
    };
  }
}

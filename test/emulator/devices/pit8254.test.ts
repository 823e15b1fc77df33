// The 8254 through its ports against the Intel 82C54 datasheet (231244), "Mode Definitions" and
// "Read Operations". Most tests run one PIT clock per instruction (instructionsPerTick: 1) so
// that instants read as clock numbers; a count written at clock t is loaded at clock t+1.
import { describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import { INSTRUCTIONS_PER_PIT_TICK, PIT_INPUT_HZ, Pit8254 } from '../../../emulator/devices/pit8254.js';
import { Pic8259Pair } from '../../../emulator/devices/pic8259.js';
import { TestHost, type TestHostOptions } from './test-host.js';

function setup(opts: { k?: number; host?: TestHostOptions } = {}) {
  const host = new TestHost(opts.host);
  const bus = new PortBus();
  const pit = new Pit8254(host, { instructionsPerTick: opts.k ?? 1 });
  pit.register(bus);
  const outb = (port: number, v: number): void => bus.out(port, 1, v);
  const inb = (port: number): number => bus.in(port, 1);
  /** Control word for counter `ch`, lobyte/hibyte access, `mode`; then the 16-bit count. */
  const program = (ch: number, mode: number, count: number): void => {
    outb(0x43, (ch << 6) | 0x30 | (mode << 1));
    outb(0x40 + ch, count & 0xff);
    outb(0x40 + ch, count >> 8);
  };
  /** Unlatched lobyte/hibyte read of counter `ch`. */
  const readCount = (ch: number): number => inb(0x40 + ch) | (inb(0x40 + ch) << 8);
  return { host, bus, pit, outb, inb, program, readCount };
}

const range = (first: number, step: number, last: number): number[] => {
  const out: number[] = [];
  for (let x = first; x <= last; x += step) out.push(x);
  return out;
};

describe('timing constants', () => {
  it('runs the PIT at 1.193182 MHz against a nominal 100 MIPS CPU', () => {
    expect(PIT_INPUT_HZ).toBe(1_193_182);
    expect(INSTRUCTIONS_PER_PIT_TICK).toBe(Math.round(100e6 / PIT_INPUT_HZ));
  });

  it('puts clock k at instruction k * INSTRUCTIONS_PER_PIT_TICK', () => {
    const { host, program } = setup({ k: INSTRUCTIONS_PER_PIT_TICK });
    host.runTo(1000); // clock 11 (924..1007)
    program(0, 2, 100); // loaded at clock 12; OUT rises at clock 12 + 100
    host.runTo(200 * INSTRUCTIONS_PER_PIT_TICK);
    expect(host.risingEdges(0)).toEqual([112 * INSTRUCTIONS_PER_PIT_TICK]);
  });
});

describe('mode 2: rate generator', () => {
  it('OUT goes low for one clock when the count reaches 1; IRQ 0 rises once per period', () => {
    const { host, program } = setup();
    program(0, 2, 10);
    host.runTo(100);
    // Loaded at clock 1 (count 10), reaches 1 at clock 10, reloads with OUT high at clock 11.
    expect(host.fallingEdges(0)).toEqual(range(10, 10, 100));
    expect(host.risingEdges(0)).toEqual(range(11, 10, 91));
  });

  it('programming it makes no immediate edge (OUT is high from power-on)', () => {
    const { host, program } = setup();
    program(0, 2, 10);
    expect(host.irqLog).toEqual([]);
  });

  it('counts down N..1 and reloads', () => {
    const { host, program, readCount } = setup();
    program(0, 2, 4);
    const seen: number[] = [];
    for (let t = 1; t <= 9; t++) {
      host.runTo(t);
      seen.push(readCount(0));
    }
    expect(seen).toEqual([4, 3, 2, 1, 4, 3, 2, 1, 4]);
  });

  it('a new count written while counting takes effect at the next reload', () => {
    const { host, program } = setup();
    program(0, 2, 10);
    host.runTo(15);
    program(0, 2, 4); // a control word would restart; rewrite the count only instead
    expect(host.risingEdges(0)).toEqual([11]);
  });

  it('a count rewritten without a control word keeps the current period', () => {
    const { host, program, outb } = setup();
    program(0, 2, 10);
    host.runTo(15);
    outb(0x40, 4);
    outb(0x40, 0);
    host.runTo(40);
    expect(host.risingEdges(0)).toEqual([11, 21, 25, 29, 33, 37]);
  });

  it('count 0 means 65536', () => {
    const { host, program, readCount } = setup();
    program(0, 2, 0);
    host.runTo(1);
    expect(readCount(0)).toBe(0); // 65536 reads as 0
    host.runTo(2);
    expect(readCount(0)).toBe(0xffff);
    host.runTo(200_000);
    expect(host.risingEdges(0)).toEqual([65537, 131073, 196609]);
  });
});

describe('mode 3: square wave', () => {
  it('even N: high N/2 clocks, low N/2; IRQ 0 rises once per period', () => {
    const { host, program } = setup();
    program(0, 3, 4);
    host.runTo(14);
    expect(host.fallingEdges(0)).toEqual([3, 7, 11]);
    expect(host.risingEdges(0)).toEqual([5, 9, 13]);
  });

  it('odd N: high (N+1)/2 clocks, low (N-1)/2', () => {
    const { host, program } = setup();
    program(0, 3, 5);
    host.runTo(16);
    expect(host.fallingEdges(0)).toEqual([4, 9, 14]);
    expect(host.risingEdges(0)).toEqual([6, 11, 16]);
  });

  it('decrements by two; odd counts load N-1 (82C54 datasheet)', () => {
    const { host, program, readCount } = setup();
    program(0, 3, 6);
    const even: number[] = [];
    for (let t = 1; t <= 7; t++) {
      host.runTo(t);
      even.push(readCount(0));
    }
    expect(even).toEqual([6, 4, 2, 6, 4, 2, 6]);
    program(0, 3, 5); // at clock 7, loaded at 8
    const odd: number[] = [];
    for (let t = 8; t <= 13; t++) {
      host.runTo(t);
      odd.push(readCount(0));
    }
    expect(odd).toEqual([4, 2, 0, 4, 2, 4]);
  });

  it('a new count takes effect at the end of the current half-cycle', () => {
    const { host, program, outb } = setup();
    program(0, 3, 10); // high [1,6), low [6,11), ...
    host.runTo(3);
    outb(0x40, 4);
    outb(0x40, 0); // loaded at clock 6, starting the low half: low [6,8), high [8,10), ...
    host.runTo(20);
    expect(host.fallingEdges(0)).toEqual([6, 10, 14, 18]);
    expect(host.risingEdges(0)).toEqual([8, 12, 16, 20]);
  });
});

describe('mode 0: interrupt on terminal count', () => {
  it('OUT goes low on the control word and rises N+1 clocks after the count is written', () => {
    const { host, program, outb } = setup();
    outb(0x43, 0x30);
    expect(host.levels.get(0)).toBe(false);
    host.runTo(5);
    program(0, 0, 10);
    host.runTo(100);
    expect(host.risingEdges(0)).toEqual([16]);
  });

  it('keeps counting through 0 while OUT stays high', () => {
    const { host, program, readCount } = setup();
    program(0, 0, 3);
    const seen: number[] = [];
    for (let t = 1; t <= 6; t++) {
      host.runTo(t);
      seen.push(readCount(0));
    }
    expect(seen).toEqual([3, 2, 1, 0, 0xffff, 0xfffe]);
    expect(host.levels.get(0)).toBe(true);
  });

  it('writing the first byte of a new count stops counting and drives OUT low', () => {
    const { host, program, outb } = setup();
    program(0, 0, 10);
    host.runTo(5);
    outb(0x40, 20); // low byte only
    expect(host.levels.get(0)).toBe(false);
    host.runTo(50);
    expect(host.risingEdges(0)).toEqual([]); // stopped
    outb(0x40, 0); // high byte: loaded at clock 51
    host.runTo(100);
    expect(host.risingEdges(0)).toEqual([71]);
  });
});

describe('mode 4: software triggered strobe', () => {
  it('OUT goes low for one clock N+1 clocks after the write, once', () => {
    const { host, program } = setup();
    program(0, 4, 5);
    host.runTo(50);
    expect(host.fallingEdges(0)).toEqual([6]);
    expect(host.risingEdges(0)).toEqual([7]);
  });
});

describe('reading counts', () => {
  it('the counter latch command freezes the count until it is read', () => {
    const { host, program, outb, readCount } = setup();
    program(0, 2, 100);
    host.runTo(11);
    outb(0x43, 0x00); // latch counter 0: count 90
    host.runTo(40);
    outb(0x43, 0x00); // ignored: the first latch has not been read
    expect(readCount(0)).toBe(90);
    expect(readCount(0)).toBe(61); // live again
  });

  it('lobyte-only and hibyte-only access modes', () => {
    const { host, outb, inb } = setup();
    outb(0x43, 0x14); // counter 0, LSB only, mode 2
    outb(0x40, 50);
    host.runTo(5);
    expect(inb(0x40)).toBe(46);
    expect(inb(0x40)).toBe(46);
    outb(0x43, 0x24); // MSB only: the count is value << 8
    outb(0x40, 2);
    host.runTo(6);
    expect(inb(0x40)).toBe(2); // 512
    host.runTo(7);
    expect(inb(0x40)).toBe(1); // 511
  });

  it('read-back command latches status (OUT, NULL COUNT, RW, mode) then count', () => {
    const { host, program, outb, inb } = setup();
    program(0, 2, 100);
    outb(0x43, 0xc2); // read-back: count and status of counter 0
    expect(inb(0x40)).toBe(0x80 | 0x40 | 0x34); // OUT high, null count (not loaded yet), RW 3, mode 2
    expect(inb(0x40) | (inb(0x40) << 8)).toBe(0); // the counting element before the load
    host.runTo(3);
    outb(0x43, 0xe2); // status only
    expect(inb(0x40)).toBe(0x80 | 0x34);
  });

  it('the control port reads as a floating bus', () => {
    const { inb } = setup();
    expect(inb(0x43)).toBe(0xff);
  });
});

describe('counter 2 through port 0x61', () => {
  it('GATE (bit 0) enables mode 0 counting and OUT2 shows in bit 5', () => {
    const { host, program, outb, inb } = setup();
    program(2, 0, 10);
    host.runTo(30);
    expect(inb(0x61) & 0x20).toBe(0); // GATE low: counting held
    outb(0x61, 0x01);
    host.runTo(39);
    expect(inb(0x61) & 0x20).toBe(0);
    host.runTo(40);
    expect(inb(0x61) & 0x21).toBe(0x21);
  });

  it('GATE low in mode 0 suspends the count', () => {
    const { host, program, outb, readCount } = setup();
    outb(0x61, 0x01);
    program(2, 0, 100);
    host.runTo(11);
    expect(readCount(2)).toBe(90);
    outb(0x61, 0x00);
    host.runTo(50);
    expect(readCount(2)).toBe(90);
    outb(0x61, 0x01);
    host.runTo(60);
    expect(readCount(2)).toBe(80);
  });

  it('mode 1: a GATE rising edge triggers a one-shot low pulse of N clocks', () => {
    const { host, program, outb, inb } = setup();
    program(2, 1, 5);
    host.runTo(10);
    expect(inb(0x61) & 0x20).toBe(0x20); // waiting for a trigger, OUT high
    outb(0x61, 0x01); // trigger at clock 10: OUT low from 11 to 16
    host.runTo(11);
    expect(inb(0x61) & 0x20).toBe(0);
    host.runTo(15);
    expect(inb(0x61) & 0x20).toBe(0);
    host.runTo(16);
    expect(inb(0x61) & 0x20).toBe(0x20);
  });

  it('counter 2 never touches IRQ 0 and schedules nothing', () => {
    const { host, program, outb } = setup();
    outb(0x61, 0x01);
    program(2, 3, 10);
    host.runTo(1000);
    expect(host.irqLog).toEqual([]);
    expect(host.scheduleCalls).toBe(0);
  });

  it('bit 4 toggles with refresh (every 18 clocks); bits 0-3 read back', () => {
    const { host, outb, inb } = setup();
    outb(0x61, 0x0e);
    expect(inb(0x61) & 0x1f).toBe(0x0e);
    host.runTo(18);
    expect(inb(0x61) & 0x1f).toBe(0x1e);
  });
});

describe('events: lazy, and robust to how the machine calls back', () => {
  /** Runs a mode 2 timer and a mode 3 reprogramming through a host with the given semantics. */
  function scenario(opts: TestHostOptions, extraAdvances = false): string {
    const { host, pit, program, outb } = setup({ host: opts });
    program(0, 2, 37);
    for (let t = 0; t < 2000; t += 13) {
      host.runTo(t);
      if (extraAdvances) pit.advance(t); // a stale or spurious call must change nothing
      if (t === 1001) program(0, 3, 51);
      if (t === 1508) {
        outb(0x40, 20);
        outb(0x40, 0);
      }
    }
    return JSON.stringify(host.risingEdges(0));
  }

  it('gives the same edges whether schedule() replaces or accumulates, with stray advance() calls', () => {
    const base = scenario({});
    expect(scenario({ replace: true })).toBe(base);
    expect(scenario({}, true)).toBe(base);
    expect(scenario({ replace: true }, true)).toBe(base);
  });

  it('does work only at OUT changes: two events per period, none per instruction', () => {
    const { host, program } = setup({ k: INSTRUCTIONS_PER_PIT_TICK });
    program(0, 2, 11932); // 100 Hz
    host.runTo((100 * 11932 + 1) * INSTRUCTIONS_PER_PIT_TICK); // one emulated second
    expect(host.risingEdges(0).length).toBe(100);
    expect(host.advanceCalls).toBeLessThanOrEqual(201);
    expect(host.scheduleCalls).toBeLessThanOrEqual(201);
  });

  it('callbacks late by less than the high time of OUT lose no interrupt', () => {
    for (const lag of [0, 3, 10, 28]) {
      const host = new TestHost({ lag });
      const bus = new PortBus();
      const pic = new Pic8259Pair(host);
      pic.register(bus);
      host.irqSink = (line, level) => pic.setIrq(line, level);
      const pit = new Pit8254(host, { instructionsPerTick: 1 });
      pit.register(bus);
      for (const [p, v] of [[0x20, 0x11], [0x21, 0x20], [0x21, 0x04], [0x21, 0x01], [0x21, 0xfe]] as const) bus.out(p, 1, v);
      bus.out(0x43, 1, 0x34);
      bus.out(0x40, 1, 30);
      bus.out(0x40, 1, 0);
      let interrupts = 0;
      for (let t = 1; t <= 3015 + lag; t++) {
        host.runTo(t);
        if (pic.intr()) {
          expect(pic.acknowledge()).toBe(0x20);
          bus.out(0x20, 1, 0x20);
          interrupts++;
        }
      }
      expect(interrupts).toBe(100); // OUT rises at 31, 61, ..., 3001 (seen up to `lag` later)
    }
  });
});

describe('a very late callback', () => {
  it('keeps IRQ 0 high for a clock when OUT rose and fell again since the last call', () => {
    const host = new TestHost();
    const pic = new Pic8259Pair(host);
    const bus = new PortBus();
    pic.register(bus);
    host.irqSink = (line, level) => pic.setIrq(line, level);
    for (const [p, v] of [[0x20, 0x11], [0x21, 0x20], [0x21, 0x04], [0x21, 0x01], [0x21, 0xfe]] as const) bus.out(p, 1, v);
    const pit = new Pit8254(host, { instructionsPerTick: 1 });
    pit.register(bus);
    bus.out(0x43, 1, 0x34);
    bus.out(0x40, 1, 30);
    bus.out(0x40, 1, 0);
    // The machine misses the events at 30 and 31 and calls at 60, when OUT is low again
    // (it rose at 31 and falls at 60). The 8259A would drop a request whose line fell.
    host.clock = 60;
    pit.advance(60);
    expect(pic.intr()).toBe(true);
    expect(pic.acknowledge()).toBe(0x20);
    expect(host.levels.get(0)).toBe(true);
    host.runTo(61); // OUT rises again at 61: the line fell in between, a fresh edge
    expect(host.fallingEdges(0).at(-1)).toBe(61);
    expect(host.risingEdges(0).at(-1)).toBe(61);
  });
});

describe('inspect', () => {
  it('reports each counter and the next event without side effects', () => {
    const { host, pit, program, readCount } = setup();
    program(0, 2, 10);
    host.runTo(4);
    const s = pit.inspect();
    expect(s.channels[0]).toMatchObject({ mode: 2, access: 'lobyte/hibyte', reload: 10, count: 7, out: true, counting: true, nullCount: false });
    expect(s.nextEventAt).toBe(10);
    expect(readCount(0)).toBe(7); // the read flip-flop was not disturbed
  });
});

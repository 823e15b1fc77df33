// The local APIC through its MMIO registers, against the Intel SDM vol. 3A chapter 10: the
// register map (table 10-1), version register (10.4.8), software enable and its effect on the
// LVT (10.4.7.2), TPR/PPR (10.8.3.1), acceptance and EOI (10.8.4, 10.8.5), the timer (10.5.4,
// figure 10-10 divide values), ESR (10.5.3) and the ICR (10.6.1).
import { describe, expect, it } from 'vitest';
import { MmioBus } from '../../../emulator/memory/mmio.js';
import {
  LAPIC_BASE, LAPIC_DFR, LAPIC_EOI, LAPIC_ESR, LAPIC_ICR_HI, LAPIC_ICR_LO, LAPIC_ID, LAPIC_IRR, LAPIC_ISR, LAPIC_LDR,
  LAPIC_LVT_ERROR, LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_TIMER, LAPIC_PPR, LAPIC_SVR, LAPIC_TIMER_CCR, LAPIC_TIMER_DCR,
  LAPIC_TIMER_ICR, LAPIC_TMR, LAPIC_TPR, LAPIC_VER, LocalApic,
} from '../../../emulator/devices/local-apic.js';
import { TestHost } from './test-host.js';

function setup(opts: { instructionsPerTick?: number } = {}) {
  const host = new TestHost({ replace: true });
  const bus = new MmioBus();
  const apic = new LocalApic(host, opts);
  apic.register(bus);
  let changes = 0;
  apic.onIntrChange = () => changes++;
  const rd = (off: number): number => bus.read(LAPIC_BASE + off, 4) >>> 0;
  const wr = (off: number, v: number): void => bus.write(LAPIC_BASE + off, 4, v);
  /** The processor's INTA: what it would take now, or -1. */
  const take = (): number => apic.acknowledge();
  return { host, bus, apic, rd, wr, take, changes: () => changes };
}

describe('identification and power-on state (as a BIOS leaves it)', () => {
  it('reads ID 0 and version 0x14 with max LVT entry 5; the virtual-wire LVT set-up', () => {
    const { rd } = setup();
    expect(rd(LAPIC_ID)).toBe(0);
    expect(rd(LAPIC_VER)).toBe(0x00050014);
    expect(rd(LAPIC_SVR)).toBe(0x1ff); // enabled, spurious vector 0xFF
    expect(rd(LAPIC_LVT_LINT0)).toBe(0x8700); // ExtINT, level
    expect(rd(LAPIC_LVT_LINT1)).toBe(0x8400); // NMI
    expect(rd(LAPIC_LVT_TIMER)).toBe(0x10000);
    expect(rd(LAPIC_LVT_ERROR)).toBe(0x10000);
    expect(rd(LAPIC_DFR)).toBe(0xffffffff);
    expect(rd(LAPIC_TPR)).toBe(0);
  });

  it('lets the 8259A through LINT0 only while it is unmasked in ExtINT mode', () => {
    const { apic, wr } = setup();
    expect(apic.passesPic()).toBe(true);
    wr(LAPIC_LVT_LINT0, 0x10000); // xv6: masked
    expect(apic.passesPic()).toBe(false);
    wr(LAPIC_LVT_LINT0, 0x0020); // fixed mode, vector 0x20: not a path for the 8259A's vector
    expect(apic.passesPic()).toBe(false);
    wr(LAPIC_LVT_LINT0, 0x0700);
    expect(apic.passesPic()).toBe(true);
  });

  it('keeps ID and LDR in bits 24-31 and DFR model bits; read-only registers ignore writes', () => {
    const { rd, wr } = setup();
    wr(LAPIC_ID, 0x05abcdef);
    expect(rd(LAPIC_ID)).toBe(0x05000000);
    wr(LAPIC_LDR, 0x01ffffff);
    expect(rd(LAPIC_LDR)).toBe(0x01000000);
    wr(LAPIC_DFR, 0x0fffffff);
    expect(rd(LAPIC_DFR)).toBe(0x0fffffff); // cluster model
    wr(LAPIC_VER, 0);
    expect(rd(LAPIC_VER)).toBe(0x00050014);
  });

  it('gives narrow reads the register bytes and ignores narrow writes', () => {
    const { bus, rd } = setup();
    expect(bus.read(LAPIC_BASE + LAPIC_VER, 1)).toBe(0x14);
    expect(bus.read(LAPIC_BASE + LAPIC_VER + 2, 1)).toBe(0x05);
    expect(bus.read(LAPIC_BASE + LAPIC_VER + 4, 4)).toBe(0); // bytes 4-15 of a slot are reserved
    bus.write(LAPIC_BASE + LAPIC_TPR, 1, 0x20);
    expect(rd(LAPIC_TPR)).toBe(0);
  });
});

describe('acceptance, priority and EOI', () => {
  it('delivers the highest IRR vector above PPR; ISR and EOI nest', () => {
    const { apic, rd, wr, take } = setup();
    apic.acceptInterrupt(0x31, false);
    apic.acceptInterrupt(0x52, false);
    expect(rd(LAPIC_IRR + 0x10)).toBe((1 << (0x31 - 32)) >>> 0);
    expect(rd(LAPIC_IRR + 0x20)).toBe((1 << (0x52 - 64)) >>> 0);
    expect(take()).toBe(0x52);
    expect(rd(LAPIC_ISR + 0x20)).toBe((1 << (0x52 - 64)) >>> 0);
    expect(rd(LAPIC_PPR)).toBe(0x50);
    expect(take()).toBe(-1); // 0x31's class 3 is below the in-service class 5
    apic.acceptInterrupt(0x61, false);
    expect(take()).toBe(0x61); // a higher class nests
    wr(LAPIC_EOI, 0); // ends 0x61, the highest in service
    expect(rd(LAPIC_PPR)).toBe(0x50);
    wr(LAPIC_EOI, 0);
    expect(rd(LAPIC_PPR)).toBe(0);
    expect(take()).toBe(0x31);
  });

  it('holds back vectors whose class is not above the TPR class', () => {
    const { apic, rd, wr, take } = setup();
    wr(LAPIC_TPR, 0x45);
    expect(rd(LAPIC_PPR)).toBe(0x45);
    apic.acceptInterrupt(0x4f, false);
    expect(apic.pendingVector()).toBe(-1);
    wr(LAPIC_TPR, 0x3f);
    expect(take()).toBe(0x4f);
  });

  it('records vectors 0-15 as illegal instead of accepting them', () => {
    const { apic, rd, wr } = setup();
    apic.acceptInterrupt(0x0e, false);
    expect(apic.pendingVector()).toBe(-1);
    wr(LAPIC_ESR, 0);
    expect(rd(LAPIC_ESR)).toBe(0x40); // receive illegal vector
  });

  it('sets TMR for level-triggered vectors and reports their EOI (for the I/O APIC)', () => {
    const { apic, rd, wr, take } = setup();
    const eois: number[] = [];
    apic.onLevelEoi = (v) => eois.push(v);
    apic.acceptInterrupt(0x41, true);
    expect(rd(LAPIC_TMR + 0x20)).toBe(2);
    expect(take()).toBe(0x41);
    wr(LAPIC_EOI, 0);
    apic.acceptInterrupt(0x42, false);
    take();
    wr(LAPIC_EOI, 0);
    expect(eois).toEqual([0x41]);
  });

  it('software disable stops delivery, masks every LVT entry and keeps them masked', () => {
    const { apic, rd, wr, take } = setup();
    apic.acceptInterrupt(0x40, false);
    wr(LAPIC_SVR, 0x0ff);
    expect(take()).toBe(-1);
    expect(rd(LAPIC_LVT_LINT0)).toBe(0x18700);
    expect(apic.passesPic()).toBe(false);
    wr(LAPIC_LVT_LINT0, 0x700);
    expect(rd(LAPIC_LVT_LINT0)).toBe(0x10700);
    wr(LAPIC_SVR, 0x1ff);
    expect(take()).toBe(0x40); // IRR was held
    wr(LAPIC_LVT_LINT0, 0x700);
    expect(apic.passesPic()).toBe(true);
  });

  it('tells the machine to look again after anything that can change INTR', () => {
    const { apic, wr, changes } = setup();
    const before = changes();
    apic.acceptInterrupt(0x40, false);
    wr(LAPIC_TPR, 0x50);
    wr(LAPIC_LVT_LINT0, 0x10000);
    expect(changes() - before).toBe(3);
  });
});

describe('the timer (instruction clock: one bus clock per instruction)', () => {
  it('one-shot: counts down from the initial count and interrupts once at 0', () => {
    const { host, apic, rd, wr, take } = setup();
    wr(LAPIC_TIMER_DCR, 0x0b); // divide by 1
    wr(LAPIC_LVT_TIMER, 0x40);
    host.runTo(1000);
    wr(LAPIC_TIMER_ICR, 500);
    expect(rd(LAPIC_TIMER_CCR)).toBe(500);
    host.runTo(1200);
    expect(rd(LAPIC_TIMER_CCR)).toBe(300);
    host.runTo(1499);
    expect(apic.pendingVector()).toBe(-1);
    host.runTo(1500);
    expect(rd(LAPIC_TIMER_CCR)).toBe(0);
    expect(take()).toBe(0x40);
    wr(LAPIC_EOI, 0);
    host.runTo(100000);
    expect(apic.pendingVector()).toBe(-1);
    expect(rd(LAPIC_TIMER_CCR)).toBe(0);
  });

  it('periodic: reloads the initial count and interrupts every period, with the divider', () => {
    const { host, rd, wr, take } = setup();
    wr(LAPIC_TIMER_DCR, 0x3); // divide by 16
    wr(LAPIC_LVT_TIMER, 0x20000 | 0x30);
    wr(LAPIC_TIMER_ICR, 10); // 160 instructions
    const at: number[] = [];
    for (let t = 1; t <= 1000; t++) {
      host.runTo(t);
      if (take() === 0x30) {
        at.push(t);
        wr(LAPIC_EOI, 0);
      }
    }
    expect(at).toEqual([160, 320, 480, 640, 800, 960]);
    host.runTo(1000 + 8);
    expect(rd(LAPIC_TIMER_CCR)).toBe(10 - Math.floor((1008 - 960) / 16));
  });

  it('decodes every divide configuration (SDM figure 10-10)', () => {
    const dcrToDivide: [number, number][] = [[0x0, 2], [0x1, 4], [0x2, 8], [0x3, 16], [0x8, 32], [0x9, 64], [0xa, 128], [0xb, 1]];
    for (const [dcr, divide] of dcrToDivide) {
      const { host, apic, rd, wr } = setup();
      wr(LAPIC_TIMER_DCR, dcr);
      expect(rd(LAPIC_TIMER_DCR)).toBe(dcr);
      wr(LAPIC_LVT_TIMER, 0x40);
      wr(LAPIC_TIMER_ICR, 3);
      host.runTo(3 * divide - 1);
      expect(apic.pendingVector(), `dcr ${dcr}`).toBe(-1);
      host.runTo(3 * divide);
      expect(apic.pendingVector(), `dcr ${dcr}`).toBe(0x40);
    }
  });

  it('scales with instructionsPerTick', () => {
    const { host, apic, wr } = setup({ instructionsPerTick: 10 });
    wr(LAPIC_TIMER_DCR, 0xb);
    wr(LAPIC_LVT_TIMER, 0x40);
    wr(LAPIC_TIMER_ICR, 7);
    host.runTo(69);
    expect(apic.pendingVector()).toBe(-1);
    host.runTo(70);
    expect(apic.pendingVector()).toBe(0x40);
  });

  it('a masked timer counts but does not interrupt; an initial count of 0 stops it', () => {
    const { host, apic, rd, wr } = setup();
    wr(LAPIC_TIMER_DCR, 0xb);
    wr(LAPIC_LVT_TIMER, 0x30000 | 0x40); // masked, periodic
    wr(LAPIC_TIMER_ICR, 100);
    host.runTo(1050);
    expect(apic.pendingVector()).toBe(-1);
    expect(rd(LAPIC_TIMER_CCR)).toBe(50);
    expect(host.pendingEvents()).toBe(0); // a masked timer asks the machine for nothing
    wr(LAPIC_LVT_TIMER, 0x20000 | 0x40); // unmasked: the next expiry interrupts
    host.runTo(1100);
    expect(apic.pendingVector()).toBe(0x40);
    wr(LAPIC_TIMER_ICR, 0);
    expect(rd(LAPIC_TIMER_CCR)).toBe(0);
  });

  it('a divider change mid-count keeps the current count', () => {
    const { host, rd, wr } = setup();
    wr(LAPIC_TIMER_DCR, 0xb);
    wr(LAPIC_LVT_TIMER, 0x40);
    wr(LAPIC_TIMER_ICR, 100);
    host.runTo(40);
    wr(LAPIC_TIMER_DCR, 0x0); // divide by 2 from here
    expect(rd(LAPIC_TIMER_CCR)).toBe(60);
    host.runTo(60);
    expect(rd(LAPIC_TIMER_CCR)).toBe(50);
  });
});

describe('ESR and the error LVT', () => {
  it('latches errors on an ESR write and raises the error interrupt once per new error', () => {
    const { apic, bus, rd, wr, take } = setup();
    wr(LAPIC_LVT_ERROR, 0x33);
    bus.read(LAPIC_BASE + 0x2f0, 4); // reserved with 6 LVT entries: illegal register address
    expect(rd(LAPIC_ESR)).toBe(0); // not latched yet
    wr(LAPIC_ESR, 0);
    expect(rd(LAPIC_ESR)).toBe(0x80);
    expect(take()).toBe(0x33);
    wr(LAPIC_ESR, 0);
    expect(rd(LAPIC_ESR)).toBe(0);
    expect(apic.pendingVector()).toBe(-1);
  });
});

describe('the ICR (one processor)', () => {
  it('delivers a fixed IPI to self by shorthand or by its own APIC ID; delivery status reads idle', () => {
    const { rd, wr, take } = setup();
    wr(LAPIC_ICR_LO, 0x00040000 | 0x50); // self
    expect(rd(LAPIC_ICR_LO) & 0x1000).toBe(0);
    expect(take()).toBe(0x50);
    wr(LAPIC_EOI, 0);
    wr(LAPIC_ICR_HI, 0 << 24);
    wr(LAPIC_ICR_LO, 0x51); // physical destination 0: this APIC
    expect(take()).toBe(0x51);
    wr(LAPIC_EOI, 0);
    wr(LAPIC_ICR_LO, 0x00080000 | 0x52); // all including self
    expect(take()).toBe(0x52);
    wr(LAPIC_EOI, 0);
    wr(LAPIC_ICR_HI, 3 << 24);
    wr(LAPIC_ICR_LO, 0x53); // another processor: nobody there
    wr(LAPIC_ICR_LO, 0x000c0000 | 0x54); // all excluding self
    expect(take()).toBe(-1);
    expect(rd(LAPIC_ICR_HI)).toBe(0x03000000);
  });

  it('ignores INIT and STARTUP (no other processor), and flags illegal vectors', () => {
    const { apic, rd, wr } = setup();
    wr(LAPIC_ICR_HI, 0);
    wr(LAPIC_ICR_LO, 0x00080000 | 0x8500); // xv6: INIT level de-assert to all
    wr(LAPIC_ICR_HI, 1 << 24);
    wr(LAPIC_ICR_LO, 0x4500); // INIT assert
    wr(LAPIC_ICR_LO, 0x0600 | 0x8); // STARTUP at 0x8000
    expect(apic.pendingVector()).toBe(-1);
    wr(LAPIC_ICR_LO, 0x00040000 | 0x05); // fixed, vector 5: illegal
    wr(LAPIC_ESR, 0);
    expect(rd(LAPIC_ESR)).toBe(0x20);
  });

  it('matches logical destinations in the flat and cluster models', () => {
    const { apic, wr } = setup();
    wr(LAPIC_LDR, 0x12000000);
    expect(apic.matchesDestination(0x02, true)).toBe(true);
    expect(apic.matchesDestination(0x01, true)).toBe(false);
    wr(LAPIC_DFR, 0x0fffffff);
    expect(apic.matchesDestination(0x12, true)).toBe(true);
    expect(apic.matchesDestination(0x22, true)).toBe(false);
    expect(apic.matchesDestination(0xff, false)).toBe(true);
    expect(apic.matchesDestination(0x01, false)).toBe(false);
  });
});

describe('snapshots', () => {
  it('restore puts back registers, IRR/ISR and the timer', () => {
    const { host, apic, rd, wr, take } = setup();
    wr(LAPIC_TIMER_DCR, 0xb);
    wr(LAPIC_LVT_TIMER, 0x20000 | 0x40);
    wr(LAPIC_TIMER_ICR, 100);
    apic.acceptInterrupt(0x70, false);
    take();
    host.runTo(30);
    const s = apic.snapshot();
    wr(LAPIC_TPR, 0x20);
    wr(LAPIC_EOI, 0);
    wr(LAPIC_TIMER_ICR, 5);
    apic.restore(s);
    expect(rd(LAPIC_TPR)).toBe(0);
    expect(rd(LAPIC_ISR + 0x30)).toBe(1 << (0x70 - 96));
    expect(rd(LAPIC_TIMER_CCR)).toBe(70);
    expect(apic.inspect().timer).toMatchObject({ mode: 'periodic', initialCount: 100, divide: 1, nextExpiry: 100 });
  });
});

// The processor's local APIC (xAPIC mode) at 0xFEE00000, after Intel SDM vol. 3A, chapter 10
// ("Advanced Programmable Interrupt Controller"): the register map of table 10-1, the LVT
// (10.5.1), the timer (10.5.4), the error status register (10.5.3), priorities (10.8.3.1 TPR,
// PPR), interrupt acceptance with IRR/ISR/TMR and EOI (10.8.4, 10.8.5), the spurious-interrupt
// vector register and software enable (10.9, 10.4.7.2), and the ICR for IPIs (10.6.1).
//
// One processor: its APIC ID is 0. IPIs reach this APIC only (self, or a destination that names
// it); INIT, STARTUP, NMI and SMI IPIs have no effect (there is no other processor to start, and
// the CPU has no NMI or SMI input). Delivery is instantaneous, so delivery-status bits read 0.
//
// Time is the machine clock: the timer's input is the APIC bus clock, one tick per instruction
// by default (a 100 MHz bus next to the nominal 100 MIPS processor), divided as DCR says. The
// counter is computed from host.now() when read; the only timed work is one scheduled event per
// timer expiry (ClockedDevice.advance).
//
// Power-on state is what a PC BIOS leaves for an operating system (as SeaBIOS does under QEMU):
// the APIC software-enabled with spurious vector 0xFF, LINT0 in ExtINT mode (the 8259A's INTR
// passes through: "virtual wire mode", MP spec 1.4, 3.6.2.2), LINT1 as NMI, the rest masked.
import type { MmioBus, MmioDevice } from '../memory/mmio.js';
import type { ClockedDevice, DeviceHost, StatefulDevice } from './device.js';

export const LAPIC_BASE = 0xfee00000;
export const LAPIC_SIZE = 0x1000;
/** Version 0x14 (an integrated xAPIC) with 6 LVT entries (max LVT entry 5), as QEMU reports it. */
export const LAPIC_VERSION = 0x00050014;

// Register offsets (SDM table 10-1).
export const LAPIC_ID = 0x020;
export const LAPIC_VER = 0x030;
export const LAPIC_TPR = 0x080;
export const LAPIC_APR = 0x090;
export const LAPIC_PPR = 0x0a0;
export const LAPIC_EOI = 0x0b0;
export const LAPIC_RRD = 0x0c0;
export const LAPIC_LDR = 0x0d0;
export const LAPIC_DFR = 0x0e0;
export const LAPIC_SVR = 0x0f0;
export const LAPIC_ISR = 0x100;
export const LAPIC_TMR = 0x180;
export const LAPIC_IRR = 0x200;
export const LAPIC_ESR = 0x280;
export const LAPIC_ICR_LO = 0x300;
export const LAPIC_ICR_HI = 0x310;
export const LAPIC_LVT_TIMER = 0x320;
export const LAPIC_LVT_THERMAL = 0x330;
export const LAPIC_LVT_PERF = 0x340;
export const LAPIC_LVT_LINT0 = 0x350;
export const LAPIC_LVT_LINT1 = 0x360;
export const LAPIC_LVT_ERROR = 0x370;
export const LAPIC_TIMER_ICR = 0x380;
export const LAPIC_TIMER_CCR = 0x390;
export const LAPIC_TIMER_DCR = 0x3e0;

export const SVR_ENABLE = 0x100;
export const LVT_MASKED = 0x10000;
export const LVT_PERIODIC = 0x20000;
export const LVT_LEVEL = 0x8000;
export const DM_FIXED = 0, DM_LOWEST = 1, DM_SMI = 2, DM_NMI = 4, DM_INIT = 5, DM_STARTUP = 6, DM_EXTINT = 7;

// ESR bits (SDM 10.5.3).
export const ESR_SEND_ILLEGAL_VECTOR = 0x20;
export const ESR_RECEIVE_ILLEGAL_VECTOR = 0x40;
export const ESR_ILLEGAL_REGISTER = 0x80;

/** LVT entries in register order: timer, thermal, performance counters, LINT0, LINT1, error. */
const LVT_TIMER = 0, LVT_THERMAL = 1, LVT_PERF = 2, LVT_LINT0 = 3, LVT_LINT1 = 4, LVT_ERROR = 5;
/** Writable bits of each LVT entry (SDM figure 10-8); delivery status and remote IRR are read-only. */
const LVT_WRITABLE = [0x300ff, 0x107ff, 0x107ff, 0x1a7ff, 0x1a7ff, 0x100ff];
/** Power-on LVT values (as a BIOS leaves them): all masked but LINT0 (ExtINT) and LINT1 (NMI). */
const LVT_FIRMWARE = [LVT_MASKED, LVT_MASKED, LVT_MASKED, 0x8700, 0x8400, LVT_MASKED];

export interface LocalApicOptions {
  /** Instructions per APIC bus clock (the timer's input before the divider); default 1. */
  instructionsPerTick?: number;
}

export interface LocalApicInspection {
  id: number;
  version: number;
  enabled: boolean;
  spuriousVector: number;
  tpr: number;
  ppr: number;
  /** Vectors with their IRR, ISR and TMR bits set, lowest first. */
  irr: number[];
  isr: number[];
  tmr: number[];
  esr: number;
  icr: number;
  lvt: { timer: number; thermal: number; perf: number; lint0: number; lint1: number; error: number };
  timer: { mode: 'one-shot' | 'periodic'; initialCount: number; currentCount: number; divide: number; nextExpiry: number | null };
  /** Whether the 8259A's INTR reaches the processor (LINT0 unmasked in ExtINT mode). */
  passesPic: boolean;
}

export interface LocalApicState {
  id: number;
  tpr: number;
  ldr: number;
  dfr: number;
  svr: number;
  esr: number;
  esrPending: number;
  icrLo: number;
  icrHi: number;
  lvt: number[];
  irr: number[];
  isr: number[];
  tmr: number[];
  initialCount: number;
  dcr: number;
  timerStart: number;
  timerBase: number;
  nextExpiry: number;
}

const NEVER = Number.POSITIVE_INFINITY;

/** Index of the highest set bit of a 256-bit vector set, or -1. */
function highest(bits: Uint32Array): number {
  for (let w = 7; w >= 0; w--) {
    const v = bits[w]!;
    if (v !== 0) return w * 32 + 31 - Math.clz32(v);
  }
  return -1;
}

function vectorList(bits: Uint32Array): number[] {
  const out: number[] = [];
  for (let v = 0; v < 256; v++) if (bits[v >>> 5]! & (1 << (v & 31))) out.push(v);
  return out;
}

export class LocalApic implements MmioDevice, ClockedDevice, StatefulDevice<LocalApicState> {
  readonly base = LAPIC_BASE;
  private readonly k: number;

  /** Called whenever what the APIC offers the processor may have changed (re-read intr()). */
  onIntrChange?: () => void;
  /** Called on an EOI for a level-triggered vector: the I/O APIC's EOI message (SDM 10.8.5). */
  onLevelEoi?: (vector: number) => void;

  private id = 0;
  private tpr = 0;
  private ldr = 0;
  private dfr = 0xffffffff;
  private svr = 0x1ff;
  /** ESR as the guest reads it: the errors latched by the last ESR write. */
  private esr = 0;
  /** Errors detected since the last ESR write. */
  private esrPending = 0;
  private icrLo = 0;
  private icrHi = 0;
  private lvt = [...LVT_FIRMWARE];
  private irr = new Uint32Array(8);
  private isr = new Uint32Array(8);
  private tmr = new Uint32Array(8);
  // The timer: at instruction `timerStart` the counter held `timerBase`; it decrements once per
  // (k * divide) instructions; at 0 it interrupts and, in periodic mode, reloads `initialCount`.
  private initialCount = 0;
  private dcr = 0;
  private timerStart = 0;
  private timerBase = 0;
  /** The instruction count of the next expiry still to deliver, or Infinity. */
  private nextExpiry = NEVER;

  constructor(
    private readonly host: DeviceHost,
    opts: LocalApicOptions = {},
  ) {
    this.k = opts.instructionsPerTick ?? 1;
    if (!Number.isInteger(this.k) || this.k < 1) throw new Error(`instructionsPerTick must be a positive integer, got ${this.k}`);
    host.registerDevice?.(this);
  }

  register(bus: MmioBus): void {
    bus.register(this.base, LAPIC_SIZE, this);
  }

  snapshot(): LocalApicState {
    return {
      id: this.id,
      tpr: this.tpr,
      ldr: this.ldr,
      dfr: this.dfr,
      svr: this.svr,
      esr: this.esr,
      esrPending: this.esrPending,
      icrLo: this.icrLo,
      icrHi: this.icrHi,
      lvt: [...this.lvt],
      irr: [...this.irr],
      isr: [...this.isr],
      tmr: [...this.tmr],
      initialCount: this.initialCount,
      dcr: this.dcr,
      timerStart: this.timerStart,
      timerBase: this.timerBase,
      nextExpiry: this.nextExpiry,
    };
  }

  restore(s: LocalApicState): void {
    Object.assign(this, { ...s, lvt: [...s.lvt], irr: Uint32Array.from(s.irr), isr: Uint32Array.from(s.isr), tmr: Uint32Array.from(s.tmr) });
  }

  // ---------------------------------------------------------------- the processor's side

  get enabled(): boolean {
    return (this.svr & SVR_ENABLE) !== 0;
  }

  /** The APIC's own interrupt the processor would take now (above PPR), or -1. */
  pendingVector(): number {
    if (!this.enabled) return -1;
    const v = highest(this.irr);
    if (v < 0) return -1;
    return (v & 0xf0) > (this.ppr() & 0xf0) ? v : -1;
  }

  /** Whether the 8259A's INTR reaches the processor: LINT0 unmasked and in ExtINT mode. */
  passesPic(): boolean {
    const l = this.lvt[LVT_LINT0]!;
    return (l & LVT_MASKED) === 0 && ((l >> 8) & 7) === DM_EXTINT;
  }

  /**
   * The interrupt-acknowledge cycle for the APIC's own interrupts: the highest deliverable IRR
   * vector moves to ISR and is returned; -1 when there is none (the caller then asks the PIC).
   */
  acknowledge(): number {
    const v = this.pendingVector();
    if (v < 0) return -1;
    this.irr[v >>> 5]! &= ~(1 << (v & 31));
    this.isr[v >>> 5]! |= 1 << (v & 31);
    this.update();
    return v;
  }

  /** The spurious-interrupt vector (SVR bits 0-7): what an acknowledge with nothing to give returns. */
  spuriousVector(): number {
    return this.svr & 0xff;
  }

  // ---------------------------------------------------------------- the APIC bus's side

  /** Whether a message with this destination reaches this APIC (SDM 10.6.2). */
  matchesDestination(dest: number, logical: boolean): boolean {
    if (!logical) return dest === 0xff || dest === this.id;
    if (dest === 0xff) return true;
    const mine = this.ldr >>> 24;
    if ((this.dfr >>> 28) === 0xf) return (dest & mine) !== 0; // flat model
    // Cluster model: the high nibbles name the cluster, the low nibbles are a bitmap in it.
    return (dest & 0xf0) === (mine & 0xf0) && (dest & mine & 0x0f) !== 0;
  }

  /** A fixed (or lowest-priority) interrupt message: sets the vector's IRR bit (SDM 10.8.4). */
  acceptInterrupt(vector: number, levelTriggered: boolean): void {
    vector &= 0xff;
    if (vector < 16) {
      this.error(ESR_RECEIVE_ILLEGAL_VECTOR);
      return;
    }
    const bit = 1 << (vector & 31);
    this.irr[vector >>> 5]! |= bit;
    if (levelTriggered) this.tmr[vector >>> 5]! |= bit;
    else this.tmr[vector >>> 5]! &= ~bit;
    this.update();
  }

  // ---------------------------------------------------------------- MMIO

  mmioRead(addr: number, size: number): number {
    const offset = (addr - this.base) >>> 0;
    const v = this.readRegister(offset & 0xff0);
    // Registers are 32 bits at 16-byte-aligned offsets; a narrower read gets its bytes of them.
    const byte = offset & 0xf;
    if (byte >= 4) return 0;
    if (size === 4 && byte === 0) return v;
    const shifted = v >>> (8 * byte);
    return size >= 4 ? shifted : shifted & ((1 << (8 * size)) - 1);
  }

  mmioWrite(addr: number, size: number, value: number): void {
    const offset = (addr - this.base) >>> 0;
    // SDM 10.4.1: registers are written with aligned 32-bit stores; others are ignored here.
    if (size !== 4 || (offset & 0xf) !== 0) return;
    this.writeRegister(offset, value >>> 0);
  }

  private readRegister(offset: number): number {
    switch (offset) {
      case LAPIC_ID: return (this.id << 24) >>> 0;
      case LAPIC_VER: return LAPIC_VERSION;
      case LAPIC_TPR: return this.tpr;
      case LAPIC_APR: return 0;
      case LAPIC_PPR: return this.ppr();
      case LAPIC_EOI: return 0; // write-only
      case LAPIC_RRD: return 0;
      case LAPIC_LDR: return this.ldr;
      case LAPIC_DFR: return this.dfr;
      case LAPIC_SVR: return this.svr;
      case LAPIC_ESR: return this.esr;
      case LAPIC_ICR_LO: return this.icrLo;
      case LAPIC_ICR_HI: return this.icrHi;
      case LAPIC_TIMER_ICR: return this.initialCount;
      case LAPIC_TIMER_CCR: return this.currentCount(this.host.now());
      case LAPIC_TIMER_DCR: return this.dcr;
    }
    if (offset >= LAPIC_LVT_TIMER && offset <= LAPIC_LVT_ERROR) return this.lvt[(offset - LAPIC_LVT_TIMER) >> 4]!;
    if (offset >= LAPIC_ISR && offset < LAPIC_ISR + 0x80) return this.isr[(offset - LAPIC_ISR) >> 4]!;
    if (offset >= LAPIC_TMR && offset < LAPIC_TMR + 0x80) return this.tmr[(offset - LAPIC_TMR) >> 4]!;
    if (offset >= LAPIC_IRR && offset < LAPIC_IRR + 0x80) return this.irr[(offset - LAPIC_IRR) >> 4]!;
    this.error(ESR_ILLEGAL_REGISTER);
    return 0;
  }

  private writeRegister(offset: number, v: number): void {
    switch (offset) {
      case LAPIC_ID:
        this.id = v >>> 24;
        return;
      case LAPIC_TPR:
        this.tpr = v & 0xff;
        this.update();
        return;
      case LAPIC_EOI:
        this.eoi();
        return;
      case LAPIC_LDR:
        this.ldr = (v & 0xff000000) >>> 0;
        return;
      case LAPIC_DFR:
        this.dfr = (v | 0x0fffffff) >>> 0;
        return;
      case LAPIC_SVR:
        this.writeSvr(v);
        return;
      case LAPIC_ESR:
        // SDM 10.5.3: a write latches the errors detected since the previous write.
        this.esr = this.esrPending;
        this.esrPending = 0;
        return;
      case LAPIC_ICR_LO:
        this.icrLo = v & 0x000ccfff;
        this.sendIpi();
        return;
      case LAPIC_ICR_HI:
        this.icrHi = (v & 0xff000000) >>> 0;
        return;
      case LAPIC_TIMER_ICR:
        this.writeInitialCount(v);
        return;
      case LAPIC_TIMER_DCR:
        this.writeDivide(v);
        return;
      case LAPIC_VER: case LAPIC_APR: case LAPIC_PPR: case LAPIC_RRD: case LAPIC_TIMER_CCR:
        return; // read-only
    }
    if (offset >= LAPIC_LVT_TIMER && offset <= LAPIC_LVT_ERROR) {
      this.writeLvt((offset - LAPIC_LVT_TIMER) >> 4, v);
      return;
    }
    if (offset >= LAPIC_ISR && offset < LAPIC_IRR + 0x80) return; // ISR, TMR, IRR: read-only
    this.error(ESR_ILLEGAL_REGISTER);
  }

  private writeSvr(v: number): void {
    const was = this.enabled;
    this.svr = v & 0x1ff; // bits 9 and 12 (focus checking, EOI-broadcast suppression): not supported
    // SDM 10.4.7.2: software disabling masks every LVT entry (they stay masked until re-enabled).
    if (was && !this.enabled) for (let i = 0; i < this.lvt.length; i++) this.lvt[i]! |= LVT_MASKED;
    this.update();
  }

  private writeLvt(n: number, v: number): void {
    const now = this.host.now();
    if (n === LVT_TIMER) this.rebase(now);
    let value = v & LVT_WRITABLE[n]!;
    if (!this.enabled) value |= LVT_MASKED;
    this.lvt[n] = value;
    if (n === LVT_TIMER) this.schedule(now);
    this.update();
  }

  private eoi(): void {
    const v = highest(this.isr);
    if (v < 0) return;
    const bit = 1 << (v & 31);
    this.isr[v >>> 5]! &= ~bit;
    if (this.tmr[v >>> 5]! & bit) this.onLevelEoi?.(v);
    this.update();
  }

  /** SDM 10.8.3.1: PPR is TPR, or the class of the highest vector in service if that is higher. */
  private ppr(): number {
    const isrv = highest(this.isr);
    const isrClass = isrv < 0 ? 0 : isrv & 0xf0;
    return (this.tpr & 0xf0) >= isrClass ? this.tpr : isrClass;
  }

  /** Records an error (SDM 10.5.3) and raises the LVT error interrupt for a newly seen one. */
  private error(bits: number): void {
    const fresh = bits & ~this.esrPending;
    this.esrPending |= bits;
    if (fresh) this.deliverLvt(LVT_ERROR);
  }

  /** A local interrupt from LVT entry `n`: fixed delivery sets the vector's IRR bit (edge). */
  private deliverLvt(n: number): void {
    const l = this.lvt[n]!;
    if (l & LVT_MASKED) return;
    const mode = n === LVT_TIMER || n === LVT_ERROR ? DM_FIXED : (l >> 8) & 7;
    if (mode !== DM_FIXED) return; // NMI, SMI, INIT, ExtINT: no such inputs here
    const vector = l & 0xff;
    if (vector < 16) {
      // An illegal vector in an LVT entry: record it once, without recursing through LVT error.
      this.esrPending |= ESR_RECEIVE_ILLEGAL_VECTOR;
      return;
    }
    this.acceptInterrupt(vector, false);
  }

  /** ICR write: sends the IPI it describes (SDM 10.6.1); only this processor can receive it. */
  private sendIpi(): void {
    const lo = this.icrLo;
    const mode = (lo >> 8) & 7;
    const shorthand = (lo >> 18) & 3;
    const toSelf =
      shorthand === 1 || shorthand === 2 || (shorthand === 0 && this.matchesDestination(this.icrHi >>> 24, (lo & 0x800) !== 0));
    if (mode !== DM_FIXED && mode !== DM_LOWEST) return; // INIT, STARTUP, NMI, SMI: no effect (see top)
    const vector = lo & 0xff;
    if (vector < 16) {
      this.error(ESR_SEND_ILLEGAL_VECTOR);
      return;
    }
    if (toSelf) this.acceptInterrupt(vector, false);
  }

  // ---------------------------------------------------------------- the timer

  /** The divide configuration as a power of two (SDM figure 10-10: 111 is divide by 1). */
  private divideShift(): number {
    const d = (this.dcr & 3) | ((this.dcr >> 1) & 4);
    return (d + 1) & 7;
  }

  private ticksPerCount(): number {
    return this.k * 2 ** this.divideShift();
  }

  private get periodic(): boolean {
    return (this.lvt[LVT_TIMER]! & LVT_PERIODIC) !== 0;
  }

  /** The current-count register at instruction `now`. */
  private currentCount(now: number): number {
    if (this.initialCount === 0) return 0;
    const n = Math.floor((now - this.timerStart) / this.ticksPerCount());
    if (n < this.timerBase) return this.timerBase - n;
    if (!this.periodic) return 0;
    return this.initialCount - ((n - this.timerBase) % this.initialCount);
  }

  /** Restarts the count arithmetic at `now` from the current count (before a mode or divider change). */
  private rebase(now: number): void {
    this.timerBase = this.currentCount(now);
    this.timerStart = now;
  }

  private writeInitialCount(v: number): void {
    const now = this.host.now();
    this.initialCount = v;
    this.timerStart = now;
    this.timerBase = v;
    this.schedule(now);
  }

  private writeDivide(v: number): void {
    const now = this.host.now();
    this.rebase(now);
    this.dcr = v & 0xb;
    this.schedule(now);
  }

  /** The first expiry after instruction `now`, or Infinity. */
  private expiryAfter(now: number): number {
    if (this.initialCount === 0) return NEVER;
    const t = this.ticksPerCount();
    const first = this.timerStart + this.timerBase * t;
    if (this.timerBase > 0 && first > now) return first;
    if (!this.periodic) return NEVER;
    // Expiries after the first: one every initialCount counts.
    const period = this.initialCount * t;
    const from = this.timerBase > 0 ? first : this.timerStart;
    const m = Math.floor((now - from) / period) + 1;
    return from + m * period;
  }

  /** Computes the next expiry and asks to be called then; a masked timer asks nothing (unmasking reschedules). */
  private schedule(now: number): void {
    this.nextExpiry = this.expiryAfter(now);
    if (this.nextExpiry !== NEVER && !(this.lvt[LVT_TIMER]! & LVT_MASKED)) this.host.schedule(this, this.nextExpiry);
  }

  /** The machine calls this at a scheduled expiry (stale calls find nothing due and do nothing). */
  advance(now: number): void {
    if (this.nextExpiry > now) return;
    this.deliverLvt(LVT_TIMER);
    this.schedule(now);
  }

  // ---------------------------------------------------------------- output

  /** Tells the machine to re-read intr(): LINT0 and SVR changes matter to the PIC's path, too. */
  private update(): void {
    this.onIntrChange?.();
  }

  inspect(): LocalApicInspection {
    const now = this.host.now();
    const l = this.lvt;
    return {
      id: this.id,
      version: LAPIC_VERSION,
      enabled: this.enabled,
      spuriousVector: this.spuriousVector(),
      tpr: this.tpr,
      ppr: this.ppr(),
      irr: vectorList(this.irr),
      isr: vectorList(this.isr),
      tmr: vectorList(this.tmr),
      esr: this.esr,
      icr: this.icrHi * 2 ** 32 + this.icrLo,
      lvt: { timer: l[0]!, thermal: l[1]!, perf: l[2]!, lint0: l[3]!, lint1: l[4]!, error: l[5]! },
      timer: {
        mode: this.periodic ? 'periodic' : 'one-shot',
        initialCount: this.initialCount,
        currentCount: this.currentCount(now),
        divide: 2 ** this.divideShift(),
        nextExpiry: this.nextExpiry === NEVER ? null : this.nextExpiry,
      },
      passesPic: this.passesPic(),
    };
  }
}

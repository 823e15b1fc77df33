// The PC's CMOS RAM and real-time clock, a Motorola MC146818 (datasheet "MC146818A Real-Time
// Clock Plus RAM"): index port 0x70 (bit 7 is the NMI mask, bits 0-6 the register) and data port
// 0x71; 14 clock and control registers (seconds, minutes, hours with alarms, day of week, date,
// month, year; status registers A-D) and 114 bytes of RAM, where a PC BIOS keeps its
// configuration, including the memory sizes kernels read (IBM PC/AT CMOS map):
//   0x15/0x16  base memory in KiB (640)
//   0x17/0x18  extended memory from 1 MiB to 64 MiB in KiB (also at 0x30/0x31)
//   0x34/0x35  extended memory above 16 MiB in 64 KiB units (what JOS and QEMU's BIOS read)
//   0x32       century (BCD)
//
// The clock is deterministic: it starts at a fixed date (default 2025-01-01 00:00:00, a
// Wednesday) and advances one second every INSTRUCTIONS_PER_SECOND instructions of the machine
// clock, the rate the PIT also assumes (84 instructions per 1.193182 MHz clock). Register B
// chooses BCD or binary (DM, bit 2) and 24- or 12-hour format (bit 1); SET (bit 7) freezes the
// clock while software writes new values, which then hold. UIP (register A bit 7) is high during
// the last 244 us of each second, before the update, as the datasheet guarantees ("UIP ... 0 for
// at least 244 us"), so it is never stuck. Register C's flags PF (periodic, rate from register A
// RS), AF (alarm) and UF (update ended) are kept, IRQ 8 follows IRQF, and reading C clears them.
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { ClockedDevice, DeviceHost, StatefulDevice } from './device.js';
import { INSTRUCTIONS_PER_PIT_TICK, PIT_INPUT_HZ } from './pit8254.js';

export const CMOS_INDEX_PORT = 0x70;
export const CMOS_DATA_PORT = 0x71;
export const RTC_IRQ = 8;
/** One emulated second: as many instructions as 1,193,182 PIT clocks (100,227,288). */
export const INSTRUCTIONS_PER_SECOND = INSTRUCTIONS_PER_PIT_TICK * PIT_INPUT_HZ;
/** 2025-01-01 00:00:00 UTC. */
export const DEFAULT_RTC_START = Date.UTC(2025, 0, 1) / 1000;

export const RTC_SECONDS = 0x00, RTC_SECONDS_ALARM = 0x01, RTC_MINUTES = 0x02, RTC_MINUTES_ALARM = 0x03;
export const RTC_HOURS = 0x04, RTC_HOURS_ALARM = 0x05, RTC_DAY_OF_WEEK = 0x06, RTC_DAY = 0x07;
export const RTC_MONTH = 0x08, RTC_YEAR = 0x09, RTC_STATUS_A = 0x0a, RTC_STATUS_B = 0x0b;
export const RTC_STATUS_C = 0x0c, RTC_STATUS_D = 0x0d, RTC_CENTURY = 0x32;

const A_UIP = 0x80;
const B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10, B_DM = 0x04, B_24H = 0x02;
const C_IRQF = 0x80, C_PF = 0x40, C_AF = 0x20, C_UF = 0x10;
const D_VRT = 0x80;
/** 244 us before each update, UIP is set (datasheet, "Update Cycle"). */
const UIP_WINDOW = Math.round(INSTRUCTIONS_PER_SECOND * 244e-6);

export interface CmosOptions {
  /** Guest RAM in bytes, for the memory-size bytes. */
  memorySize?: number;
  /** The clock's time at instruction 0, in seconds since 1970 (UTC); default 2025-01-01. */
  startTime?: number;
  /** Instructions per emulated second (default INSTRUCTIONS_PER_SECOND). */
  instructionsPerSecond?: number;
}

export interface CmosInspection {
  index: number;
  nmiDisabled: boolean;
  /** The clock as seconds since 1970 (UTC) and as an ISO date. */
  time: number;
  date: string;
  statusA: number;
  statusB: number;
  flags: number;
  irqLevel: boolean;
  /** All 128 bytes as a read would return them (without register C's read side effect). */
  bytes: number[];
}

export interface CmosState {
  ram: number[];
  index: number;
  nmiDisabled: boolean;
  offset: number;
  frozen: number[] | null;
  flags: number;
  synced: number;
  irqLevel: boolean;
}

/** Bytes 0x10-0x2D are covered by the checksum at 0x2E (high) / 0x2F (low) (IBM PC/AT). */
function setChecksum(ram: Uint8Array): void {
  let sum = 0;
  for (let i = 0x10; i <= 0x2d; i++) sum += ram[i]!;
  ram[0x2e] = (sum >> 8) & 0xff;
  ram[0x2f] = sum & 0xff;
}

const toBcd = (v: number): number => ((Math.floor(v / 10) % 10) << 4) | (v % 10);
const fromBcd = (v: number): number => (v >> 4) * 10 + (v & 0x0f);

export class Cmos implements PortDevice, ClockedDevice, StatefulDevice<CmosState> {
  private readonly ips: number;
  private readonly start: number;
  /** Registers and RAM; the time registers 0x00-0x09 and 0x32 are computed when read. */
  private ram = new Uint8Array(128);
  private index = 0;
  private nmiDisabled = false;
  /** Seconds added to start + now / ips (software set the clock). */
  private offset = 0;
  /**
   * While SET is 1: the frozen time as written, field by field (year, month 0-11, day, hours,
   * minutes, seconds: a half-written date may be invalid for a while); null while the clock runs.
   */
  private frozen: number[] | null = null;
  /** Register C's PF, AF, UF (IRQF is computed). */
  private flags = 0;
  /** The instant up to which flags have been computed. */
  private synced = 0;
  private irqLevel = false;

  constructor(
    private readonly host: DeviceHost,
    opts: CmosOptions = {},
  ) {
    this.ips = opts.instructionsPerSecond ?? INSTRUCTIONS_PER_SECOND;
    this.start = Math.floor(opts.startTime ?? DEFAULT_RTC_START);
    const r = this.ram;
    r[RTC_STATUS_A] = 0x26; // 32.768 kHz time base, 1024 Hz periodic rate (what a BIOS sets)
    r[RTC_STATUS_B] = B_24H; // BCD, 24-hour
    r[RTC_STATUS_D] = D_VRT;
    const mem = opts.memorySize ?? 0;
    const kib = Math.floor(mem / 1024);
    const base = Math.min(640, kib);
    const ext = Math.min(0xffff, Math.max(0, kib - 1024));
    const ext16 = Math.min(0xffff, Math.max(0, Math.floor((mem - (16 << 20)) / 65536)));
    r[0x15] = base & 0xff;
    r[0x16] = base >> 8;
    r[0x17] = r[0x30] = ext & 0xff;
    r[0x18] = r[0x31] = ext >> 8;
    r[0x34] = ext16 & 0xff;
    r[0x35] = ext16 >> 8;
    setChecksum(r);
    host.registerDevice?.(this);
  }

  snapshot(): CmosState {
    return {
      ram: [...this.ram],
      index: this.index,
      nmiDisabled: this.nmiDisabled,
      offset: this.offset,
      frozen: this.frozen && [...this.frozen],
      flags: this.flags,
      synced: this.synced,
      irqLevel: this.irqLevel,
    };
  }

  restore(s: CmosState): void {
    Object.assign(this, { ...s, ram: Uint8Array.from(s.ram), frozen: s.frozen && [...s.frozen] });
  }

  register(bus: PortBus): void {
    bus.register(CMOS_INDEX_PORT, 2, this);
  }

  portIn(port: number, size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.read8(port + i) << (8 * i);
    return size === 4 ? v >>> 0 : v;
  }

  portOut(port: number, size: number, value: number): void {
    for (let i = 0; i < size; i++) this.write8(port + i, (value >>> (8 * i)) & 0xff);
  }

  private read8(port: number): number {
    if (port !== CMOS_DATA_PORT) return 0xff; // the index register is write-only
    const now = this.host.now();
    if (this.index === RTC_STATUS_C) {
      this.sync(now);
      const v = this.statusC();
      this.flags = 0;
      this.drive();
      this.reschedule(now);
      return v;
    }
    return this.readRegister(this.index, now);
  }

  private write8(port: number, v: number): void {
    if (port === CMOS_INDEX_PORT) {
      this.index = v & 0x7f;
      this.nmiDisabled = (v & 0x80) !== 0;
      return;
    }
    if (port !== CMOS_DATA_PORT) return;
    const now = this.host.now();
    this.sync(now);
    const i = this.index;
    if (i <= RTC_YEAR || i === RTC_CENTURY) {
      if (i === RTC_SECONDS_ALARM || i === RTC_MINUTES_ALARM || i === RTC_HOURS_ALARM) this.ram[i] = v;
      else this.setTimeField(i, v, now);
    } else if (i === RTC_STATUS_A) {
      this.ram[i] = v & 0x7f; // UIP is read-only
    } else if (i === RTC_STATUS_B) {
      this.writeStatusB(v, now);
    } else if (i !== RTC_STATUS_C && i !== RTC_STATUS_D) {
      this.ram[i] = v;
    }
    this.drive();
    this.reschedule(now);
  }

  /** The register's value at instruction `now`, without side effects. */
  private readRegister(i: number, now: number): number {
    if (i === RTC_STATUS_A) return this.ram[i]! | (this.uip(now) ? A_UIP : 0);
    if (i === RTC_STATUS_C) return this.statusC();
    if (i > RTC_YEAR && i !== RTC_CENTURY) return this.ram[i]!;
    if (i === RTC_SECONDS_ALARM || i === RTC_MINUTES_ALARM || i === RTC_HOURS_ALARM) return this.ram[i]!;
    const [year, month, day, hours, minutes, seconds] = this.fieldsAt(now);
    switch (i) {
      case RTC_SECONDS: return this.encode(seconds!);
      case RTC_MINUTES: return this.encode(minutes!);
      case RTC_HOURS: return this.encodeHours(hours!);
      case RTC_DAY_OF_WEEK: return this.encode(new Date(Date.UTC(year!, month!, day!)).getUTCDay() + 1); // 1 = Sunday
      case RTC_DAY: return this.encode(day!);
      case RTC_MONTH: return this.encode(month! + 1);
      case RTC_YEAR: return this.encode(year! % 100);
      default: return toBcd(Math.floor(year! / 100)); // century: BCD (IBM PC/AT)
    }
  }

  /** Year, month (0-11), day, hours, minutes, seconds at instruction `now`. */
  private fieldsAt(now: number): number[] {
    if (this.frozen) return this.frozen;
    const d = new Date(this.timeAt(now) * 1000);
    return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  }

  private get binary(): boolean {
    return (this.ram[RTC_STATUS_B]! & B_DM) !== 0;
  }

  private encode(v: number): number {
    return this.binary ? v : toBcd(v);
  }

  private decode(v: number): number {
    return this.binary ? v : fromBcd(v);
  }

  /** Hours in 24-hour format, or 1-12 with bit 7 for PM (datasheet table 3). */
  private encodeHours(h: number): number {
    if (this.ram[RTC_STATUS_B]! & B_24H) return this.encode(h);
    const h12 = h % 12 === 0 ? 12 : h % 12;
    return this.encode(h12) | (h >= 12 ? 0x80 : 0);
  }

  private decodeHours(v: number): number {
    if (this.ram[RTC_STATUS_B]! & B_24H) return this.decode(v);
    const h12 = this.decode(v & 0x7f) % 12;
    return v & 0x80 ? h12 + 12 : h12;
  }

  /** Seconds since 1970 at instruction `now` (a frozen date that is invalid is normalised). */
  private timeAt(now: number): number {
    if (this.frozen) return Date.UTC(...(this.frozen as [number, number, number, number, number, number])) / 1000;
    return this.start + this.offset + Math.floor(now / this.ips);
  }

  private uip(now: number): boolean {
    return this.frozen === null && now % this.ips >= this.ips - UIP_WINDOW;
  }

  /** Software writes one time register: the clock continues from the new value. */
  private setTimeField(i: number, v: number, now: number): void {
    let [year, month, day, hours, minutes, seconds] = this.fieldsAt(now) as [number, number, number, number, number, number];
    switch (i) {
      case RTC_SECONDS: seconds = this.decode(v); break;
      case RTC_MINUTES: minutes = this.decode(v); break;
      case RTC_HOURS: hours = this.decodeHours(v); break;
      case RTC_DAY_OF_WEEK: return; // derived from the date here
      case RTC_DAY: day = this.decode(v); break;
      case RTC_MONTH: month = this.decode(v) - 1; break;
      case RTC_YEAR: year = Math.floor(year / 100) * 100 + this.decode(v); break;
      case RTC_CENTURY: year = fromBcd(v) * 100 + (year % 100); break;
    }
    if (this.frozen) {
      this.frozen = [year, month, day, hours, minutes, seconds];
      return;
    }
    const t = Date.UTC(year, month, day, hours, minutes, seconds) / 1000;
    if (Number.isFinite(t)) this.offset += t - this.timeAt(now);
  }

  private writeStatusB(v: number, now: number): void {
    const wasSet = this.frozen !== null;
    if (v & B_SET) {
      v &= ~B_UIE; // "UIE is cleared when SET is written to 1"
      if (!wasSet) this.frozen = [...this.fieldsAt(now)];
    } else if (wasSet) {
      // The clock runs on from what software wrote.
      const t = this.timeAt(now);
      this.frozen = null;
      if (Number.isFinite(t)) this.offset += t - this.timeAt(now);
    }
    this.ram[RTC_STATUS_B] = v;
  }

  private statusC(): number {
    const b = this.ram[RTC_STATUS_B]!;
    const f = this.flags;
    const irqf = (f & C_PF && b & B_PIE) || (f & C_AF && b & B_AIE) || (f & C_UF && b & B_UIE);
    return f | (irqf ? C_IRQF : 0);
  }

  /** Instructions per periodic-interrupt tick (register A RS, datasheet table 5), or 0 for none. */
  private periodicInterval(): number {
    const rs = this.ram[RTC_STATUS_A]! & 0x0f;
    if (rs === 0) return 0;
    const hz = rs <= 2 ? 256 >> (rs - 1) : 32768 >> (rs - 1);
    return Math.max(1, Math.round(this.ips / hz));
  }

  /** Sets PF, UF and AF for the periodic ticks and updates between the last sync and `now`. */
  private sync(now: number): void {
    const from = this.synced;
    if (now <= from) return;
    this.synced = now;
    const p = this.periodicInterval();
    if (p && Math.floor(now / p) > Math.floor(from / p)) this.flags |= C_PF;
    if (this.frozen !== null) return; // SET inhibits updates
    const crossed = Math.floor(now / this.ips) - Math.floor(from / this.ips);
    if (crossed <= 0) return;
    this.flags |= C_UF;
    // The alarm is checked at each update in the interval (at most a day's worth matters).
    const last = this.timeAt(now);
    for (let k = 0; k < Math.min(crossed, 86400); k++) {
      if (this.alarmMatches(last - k)) {
        this.flags |= C_AF;
        break;
      }
    }
  }

  /** Alarm bytes 0xC0-0xFF are "don't care" (datasheet, "Alarm"). */
  private alarmMatches(t: number): boolean {
    const d = new Date(t * 1000);
    const r = this.ram;
    const match = (alarm: number, v: number): boolean => (alarm & 0xc0) === 0xc0 || alarm === v;
    return (
      match(r[RTC_SECONDS_ALARM]!, this.encode(d.getUTCSeconds())) &&
      match(r[RTC_MINUTES_ALARM]!, this.encode(d.getUTCMinutes())) &&
      match(r[RTC_HOURS_ALARM]!, this.encodeHours(d.getUTCHours()))
    );
  }

  private drive(): void {
    const level = (this.statusC() & C_IRQF) !== 0;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.host.setIrq(RTC_IRQ, level);
  }

  /** Asks for a call at the next instant an enabled interrupt can newly be raised. */
  private reschedule(now: number): void {
    const b = this.ram[RTC_STATUS_B]!;
    let next = Number.POSITIVE_INFINITY;
    const p = this.periodicInterval();
    if (b & B_PIE && p && !(this.flags & C_PF)) next = (Math.floor(now / p) + 1) * p;
    const wantsUpdate = (b & B_UIE && !(this.flags & C_UF)) || (b & B_AIE && !(this.flags & C_AF));
    if (wantsUpdate && this.frozen === null) {
      next = Math.min(next, (Math.floor(now / this.ips) + 1) * this.ips);
    }
    if (next !== Number.POSITIVE_INFINITY) this.host.schedule(this, next);
  }

  advance(now: number): void {
    this.sync(now);
    this.drive();
    this.reschedule(now);
  }

  inspect(): CmosInspection {
    const now = this.host.now();
    const t = this.timeAt(now);
    const bytes: number[] = [];
    for (let i = 0; i < 128; i++) bytes.push(this.readRegister(i, now));
    return {
      index: this.index,
      nmiDisabled: this.nmiDisabled,
      time: t,
      date: new Date(t * 1000).toISOString(),
      statusA: bytes[RTC_STATUS_A]!,
      statusB: bytes[RTC_STATUS_B]!,
      flags: this.statusC(),
      irqLevel: this.irqLevel,
      bytes,
    };
  }
}

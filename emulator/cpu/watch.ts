import type { Cpu } from './cpu.js';

export type WatchKind = 'read' | 'write' | 'access';

export interface Watchpoint {
  id: number;
  /** First byte watched (linear or physical, as `space` says). */
  address: number;
  length: number;
  space: 'linear' | 'physical';
  kind: WatchKind;
}

export interface WatchHit {
  watchpoint: Watchpoint;
  linear: number;
  physical: number;
  size: number;
  write: boolean;
}

/**
 * Thrown (like a fault, before the access happens) when an instruction touches a watched range;
 * the machine then re-executes that one instruction with watchpoints suppressed and stops after it,
 * so the stop is precise and the access really happened. Not an Error: no stack trace to capture.
 */
export class WatchTrap {
  constructor(readonly hit: WatchHit) {}
}

/**
 * Data watchpoints. Their pages are kept out of the TLB, so only accesses to those pages reach
 * check(); with no watchpoints the cost is nothing.
 */
export class Watchpoints {
  active = false;
  /** While set, hits are recorded in lastHit instead of trapping (the re-executed instruction). */
  suppress = false;
  lastHit: WatchHit | null = null;
  private list: Watchpoint[] = [];

  constructor(private readonly cpu: Cpu) {}

  get all(): readonly Watchpoint[] {
    return this.list;
  }

  set(list: Watchpoint[]): void {
    for (const w of list) {
      if (!(w.length > 0) || w.length > 1 << 20) throw new RangeError(`watchpoint length must be 1..1048576 bytes, got ${w.length}`);
    }
    this.list = list.map((w) => ({ ...w, address: w.address >>> 0 }));
    this.active = this.list.length > 0;
    const lin = new Set<number>();
    const phys = new Set<number>();
    for (const w of this.list) {
      const first = w.address >>> 12, last = (w.address + w.length - 1) >>> 12;
      for (let p = first; p <= last; p++) (w.space === 'linear' ? lin : phys).add(p & 0xfffff);
    }
    this.cpu.mmu.noFillLinear = lin;
    this.cpu.mmu.noFillPhysical = phys;
    this.cpu.mmu.flush();
  }

  check(lin: number, phys: number, size: number, write: boolean): void {
    for (const w of this.list) {
      if (w.kind === 'read' && write) continue;
      if (w.kind === 'write' && !write) continue;
      const a = w.space === 'linear' ? lin >>> 0 : phys >>> 0;
      if (a + size <= w.address || a >= w.address + w.length) continue;
      const hit: WatchHit = { watchpoint: w, linear: lin >>> 0, physical: phys >>> 0, size, write };
      if (this.suppress) {
        this.lastHit ??= hit;
        continue;
      }
      throw new WatchTrap(hit);
    }
  }
}

import { Cpu, type RingTransition } from './cpu/cpu.js';
import { CpuFault, VECTOR_MNEMONICS, VECTOR_NAMES } from './cpu/fault.js';
import { IF } from './cpu/eflags.js';
import { deliverException, Source, TripleFault, VectorStop, type VectorEvent } from './cpu/interrupts.js';
import { WatchTrap, type WatchHit } from './cpu/watch.js';
import { PhysicalMemory } from './memory/physical.js';
import type { ClockedDevice, DeviceHost, InterruptSource, StatefulDevice } from './devices/device.js';
import { MachineSnapshot, MachineSnapshots, type SnapshotStats } from './snapshot/machine-snapshots.js';

export { MachineSnapshot, type SnapshotStats };

export const DEFAULT_MEMORY = 128 << 20;

/** Why run() returned. */
export type StopReason =
  | { kind: 'budget' }
  | { kind: 'breakpoint'; eip: number }
  | { kind: 'watchpoint'; hit: WatchHit }
  /** The vector hook asked to stop before this vector is delivered (it is delivered on resume). */
  | { kind: 'vector'; event: VectorEvent }
  /** hlt with interrupts disabled (or nothing left that could ever interrupt). */
  | { kind: 'halt'; interruptsEnabled: boolean }
  | { kind: 'triple-fault'; message: string; eip: number }
  | { kind: 'debug-exit'; status: number }
  /** Pause requested from outside (e.g. the debugger's pause button). */
  | { kind: 'paused' }
  /** The ring hook asked to stop after a change of privilege level. */
  | { kind: 'ring'; from: number; to: number; how: RingTransition };

/** A breakpoint on a linear address, optionally only while CR3 holds a given page directory. */
export interface MachineBreakpoint {
  address: number;
  cr3?: number;
}

export interface MachineOptions {
  /** Guest RAM in bytes (default 128 MiB). */
  memory?: number;
}

interface Scheduled {
  device: ClockedDevice;
  at: number;
}

/** The machine's own part of a snapshot. */
interface MachineOwnState {
  events: Scheduled[];
  exitStatus: number | null;
  pauseRequested: boolean;
  irqLevels: number;
}

/**
 * The PC: CPU, RAM, port bus, interrupt source and timed devices, run in slices of the instruction
 * clock. Device events happen between slices, exactly at their instruction count, so a run is
 * deterministic.
 */
export class Machine implements DeviceHost {
  readonly mem: PhysicalMemory;
  readonly cpu: Cpu;
  /** What the CPU acknowledges (pc.ts plugs in the InterruptRouter: local APIC, then the 8259 pair). */
  interrupts: InterruptSource | null = null;
  private readonly events: Scheduled[] = [];
  private exitStatus: number | null = null;
  private pauseRequested = false;
  private irqLevels = 0;
  /** The instruction count the running slice ends at (-1 between slices): see schedule(). */
  private sliceEnd = -1;
  /** ISA IRQ lines, forwarded to whoever routes them (the 8259 pair and the I/O APIC). */
  irqSink: ((line: number, level: boolean) => void) | null = null;
  /** Devices whose state snapshots include (they register themselves). */
  private readonly devices: StatefulDevice[] = [];
  private snapshots: MachineSnapshots<MachineOwnState> | null = null;

  constructor(opts: MachineOptions = {}) {
    this.mem = new PhysicalMemory(opts.memory ?? DEFAULT_MEMORY);
    this.cpu = new Cpu(this.mem);
  }

  // ---------------------------------------------------------------- DeviceHost

  now(): number {
    return this.cpu.icount;
  }

  setIrq(line: number, level: boolean): void {
    const bit = 1 << line;
    this.irqLevels = level ? this.irqLevels | bit : this.irqLevels & ~bit;
    this.irqSink?.(line, level);
    this.updateIntr();
  }

  /** Re-reads the interrupt controller's INTR output (devices call this through the PIC). */
  updateIntr(): void {
    this.cpu.intrPending = this.interrupts?.intr() ?? false;
  }

  requestExit(status: number): void {
    this.exitStatus = status;
    this.cpu.stopRequested = true;
  }

  schedule(device: ClockedDevice, at: number): void {
    const existing = this.events.findIndex((e) => e.device === device);
    if (existing >= 0) this.events.splice(existing, 1);
    this.events.push({ device, at });
    this.events.sort((a, b) => a.at - b.at);
    // Scheduled from inside the running slice (a port or MMIO write arming a timer) for an instant
    // before the slice ends: end the slice after this block, so the event is not late by a slice.
    if (at < this.sliceEnd) this.cpu.stopRequested = true;
  }

  registerDevice(device: StatefulDevice): void {
    if (!this.devices.includes(device)) this.devices.push(device);
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * Saves the whole machine state (CPU, TLB, RAM, devices, scheduled events, pending input) and
   * returns a handle for restore(). Cheap: RAM and disk pages are shared until written. Call it
   * between runs (after run() returned), not from a hook or device callback inside a run.
   */
  snapshot(): MachineSnapshot {
    this.snapshots ??= new MachineSnapshots<MachineOwnState>({
      cpu: this.cpu,
      mem: this.mem,
      devices: this.devices,
      saveOwn: () => ({
        events: this.events.map((e) => ({ ...e })),
        exitStatus: this.exitStatus,
        pauseRequested: this.pauseRequested,
        irqLevels: this.irqLevels,
      }),
      loadOwn: (s) => {
        this.events.splice(0, this.events.length, ...s.events.map((e) => ({ ...e })));
        this.exitStatus = s.exitStatus;
        this.pauseRequested = s.pauseRequested;
        this.irqLevels = s.irqLevels;
      },
    });
    return this.snapshots.take();
  }

  /** Returns the machine to a snapshot's state; the same inputs then give the same run. */
  restore(snapshot: MachineSnapshot): void {
    if (!this.snapshots) throw new Error('unknown snapshot: this machine has taken none');
    this.snapshots.restore(snapshot);
  }

  /** Frees a snapshot (its saved pages, unless an older snapshot still needs them). */
  release(snapshot: MachineSnapshot): void {
    this.snapshots?.release(snapshot);
  }

  snapshotStats(): SnapshotStats {
    const empty = { layers: 0, pagesHeld: 0, bytesHeld: 0, pagesSaved: 0, pagesRestored: 0, bytesCopied: 0 };
    return this.snapshots?.stats() ?? { snapshots: 0, ram: { ...empty }, storage: { ...empty } };
  }

  /**
   * Writes guest RAM from outside the guest (the debugger): snapshots keep their bytes, and code
   * decoded from the pages is dropped. Bytes beyond the end of RAM are ignored, as guest writes are.
   */
  writePhysical(phys: number, bytes: Uint8Array): void {
    const start = Math.max(0, phys);
    const end = Math.min(this.mem.size, phys + bytes.length);
    if (end <= start) return;
    this.mem.claim(start, end - start);
    this.mem.u8.set(bytes.subarray(start - phys, end - phys), start);
    const blocks = this.cpu.blocks;
    for (let p = start >>> 12; p <= (end - 1) >>> 12; p++) if (blocks.codePages[p]) blocks.invalidatePage(p);
  }

  /** CR3 filters of the breakpoints that have one (address -> allowed page-directory bases). */
  private breakpointCr3 = new Map<number, Set<number>>();

  /** Replaces the breakpoint set. Blocks are re-cut at the new addresses. */
  setBreakpoints(list: readonly MachineBreakpoint[]): void {
    const filters = new Map<number, Set<number>>();
    const unfiltered = new Set<number>();
    for (const b of list) {
      const a = b.address >>> 0;
      if (b.cr3 === undefined) unfiltered.add(a);
      else {
        let set = filters.get(a);
        if (!set) filters.set(a, (set = new Set()));
        set.add((b.cr3 & ~0xfff) >>> 0);
      }
    }
    for (const a of unfiltered) filters.delete(a);
    this.breakpointCr3 = filters;
    this.cpu.setBreakpoints([...unfiltered, ...filters.keys()]);
  }

  /** Whether a breakpoint at `eip` applies now (its CR3 filter, if any, matches). */
  private breakpointApplies(eip: number): boolean {
    const f = this.breakpointCr3.get(eip);
    return !f || f.has((this.cpu.cr3 & ~0xfff) >>> 0);
  }

  /** Asks a running run() to return {kind:'paused'} at the next slice boundary (safe from any callback). */
  requestPause(): void {
    this.pauseRequested = true;
    this.cpu.stopRequested = true;
  }

  // ---------------------------------------------------------------- running

  /** Longest stretch run without looking at pause requests, so a pause lands within milliseconds. */
  static readonly SLICE = 1 << 20;

  /**
   * Runs at most `budget` instructions and says why it stopped. A breakpoint at the current EIP
   * does not stop the first instruction, so run() after a breakpoint stop makes progress.
   */
  run(budget: number): StopReason {
    const cpu = this.cpu;
    const end = cpu.icount + budget;
    let first = true;
    this.pauseRequested = false;
    cpu.ringStop = null;
    for (;;) {
      cpu.stopRequested = false;
      cpu.breakpointHit = false;
      if (cpu.ringStop) return this.takeRingStop() as StopReason;
      try {
        if (cpu.pendingVector) {
          const p = cpu.pendingVector;
          cpu.pendingVector = null;
          cpu.vectorHookBypass = true;
          deliverException(cpu, p.vector, p.errorCode, p.source);
          // Execution now starts at the handler; a breakpoint on its first instruction should stop.
          first = false;
        }
        this.dispatchEvents();
        // An interrupt is taken between instructions. Execution leaves a block early when one is
        // pending and IF is set, and every instruction that can set IF (sti, popf, iret) ends its
        // block, so here is the first boundary after it became deliverable, unless an sti or mov
        // ss shadow covers the next instruction: then that one instruction runs first (below).
        let shadowed = false;
        if (cpu.intrPending && cpu.flags & IF && this.interrupts) {
          if (cpu.icount >= cpu.interruptShadowUntil) {
            const vector = this.interrupts.acknowledge();
            this.updateIntr();
            deliverException(cpu, vector, -1, Source.External);
          } else {
            shadowed = true;
          }
        }
        if (cpu.halted) {
          if (!(cpu.flags & IF)) return { kind: 'halt', interruptsEnabled: false };
          const next = this.events[0];
          if (!next) return { kind: 'halt', interruptsEnabled: true };
          // Idle until the next device event: the clock jumps there (halted time counts as cycles).
          if (next.at >= end) {
            cpu.icount = end;
            return { kind: 'budget' };
          }
          cpu.icount = Math.max(cpu.icount, next.at);
          continue;
        }
        const left = end - cpu.icount;
        if (left <= 0) return { kind: 'budget' };
        if (this.pauseRequested) return { kind: 'paused' };
        if (!first && cpu.breakpoints.has(cpu.eip >>> 0) && this.breakpointApplies(cpu.eip >>> 0)) {
          return { kind: 'breakpoint', eip: cpu.eip >>> 0 };
        }
        let slice = Math.min(left, Machine.SLICE);
        const next = this.events[0];
        if (next) slice = Math.max(1, Math.min(slice, next.at - cpu.icount));
        if (first) slice = 1;
        if (shadowed) slice = Math.min(slice, cpu.interruptShadowUntil - cpu.icount);
        this.sliceEnd = cpu.icount + slice;
        try {
          cpu.execute(slice);
        } finally {
          this.sliceEnd = -1;
        }
        first = false;
      } catch (e) {
        if (e instanceof CpuFault) {
          try {
            deliverException(cpu, e.vector, e.errorCode, Source.Exception);
          } catch (e2) {
            const stop = this.stopFor(e2);
            if (stop) return stop;
            throw e2;
          }
          first = false;
          continue;
        }
        const stop = this.stopFor(e);
        if (stop) return stop;
        throw e;
      }
      if (this.exitStatus !== null) {
        const status = this.exitStatus;
        this.exitStatus = null;
        return { kind: 'debug-exit', status };
      }
      if (cpu.ringStop) return this.takeRingStop() as StopReason;
      if (cpu.breakpointHit) {
        // A breakpoint bound to another address space: step over it and go on.
        if (this.breakpointApplies(cpu.eip >>> 0)) return { kind: 'breakpoint', eip: cpu.eip >>> 0 };
        first = true;
        continue;
      }
      if (this.pauseRequested) return { kind: 'paused' };
    }
  }

  private takeRingStop(): StopReason | null {
    const r = this.cpu.ringStop;
    this.cpu.ringStop = null;
    return r ? { kind: 'ring', from: r.from, to: r.to, how: r.how } : null;
  }

  /** Converts the non-fault signals thrown out of execution into stop reasons. */
  private stopFor(e: unknown): StopReason | null {
    const cpu = this.cpu;
    if (e instanceof TripleFault) {
      cpu.halted = true;
      return { kind: 'triple-fault', message: `triple fault: ${e.detail}`, eip: cpu.eip >>> 0 };
    }
    if (e instanceof VectorStop) {
      const p = cpu.pendingVector;
      const event = cpu.lastVectorEvent;
      if (p && event) return { kind: 'vector', event };
      return null;
    }
    if (e instanceof WatchTrap) {
      // Re-run the instruction that touched the watched range, letting the access happen.
      cpu.watch.suppress = true;
      cpu.watch.lastHit = null;
      try {
        cpu.execute(1);
      } catch (e2) {
        if (!(e2 instanceof CpuFault)) throw e2;
        deliverException(cpu, e2.vector, e2.errorCode, Source.Exception);
      } finally {
        cpu.watch.suppress = false;
      }
      return { kind: 'watchpoint', hit: e.hit };
    }
    return null;
  }

  private dispatchEvents(): void {
    const now = this.cpu.icount;
    while (this.events.length && this.events[0].at <= now) {
      const ev = this.events.shift() as Scheduled;
      ev.device.advance(now);
    }
  }
}

/** A one-line description of a vector, e.g. "#PF Page Fault". */
export function vectorName(v: number): string {
  return `${VECTOR_MNEMONICS[v] ?? (v >= 32 ? 'IRQ/INT' : '#?')} ${VECTOR_NAMES[v] ?? `vector ${v}`}`;
}

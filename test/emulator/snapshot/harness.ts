// Test scaffolding for machine snapshots: guests booted on the standard PC, the console captured
// as the host sees it, and an "observation" of everything a run can change, so that two runs
// compare with one toEqual.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine, type MachineSnapshot } from '../../../emulator/machine.js';
import { attachStandardDevices, type StandardDevices } from '../../../emulator/pc.js';
import { loadMultiboot } from '../../../emulator/loader/multiboot.js';
import { TLB_OWNED } from '../../../emulator/cpu/mmu.js';
import type { VectorEvent } from '../../../emulator/cpu/interrupts.js';
import { buildSystemKernel } from '../system/build.js';

/** A booted machine with its devices, the console bytes and the vectors delivered so far. */
export class Rig {
  readonly machine: Machine;
  readonly dev: StandardDevices;
  /** COM1 output as the host received it. */
  readonly output: number[] = [];
  readonly events: VectorEvent[] = [];
  /**
   * What the host had seen when each snapshot was taken. Copies, not lengths: a later snapshot may
   * be restored after an earlier one, when the host's log has been cut back below its mark.
   */
  private readonly marks = new Map<MachineSnapshot, { output: number[]; events: VectorEvent[] }>();

  constructor(memory: number, opts: { diskImage?: Uint8Array } = {}) {
    this.machine = new Machine({ memory });
    this.dev = attachStandardDevices(this.machine, opts);
    this.dev.com1.onTransmit = (b) => this.output.push(b);
    this.machine.cpu.vectorHook = (e) => {
      this.events.push({ ...e });
      return false;
    };
  }

  snapshot(): MachineSnapshot {
    const s = this.machine.snapshot();
    this.marks.set(s, { output: [...this.output], events: [...this.events] });
    return s;
  }

  /** Restores the machine, and forgets what the host received after the snapshot. */
  restore(s: MachineSnapshot): void {
    this.machine.restore(s);
    const mark = this.marks.get(s)!;
    this.output.splice(0, this.output.length, ...mark.output);
    this.events.splice(0, this.events.length, ...mark.events);
  }

  /** Runs exactly `n` instructions (in the same slices every time, so runs compare). */
  run(n: number): void {
    const m = this.machine;
    const end = m.cpu.icount + n;
    while (m.cpu.icount < end) {
      const stop = m.run(end - m.cpu.icount);
      if (stop.kind !== 'budget') throw new Error(`guest stopped early: ${JSON.stringify(stop)}`);
    }
  }

  /** Runs until the guest stops by itself; returns the stop reason. */
  runToEnd(limit = 1e9): string {
    const stop = this.machine.run(limit);
    return stop.kind === 'debug-exit' ? `debug-exit ${stop.status}` : stop.kind;
  }

  text(): string {
    return Buffer.from(this.output).toString('latin1');
  }
}

export interface Observation {
  icount: number;
  eip: number;
  eflags: number;
  regs: number[];
  segments: { sel: number[]; base: number[]; limit: number[]; attr: number[] };
  control: number[];
  tables: number[];
  cpl: number;
  halted: boolean;
  intrPending: boolean;
  /** The TLB's mappings (without TLB_OWNED, which only says who owns a frame for snapshots). */
  tlb: string;
  ram: string;
  disk: string;
  devices: unknown;
  output: string;
  vectors: number;
  lastVectors: number[];
}

export function hash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Everything a run can change, in comparable form. */
export function observe(rig: Rig): Observation {
  const { cpu, mem } = rig.machine;
  const tlb = cpu.mmu.snapshot();
  const entries = tlb.entries.map((e) => e & ~TLB_OWNED);
  const order = [...tlb.pages.keys()].sort((a, b) => tlb.pages[a]! - tlb.pages[b]!);
  return {
    icount: cpu.icount,
    eip: cpu.eip >>> 0,
    eflags: cpu.getEflags() >>> 0,
    regs: [...cpu.regs],
    segments: { sel: [...cpu.segSel], base: [...cpu.segBase], limit: [...cpu.segLimit], attr: [...cpu.segAttr] },
    control: [cpu.cr0, cpu.cr2, cpu.cr3, cpu.cr4, ...cpu.dr],
    tables: [cpu.gdtBase, cpu.gdtLimit, cpu.idtBase, cpu.idtLimit, cpu.ldtSel, cpu.trSel, cpu.trBase, cpu.trLimit],
    cpl: cpu.cpl,
    halted: cpu.halted,
    intrPending: cpu.intrPending,
    tlb: order.map((k) => `${tlb.pages[k]!.toString(16)}:${(entries[k]! >>> 0).toString(16)}`).join(','),
    ram: hash(mem.u8),
    disk: hash(rig.dev.disk.image),
    devices: {
      pic: rig.dev.pic.inspect(),
      pit: rig.dev.pit.inspect(),
      com1: rig.dev.com1.inspect(),
      debugExit: rig.dev.debugExit.inspect(),
      disk: rig.dev.disk.inspect(),
      lapic: rig.dev.lapic.inspect(),
      ioapic: rig.dev.ioapic.inspect(),
      cmos: rig.dev.cmos.inspect(),
      cga: rig.dev.cga.inspect(),
      keyboard: rig.dev.keyboard.inspect(),
      ide: rig.dev.ide.inspect(),
      fwCfg: rig.dev.fwCfg.snapshot(),
    },
    output: rig.text(),
    vectors: rig.events.length,
    lastVectors: rig.events.slice(-20).map((e) => e.vector),
  };
}

// ---------------------------------------------------------------- guests

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

/**
 * The shared bench guest (../shared/bench-guest) at SCALE=1: 157 million instructions of integer
 * work, paging-heavy memory traffic and ring 3 <-> 0 round trips. Built once per content into a
 * folder under the temp directory, like the system-test kernel.
 */
export function benchGuest(): Uint8Array {
  const src = resolve(repo, '..', 'shared', 'bench-guest');
  const candidates = [src, resolve(repo, '..', '..', 'shared', 'bench-guest')];
  const dir = candidates.find((d) => existsSync(join(d, 'build.sh')));
  if (!dir) throw new Error(`bench guest not found (looked in ${candidates.join(', ')})`);
  const h = createHash('sha256');
  for (const f of readdirSync(dir).filter((f) => /\.(c|S|ld|sh)$/.test(f)).sort()) h.update(f).update(readFileSync(join(dir, f)));
  const cache = join(tmpdir(), `ringside-bench-s1-${h.digest('hex').slice(0, 16)}`);
  const elf = join(cache, 'bench_s1.elf');
  if (!existsSync(elf)) {
    const work = mkdtempSync(join(tmpdir(), 'ringside-bench-build-'));
    try {
      cpSync(dir, work, { recursive: true });
      execFileSync('bash', ['build.sh', '1'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        renameSync(work, cache);
      } catch (e) {
        if (!existsSync(elf)) throw e; // another test file built it first
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return new Uint8Array(readFileSync(elf));
}

export const BENCH_CHECKSUM = 'ee559da9';

export function bootBench(): Rig {
  const rig = new Rig(64 << 20);
  loadMultiboot(rig.machine, benchGuest(), 'bench', []);
  return rig;
}

/** The system-test kernel (test/emulator/system/kernels) running one sub-test, as QEMU -m 32 would. */
export function bootSystemKernel(test: string): Rig {
  const rig = new Rig(32 << 20);
  loadMultiboot(rig.machine, buildSystemKernel().bytes, 'kernel.elf', [], { cmdline: test });
  return rig;
}

/** Milliseconds `f` took, and its result. */
export function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

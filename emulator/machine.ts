import { Cpu } from './cpu/cpu.js';
import { CpuFault, VECTOR_MNEMONICS, VECTOR_NAMES } from './cpu/fault.js';
import { PhysicalMemory } from './memory/physical.js';

export const DEFAULT_MEMORY = 128 << 20;

/** Why run() returned. */
export type StopReason =
  | { kind: 'budget' }
  | { kind: 'breakpoint'; eip: number }
  | { kind: 'halt' }
  | { kind: 'exception'; vector: number; errorCode: number; eip: number; message: string };

export interface MachineOptions {
  /** Guest RAM in bytes (default 128 MiB). */
  memory?: number;
}

/** The PC: a CPU, its RAM, and (as later issues add them) devices. */
export class Machine {
  readonly mem: PhysicalMemory;
  readonly cpu: Cpu;

  constructor(opts: MachineOptions = {}) {
    this.mem = new PhysicalMemory(opts.memory ?? DEFAULT_MEMORY);
    this.cpu = new Cpu(this.mem);
  }

  /**
   * Runs at most `budget` instructions and says why it stopped. A breakpoint at the current EIP
   * does not stop the first instruction, so run() after a breakpoint stop makes progress.
   */
  run(budget: number): StopReason {
    const cpu = this.cpu;
    let left = budget;
    cpu.stopRequested = false;
    cpu.breakpointHit = false;
    if (cpu.halted) return { kind: 'halt' };
    try {
      // The first instruction runs even when a breakpoint sits on it (we are resuming from it).
      let first = true;
      while (left > 0 && !cpu.stopRequested && !cpu.breakpointHit) {
        if (!first && cpu.breakpoints.has(cpu.eip >>> 0)) {
          cpu.breakpointHit = true;
          break;
        }
        left -= cpu.execute(first ? 1 : left);
        first = false;
      }
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      const name = VECTOR_NAMES[e.vector] ?? `vector ${e.vector}`;
      const mnem = VECTOR_MNEMONICS[e.vector] ?? '';
      return {
        kind: 'exception',
        vector: e.vector,
        errorCode: e.errorCode,
        eip: cpu.eip >>> 0,
        message: `${mnem} ${name}${e.detail ? ': ' + e.detail : ''}`.trim(),
      };
    }
    if (cpu.breakpointHit) return { kind: 'breakpoint', eip: cpu.eip >>> 0 };
    if (cpu.halted) return { kind: 'halt' };
    return { kind: 'budget' };
  }
}

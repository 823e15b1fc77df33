// Runs cases in the emulator: the batch ELF's segments are copied into a flat guest RAM at their
// link addresses (paging off, segment bases 0, CPL 3 as natively), then each case starts at its
// entry with the same registers, EFLAGS and windows as natively, and stops on a breakpoint at
// `collect`, or on the first exception.
import type { Machine, StopReason } from '../../../emulator/machine.js';
import type { MachineState } from './gen/case.js';
import type { Elf32 } from './elf32.js';
import { clearPendingVector, enterUserMode, loadSegments, newGuest } from './guest.js';
import { DATA_SIZE, DATA_WIN, LOW_SIZE, LOW_WIN, STACK_SIZE, STACK_WIN, USER_FIXED_FLAGS } from './layout.js';

export type EmuStop = StopReason | { kind: 'crash'; message: string };

export interface EmuResult {
  stop: EmuStop;
  state: MachineState;
  /** Instructions the emulator retired for this case. */
  executed: number;
}

export class EmulatorHarness {
  readonly machine: Machine = newGuest();

  constructor(private readonly elf: Elf32, selectors: readonly number[], private readonly stopAt: number) {
    this.loadImage();
    enterUserMode(this.machine, selectors);
    this.machine.cpu.setBreakpoints([stopAt]);
  }

  /** Copies the ELF's loadable segments to RAM (again after a failure, in case a case wrote over them). */
  loadImage(): void {
    loadSegments(this.machine, this.elf);
  }

  runCase(init: MachineState, entry: number, budget: number): EmuResult {
    const { cpu, mem } = this.machine;
    mem.load(DATA_WIN, init.data);
    mem.load(STACK_WIN, init.stack);
    mem.load(LOW_WIN, init.low);
    init.regs.forEach((v, r) => (cpu.regs[r] = v));
    // User-mode EFLAGS natively always have IF (and bit 1) set; match that.
    cpu.setEflags(init.eflags | USER_FIXED_FLAGS);
    cpu.eip = entry;
    clearPendingVector(this.machine);
    const before = cpu.icount;
    let stop: EmuStop;
    try {
      stop = this.machine.run(budget);
    } catch (e) {
      stop = { kind: 'crash', message: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e) };
    }
    const state: MachineState = {
      regs: Array.from({ length: 8 }, (_, r) => cpu.regs[r] >>> 0),
      eflags: cpu.getEflags() >>> 0,
      data: mem.peek(DATA_WIN, DATA_SIZE),
      stack: mem.peek(STACK_WIN, STACK_SIZE),
      low: mem.peek(LOW_WIN, LOW_SIZE),
    };
    return { stop, state, executed: cpu.icount - before };
  }

  /** Whether the run stopped where every case must end. */
  reachedCollect(stop: EmuStop): boolean {
    return stop.kind === 'breakpoint' && stop.eip === this.stopAt;
  }
}

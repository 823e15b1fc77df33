// Runs one sub-test of the system-test kernel on Ringside's PC: the standard devices, the
// multiboot loader, COM1 collected as text, every vector delivery recorded through the hook.
import { Machine, type StopReason } from '../../../emulator/machine.js';
import { attachStandardDevices } from '../../../emulator/pc.js';
import { loadMultiboot } from '../../../emulator/loader/multiboot.js';
import type { VectorEvent } from '../../../emulator/cpu/interrupts.js';
import type { BuiltKernel } from './build.js';

export interface OurRun {
  output: string;
  stop: StopReason;
  events: VectorEvent[];
  machine: Machine;
}

export interface RunOptions {
  /** Stop at this symbol, call onBreakpoint with the machine, then go on. */
  breakpoint?: string;
  onBreakpoint?: (m: Machine, outputSoFar: string) => void;
  /** Instruction limit for the whole run (a run that reaches it stops with 'budget'). */
  budget?: number;
}

/** Same RAM as QEMU's -m 32. */
const MEMORY = 32 << 20;
const SLICE = 5_000_000;

export function runOurs(kernel: BuiltKernel, test: string, opts: RunOptions = {}): OurRun {
  const machine = new Machine({ memory: MEMORY });
  const { com1 } = attachStandardDevices(machine);
  const bytes: number[] = [];
  com1.onTransmit = (b) => bytes.push(b);
  const events: VectorEvent[] = [];
  machine.cpu.vectorHook = (e) => {
    events.push({ ...e });
    return false;
  };
  loadMultiboot(machine, kernel.bytes, 'kernel.elf', [], { cmdline: test });
  if (opts.breakpoint) machine.setBreakpoints([{ address: kernel.symbol(opts.breakpoint) }]);
  const text = (): string => Buffer.from(bytes).toString('latin1');
  let left = opts.budget ?? 400_000_000;
  for (;;) {
    const before = machine.cpu.icount;
    const stop = machine.run(Math.min(SLICE, left));
    left -= machine.cpu.icount - before;
    if (stop.kind === 'breakpoint' && opts.onBreakpoint) {
      opts.onBreakpoint(machine, text());
      continue;
    }
    if (stop.kind !== 'budget' || left <= 0) return { output: text(), stop, events, machine };
  }
}

// Stepping with the cross-ring semantics of the debugging model: step into an `int`, `sysenter` or a
// faulting instruction lands in the handler; step over it runs the kernel and stops at the next line
// of the same environment; step out of a handler returns through iret. Steps run instruction by
// instruction inside the line, and calls (and interrupts that are not to be seen) are run through at
// full speed to their return address with a temporary breakpoint.
import type { Machine, StopReason } from '../emulator/machine.js';
import type { ProgramSymbols } from './symbols/index.js';
import { readVirtual, readVirtual32 } from './vm.js';

export type StepKind = 'in' | 'over' | 'out' | 'instruction' | 'instruction-over';

export interface StepEnvironment {
  machine: Machine;
  /** Symbols for code at `pc` in ring `ring` of the current environment. */
  symbolsAt(pc: number, ring: number): ProgramSymbols | undefined;
  /** Identifies the environment on the CPU (its CR3), so a step stays in one address space. */
  currentSpace(): number;
  /** Whether interrupts may be seen while stepping (launch option interruptsWhileStepping). */
  interruptsWhileStepping: boolean;
  /** The return point of the current function frame, from the unwinder: [pc, esp after return]. */
  returnPoint(): { pc: number; esp: number; ring: number } | undefined;
  /** Set when an external interrupt was delivered during the last machine.run call. */
  takeInterruptReturn(): { eip: number; cr3: number } | null;
}

export type StepOutcome = { kind: 'done' } | { kind: 'stopped'; reason: StopReason } | { kind: 'continue' };

/** Bytes of a `call` at pc (e8 rel32 / ff /2), or 0 when the instruction is not a call. */
function callLength(m: Machine, pc: number): number {
  const b = readVirtual(m, pc, 8);
  if (!b) return 0;
  let i = 0;
  while (i < 4 && (b[i] === 0x66 || b[i] === 0x67 || b[i] === 0x2e || b[i] === 0x3e || b[i] === 0x26 || b[i] === 0x36 || b[i] === 0x64 || b[i] === 0x65)) i++;
  if (b[i] === 0xe8) return i + 5;
  if (b[i] === 0xff && ((b[i + 1] >> 3) & 7) === 2) {
    const modrm = b[i + 1];
    const mod = modrm >> 6, rm = modrm & 7;
    let len = i + 2;
    if (mod !== 3 && rm === 4) len++;
    if (mod === 1) len += 1;
    else if (mod === 2 || (mod === 0 && rm === 5)) len += 4;
    return len;
  }
  return 0;
}

const LINE_LIMIT = 5_000_000;

/**
 * A step in progress. `advance()` does a bounded amount of work and says whether the step is done,
 * stopped for another reason (a breakpoint, a filter, the guest's exit), or needs more time.
 */
export class Step {
  private readonly startPc: number;
  private readonly startRing: number;
  private readonly startSpace: number;
  private readonly startLine: { file: string; line: number } | undefined;
  private readonly startEsp: number;
  private budget = LINE_LIMIT;
  /** While running to a return address: the address and the stack pointer it must come back at. */
  private runTo: { pc: number; esp: number; space: number } | null = null;
  /** Run until the CPU is back in ring 3 of the starting environment. */
  private untilUser = false;
  /** The last return point of the current function, for step out (captured once). */
  private outTarget: { pc: number; esp: number; ring: number } | undefined;

  constructor(private readonly env: StepEnvironment, readonly kind: StepKind) {
    const cpu = env.machine.cpu;
    this.startPc = cpu.eip >>> 0;
    this.startRing = cpu.cpl;
    this.startSpace = env.currentSpace();
    this.startEsp = cpu.regs[4] >>> 0;
    const sym = env.symbolsAt(this.startPc, this.startRing);
    const loc = sym?.lineForAddress(this.startPc);
    this.startLine = loc ? { file: loc.file, line: loc.line } : undefined;
    if (kind === 'out') {
      this.outTarget = env.returnPoint();
      if (!this.outTarget || this.outTarget.ring !== this.startRing) this.untilUser = this.startRing === 0;
      else this.runTo = { pc: this.outTarget.pc, esp: this.outTarget.esp, space: this.startSpace };
    }
  }

  /** Breakpoints the step needs the machine to honour (return addresses). */
  get temporaryBreakpoints(): number[] {
    return this.runTo ? [this.runTo.pc] : [];
  }

  /** Runs up to `quantum` instructions of the step. */
  advance(quantum: number, runMachine: (budget: number, temp: number[]) => StopReason): StepOutcome {
    const m = this.env.machine;
    const cpu = m.cpu;
    let used = 0;
    while (used < quantum) {
      if (this.budget <= 0) return { kind: 'done' }; // a line that never ends: stop where it is
      if (this.runTo || this.untilUser) {
        const before = cpu.icount;
        const r = runMachine(Math.min(quantum - used, 1_000_000), this.runTo ? [this.runTo.pc] : []);
        used += Math.max(1, cpu.icount - before);
        // Arriving at the return point by a stop of another kind (the iret of an interrupt handler
        // ends the run with a ring change right there) counts as reaching it: a breakpoint at the
        // current EIP would be skipped by the next run.
        const atTarget = this.runTo !== null && (cpu.eip >>> 0) === this.runTo.pc;
        if (this.runTo && (atTarget || (r.kind === 'breakpoint' && r.eip === this.runTo.pc))) {
          if ((cpu.regs[4] >>> 0) >= this.runTo.esp && this.env.currentSpace() === this.runTo.space) {
            this.runTo = null;
            if (this.kind === 'out') return { kind: 'done' };
            if (this.atStop()) return { kind: 'done' };
            continue;
          }
          continue; // a recursive or other-environment hit: keep running
        }
        if (r.kind === 'ring' && this.untilUser && r.to === 3 && this.env.currentSpace() === this.startSpace) {
          this.untilUser = false;
          if (this.kind === 'out' || this.atStop()) return { kind: 'done' };
          continue;
        }
        if (r.kind === 'budget' || r.kind === 'ring') continue;
        return { kind: 'stopped', reason: r };
      }
      // One instruction.
      const pc = cpu.eip >>> 0;
      const ring = cpu.cpl;
      const esp = cpu.regs[4] >>> 0;
      const callLen = this.kind === 'in' || this.kind === 'instruction' ? 0 : callLength(m, pc);
      const r = runMachine(1, []);
      used++;
      this.budget--;
      if (r.kind !== 'budget' && r.kind !== 'ring' && !(r.kind === 'breakpoint' && (cpu.eip >>> 0) !== pc)) return { kind: 'stopped', reason: r };
      const intr = this.env.takeInterruptReturn();
      if (intr && !this.env.interruptsWhileStepping) {
        // An interrupt arrived: run its handler through and resume the step where it left off.
        this.runTo = { pc: intr.eip, esp: cpu.cpl === ring ? esp : 0, space: intr.cr3 };
        continue;
      }
      if (this.kind === 'instruction') return { kind: 'done' };
      if (callLen && (cpu.regs[4] >>> 0) === ((esp - 4) >>> 0) && readVirtual32(m, cpu.regs[4] >>> 0) === ((pc + callLen) >>> 0)) {
        // Stepped into a call we are stepping over: run to its return address.
        this.runTo = { pc: (pc + callLen) >>> 0, esp: esp, space: this.env.currentSpace() };
        continue;
      }
      if (this.kind === 'instruction-over') return { kind: 'done' };
      if (ring === 3 && cpu.cpl === 0) {
        // Entered the kernel (int, sysenter, a fault): step into stops in the handler; step over
        // lets the kernel run and comes back to this environment.
        if (this.kind === 'in') return { kind: 'done' };
        this.untilUser = true;
        continue;
      }
      if (this.atStop()) return { kind: 'done' };
    }
    return { kind: 'continue' };
  }

  /** Whether the current position ends a line step. */
  private atStop(): boolean {
    const cpu = this.env.machine.cpu;
    const pc = cpu.eip >>> 0;
    const sym = this.env.symbolsAt(pc, cpu.cpl);
    // Code without line information (assembly stubs without -g, another program): keep going,
    // except when the step began there too (then it is an instruction-level step).
    if (!sym) return !this.startLine;
    const loc = sym.lineForAddress(pc);
    if (!loc) return false;
    if (!sym.isStatementStart(pc)) return false;
    if (this.startLine && loc.file === this.startLine.file && loc.line === this.startLine.line && cpu.cpl === this.startRing) {
      // Same line: only coming back to where the step began (a loop's next iteration) stops.
      return pc === this.startPc;
    }
    // Step in: skip a function's prologue row (the opening brace), as debuggers do.
    const fn = sym.functionAt(pc);
    if (this.kind === 'in' && fn?.info && pc === fn.info.lowPc) return false;
    return true;
  }
}

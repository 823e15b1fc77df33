// The debug runtime: owns the machine and runs it in slices, so requests (pause, breakpoints) are
// answered while the guest runs. It knows nothing of DAP: it takes plain calls and emits plain
// events, and session.ts translates both ways.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Machine, type StopReason } from '../emulator/machine.js';
import { attachStandardDevices, type StandardDevices } from '../emulator/pc.js';
import { loadMultiboot } from '../emulator/loader/multiboot.js';
import { Source, type VectorEvent } from '../emulator/cpu/interrupts.js';
import type { ResolvedConfig } from './config.js';
import { ExceptionFilters, type FilterHit } from './filters.js';
import { sourceLocator } from './source-paths.js';
import { loadSymbols, type ProgramSymbols } from './symbols/index.js';
import { EnvTable, type EnvInfo } from './os/envs.js';
import { unwind, type Frame } from './stack.js';
import { Step, type StepKind } from './stepping.js';
import { readVirtual, readVirtual32 } from './vm.js';
import { TrapLog } from './traplog.js';

/** Instructions per slice: small enough that pause and new requests are served within milliseconds. */
const SLICE = 2_000_000;
/** Addresses at and above this belong to the kernel (JOS's ULIM). */
export const ULIM = 0xef800000;

export type StopCause =
  | { kind: 'entry' }
  | { kind: 'breakpoint'; eip: number }
  | { kind: 'step' }
  | { kind: 'pause' }
  | { kind: 'exception'; hit: FilterHit }
  | { kind: 'data'; description: string }
  | { kind: 'halted'; description: string };

export interface RuntimeEvents {
  stopped: [StopCause];
  output: [string];
  exited: [number];
  /** Machine state changed (stop, step, write): views refresh on it. */
  changed: [];
}

export interface ProgramInfo {
  path: string;
  /** Module name as the kernel knows it (env_name). */
  name: string;
  symbols: ProgramSymbols | undefined;
  /** Why there are no symbols, when there are none. */
  symbolError?: string;
}

export class Runtime extends EventEmitter<RuntimeEvents> {
  readonly machine: Machine;
  readonly devices: StandardDevices;
  readonly filters = new ExceptionFilters();
  readonly kernelSymbols: ProgramSymbols | undefined;
  readonly programs: ProgramInfo[];
  readonly envs: EnvTable | null;
  private running = false;
  private pauseWanted = false;
  private terminated = false;
  /** Breakpoints set by the user: address -> the program whose environments it applies to (null: all). */
  private userBreakpoints = new Map<number, string | null>();
  private pendingFilterHit: FilterHit | null = null;
  private interruptReturn: { eip: number; cr3: number } | null = null;
  exitCode: number | null = null;
  private readonly flushOutput: () => void;

  constructor(readonly config: ResolvedConfig) {
    super();
    this.machine = new Machine({ memory: config.memory });
    this.devices = attachStandardDevices(this.machine, config.disk ? { diskImage: new Uint8Array(readFileSync(config.disk)) } : {});
    let line = '';
    this.devices.com1.onTransmit = (b) => {
      line += String.fromCharCode(b);
      if (b === 10 || line.length >= 4096) {
        this.emit('output', line);
        line = '';
      }
    };
    this.flushOutput = () => {
      if (line) this.emit('output', line);
      line = '';
    };
    const kernelBytes = new Uint8Array(readFileSync(config.kernel));
    this.kernelSymbols = tryLoadSymbols(kernelBytes, config.kernel).symbols;
    this.programs = config.programs.map((p) => {
      const bytes = new Uint8Array(readFileSync(p));
      const s = tryLoadSymbols(bytes, p);
      return { path: p, name: basename(p).replace(/\.elf$/, ''), symbols: s.symbols, symbolError: s.error };
    });
    const modules = config.programs.map((p) => ({ name: basename(p).replace(/\.elf$/, ''), bytes: new Uint8Array(readFileSync(p)) }));
    loadMultiboot(this.machine, kernelBytes, basename(config.kernel), modules, { cmdline: config.cmdline });
    if (config.consoleInput) this.devices.com1.receive(config.consoleInput);
    this.envs = this.kernelSymbols ? new EnvTable(this.kernelSymbols) : null;
    this.machine.cpu.vectorHook = (e: VectorEvent) => this.onVector(e);
  }

  get isRunning(): boolean {
    return this.running;
  }

  consoleInput(text: string): void {
    this.devices.com1.receive(text);
  }

  // ------------------------------------------------------------------ address spaces and symbols

  /** The environment on the CPU, if the kernel has a process table. */
  currentEnv(): EnvInfo | undefined {
    return this.envs?.current(this.machine);
  }

  programNamed(name: string): ProgramInfo | undefined {
    const n = name.replace(/\.elf$/, '');
    return this.programs.find((p) => p.name === n);
  }

  /** Symbols for code at `pc`: the kernel's above ULIM, else the program of environment `env`. */
  symbolsAt(pc: number, env: EnvInfo | undefined = this.currentEnv()): ProgramSymbols | undefined {
    if (pc >>> 0 >= ULIM) return this.kernelSymbols;
    if (env) return this.programNamed(env.name)?.symbols;
    // Before the kernel has a process table (or for other kernels): the only program there is.
    return this.programs.length === 1 ? this.programs[0].symbols : this.kernelSymbols;
  }

  /** The call stack of the CPU as it is now. */
  stack(): Frame[] {
    const env = this.currentEnv();
    const esp0 = this.machine.cpu.trSel ? readVirtual32(this.machine, this.machine.cpu.trBase + 4) ?? 0 : 0;
    return unwind({
      machine: this.machine,
      kernel: this.kernelSymbols,
      user: env ? this.programNamed(env.name)?.symbols : this.programs[0]?.symbols,
      cr3: this.machine.cpu.cr3 >>> 0,
      esp0,
      lastVector: this.lastVector,
    });
  }

  /**
   * The stack of an environment that is not on the CPU, from the registers it saved (env_tf) and
   * through its own page tables.
   */
  stackOf(env: EnvInfo): Frame[] {
    const tf = readVirtual(this.machine, env.trapFrame, 68);
    if (!tf) return [];
    const dv = new DataView(tf.buffer, tf.byteOffset, 68);
    const u = (o: number): number => dv.getUint32(o, true);
    const ring = u(52) & 3;
    return unwind({
      machine: this.machine,
      kernel: this.kernelSymbols,
      user: this.programNamed(env.name)?.symbols,
      cr3: env.cr3 >>> 0,
      esp0: 0,
      from: { pc: u(48), esp: ring === 3 ? u(60) : env.trapFrame + 60, ebp: u(8), ring },
    });
  }

  // ------------------------------------------------------------------ breakpoints

  /** Replaces the user breakpoints: address -> program name whose environments it applies to (null = any). */
  setBreakpoints(list: Iterable<{ address: number; program: string | null }>): void {
    this.userBreakpoints = new Map([...list].map((b) => [b.address >>> 0, b.program]));
    this.applyBreakpoints([]);
  }

  private applyBreakpoints(temporary: number[]): void {
    const all = new Set([...this.userBreakpoints.keys(), ...temporary.map((a) => a >>> 0)]);
    this.machine.setBreakpoints([...all].map((address) => ({ address })));
  }

  /** Whether a user breakpoint at `eip` applies to the environment on the CPU now. */
  private breakpointApplies(eip: number): boolean {
    if (!this.userBreakpoints.has(eip)) return false;
    const program = this.userBreakpoints.get(eip);
    if (!program || eip >= ULIM) return true;
    const env = this.currentEnv();
    return !env || env.name === program;
  }

  /** The last vector delivered (for labelling a trap before its frame is built). */
  lastVector: { vector: number; errorCode: number; cr2: number } | undefined;

  readonly trapLog = new TrapLog();

  private onVector(e: VectorEvent): boolean {
    this.lastVector = { vector: e.vector, errorCode: e.errorCode, cr2: e.cr2 };
    this.trapLog.record(this.machine, e);
    if (e.source === Source.External) this.interruptReturn = { eip: e.eip, cr3: this.machine.cpu.cr3 >>> 0 };
    const hit = this.filters.match(e, this.machine);
    if (!hit) return false;
    this.pendingFilterHit = hit;
    return true;
  }

  // ------------------------------------------------------------------ execution

  pause(): void {
    if (!this.running) return;
    this.pauseWanted = true;
    this.machine.requestPause();
  }

  terminate(): void {
    this.terminated = true;
    this.pause();
  }

  /** Stops at the first instruction of the kernel (stopAtKernelEntry): nothing runs yet. */
  reportEntry(): void {
    this.emit('stopped', { kind: 'entry' });
  }

  /** Runs until the first instruction of the first user program (stopOnEntry). */
  runToUserEntry(): void {
    const entry = this.programs[0]?.symbols?.elf.entry;
    if (entry === undefined) return this.resumeContinue();
    this.startRun((budget) => this.runOnce(budget, [entry]), (r) => {
      if (r.kind === 'breakpoint' && r.eip === entry && this.machine.cpu.cpl === 3) return { kind: 'entry' };
      return undefined;
    });
  }

  resumeContinue(): void {
    this.startRun((budget) => this.runOnce(budget, []), () => undefined);
  }

  step(kind: StepKind): void {
    const step = new Step({
      machine: this.machine,
      symbolsAt: (pc) => this.symbolsAt(pc),
      currentSpace: () => this.machine.cpu.cr3 >>> 0,
      interruptsWhileStepping: this.config.interruptsWhileStepping,
      returnPoint: () => {
        const frames = this.stack();
        const caller = frames[1];
        if (!caller) return undefined;
        if (caller.kind === 'trap') return { pc: caller.pc, esp: caller.esp, ring: 3 };
        return { pc: caller.pc, esp: caller.esp, ring: caller.ring };
      },
      takeInterruptReturn: () => {
        const r = this.interruptReturn;
        this.interruptReturn = null;
        return r;
      },
    }, kind);
    this.startStep(step);
  }

  private startStep(step: Step): void {
    if (this.running || this.terminated) return;
    this.running = true;
    this.pauseWanted = false;
    this.stepWantsRing = true;
    const tick = (): void => {
      if (this.terminated) return this.finish(null);
      if (this.pauseWanted) return this.finish({ kind: 'pause' });
      let out;
      try {
        out = step.advance(200_000, (budget, temp) => this.runOnce(budget, temp));
      } catch (e) {
        return this.finish(this.crash(e));
      }
      if (out.kind === 'continue') return void setImmediate(tick);
      if (out.kind === 'done') return this.finish({ kind: 'step' });
      const cause = this.classify(out.reason);
      if (cause === 'continue') return void setImmediate(tick);
      this.finish(cause);
    };
    setImmediate(tick);
  }

  /** One machine.run with temporary breakpoints added for its duration. */
  private runOnce(budget: number, temporary: number[]): StopReason {
    this.interruptReturn = null;
    if (temporary.length) this.applyBreakpoints(temporary);
    try {
      const ringHook = this.machine.cpu.ringHook;
      // Ring changes stop the run only while a step waits for the return to user mode.
      this.machine.cpu.ringHook = (from, to) => {
        if (to === 3) this.trapLog.returned(this.machine);
        return to === 3 && from === 0 && this.stepWantsRing;
      };
      try {
        return this.machine.run(budget);
      } finally {
        this.machine.cpu.ringHook = ringHook;
      }
    } finally {
      if (temporary.length) this.applyBreakpoints([]);
    }
  }

  /** Set while a step runs, so returns to ring 3 end machine.run and the step can look. */
  private stepWantsRing = false;

  private startRun(run: (budget: number) => StopReason, special: (r: StopReason) => StopCause | undefined): void {
    if (this.running || this.terminated) return;
    this.running = true;
    this.pauseWanted = false;
    const slice = (): void => {
      if (this.terminated) return this.finish(null);
      let r: StopReason;
      try {
        r = run(SLICE);
      } catch (e) {
        return this.finish(this.crash(e));
      }
      if (this.pauseWanted) return this.finish({ kind: 'pause' });
      const s = special(r);
      if (s) return this.finish(s);
      const cause = this.classify(r);
      if (cause === 'continue') return void setImmediate(slice);
      this.finish(cause);
    };
    setImmediate(slice);
  }

  private crash(e: unknown): StopCause {
    this.emit('output', `\n[ringside] emulator error: ${(e as Error).stack ?? String(e)}\n`);
    return { kind: 'halted', description: `emulator error: ${(e as Error).message ?? String(e)}` };
  }

  private finish(cause: StopCause | null): void {
    this.running = false;
    this.stepWantsRing = false;
    this.flushOutput();
    if (cause) this.emit('stopped', cause);
    this.emit('changed');
  }

  /** Maps a machine stop to the user-visible cause, or 'continue' when the run goes on. */
  private classify(stop: StopReason): StopCause | 'continue' | null {
    switch (stop.kind) {
      case 'budget':
      case 'ring':
        return 'continue';
      case 'breakpoint':
        // A breakpoint of another environment's program: the next run moves past it.
        return this.breakpointApplies(stop.eip) ? { kind: 'breakpoint', eip: stop.eip } : 'continue';
      case 'vector': {
        const hit = this.pendingFilterHit;
        this.pendingFilterHit = null;
        return hit ? { kind: 'exception', hit } : 'continue';
      }
      case 'watchpoint':
        return { kind: 'data', description: `data breakpoint: ${stop.hit.write ? 'write' : 'read'} of ${stop.hit.size} byte(s) at 0x${stop.hit.linear.toString(16).padStart(8, '0')}` };
      case 'paused':
        return { kind: 'pause' };
      case 'debug-exit':
        this.exitCode = stop.status;
        this.flushOutput();
        this.emit('exited', stop.status);
        return null;
      case 'triple-fault':
        return { kind: 'halted', description: stop.message };
      case 'halt':
        return { kind: 'halted', description: stop.interruptsEnabled ? 'the CPU is halted and nothing is left that could interrupt it' : 'the CPU halted with interrupts disabled (hlt with IF=0)' };
    }
  }
}

function tryLoadSymbols(bytes: Uint8Array, path: string): { symbols: ProgramSymbols | undefined; error?: string } {
  try {
    // Source paths as recorded at build time, or where the files are now if the build moved.
    return { symbols: loadSymbols(bytes, path, { sourcePath: sourceLocator(path) }) };
  } catch (e) {
    return { symbols: undefined, error: (e as Error).message };
  }
}

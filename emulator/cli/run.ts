/**
 * `ringside run`: a machine with the standard devices, a multiboot load, then run() in slices
 * until the guest exits or stops. Between slices the event loop gets a turn, so ctrl-C is seen,
 * console input reaches the guest (console-input.ts) and console output reaches the terminal
 * while the guest runs.
 */
import { readFileSync, statSync } from 'node:fs';
import { CgaEcho } from '../devices/cga.js';
import { ElfError } from '../loader/elf-error.js';
import { loadMultiboot, MultibootError, type ModuleInput } from '../loader/multiboot.js';
import { Machine, type StopReason } from '../machine.js';
import { attachStandardDevices } from '../pc.js';
import type { RunOptions } from './args.js';
import { ConsoleSink } from './console.js';
import { ConsoleInput } from './console-input.js';
import { registerDump, where } from './report.js';
import { formatTrap } from './trace.js';

export const EXIT_LOAD_ERROR = 1;
export const EXIT_MACHINE_STOP = 2;
export const EXIT_INSTRUCTION_LIMIT = 4;
export const EXIT_INTERNAL_ERROR = 70;
export const EXIT_INTERRUPTED = 130;

/** Instructions per slice: ~0.1 s of guest time, short enough for ctrl-C to feel immediate. */
const SLICE = 10_000_000;
/** With --cga the screen is compared after every slice: short ones, so a fast kernel's lines do not scroll away unseen. */
const CGA_SLICE = 1_000_000;
/**
 * A guest idling in hlt while input may still come gets its next slice after at most this many
 * milliseconds, or as soon as input arrives: a kernel waiting at its prompt then costs little
 * host CPU, while its clock (the instruction count) still advances between keys.
 */
const IDLE_WAIT_MS = 10;

/** A problem with the user's files (missing, unreadable, not loadable): exit status 1, no stack. */
export class LoadError extends Error {
  override readonly name = 'LoadError';
}

export interface Streams {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  /** Console input for the guest (the process's stdin); none: the guest gets no input. */
  readonly in?: NodeJS.ReadStream;
}

export async function runKernel(options: RunOptions, io: Streams): Promise<number> {
  const warn = (text: string): boolean => io.err.write(`ringside: warning: ${text}\n`);
  const disks = { ideMaster: readDisk(options.disk0, warn), ideSlave: readDisk(options.disk1, warn) };
  const machine = boot(options);
  const cpu = machine.cpu;
  const devices = attachStandardDevices(machine, disks);
  devices.com1.irqNeedsOut2 = options.com1Irq === 'out2';
  const sink = new ConsoleSink(io.out);
  devices.com1.onTransmit = (byte) => sink.put(byte);
  // The CGA echo compares the screen between slices: nothing runs for it inside the guest's time.
  const echo = options.cga ? new CgaEcho(() => devices.cga.screen()) : null;
  let echoed = false;
  const pollScreen = (): void => {
    const text = echo?.poll();
    if (!text) return;
    sink.flush();
    io.out.write(text);
    echoed = true;
  };
  if (options.traceTraps) {
    cpu.vectorHook = (event) => {
      sink.flush(); // keep the console and the trace in order on a shared terminal
      io.err.write(formatTrap(event, event.icount) + '\n');
      return false;
    };
  }

  let interrupted = false;
  let input: ConsoleInput | null = null;
  const onSignal = (): void => {
    interrupted = true;
    input?.wake();
  };
  // SIGTERM and SIGHUP too, so that a terminal in raw mode gets its settings back.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  try {
    if (io.in && options.stdin !== 'none') {
      const target = options.stdin === 'keyboard' ? 'keyboard' : 'com1';
      input = new ConsoleInput(io.in, {
        deliver: (bytes) => {
          if (target === 'keyboard') devices.keyboard.type(Buffer.from(bytes).toString('latin1'));
          else devices.com1.receive(bytes);
        },
        notice: (text) => io.err.write(text),
      });
      if (input.raw) io.err.write(`ringside: keys go to the guest's ${target === 'com1' ? 'COM1' : 'keyboard'}; Ctrl-A x ends the run, Ctrl-A h for help\n`);
    }
    const limit = options.maxInstructions ?? Number.POSITIVE_INFINITY;
    const ended = (): number | null => {
      if (!interrupted && !input?.quitRequested) return null;
      sink.flush();
      io.err.write(`${input?.raw ? '\n' : ''}ringside: ${interrupted ? 'interrupted' : 'ended (Ctrl-A x)'} ${where(cpu)}\n`);
      return EXIT_INTERRUPTED;
    };
    for (;;) {
      const left = limit - cpu.icount;
      if (left <= 0) {
        sink.flush();
        io.err.write(`ringside: instruction limit reached (--max-instructions ${limit}) ${where(cpu)}\n`);
        return EXIT_INSTRUCTION_LIMIT;
      }
      const stop = machine.run(Math.min(echo ? CGA_SLICE : SLICE, left));
      sink.flush();
      pollScreen();
      if (stop.kind === 'budget') {
        // Input lands between slices; an idle guest waits for it a little instead of spinning.
        if (input?.open && cpu.halted) await input.wait(IDLE_WAIT_MS);
        else await new Promise((resolve) => setImmediate(resolve));
        const status = ended();
        if (status !== null) return status;
        continue;
      }
      if (stop.kind === 'halt' && stop.interruptsEnabled && input?.open) {
        // Halted with nothing scheduled: only input can raise an interrupt now. Wait for it.
        await input.wait(Number.POSITIVE_INFINITY);
        const status = ended();
        if (status !== null) return status;
        continue;
      }
      return report(stop, machine, io.err, input === null ? 'not read' : 'ended');
    }
  } finally {
    for (const s of signals) process.off(s, onSignal);
    input?.close();
    sink.flush();
    pollScreen();
    if (echoed) io.out.write('\n');
  }
}

/** Reads the files and loads them; every failure becomes a LoadError with a one-line message. */
function boot(options: RunOptions): Machine {
  const kernel = readInput(options.kernel, 'kernel');
  const modules: ModuleInput[] = options.modules.map((spec) => {
    const { file, args } = splitModule(spec);
    return { name: file, bytes: readInput(file, 'module'), cmdline: args };
  });
  let machine: Machine;
  try {
    machine = new Machine({ memory: options.memory });
  } catch (e) {
    throw new LoadError(`cannot allocate ${options.memory} bytes of guest memory: ${(e as Error).message}`);
  }
  try {
    loadMultiboot(machine, kernel, options.kernel, modules, { cmdline: options.cmdline });
  } catch (e) {
    if (e instanceof MultibootError || e instanceof ElfError) throw new LoadError(e.message);
    throw e;
  }
  return machine;
}

/** An IDE disk image, used in place by the emulated drive (its writes are not saved to the file). */
function readDisk(path: string | undefined, warn: (text: string) => void): Uint8Array | undefined {
  if (path === undefined) return undefined;
  const bytes = readInput(path, 'disk image');
  if (bytes.length < 512) throw new LoadError(`disk image ${path} is smaller than one 512-byte sector (${bytes.length} bytes)`);
  // The drive has whole sectors only (as QEMU's raw images): say so rather than drop bytes unseen.
  const tail = bytes.length % 512;
  if (tail) warn(`disk image ${path} is ${bytes.length} bytes, not a whole number of 512-byte sectors: its last ${tail} bytes are not on the disk`);
  return bytes;
}

function readInput(path: string, what: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new LoadError(`cannot read ${what} ${path}: ${why}`);
  }
}

/**
 * "--module 'user/hello.elf arg1'": GRUB's `module FILE ARGS` in one value. A file whose name
 * contains spaces is recognised by trying the whole value first.
 */
function splitModule(spec: string): { file: string; args: string | undefined } {
  const space = spec.search(/\s/);
  if (space < 0 || statSync(spec, { throwIfNoEntry: false })?.isFile()) return { file: spec, args: undefined };
  return { file: spec.slice(0, space), args: spec.slice(space).trim() || undefined };
}

function report(stop: Exclude<StopReason, { kind: 'budget' }>, machine: Machine, err: NodeJS.WritableStream, input: 'not read' | 'ended'): number {
  const cpu = machine.cpu;
  switch (stop.kind) {
    case 'debug-exit':
      // As QEMU: the process exit status is the low 8 bits of (value << 1) | 1.
      return stop.status & 0xff;
    case 'triple-fault':
      err.write(`ringside: ${stop.message}; the machine stopped ${where(cpu)}\n${registerDump(cpu)}\n`);
      return EXIT_MACHINE_STOP;
    case 'halt':
      err.write(
        stop.interruptsEnabled
          ? `ringside: the CPU halted waiting for an interrupt that nothing will raise (no timer or device event pending, console input ${input}) ${where(cpu)}\n`
          : `ringside: the CPU halted with interrupts disabled (cli; hlt) ${where(cpu)}\n`,
      );
      err.write(registerDump(cpu) + '\n');
      return EXIT_MACHINE_STOP;
    default:
      // Breakpoints, watchpoints, vector stops and pauses are never requested by the CLI.
      err.write(`ringside: the machine stopped unexpectedly (${stop.kind}) ${where(cpu)}\n${registerDump(cpu)}\n`);
      return EXIT_MACHINE_STOP;
  }
}

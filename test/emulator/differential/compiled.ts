// Compiled-C comparison: builds c/*.c at an optimisation level, runs the program natively (it
// prints its result words) and in the emulator (which stops on a breakpoint at `done`, before
// any system call, and the result words are read from guest memory).
import { join } from 'node:path';
import type { StopReason } from '../../../emulator/machine.js';
import { parseElf32, symbol } from './elf32.js';
import { enterUserMode, loadSegments, newGuest } from './guest.js';
import { TEXT_BASE, USER_FIXED_FLAGS } from './layout.js';
import { GCC_BASE_FLAGS, harnessSourceDir, readBytes, run, runOrThrow } from './toolchain.js';

export interface CompiledRun {
  native: number[];
  emulated: number[] | null;
  stop: StopReason | { kind: 'crash'; message: string };
  executed: number;
}

/** Builds c/`program`.c (default: the kernels) with the shared runtime (start.S, done.c, libgcc.c). */
export function buildCProgram(dir: string, opt: string, seed: number, program = 'kernels'): string {
  const src = join(harnessSourceDir(), 'c');
  const elfPath = join(dir, `${program}${opt}.elf`);
  runOrThrow('gcc', [
    ...GCC_BASE_FLAGS, opt, '-Wall', '-Wextra', '-Werror', `-DSEED=${seed >>> 0}u`,
    `-Wl,-Ttext-segment=0x${TEXT_BASE.toString(16)}`, '-o', elfPath,
    join(src, `${program}.c`), join(src, 'libgcc.c'), join(src, 'done.c'), join(src, 'start.S'),
  ], dir);
  return elfPath;
}

function words(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let o = 0; o + 4 <= bytes.length; o += 4) out.push(dv.getUint32(o, true));
  return out;
}

/** Linux's user selectors for a static 32-bit process (only their values matter here). */
const LINUX_SELECTORS = [0x2b, 0x23, 0x2b, 0x2b, 0, 0];

export function runCProgram(elfPath: string, budget = 500_000_000): CompiledRun {
  const r = run(elfPath, []);
  if (r.status !== 0) throw new Error(`native ${elfPath} failed: status ${r.status}, signal ${r.signal}`);
  const out = words(new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength));
  const native = out.slice(1, 1 + out[0]);

  const elf = parseElf32(readBytes(elfPath));
  const m = newGuest();
  loadSegments(m, elf);
  enterUserMode(m, LINUX_SELECTORS);
  m.cpu.eip = elf.entry;
  m.cpu.setEflags(USER_FIXED_FLAGS);
  m.cpu.setBreakpoints([symbol(elf, 'done')]);
  let stop: CompiledRun['stop'];
  try {
    stop = m.run(budget);
  } catch (e) {
    stop = { kind: 'crash', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
  let emulated: number[] | null = null;
  if (stop.kind === 'breakpoint' && stop.eip === symbol(elf, 'done')) {
    const count = words(m.mem.peek(symbol(elf, 'result_count'), 4))[0];
    emulated = words(m.mem.peek(symbol(elf, 'results'), 4 * count));
  }
  return { native, emulated, stop, executed: m.cpu.icount };
}

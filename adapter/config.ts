// The launch configuration of a Ringside debug session, and its validation: every mistake comes
// back as one clear sentence before anything starts, so a session never starts half-broken.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseElf32 } from '../emulator/loader/elf.js';

export interface LaunchArguments {
  /** User program ELF(s), loaded as multiboot modules; the first one is started. */
  program?: string | string[];
  /** Multiboot kernel (default: the bundled teaching kernel). */
  kernel?: string;
  /** Guest memory: bytes, or a size such as "4M" / "128M". */
  memory?: number | string;
  /** Stop at the first instruction of the (first) user program. */
  stopOnEntry?: boolean;
  /** Stop at the kernel's entry point. */
  stopAtKernelEntry?: boolean;
  /** Let timer and device interrupts run while stepping (default false). */
  interruptsWhileStepping?: boolean;
  /** Disk image for the swap/block device. */
  disks?: string[];
  /** Text sent to the guest console at start. */
  consoleInput?: string;
  /** Extra kernel command-line arguments. */
  cmdline?: string;
  /** Folder relative paths are resolved against (the workspace folder). */
  cwd?: string;
}

export interface ResolvedConfig {
  kernel: string;
  programs: string[];
  memory: number;
  stopOnEntry: boolean;
  stopAtKernelEntry: boolean;
  interruptsWhileStepping: boolean;
  disk: string | null;
  consoleInput: string;
  cmdline: string;
}

export class ConfigError extends Error {}

const here = dirname(fileURLToPath(import.meta.url));
/** The repository (or installed extension) root: out/adapter/ is two levels below it. */
export const PACKAGE_ROOT = resolve(here, '..', '..');
export const BUNDLED_KERNEL = join(PACKAGE_ROOT, 'samples', 'build', 'kernel', 'kernel.elf');

export function parseMemory(v: number | string | undefined): number {
  if (v === undefined) return 128 << 20;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 2 << 20 || v % 4096) throw new ConfigError(`"memory" must be at least 2 MiB and a multiple of 4096 bytes, got ${v}`);
    return v;
  }
  const m = /^\s*(\d+)\s*([KMG]?)i?B?\s*$/i.exec(v);
  if (!m) throw new ConfigError(`"memory" must look like "4M" or "128M", got ${JSON.stringify(v)}`);
  const n = Number(m[1]) * ({ '': 1, K: 1024, M: 1 << 20, G: 1 << 30 } as Record<string, number>)[m[2].toUpperCase()];
  return parseMemory(n);
}

/** Checks that `file` is a readable 32-bit x86 ELF with debug information. */
function checkElf(file: string, what: string, needDebugInfo: boolean): void {
  if (!existsSync(file)) throw new ConfigError(`${what} "${file}" does not exist`);
  if (!statSync(file).isFile()) throw new ConfigError(`${what} "${file}" is not a file`);
  let image;
  try {
    image = parseElf32(new Uint8Array(readFileSync(file)), basename(file));
  } catch (e) {
    throw new ConfigError(`${what} "${file}" is not a usable 32-bit x86 ELF executable: ${(e as Error).message}`);
  }
  if (needDebugInfo && !image.sections.some((s) => s.name === '.debug_info')) {
    throw new ConfigError(`${what} "${file}" has no debug information (.debug_info): build it with gcc -g`);
  }
}

export function resolveConfig(args: LaunchArguments): ResolvedConfig {
  const cwd = args.cwd ?? process.cwd();
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  const programs = (args.program === undefined ? [] : Array.isArray(args.program) ? args.program : [args.program]).map(abs);
  if (programs.some((p) => typeof p !== 'string' || p === '')) throw new ConfigError('"program" must be a path or a list of paths');
  const kernel = args.kernel ? abs(args.kernel) : BUNDLED_KERNEL;
  if (!args.kernel && !existsSync(kernel)) {
    throw new ConfigError(`the bundled teaching kernel is not built (${kernel}): run "make -C samples" (npm install does it)`);
  }
  checkElf(kernel, 'kernel', false);
  for (const p of programs) checkElf(p, 'program', true);
  const disk = args.disks?.[0] ? abs(args.disks[0]) : null;
  if (disk && !existsSync(disk)) throw new ConfigError(`disk image "${disk}" does not exist`);
  return {
    kernel,
    programs,
    memory: parseMemory(args.memory),
    stopOnEntry: args.stopOnEntry ?? false,
    stopAtKernelEntry: args.stopAtKernelEntry ?? false,
    interruptsWhileStepping: args.interruptsWhileStepping ?? false,
    disk,
    consoleInput: args.consoleInput ?? '',
    cmdline: args.cmdline ?? '',
  };
}

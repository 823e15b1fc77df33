// The host toolchain the harness builds with: gcc -m32 (static, no libc) and binutils' objdump.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found by walking up from this file. The harness runs both from the
 * TypeScript sources (vitest) and from out/ (the fuzz CLI), and its C and assembly files are
 * only in the source tree.
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'emulator'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** Folder of the harness's own C and assembly sources. */
export function harnessSourceDir(): string {
  return join(repoRoot(), 'test', 'emulator', 'differential');
}

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export function run(cmd: string, args: string[], cwd?: string): RunResult {
  const r = spawnSync(cmd, args, { cwd, maxBuffer: 1 << 30, encoding: 'buffer' });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** Runs a tool and throws with its output when it fails (a build error is a harness or toolchain bug). */
export function runOrThrow(cmd: string, args: string[], cwd?: string): Buffer {
  const r = run(cmd, args, cwd);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (status ${r.status}, signal ${r.signal}):\n${r.stderr}`);
  }
  return r.stdout;
}

/** Flags every harness build uses: 32-bit, static, no libc, nothing the CPU under test must not see. */
export const GCC_BASE_FLAGS = [
  '-m32', '-nostdlib', '-static', '-no-pie', '-fno-pic', '-ffreestanding', '-fno-builtin',
  '-fno-stack-protector', '-fcf-protection=none', '-fno-asynchronous-unwind-tables', '-mno-sse',
  '-mno-mmx', '-fno-tree-loop-distribute-patterns', '-Wl,--build-id=none',
];

/**
 * Whether the host lets a program map memory at `addr` (Linux refuses below vm.mmap_min_addr).
 * Decides if the harness may link its low window for 16-bit addressing.
 */
export function canMapAt(addr: number): boolean {
  try {
    return Number(readFileSync('/proc/sys/vm/mmap_min_addr', 'utf8').trim()) <= addr;
  } catch {
    return false;
  }
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** objdump's AT&T disassembly of [start, stop) of an ELF, without the file header lines. */
export function disassemble(elfPath: string, start: number, stop: number): string {
  const out = runOrThrow('objdump', [
    '-d', '-w', `--start-address=0x${start.toString(16)}`, `--stop-address=0x${stop.toString(16)}`, elfPath,
  ]).toString();
  return out.split('\n').filter((l) => /^\s*[0-9a-f]+:\s/.test(l) || /^[0-9a-f]+ <.*>:$/.test(l)).join('\n');
}

// Builds the system-test kernel (kernels/*.c, *.S, kernel.ld) with the host toolchain, once per
// content: the ELF is cached under os.tmpdir() by a hash of the sources and the command lines,
// so parallel test files and repeated runs share one build.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseElf32, type Elf32Image } from '../../../emulator/loader/elf.js';

/** The kernels folder in the source tree (also when running from out/, where only .js exist). */
export function kernelsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'kernels'), join(here, '..', '..', '..', '..', 'test', 'emulator', 'system', 'kernels')];
  const dir = candidates.find((d) => existsSync(join(d, 'kernel.ld')));
  if (!dir) throw new Error(`cannot find the system-test kernels (looked in ${candidates.join(', ')})`);
  return dir;
}

const CFLAGS = ['-m32', '-ffreestanding', '-fno-pic', '-fno-pie', '-fno-stack-protector', '-nostdlib', '-O1',
  '-mgeneral-regs-only', '-fno-asynchronous-unwind-tables', '-Wall', '-Wextra'];
const LDFLAGS = ['-m', 'elf_i386', '--build-id=none', '-z', 'noexecstack', '--no-warn-rwx-segments'];

export interface BuiltKernel {
  path: string;
  bytes: Uint8Array;
  elf: Elf32Image;
  /** A symbol's value; throws when the kernel has no such symbol. */
  symbol(name: string): number;
}

let built: BuiltKernel | undefined;

export function buildSystemKernel(): BuiltKernel {
  built ??= buildKernelIn(kernelsDir(), 'system');
  return built;
}

/**
 * Builds the kernel whose sources (*.c, *.S, *.h and kernel.ld) are in `src`, with headers also
 * looked up in `includeDirs`, cached under os.tmpdir() as ringside-`tag`-HASH by the content of
 * the sources, of the headers in `includeDirs`, and the command lines.
 */
export function buildKernelIn(src: string, tag: string, includeDirs: readonly string[] = []): BuiltKernel {
  const files = readdirSync(src).filter((f) => /\.(c|S|h|ld)$/.test(f)).sort();
  const hash = createHash('sha256');
  hash.update(JSON.stringify([CFLAGS, LDFLAGS, includeDirs.length]));
  for (const f of files) hash.update(`${f}\0`).update(readFileSync(join(src, f))).update('\0');
  for (const dir of includeDirs) {
    for (const h of readdirSync(dir).filter((f) => f.endsWith('.h')).sort()) {
      hash.update(`${h}\0`).update(readFileSync(join(dir, h))).update('\0');
    }
  }
  const cache = join(tmpdir(), `ringside-${tag}-${hash.digest('hex').slice(0, 16)}`);
  const elfPath = join(cache, 'kernel.elf');
  if (!existsSync(elfPath)) compileInto(src, files, includeDirs, cache);
  const bytes = new Uint8Array(readFileSync(elfPath));
  const elf = parseElf32(bytes, 'kernel.elf');
  const symbols = new Map(elf.symbols.map((s) => [s.name, s.value]));
  return {
    path: elfPath,
    bytes,
    elf,
    symbol(name) {
      const v = symbols.get(name);
      if (v === undefined) throw new Error(`the kernel built from ${src} has no symbol ${name}`);
      return v;
    },
  };
}

/** Compiles in a private folder, then renames it into place (another process may win the race). */
function compileInto(src: string, files: string[], includeDirs: readonly string[], cache: string): void {
  mkdirSync(tmpdir(), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'ringside-system-build-'));
  try {
    const objects: string[] = [];
    for (const f of files.filter((n) => n.endsWith('.c') || n.endsWith('.S'))) {
      const obj = join(work, f.replace('.', '_') + '.o');
      execFileSync('gcc', [...CFLAGS, '-I', src, ...includeDirs.flatMap((d) => ['-I', d]), '-c', join(src, f), '-o', obj], { stdio: ['ignore', 'pipe', 'pipe'] });
      objects.push(obj);
    }
    execFileSync('ld', [...LDFLAGS, '-T', join(src, 'kernel.ld'), '-o', join(work, 'kernel.elf'), ...objects], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      renameSync(work, cache);
    } catch (e) {
      if (!existsSync(join(cache, 'kernel.elf'))) throw e;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

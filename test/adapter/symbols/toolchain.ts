// Builds the C fixtures with the host gcc/ld and runs binutils (and, when installed, gdb and
// llvm-dwarfdump) on them: the outside truth the symbol reader is checked against.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const REPO_ROOT = join(FIXTURE_DIR, '..', '..', '..', '..');

export interface Variant {
  readonly name: string;
  readonly cflags: readonly string[];
  readonly ldflags?: readonly string[];
}

/** The builds every suite checks: both DWARF versions gcc 12 emits, at -O0 and -Og. */
export const VARIANTS: readonly Variant[] = [
  { name: 'dwarf4-O0', cflags: ['-gdwarf-4', '-O0'] },
  { name: 'dwarf5-O0', cflags: ['-gdwarf-5', '-O0'] },
  { name: 'dwarf4-Og', cflags: ['-gdwarf-4', '-Og'] },
  { name: 'dwarf5-Og', cflags: ['-gdwarf-5', '-Og'] },
  // Call frame information in .debug_frame instead of .eh_frame, as the samples' Makefile builds.
  { name: 'dwarf4-O0-debug_frame', cflags: ['-gdwarf-4', '-O0', '-fno-asynchronous-unwind-tables'] },
  // Same code, debug sections zlib-compressed by the linker (SHF_COMPRESSED).
  { name: 'dwarf5-O0-zlib', cflags: ['-gdwarf-5', '-O0'], ldflags: ['--compress-debug-sections=zlib'] },
];

const CFLAGS = ['-m32', '-g', '-fno-omit-frame-pointer', '-ffreestanding', '-nostdlib', '-fno-pic', '-fno-stack-protector', '-c'];
const SOURCES = ['prog.c', 'other.c', 'stub.S'];

export interface Fixture {
  readonly variant: Variant;
  readonly path: string;
  readonly bytes: Uint8Array;
}

export function run(cmd: string, args: readonly string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

export function hasTool(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}

/**
 * Builds every variant once per source revision: the output goes to a temp folder named by a
 * hash of the sources and flags, so the suites (separate vitest workers) share one build.
 */
export function buildFixtures(): Fixture[] {
  const hash = createHash('sha256');
  hash.update(FIXTURE_DIR);
  hash.update(JSON.stringify([VARIANTS, CFLAGS]));
  for (const f of [...SOURCES, 'inc/util.h', 'forms.S']) hash.update(readFileSync(join(FIXTURE_DIR, f)));
  const dir = join(tmpdir(), `ringside-symbols-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(join(dir, 'done')) && !waitForOtherBuilder(dir)) {
    const work = `${dir}.tmp-${process.pid}`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    for (const v of VARIANTS) {
      const objs = SOURCES.map((src) => {
        const obj = join(work, `${v.name}-${src}.o`);
        // Compiled from the fixture folder with relative names, as a Makefile would: the
        // DWARF then holds comp_dir + relative paths, which the reader must join.
        run('gcc', [...CFLAGS, ...v.cflags, '-I', '.', src, '-o', obj], FIXTURE_DIR);
        return obj;
      });
      run('ld', ['-m', 'elf_i386', '-Ttext', '0x800020', '-e', '_start', ...(v.ldflags ?? []), ...objs, '-o', join(work, `${v.name}.elf`)]);
    }
    run('gcc', ['-m32', '-c', 'forms.S', '-o', join(work, 'forms.o')], FIXTURE_DIR);
    run('ld', ['-m', 'elf_i386', '-Ttext', '0x800020', '-e', '_start', join(work, 'forms.o'), '-o', join(work, 'forms.elf')]);
    writeFileSync(join(work, 'done'), '');
    try {
      renameSync(work, dir);
    } catch {
      rmSync(work, { recursive: true, force: true }); // another worker finished first
    }
    rmSync(`${dir}.lock`, { recursive: true, force: true });
  }
  fixtureDir = dir;
  return VARIANTS.map((variant) => {
    const path = join(dir, `${variant.name}.elf`);
    return { variant, path, bytes: new Uint8Array(readFileSync(path)) };
  });
}

let fixtureDir: string | undefined;

/**
 * The suites run in parallel workers that all want the same build: the first takes a lock
 * (an atomic mkdir) and builds; the others wait for it. Returns true when another worker's
 * build finished; false when this worker should build (it got the lock, or the lock is stale).
 */
function waitForOtherBuilder(dir: string): boolean {
  const lock = `${dir}.lock`;
  try {
    // A lock left by a killed run (builds take about a second) is taken over.
    if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { recursive: true, force: true });
  } catch {
    // no lock yet
  }
  try {
    mkdirSync(lock);
    return false;
  } catch {
    // held by another worker
  }
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; waited < 60_000; waited += 50) {
    if (existsSync(join(dir, 'done'))) return true;
    Atomics.wait(sleeper, 0, 0, 50);
  }
  return false; // the builder died: build here
}

/** fixtures/forms.S assembled and linked: hand-written DWARF 5 in the forms gcc does not use. */
export function formsFixture(): { path: string; bytes: Uint8Array } {
  if (fixtureDir === undefined) buildFixtures();
  const path = join(fixtureDir!, 'forms.elf');
  return { path, bytes: new Uint8Array(readFileSync(path)) };
}

/** ELFs built from the repository's samples (kernel and user programs), when they exist. */
export function sampleElves(): string[] {
  const build = join(REPO_ROOT, 'samples', 'build');
  const out: string[] = [];
  const kernel = join(build, 'kernel', 'kernel.elf');
  if (existsSync(kernel)) out.push(kernel);
  const user = join(build, 'user');
  if (existsSync(user)) for (const f of readdirSync(user).sort()) if (f.endsWith('.elf')) out.push(join(user, f));
  return out;
}

/** Line number in the fixture `file` of the comment marker "L:name". */
export function markerLine(file: string, name: string): number {
  const lines = readFileSync(join(FIXTURE_DIR, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`L:${name}`));
  if (i < 0) throw new Error(`no marker L:${name} in ${file}`);
  return i + 1;
}

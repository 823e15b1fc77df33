// Is there a gcc that can build 32-bit (i386) programs? The test: `gcc -m32` must compile and
// link a trivial hosted program, which needs gcc's i386 support and the 32-bit C library and
// libgcc (on Debian/Ubuntu, the gcc-multilib package).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GccCheck } from '../model/toolchain.js';

/**
 * gcc 11 and later count diagnostic columns as a terminal displays them (a tab moves to the next
 * multiple of 8); VS Code counts characters. With this flag gcc counts bytes, which for the
 * ASCII sources of the samples are characters, so problems land on the right column.
 */
export const BYTE_COLUMNS = '-fdiagnostics-column-unit=byte';

interface Ran { code: number | null; output: string; notFound: boolean }

function run(cmd: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: null, output: e.message, notFound: e.code === 'ENOENT' }));
    child.on('close', (code) => resolve({ code, output, notFound: false }));
  });
}

/** Compiles and links `int main(void) { return 0; }` with `cc -m32 [extraFlags]`. */
export async function detectI386Gcc(cc = 'gcc', extraFlags: readonly string[] = []): Promise<GccCheck> {
  const dir = await mkdtemp(join(tmpdir(), 'ringside-gcc-'));
  try {
    await writeFile(join(dir, 'probe.c'), 'int main(void) { return 0; }\n');
    const r = await run(cc, ['-m32', ...extraFlags, 'probe.c', '-o', 'probe'], dir);
    if (r.notFound) return { ok: false, cc, problem: 'not-found', output: r.output };
    if (r.code !== 0) return { ok: false, cc, problem: 'cannot-link', output: r.output.trim() };
    const v = await run(cc, ['-dumpfullversion', '-dumpversion'], dir);
    const columns = await run(cc, [BYTE_COLUMNS, '-fsyntax-only', 'probe.c'], dir);
    return { ok: true, cc, version: v.output.trim().split('\n')[0] ?? '', byteColumns: columns.code === 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

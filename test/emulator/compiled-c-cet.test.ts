// Code built as Ubuntu's gcc builds it: -fcf-protection (its default) puts endbr32 at the entry of
// every function and `notrack` on switch-table jumps. The compiled-C programs of compiled-c.test.ts,
// built that way, run natively on the host (a CPU and kernel that treat endbr32 as a NOP in a 32-bit
// process) and in the emulator; the result words must be identical.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCProgram } from './differential/compiled.js';
import { TEXT_BASE } from './differential/layout.js';
import { GCC_BASE_FLAGS, harnessSourceDir, makeTempDir, removeDir, runOrThrow } from './differential/toolchain.js';

const dir = makeTempDir('ringside-cet-');
afterAll(() => removeDir(dir));

/** Builds c/kernels.c as compiled.ts does, with -fcf-protection=full after the harness's =none. */
function buildWithCet(opt: string): string {
  const src = join(harnessSourceDir(), 'c');
  const elfPath = join(dir, `kernels-cet${opt}.elf`);
  runOrThrow('gcc', [
    ...GCC_BASE_FLAGS, '-fcf-protection=full', opt, '-Wall', '-Wextra', '-Werror', '-DSEED=0x2468ace1u',
    `-Wl,-Ttext-segment=0x${TEXT_BASE.toString(16)}`, '-o', elfPath,
    join(src, 'kernels.c'), join(src, 'libgcc.c'), join(src, 'done.c'), join(src, 'start.S'),
  ], dir);
  return elfPath;
}

/** objdump's first instruction of each function (`<name>:` headers), by name. */
function functionEntries(elfPath: string): Map<string, string> {
  const out = runOrThrow('objdump', ['-d', '--no-show-raw-insn', elfPath]).toString();
  const entries = new Map<string, string>();
  let current: string | null = null;
  for (const line of out.split('\n')) {
    const header = /^[0-9a-f]+ <([^>]+)>:$/.exec(line);
    if (header) {
      current = header[1];
      continue;
    }
    const insn = /^\s+[0-9a-f]+:\s+(.*\S)\s*$/.exec(line);
    if (insn && current !== null) {
      entries.set(current, insn[1]);
      current = null;
    }
  }
  return entries;
}

describe('compiled C built with -fcf-protection=full (Ubuntu\'s default) runs as on the host CPU', () => {
  it.each(['-O0', '-O2'])('gcc -m32 -fcf-protection=full %s', (opt) => {
    const elfPath = buildWithCet(opt);
    // objdump, not our disassembler, says the functions start with endbr32.
    const entries = functionEntries(elfPath);
    for (const f of ['run_all', 'done', '__udivdi3']) expect(entries.get(f), f).toBe('endbr32');
    const withEndbr = [...entries.values()].filter((t) => t === 'endbr32').length;
    expect(withEndbr).toBeGreaterThanOrEqual(5);

    const r = runCProgram(elfPath);
    expect(r.native).toContain(0xcbf43926); // the program's CRC-32 of "123456789"
    expect(r.stop, `emulator stopped with ${JSON.stringify(r.stop)}`).toMatchObject({ kind: 'breakpoint' });
    expect(r.emulated).toEqual(r.native);
    console.info(`cet ${opt}: ${withEndbr} functions start with endbr32; ${r.native.length} result words equal, ${r.executed} instructions emulated`);
  });
});

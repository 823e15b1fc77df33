// The teaching kernel (samples/kernel) on the emulated PC, with its own libc-free test program
// (samples/kernel/tests/ktest.c, one scenario per argument): the lecture's scenarios and the
// kernel's conventions (messages, trap-frame printout, exit statuses, symbols the debugger
// reads). Built with `make -C samples kernel` into a temporary directory, so a concurrent build
// of samples/build is not disturbed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMultiboot } from '../../emulator/loader/multiboot.js';
import { Machine, type StopReason } from '../../emulator/machine.js';
import { attachStandardDevices } from '../../emulator/pc.js';

const SAMPLES = fileURLToPath(new URL('../../samples', import.meta.url));
let build = '';
let kernel = '';
let ktest = '';

beforeAll(() => {
  build = mkdtempSync(join(tmpdir(), 'ringside-kernel-'));
  execFileSync('make', ['-C', SAMPLES, '--no-print-directory', `BUILD=${build}`, 'kernel'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  kernel = join(build, 'kernel', 'kernel.elf');
  ktest = join(build, 'kernel', 'tests', 'ktest.elf');
  // A second module name, for init= and exec by name.
  copyFileSync(ktest, join(build, 'kernel', 'tests', 'other.elf'));
});
afterAll(() => rmSync(build, { recursive: true, force: true }));

interface Run {
  out: string;
  stop: StopReason;
  /** The process exit status the CLI would give: low 8 bits of (code << 1) | 1. */
  status: number | null;
}

interface BootOptions {
  memoryMiB?: number;
  cmdline?: string;
  /** Bytes typed on COM1 before the kernel starts (type-ahead). */
  input?: string;
  limit?: number;
}

/** Boots the kernel with modules given as "file args" (file relative to the tests folder). */
function boot(modules: string[], opts: BootOptions = {}): Run {
  const m = new Machine({ memory: (opts.memoryMiB ?? 128) << 20 });
  const dev = attachStandardDevices(m);
  let out = '';
  dev.com1.onTransmit = (b) => {
    out += String.fromCharCode(b);
  };
  const mods = modules.map((spec) => {
    const [file, ...args] = spec.split(' ');
    const path = join(build, 'kernel', 'tests', file!);
    return { name: path, bytes: readFileSync(path), cmdline: args.join(' ') || undefined };
  });
  loadMultiboot(m, readFileSync(kernel), kernel, mods, { cmdline: opts.cmdline });
  if (opts.input !== undefined) dev.com1.receive(opts.input);
  const limit = opts.limit ?? 3e9;
  let stop: StopReason = { kind: 'budget' };
  while (m.cpu.icount < limit) {
    stop = m.run(50e6);
    if (stop.kind !== 'budget') break;
  }
  return { out, stop, status: stop.kind === 'debug-exit' ? stop.status & 0xff : null };
}

function expectClean(r: Run): void {
  expect(r.out).not.toMatch(/FAIL|kernel panic/);
  expect(r.out).toMatch(/\[kernel\] all environments exited\n$/);
  expect(r.status).toBe(1);
}

describe('boot and exit conventions', () => {
  it('prints the banner, runs the first module and exits with status 1 when all environments are done', () => {
    const r = boot(['ktest.elf hello']);
    expect(r.out).toMatch(/^Ringside teaching kernel: 131072 KiB of memory, \d+ pages free, swap 4096 KiB\nmodules: ktest\n/);
    expect(r.out).toContain('[00000000] new env 00001000\n');
    expect(r.out).toContain('hello via int $0x30\nhello via int $0x80\nhello via sysenter\n');
    expect(r.out).toContain('ktest hello: ok, i am environment 00001000\n');
    expect(r.out).toContain('[00001000] exiting gracefully\n[00001000] free env 00001000\n');
    expectClean(r);
  });

  it('starts the module named by init= and finds modules by name for exec', () => {
    const r = boot(['ktest.elf hello', 'other.elf exec'], { cmdline: 'init=other' });
    expect(r.out).toContain('modules: ktest other\n');
    // other.elf exec -> exec("ktest", ["ktest", "hello"]) in the same environment.
    expect(r.out).toContain('ktest hello: ok, i am environment 00001000\n');
    expect(r.out.match(/new env/g)).toHaveLength(1);
    expectClean(r);
  });

  it('ends with status 5 when there is nothing to run', () => {
    expect(boot([]).status).toBe(5);
    const r = boot(['ktest.elf'], { cmdline: 'init=nope' });
    expect(r.out).toContain('[kernel] init=nope: no module with that name\n');
    expect(r.status).toBe(5);
  });

  it('exports the process table where the debugger expects it', () => {
    const nm = execFileSync('nm', [kernel], { encoding: 'utf8' });
    expect(nm).toMatch(/^f01c0000 B envs$/m);
    expect(nm).toMatch(/^f0[0-9a-f]{6} [bB] curenv$/m);
    expect(nm).toMatch(/^f0[0-9a-f]{6} [bBdD] kern_pgdir$/m);
  });
});

describe('the lecture scenarios', () => {
  it('destroys an environment that writes to kernel memory, with JOS messages and trap frame', () => {
    const r = boot(['ktest.elf fault']);
    const dis = execFileSync('objdump', ['-d', ktest], { encoding: 'utf8' });
    const movb = /^\s+([0-9a-f]+):\s+(?:[0-9a-f]{2} )+\s*movb\s+\$0x21,0xf0100064$/m.exec(dis);
    expect(movb).not.toBeNull();
    const ip = movb![1]!.padStart(8, '0');
    expect(r.out).toContain(`[00001000] user fault va f0100064 ip ${ip}\nTRAP frame at 0xf01c0000\n`);
    const frame = r.out.slice(r.out.indexOf('TRAP frame'), r.out.indexOf('[00001000] free env'));
    expect(frame.split('\n').slice(1, -1).map((l) => l.slice(0, 6))).toEqual(
      ['edi', 'esi', 'ebp', 'oesp', 'ebx', 'edx', 'ecx', 'eax', 'es', 'ds', 'trap', 'cr2', 'err', 'eip', 'cs', 'flag', 'esp', 'ss'].map(
        (f) => `  ${f.padEnd(4)}`,
      ),
    );
    expect(frame).toContain('  oesp 0xefffffdc\n');
    expect(frame).toContain('  es   0x----0023\n  ds   0x----0023\n  trap 0x0000000e Page Fault\n  cr2  0xf0100064\n');
    expect(frame).toContain('  err  0x00000007 [user, write, protection]\n');
    expect(frame).toContain(`  eip  0x${ip}\n  cs   0x----001b\n`);
    expect(frame).toMatch(/ {2}esp {2}0xeebfd[0-9a-f]{3}\n {2}ss {3}0x----0023\n$/);
    expect(r.out).toContain('[00001000] free env 00001000\n[kernel] all environments exited\n');
    expect(r.status).toBe(1);
  });

  it('turns int $14 from ring 3 into a General Protection fault (the gate has DPL 0)', () => {
    const r = boot(['ktest.elf gp']);
    expect(r.out).toContain('  trap 0x0000000d General Protection\n  err  0x00000072\n');
    expect(r.out).toContain('[00001000] free env 00001000\n');
  });

  it.each(['stack', 'cow', 'efault', 'sysenter', 'wait', 'utime', 'many', 'all'])('ktest %s', (scenario) => {
    const r = boot([`ktest.elf ${scenario}`]);
    expect(r.out).toContain(`ktest ${scenario === 'all' ? 'gp' : scenario}: ok`);
    expectClean(r);
  });

  it('counts copy-on-write faults and reports them when the environment is freed', () => {
    const r = boot(['ktest.elf cow']);
    expect(r.out).toMatch(/\[00001001\] exiting with status 42\n\[00001001\] paging: [1-9]\d* copy-on-write faults, 0 pages swapped out, 0 swapped in\n\[00001001\] free env 00001001\n/);
  });

  it('reads console lines with echo, backspace and end of file', () => {
    const r = boot(['ktest.elf read'], { input: 'hello\rworlx\x7fd\rpart\x04\x04' });
    expect(r.out).toContain('hello\nworlx\b \bd\npart');
    expect(r.out).toContain('ktest read: 6 bytes: hello\nktest read: 6 bytes: world\nktest read: 4 bytes: part\n');
    expect(r.out).toContain('ktest read: ok, 3 lines, then end of file\n');
    expectClean(r);
  });
});

describe('swapping with 4 MiB of memory', () => {
  it('swaps a 6 MiB heap out and back in, contents intact', () => {
    const r = boot(['ktest.elf swap 6'], { memoryMiB: 4 });
    expect(r.out).toMatch(/^Ringside teaching kernel: 4096 KiB of memory/);
    expect(r.out).toContain('ktest swap: ok, 1536 pages verified\n');
    expect(r.out).toMatch(/\[00001000\] paging: 0 copy-on-write faults, [1-9]\d* pages swapped out, [1-9]\d* swapped in\n/);
    expect(r.out).toMatch(/\[kernel\] swap: \d+ pages swapped out, \d+ swapped in\n/);
    expectClean(r);
  });

  it('keeps copy-on-write correct for pages that were swapped out before fork', () => {
    const r = boot(['ktest.elf swapfork 3'], { memoryMiB: 4 });
    expect(r.out).toContain('ktest swapfork: ok, 768 pages\n');
    expectClean(r);
  });

  it('kills the environment, not the kernel, when memory and swap run out', () => {
    const r = boot(['ktest.elf swap 9'], { memoryMiB: 4 });
    expect(r.out).toMatch(/\[00001000\] out of memory \(and swap\) at va [0-9a-f]{8}\n\[00001000\] user fault va /);
    expect(r.out).toContain('[00001000] free env 00001000\n[kernel] swap: 1024 pages swapped out, 0 swapped in\n');
    expect(r.status).toBe(1);
  });
});

// The headless CLI as a user runs it: the compiled out/emulator/cli.js (what bin/ringside.js
// starts) in a child process, on kernels built here. `npm test` builds first; when vitest is run
// alone, beforeAll rebuilds if any emulator source is newer than the compiled CLI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine, parseCount, parseMemorySize, UsageError } from '../../emulator/cli/args.js';
import { buildPlatformKernel, platformDiskImage } from './platform/build.js';
import { EXPECTED as PLATFORM_EXPECTED } from './platform/expected.js';
import {
  buildBenchGuest, buildKernel, ECHO_KERNEL, makeTempDir, nmSymbols, removeDir, SPIN_KERNEL, symbol, TRACE_KERNEL,
  TRIPLE_FAULT_KERNEL,
} from './multiboot-fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'out', 'emulator', 'cli.js');
const LAUNCHER = join(ROOT, 'bin', 'ringside.js');
const dir = makeTempDir('ringside-cli-');
afterAll(() => removeDir(dir));

function newestSource(folder: string): number {
  let newest = 0;
  for (const e of readdirSync(folder, { withFileTypes: true })) {
    const p = join(folder, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

beforeAll(() => {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource(join(ROOT, 'emulator'))) return;
  // tsc exits non-zero on type errors anywhere in the tree but still writes its output.
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
  if (!existsSync(CLI)) throw new Error(`${CLI} was not built`);
});

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function ringside(args: string[], script = CLI): Result {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Usage and load errors are one sentence, never a stack trace. */
function expectCleanError(r: Result, message: RegExp): void {
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
}

describe('help and usage errors', () => {
  it('prints the usage with --help, through the bin/ringside.js launcher', () => {
    const r = ringside(['--help'], LAUNCHER);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: ringside run KERNEL \[options\]/);
    expect(r.stdout).toMatch(/--module FILE/);
    expect(r.stdout).toMatch(/Exit status: .* 1 for a usage or load error; 2 when the machine stops/s);
  });

  it('prints the version', () => {
    expect(ringside(['--version'])).toMatchObject({ status: 0, stdout: 'ringside 0.1.0\n' });
  });

  it.each([
    [[], /ringside: no command given\nusage: ringside run KERNEL/],
    [['frob'], /unknown command "frob" \(did you mean: ringside run frob\?\)/],
    [['run'], /run: no kernel given/],
    [['run', 'k.elf', '--frobnicate'], /unknown option --frobnicate/],
    [['run', 'k.elf', '--memory'], /--memory needs a value/],
    [['run', 'k.elf', '--memory', 'lots'], /--memory: cannot read "lots" as a size/],
    [['run', 'k.elf', '--memory=1M'], /--memory: 1M is less than the 2 MiB minimum/],
    [['run', 'k.elf', '--max-instructions', '-5'], /--max-instructions needs a value|--max-instructions: "-5" is not a positive whole number/],
    [['run', 'k.elf', '--max-instructions', 'ten'], /--max-instructions: "ten" is not a positive whole number/],
    [['run', 'a.elf', 'b.elf'], /unexpected argument "b.elf": give one kernel/],
    [['run', 'k.elf', '--trace-traps=yes'], /--trace-traps takes no value/],
  ])('%j', (args, message) => {
    const r = ringside(args);
    expectCleanError(r, message);
    expect(r.stderr).toMatch(/ringside --help for the options/);
  });
});

describe('load errors', () => {
  it('names a missing kernel', () => {
    expectCleanError(ringside(['run', join(dir, 'nope.elf')]), /^ringside: cannot read kernel .*nope\.elf: no such file\n$/);
  });

  it('names a missing module', () => {
    const k = buildKernel(dir, 'echo-missing', ECHO_KERNEL);
    expectCleanError(ringside(['run', k, '--module', join(dir, 'gone.bin')]), /cannot read module .*gone\.bin: no such file/);
  });

  it('names a directory given as the kernel', () => {
    expectCleanError(ringside(['run', dir]), /cannot read kernel .*: is a directory/);
  });

  it('explains a broken ELF file', () => {
    const bad = join(dir, 'broken.elf');
    writeFileSync(bad, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, ...new Array(60).fill(0)]));
    expectCleanError(
      ringside(['run', bad]),
      /^ringside: .*broken\.elf: no multiboot header in the first 8192 bytes, and not a loadable ELF32 executable either: not ELFCLASS32: this is a 64-bit ELF file/,
    );
  });

  it('explains a multiboot header with a bad checksum', () => {
    const bad = join(dir, 'badsum.bin');
    writeFileSync(bad, Buffer.from([0x02, 0xb0, 0xad, 0x1b, 0, 0, 0, 0, 0, 0, 0, 0]));
    expectCleanError(ringside(['run', bad]), /badsum\.bin: multiboot header at offset 0x0 has a bad checksum/);
  });
});

describe('--memory', () => {
  it.each([
    ['4M', 4 << 20], ['128M', 128 << 20], ['2M', 2 << 20], ['2MiB', 2 << 20], ['4194304', 4194304], ['1G', 2 ** 30],
    ['2048K', 2 << 20], ['2.5M', 2.5 * 2 ** 20], ['64mb', 64 << 20],
  ])('reads %s', (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes);
  });

  it.each([
    ['512K', /less than the 2 MiB minimum/], ['1M', /less than the 2 MiB minimum/], ['4G', /more than the 3 GiB maximum/],
    ['3000000', /not a whole number of 4 KiB pages/], ['4X', /cannot read "4X" as a size/], ['', /cannot read/], ['-4M', /cannot read/],
  ])('refuses %s', (text, message) => {
    expect(() => parseMemorySize(text)).toThrow(UsageError);
    expect(() => parseMemorySize(text)).toThrow(message);
  });

  it('reads instruction counts', () => {
    expect([parseCount('-n', '1000'), parseCount('-n', '5e8'), parseCount('-n', '100M'), parseCount('-n', '2k')]).toEqual([1000, 5e8, 1e8, 2000]);
    expect(() => parseCount('-n', '0')).toThrow(/not a positive whole number/);
  });

  it('gives the guest that much memory (a module that does not fit in 2 MiB is refused)', () => {
    const k = buildKernel(dir, 'echo-mem', ECHO_KERNEL);
    const big = join(dir, 'big.bin');
    writeFileSync(big, new Uint8Array(1_500_000));
    expectCleanError(ringside(['run', k, '--memory', '2M', '--module', big]), /big\.bin: module of 1500000 bytes does not fit in guest memory/);
    expect(ringside(['run', k, '--memory=4M', '--module', big]).status).toBe(3);
  });
});

describe('running kernels', () => {
  it('passes the command line and modules, prints COM1 and exits with the debug-exit status', () => {
    const k = buildKernel(dir, 'echo', ECHO_KERNEL);
    const notes = join(dir, 'notes.txt');
    const data = join(dir, 'data.bin');
    writeFileSync(notes, 'first module');
    writeFileSync(data, 'second');
    const r = ringside(['run', k, '--cmdline', 'console=com1 quiet', '--module', notes, '--module', `${data} mode=fast`]);
    expect(r.stdout).toBe(`${k} console=com1 quiet\n${notes}:first module\n${data} mode=fast:second\n`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(5); // two modules: the kernel writes 2, QEMU's rule makes it (2 << 1) | 1
  });

  it('stops at --max-instructions with status 4', () => {
    const k = buildKernel(dir, 'spin', SPIN_KERNEL);
    const r = ringside(['run', k, '--max-instructions', '100000']);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/^ringside: instruction limit reached \(--max-instructions 100000\) at 0008:00100[0-9a-f]{3} after 100000 instructions\n$/);
  });

  it('reports a triple fault with the registers, status 2', () => {
    const k = buildKernel(dir, 'triple', TRIPLE_FAULT_KERNEL);
    const r = ringside(['run', k]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ringside: triple fault: .*; the machine stopped at 0008:[0-9a-f]{8} after \d+ instructions\n/);
    expect(r.stderr).toMatch(/eax=12345678 ecx=00000000 edx=00000000 ebx=00009000/);
    expect(r.stderr).toMatch(/cs=0008 ss=0010 ds=0010/);
    expect(r.stderr).toMatch(/cr0=00000011 \[ET PE\]/);
  });

  it('ends on ctrl-C with status 130', async () => {
    const k = buildKernel(dir, 'spin-forever', SPIN_KERNEL);
    const child = spawn(process.execPath, [CLI, 'run', k], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    setTimeout(() => child.kill('SIGINT'), 1000);
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(status).toBe(130);
    expect(stderr).toMatch(/^ringside: interrupted at 0008:00100[0-9a-f]{3} after \d+ instructions\n$/);
  });
});

describe('--trace-traps', () => {
  let kernel: string;
  let traced: Result;
  let traps: string[];
  const at = (cs: string, name: string): string => `${cs}:${symbol(nmSymbols(kernel), name).toString(16).padStart(8, '0')}`;
  beforeAll(() => {
    kernel = buildKernel(dir, 'trace', TRACE_KERNEL);
    traced = ringside(['run', kernel, '--trace-traps']);
    traps = traced.stderr.split('\n').filter((l) => l.startsWith('trap '));
  });

  it('prints one line per vector: count, vector and name, rings, cs:eip, decoded error code, CR2', () => {
    expect(traced.stdout).toBe('TRACE KERNEL\n');
    expect(traced.status).toBe(2);
    expect(traps.slice(0, 4).map((l) => l.replace(/^trap \d+: /, ''))).toEqual([
      `vector 128 Interrupt 0x80 (int), ring 0 -> 0, at ${at('0008', 'after_int_ring0')}`,
      `vector 14 #PF Page Fault (exception), ring 0 -> 0, at ${at('0008', 'kernel_fault')}, err 0x00000002 [kernel, write, not-present], cr2 0x00400000`,
      `vector 128 Interrupt 0x80 (int), ring 3 -> 0, at ${at('001b', 'after_int_ring3')}`,
      `vector 14 #PF Page Fault (exception), ring 3 -> 0, at ${at('001b', 'user_fault')}, err 0x00000007 [user, write, protection], cr2 0x00300000`,
    ]);
    expect(traps[4]).toMatch(/^trap \d+: vector 13 #GP General Protection \(exception\), ring 3 -> 0, at 001b:[0-9a-f]{8}, err 0x0000040a IDT vector 129 \(ext=0\)$/);
    expect(traps).toHaveLength(5);
    // Instruction counts grow from line to line.
    const counts = traps.map((l) => Number(/^trap (\d+):/.exec(l)![1]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts[0]).toBeGreaterThan(10);
    // Then the halt in the #GP handler, with the registers.
    expect(traced.stderr).toMatch(/ringside: the CPU halted with interrupts disabled \(cli; hlt\) at 0008:[0-9a-f]{8} after \d+ instructions\n/);
    expect(traced.stderr).toMatch(/eip=[0-9a-f]{8} eflags=[0-9a-f]{8} \[.*IOPL=0\] cpl=0/);
  });

  it('shows the #GP of int through a DPL 0 gate at the int instruction, as QEMU does (a fault)', () => {
    expect(traps[4]).toContain(`at ${at('001b', 'user_int81')},`);
  });

  it('prints nothing about traps without the option', () => {
    const r = ringside(['run', kernel]);
    expect(r.stdout).toBe('TRACE KERNEL\n');
    expect(r.stderr).not.toMatch(/^trap /m);
    expect(r.status).toBe(2);
  });
});

describe('the bench guest, SCALE=1 (../shared/bench-guest)', () => {
  it('prints its phases as they happen, the QEMU checksum, and exits with status 33', async () => {
    const elf = buildBenchGuest(dir, 1);
    const child = spawn(process.execPath, [CLI, 'run', elf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let startSeenWhileRunning = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Streaming: the first line is out long before the 157 million instructions are done.
      if (stdout.includes('BENCH START') && !stdout.includes('BENCH DONE') && child.exitCode === null) startSeenWhileRunning = true;
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The phase checksums as qemu-system-i386 7.2 prints them for the same SCALE=1 build
    // (SCALE=10 gives 46ef48e9, the figure in the bench guest's README).
    expect(stdout).toBe(
      'BENCH START magic=2badb002\nA alu  = 0ae08ef6\nB mem  = 00048408\nC sys  = e4b19757\nBENCH DONE ee559da9\n',
    );
    expect(stderr).toBe('');
    expect(status).toBe(33);
    expect(startSeenWhileRunning).toBe(true);
  });
});

describe('IDE disks and the CGA screen (--disk0, --disk1, --cga)', () => {
  it('reads the options, and refuses a disk given twice or missing', () => {
    const cmd = parseCommandLine(['run', 'k.elf', '--disk1', 'fs.img', '--disk0=boot.img', '--cga']);
    expect(cmd).toMatchObject({ kind: 'run', options: { disk0: 'boot.img', disk1: 'fs.img', cga: true, traceTraps: false } });
    expect(parseCommandLine(['run', 'k.elf'])).toMatchObject({ options: { cga: false } });
    expectCleanError(ringside(['run', 'k.elf', '--disk1', 'a.img', '--disk1', 'b.img']), /--disk1 given twice/);
    expectCleanError(ringside(['run', 'k.elf', '--disk0']), /--disk0 needs a value/);
    expectCleanError(ringside(['run', 'k.elf', '--cga=on']), /--cga takes no value/);
    const k = buildKernel(dir, 'echo-disk', ECHO_KERNEL);
    expectCleanError(ringside(['run', k, '--disk0', join(dir, 'no-disk.img')]), /cannot read disk image .*no-disk\.img: no such file/);
    const tiny = join(dir, 'tiny.img');
    writeFileSync(tiny, new Uint8Array(100));
    expectCleanError(ringside(['run', k, '--disk1', tiny]), /tiny\.img is smaller than one 512-byte sector/);
    expect(ringside(['--help']).stdout).toMatch(/--disk1 FILE .*slave[\s\S]*--cga/);
  });

  it('runs the platform kernel with its slave disk; --cga echoes the screen; the file is not written', () => {
    const kernel = buildPlatformKernel().path;
    const image = join(dir, 'platform-disk1.img');
    writeFileSync(image, platformDiskImage());
    const r = ringside(['run', kernel, '--memory', '32M', '--disk1', image]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(PLATFORM_EXPECTED);
    expect(r.status).toBe(1);
    const echo = ringside(['run', kernel, '--memory', '32M', '--disk1', image, '--cga']);
    expect(echo.stdout.startsWith(PLATFORM_EXPECTED)).toBe(true);
    expect(echo.stdout.slice(PLATFORM_EXPECTED.length)).toBe(' '.repeat(10) + 'RINGSIDE\n');
    expect(new Uint8Array(readFileSync(image))).toEqual(platformDiskImage());
  });
});

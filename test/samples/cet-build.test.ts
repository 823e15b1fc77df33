// The teaching kernel and the sample programs built as Ubuntu's gcc builds them: its default
// -fcf-protection puts endbr32 at the entry of every C function (the kernel's Makefile names no
// -fcf-protection at all, so on Ubuntu it gets them; the user programs are forced to =full here).
// A copy of samples/ is built that way in a temporary directory; objdump must show the endbr32s,
// and each program must print what the lecture predicts (test/samples/expected, as golden.test.ts
// checks for the normal build), with the faulting eip moved to where objdump now puts the store.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMultiboot } from '../../emulator/loader/multiboot.js';
import { Machine } from '../../emulator/machine.js';
import { attachStandardDevices } from '../../emulator/pc.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXPECTED = join(ROOT, 'test', 'samples', 'expected');
const MAX_INSTRUCTIONS = 2_000_000_000;
const CET_CC = 'gcc -fcf-protection=full';

let copy = '';
const built = (...p: string[]): string => join(copy, 'build', ...p);

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'ringside-cet-samples-'));
  cpSync(join(ROOT, 'samples'), copy, { recursive: true, filter: (src) => !src.startsWith(join(ROOT, 'samples', 'build')) });
  const frag = join(copy, 'user', 'Makefile.frag');
  const flags = readFileSync(frag, 'utf8');
  expect(flags, 'the user programs\' flags name -fcf-protection=none (the test replaces it)').toContain('-fcf-protection=none');
  writeFileSync(frag, flags.replaceAll('-fcf-protection=none', '-fcf-protection=full'));
  execFileSync('make', ['-s', '-C', copy, `CC=${CET_CC}`], { stdio: ['ignore', 'ignore', 'pipe'] });
}, 120_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** objdump's instructions of an ELF, with the function each one belongs to. */
function disassemble(elfPath: string): { address: number; text: string; fn: string }[] {
  const listing = execFileSync('objdump', ['-d', '--no-show-raw-insn', elfPath], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const out: { address: number; text: string; fn: string }[] = [];
  let fn = '';
  for (const line of listing.split('\n')) {
    const header = /^[0-9a-f]+ <([^>]+)>:$/.exec(line);
    if (header) fn = header[1];
    const m = /^\s*([0-9a-f]+):\s+(\S.*?)\s*$/.exec(line);
    if (m) out.push({ address: parseInt(m[1], 16), text: m[2], fn });
  }
  return out;
}

function firstInstruction(elfPath: string, fn: string): string | undefined {
  return disassemble(elfPath).find((i) => i.fn === fn)?.text;
}

/** The kernel with one program, run to the kernel's debug-exit; the console output. */
function runSample(name: string): { status: number; output: string } {
  const machine = new Machine({});
  const kernelPath = built('kernel', 'kernel.elf');
  const program = built('user', `${name}.elf`);
  loadMultiboot(machine, new Uint8Array(readFileSync(kernelPath)), kernelPath, [{ name: program, bytes: new Uint8Array(readFileSync(program)) }]);
  const devices = attachStandardDevices(machine);
  const out: number[] = [];
  devices.com1.onTransmit = (byte) => out.push(byte);
  const output = (): string => Buffer.from(out).toString('utf8');
  while (machine.cpu.icount < MAX_INSTRUCTIONS) {
    const stop = machine.run(50_000_000);
    if (stop.kind === 'budget') continue;
    if (stop.kind === 'debug-exit') return { status: stop.status & 0xff, output: output() };
    throw new Error(`${name}: the machine stopped (${JSON.stringify(stop)}) after:\n${output()}`);
  }
  throw new Error(`${name}: no exit after ${MAX_INSTRUCTIONS} instructions:\n${output()}`);
}

/** The expected text as a pattern: {{n}} is any decimal number, {{x}} any 8 hex digits. */
function expectedPattern(expected: string): RegExp {
  const pattern = expected
    .split(/(\{\{[nx]\}\})/)
    .map((part) => (part === '{{n}}' ? '\\d+' : part === '{{x}}' ? '[0-9a-f]{8}' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

describe('kernel and samples built with -fcf-protection=full (as on Ubuntu)', () => {
  it('objdump shows endbr32 at the entry of the kernel\'s and the programs\' C functions', () => {
    expect(firstInstruction(built('kernel', 'kernel.elf'), 'trap')).toBe('endbr32');
    expect(firstInstruction(built('kernel', 'kernel.elf'), 'i386_init')).toBe('endbr32');
    expect(firstInstruction(built('user', 'hello.elf'), 'main')).toBe('endbr32');
    expect(firstInstruction(built('user', 'hello.elf'), 'printf')).toBe('endbr32');
  });

  // Programs whose output names no code address, exactly as the lecture expects it.
  it.each(['hello', 'syscall_direct', 'stack_growth', 'cow_fork', 'multiproc', 'vdso_time', 'sysenter_vs_int'])('%s prints the expected output', (name) => {
    const run = runSample(name);
    const expected = readFileSync(join(EXPECTED, `${name}.txt`), 'utf8');
    expect(run.output).toMatch(expectedPattern(expected));
  });

  it('kernel_write: the lecture\'s page fault, at the address objdump gives the store in this build', () => {
    const store = disassemble(built('user', 'kernel_write.elf')).find((i) => /^movb\s+\$0x21,0xf0100064$/.test(i.text));
    expect(store, 'objdump shows the movb of the lecture').toBeDefined();
    const eip = store!.address.toString(16).padStart(8, '0');
    expect(eip, 'endbr32 moved the store').not.toBe('00800039');
    const expected = readFileSync(join(EXPECTED, 'kernel_write.txt'), 'utf8').replaceAll('00800039', eip);
    expect(runSample('kernel_write').output).toMatch(expectedPattern(expected));
  });
});

// Golden tests for the sample programs (samples/user): each one runs headless on the teaching
// kernel, as a user runs it,
//   node out/emulator/cli.js run samples/build/kernel/kernel.elf --module samples/build/user/NAME.elf
// and its console output (the kernel's messages and the program's) must equal
// test/samples/expected/NAME.txt.
//
// The expected files hold what the lecture notes predict: fault addresses, error codes, the
// trap frames. The `facts` of each sample below repeat the lecture's numbers, and `eips` checks
// that each trap frame's eip is the address objdump gives for the faulting instruction in the
// built ELF, so a regenerated expected file cannot silently lose them.
//
// Two placeholders stand for values no lecture predicts, which change when unrelated code
// changes size:
//   {{n}}  any decimal number: free pages at boot (they depend on the size of the ELF loaded),
//          instruction counts of kernel paths (sysenter_vs_int, vdso_time);
//   {{x}}  any 8 hex digits: a register in a trap frame that holds whatever the C library
//          left in it (ecx, edx after a printf).
//
// The samples are not built here: run `make -C samples` first (the test fails, not skips, when
// they are missing). Each run's output is also written to samples/build/golden/NAME.txt, to
// diff against the expected file when a test fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMemorySize } from '../../emulator/cli/args.js';
import { loadMultiboot } from '../../emulator/loader/multiboot.js';
import { Machine } from '../../emulator/machine.js';
import { attachStandardDevices } from '../../emulator/pc.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'out', 'emulator', 'cli.js');
const BUILD = join(ROOT, 'samples', 'build');
const KERNEL = join(BUILD, 'kernel', 'kernel.elf');
const USER = join(BUILD, 'user');
const EXPECTED = join(ROOT, 'test', 'samples', 'expected');
const ACTUAL = join(BUILD, 'golden');

/** A run that takes longer than this is stuck (the slowest sample, swap, needs ~1e9). */
const MAX_INSTRUCTIONS = 4_000_000_000;

interface Sample {
  readonly name: string;
  /** --memory for the run (default: the CLI's 128M). */
  readonly memory?: string;
  /** Console input, typed once the program has started. */
  readonly input?: string;
  /** Regular expressions the output must match: the lecture's numbers. */
  readonly facts?: readonly RegExp[];
  /**
   * The trap frames' eips, in order: the address of the first instruction objdump shows
   * matching `insn` (a fault: eip is the instruction itself), or of the one after it
   * (`after`: a trap such as int3 reports the next instruction).
   */
  readonly eips?: readonly { readonly insn: RegExp; readonly after?: boolean }[];
  /**
   * Regular expressions the CLI's --trace-traps log (stderr) must match: faults the kernel
   * resolves silently, which the console never shows.
   */
  readonly traps?: readonly RegExp[];
}

const SAMPLES: readonly Sample[] = [
  { name: 'hello', facts: [/^CS444$/m] },
  { name: 'syscall_direct', facts: [/^Hello, world!$/m, /returned 14$/m] },
  { name: 'hello_asm', facts: [/^Hello, world!$/m] },
  {
    name: 'kernel_write',
    // The lecture's printout, line for line where our machine agrees with JOS's.
    facts: [
      /^TRAP frame at 0xf01c0000$/m,
      /^ {2}trap 0x0000000e Page Fault$/m,
      /^ {2}cr2 {2}0xf0100064$/m,
      /^ {2}err {2}0x00000007 \[user, write, protection\]$/m,
      /^ {2}eip {2}0x00800039$/m,
      /^ {2}cs {3}0x----001b$/m,
      /^\[00001000\] free env 00001000$/m,
    ],
    eips: [{ insn: /^movb\s+\$0x21,0xf0100064$/ }],
  },
  {
    name: 'stack_growth',
    facts: [/buf = 0xeebfcff0\.\.0xeebfd00f holds "123456789:;<=>\?@ABCDEFGHIJKLMNOP"/, /on page 0xeebfb000\)$/m],
    // The lecture: buf[0] = '1' faults on the page below the stack, not present, cr2 = buf.
    traps: [
      /vector 14 #PF Page Fault \(exception\), ring 3 -> 0, at 001b:[0-9a-f]{8}, err 0x00000006 \[user, write, not-present\], cr2 0xeebfcff0$/m,
      /err 0x00000006 \[user, write, not-present\], cr2 0xeebfb[0-9a-f]{3}$/m,
    ],
  },
  {
    name: 'read_efault',
    input: 'asdfzxcv\n',
    facts: [
      /^asdfzxcv$/m, // the kernel's echo of what was typed
      /^Read to stack memory returns: 9$/m,
      /^Read to kernel memory returns: -1$/m,
      /^Reason for the error:: Bad address$/m,
    ],
  },
  {
    name: 'cow_fork',
    facts: [
      /^child: {2}data_value = 100, bss_value = 200, stack_value = 300$/m,
      /^parent: data_value = 1, bss_value = 0, stack_value = 3 /m,
      /^\[00001001\] paging: [1-9]\d* copy-on-write faults/m,
    ],
    // A write to a shared page (.data at 0x802000): present, read-only for now.
    traps: [/err 0x00000007 \[user, write, protection\], cr2 0x00802000$/m],
  },
  { name: 'swap', memory: '4M', facts: [/^swap: 1280 pages verified$/m, /[1-9]\d* pages swapped out, [1-9]\d* swapped in/] },
  { name: 'divzero', facts: [/^ {2}trap 0x00000000 Divide error$/m], eips: [{ insn: /^idiv\s/ }] },
  {
    name: 'breakpoint',
    facts: [/^ {2}trap 0x00000003 Breakpoint$/m, /^after int3/m],
    eips: [{ insn: /^int3$/, after: true }],
  },
  { name: 'sysenter_vs_int', facts: [/^sysenter : getpid\(\) = 4096 in \d+ instructions$/m] },
  {
    name: 'vdso_time',
    // Reading the page is a handful of user instructions; time() is a trip through the kernel.
    facts: [/UTIME page is at 0xef7ff000/, /the same as the UTIME page/, /^page->seconds: +\d{1,2} instructions$/m, /^time\(\): +\d{3,} instructions$/m, /changed 3 times/],
  },
  { name: 'multiproc', facts: [/^parent: all 3 children finished$/m] },
  {
    name: 'privileged',
    facts: [/^ {2}trap 0x0000000d General Protection$/m, /^ {2}err {2}0x00000072$/m, /tried int \$14 is gone$/m],
    eips: [{ insn: /^cli$/ }, { insn: /^hlt$/ }, { insn: /^mov\s+%eax,%cr3$/ }, { insn: /^int\s+\$0xe$/ }],
  },
];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function newestSource(folder: string): number {
  let newest = 0;
  for (const e of readdirSync(folder, { withFileTypes: true })) {
    const p = join(folder, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Why the samples cannot run (not built), or undefined. Checked by every test, so that each
 * one fails with the reason instead of being skipped. */
let notBuilt: string | undefined;

beforeAll(() => {
  const missing = [KERNEL, ...SAMPLES.map((s) => elf(s.name))].filter((f) => !existsSync(f)).map((f) => f.slice(ROOT.length));
  if (missing.length > 0) {
    const more = missing.length > 1 ? ` and ${missing.length - 1} more` : '';
    notBuilt = `the samples are not built (no ${missing[0]}${more}): run \`make -C samples\``;
    return;
  }
  // As test/emulator/cli.test.ts: rebuild the CLI when an emulator source is newer.
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newestSource(join(ROOT, 'emulator'))) {
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], {
      stdio: 'ignore',
    });
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} was not built (npm run build)`);
  mkdirSync(ACTUAL, { recursive: true });
});

function requireBuilt(): void {
  if (notBuilt) throw new Error(notBuilt);
}

function elf(name: string): string {
  return join(USER, `${name}.elf`);
}

/** The sample through the CLI, exactly as a user would run it. */
function runCli(sample: Sample): Run {
  const args = [CLI, 'run', KERNEL, '--module', elf(sample.name), '--max-instructions', String(MAX_INSTRUCTIONS)];
  if (sample.memory) args.push('--memory', sample.memory);
  if (sample.traps) args.push('--trace-traps');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The sample in this process, on the machine the CLI builds (same loader, same devices), for
 * samples that need console input: the CLI does not forward its stdin to COM1 yet.
 * TODO(cli): use the CLI for these too once it can feed console input.
 * The input is "typed" once the program is running: after its first trap from ring 3 (a
 * system call or an interrupt), when the kernel has long finished setting up the UART (its
 * initialisation empties the receive FIFO).
 */
function runInProcess(sample: Sample): Run {
  const machine = new Machine({ memory: sample.memory ? parseMemorySize(sample.memory) : undefined });
  const kernel = new Uint8Array(readFileSync(KERNEL));
  const module = new Uint8Array(readFileSync(elf(sample.name)));
  loadMultiboot(machine, kernel, KERNEL, [{ name: elf(sample.name), bytes: module }]);
  const devices = attachStandardDevices(machine);
  const out: number[] = [];
  devices.com1.onTransmit = (byte) => out.push(byte);
  let userRan = false;
  machine.cpu.vectorHook = (event) => {
    if (event.cplBefore === 3) userRan = true;
    return false; // observe only: deliver the vector as usual
  };
  let typed = sample.input === undefined;
  const output = (): string => Buffer.from(out).toString('utf8');
  for (;;) {
    if (machine.cpu.icount >= MAX_INSTRUCTIONS) return { status: 4, stdout: output(), stderr: 'instruction limit reached\n' };
    const stop = machine.run(typed ? 10_000_000 : 10_000);
    if (!typed && userRan) {
      devices.com1.receive(sample.input!);
      typed = true;
    }
    if (stop.kind === 'budget') continue;
    // As the CLI: a debug-exit status is already (value << 1) | 1.
    if (stop.kind === 'debug-exit') return { status: stop.status & 0xff, stdout: output(), stderr: '' };
    return { status: 2, stdout: output(), stderr: `the machine stopped: ${stop.kind}\n` };
  }
}

/** The expected text as a pattern: {{n}} is any decimal number, {{x}} any 8 hex digits. */
function matchesExpected(actual: string, expected: string): boolean {
  const pattern = expected
    .split(/(\{\{[nx]\}\})/)
    .map((part) => (part === '{{n}}' ? '\\d+' : part === '{{x}}' ? '[0-9a-f]{8}' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(actual);
}

/** objdump's instructions of an ELF: address and text ("movb   $0x21,0xf0100064"). */
function disassemble(elfPath: string): { address: number; text: string }[] {
  const listing = execFileSync('objdump', ['-d', '--no-show-raw-insn', elfPath], { encoding: 'utf8' });
  const insns: { address: number; text: string }[] = [];
  for (const line of listing.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+(\S.*?)\s*$/.exec(line);
    if (m) insns.push({ address: parseInt(m[1]!, 16), text: m[2]! });
  }
  return insns;
}

/** The trap frames' eips that the sample's `eips` predict, from objdump, as "0x0080003c". */
function predictedEips(sample: Sample): string[] {
  const insns = disassemble(elf(sample.name));
  return (sample.eips ?? []).map(({ insn, after }) => {
    const i = insns.findIndex((x) => insn.test(x.text));
    if (i < 0 || (after && i + 1 >= insns.length)) throw new Error(`objdump shows no ${insn} in ${sample.name}.elf`);
    return '0x' + insns[after ? i + 1 : i]!.address.toString(16).padStart(8, '0');
  });
}

describe('sample programs on the teaching kernel (golden console output)', () => {
  for (const sample of SAMPLES) {
    it(sample.name, () => {
      requireBuilt();
      const run = sample.input === undefined ? runCli(sample) : runInProcess(sample);
      writeFileSync(join(ACTUAL, `${sample.name}.txt`), run.stdout);
      const expectedFile = join(EXPECTED, `${sample.name}.txt`);
      expect(existsSync(expectedFile), `${expectedFile} is missing`).toBe(true);
      const expected = readFileSync(expectedFile, 'utf8');

      // The kernel ends a run with debug-exit code 0 when every environment has exited:
      // status (0 << 1) | 1 = 1. Anything else comes with a reason on stderr.
      const context = `exit status ${run.status}; stderr:\n${run.stderr}`;
      expect(run.status, context).toBe(1);
      if (!matchesExpected(run.stdout, expected)) {
        // Not equal even with the placeholders: compare as text, for a readable diff.
        expect(run.stdout, context).toBe(expected);
      }
      for (const fact of sample.facts ?? []) expect(run.stdout, `the lecture's ${fact}`).toMatch(fact);
      for (const trap of sample.traps ?? []) expect(run.stderr, `the trap log's ${trap}`).toMatch(trap);
      const eips = [...run.stdout.matchAll(/^ {2}eip {2}(0x[0-9a-f]{8})$/gm)].map((m) => m[1]);
      expect(eips, 'trap frame eips vs objdump').toEqual(predictedEips(sample));
    });
  }

  it("kernel_write's store is the lecture's instruction, at the lecture's address", () => {
    // The slide: "0x00800039   movb $0x21, 0xf0100064". Our crt0 is 25 bytes and main
    // comes right after it, built at -O1 like JOS's programs, so the address is the same.
    requireBuilt();
    const movb = disassemble(elf('kernel_write')).find((x) => /^movb\s+\$0x21,0xf0100064$/.test(x.text));
    expect(movb, 'no movb $0x21,0xf0100064 in kernel_write.elf').toBeDefined();
    expect(movb!.address).toBe(0x00800039);
  });
});

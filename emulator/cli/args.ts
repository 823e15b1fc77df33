/**
 * The command line of `ringside`: hand-written rather than node:util parseArgs so that every
 * mistake gets a sentence a student understands ("--memory: 512K is less than the 2 MiB a
 * multiboot kernel needs") instead of an internal error code.
 */

/** A mistake in the command line: reported with the usage hint, exit status 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface RunOptions {
  readonly kernel: string;
  /** `--module` values: a file name, optionally followed by arguments for the module's string. */
  readonly modules: readonly string[];
  readonly memory: number;
  readonly traceTraps: boolean;
  readonly maxInstructions: number | null;
  readonly cmdline: string | undefined;
  /** `--disk0` / `--disk1`: image files for the IDE master and slave (read at start; writes stay in memory). */
  readonly disk0?: string;
  readonly disk1?: string;
  /** `--cga`: echo what the guest writes to the CGA text screen to stdout. */
  readonly cga?: boolean;
  /** `--stdin`: where console input goes (default COM1's receiver). */
  readonly stdin?: StdinTarget;
  /** `--com1-irq`: COM1's IRQ wiring (default QEMU's: the line follows the UART's interrupts). */
  readonly com1Irq?: Com1IrqWiring;
}

export const STDIN_TARGETS = ['com1', 'keyboard', 'none'] as const;
export type StdinTarget = (typeof STDIN_TARGETS)[number];
export const COM1_IRQ_WIRINGS = ['qemu', 'out2'] as const;
export type Com1IrqWiring = (typeof COM1_IRQ_WIRINGS)[number];

export type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: RunOptions } | { kind: 'sample'; name: string; options: RunOptions } | { kind: 'sample-list' };

export const DEFAULT_MEMORY = 128 << 20;
export const MIN_MEMORY = 2 << 20;
/** Above 3 GiB a PC's address space holds devices (the APIC at 0xfee00000), not RAM. */
export const MAX_MEMORY = 3 * 2 ** 30;

export const USAGE = `usage: ringside run KERNEL [options]
       ringside sample NAME [options]     the bundled kernel with one sample program
       ringside sample --list             the samples, one line each
       ringside --help | --version

Runs a multiboot (v1) kernel, or a plain ELF32 executable, on the emulated PC and prints what
it writes to COM1. Options:
  --module FILE[ ARGS]   load FILE as a multiboot module (repeatable); ARGS go into its string
  --cmdline STR          the kernel's command line after its name
  --memory SIZE          guest RAM: bytes, or with K, M, G (4M, 128M, 1G); at least 2M (default 128M);
                         costs host memory only where the guest writes (xv6 wants 512M, as its Makefile)
  --max-instructions N   stop after N instructions (also 5e8, 100M)
  --disk0 FILE           an IDE disk image as the primary master (ports 0x1F0-0x1F7, IRQ 14;
                         xv6's xv6.img: its ideinit waits for a master drive)
  --disk1 FILE           an IDE disk image as the primary slave (xv6's fs.img goes here)
                         (the files are read at start; the guest's writes stay in memory)
  --cga                  also print what the guest writes on the CGA text screen (0xB8000)
  --stdin WHERE          where console input (stdin) goes: com1 (default: COM1's receiver),
                         keyboard (typed on the 8042 keyboard, IRQ 1), or none (not read)
  --com1-irq WIRING      qemu (default): COM1's IRQ follows its interrupts whatever MCR says, as
                         on QEMU (xv6 and JOS leave OUT2 clear and rely on it); out2: only while
                         MCR OUT2 is set and not in loopback, as on a real PC serial card
  --trace-traps          print each interrupt and exception delivered to stderr

Console input: from a terminal, keys go to the guest as typed (raw mode: the guest echoes, and
ctrl-C goes to the guest too); Ctrl-A x ends the run, Ctrl-A Ctrl-A sends a Ctrl-A, Ctrl-A h
lists these. From a pipe or a file, input is fed as it is read and the guest keeps running after
its end; a guest that then waits for an interrupt nothing can raise ends the run (status 2).

Exit status: the guest's debug-exit status (port 0xf4, as QEMU's isa-debug-exit: (value << 1) | 1,
low 8 bits); 1 for a usage or load error; 2 when the machine stops (triple fault, halt with
interrupts off, or waiting for an interrupt that cannot come: no timer running and no more
input); 4 when --max-instructions is reached; 70 for an internal emulator error; 130 when
interrupted (ctrl-C, or Ctrl-A x at a terminal).`;

const SUFFIX: Record<string, number> = { '': 1, k: 1024, kb: 1024, kib: 1024, m: 1 << 20, mb: 1 << 20, mib: 1 << 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

/** "4M", "128MiB", "512K", "1G", "4194304": binary units, as QEMU's -m. */
export function parseMemorySize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? SUFFIX[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new UsageError(`--memory: cannot read "${text}" as a size (examples: 4M, 128M, 1G, 4194304)`);
  }
  const bytes = Number(m[1]) * unit;
  if (!Number.isInteger(bytes)) throw new UsageError(`--memory: ${text} is not a whole number of bytes`);
  if (bytes < MIN_MEMORY) throw new UsageError(`--memory: ${text} is less than the 2 MiB minimum (the kernel loads at 1 MiB)`);
  if (bytes > MAX_MEMORY) throw new UsageError(`--memory: ${text} is more than the 3 GiB maximum`);
  if (bytes % 4096 !== 0) throw new UsageError(`--memory: ${text} is not a whole number of 4 KiB pages`);
  return bytes;
}

/** "1000000", "5e8", "100M" (decimal multipliers: a count, not a size). */
export function parseCount(option: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kKmMgG]?)\s*$/.exec(text);
  const scale = m ? ({ '': 1, k: 1e3, m: 1e6, g: 1e9 } as Record<string, number>)[m[2]!.toLowerCase()] : undefined;
  const n = m && scale !== undefined ? Number(m[1]) * scale : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${option}: "${text}" is not a positive whole number (examples: 1000000, 5e8, 100M)`);
  }
  return n;
}

export function parseCommandLine(argv: readonly string[]): Command {
  if (argv.length === 0) throw new UsageError('no command given');
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return { kind: 'help' };
  if (command === '--version' || command === '-V') return { kind: 'version' };
  if (command === 'sample') {
    if (rest[0] === '--list' || rest[0] === '-l') return { kind: 'sample-list' };
    const name = rest[0];
    if (!name || name.startsWith('-')) throw new UsageError('sample: give a sample name (ringside sample --list shows them)');
    // The same options as run; the kernel placeholder is replaced by the bundled kernel.
    const parsed = parseRun(['(bundled kernel)', ...rest.slice(1)]);
    if (parsed.kind !== 'run') return parsed;
    return { kind: 'sample', name, options: parsed.options };
  }
  if (command !== 'run') {
    const hint = command!.startsWith('-') ? '' : ` (did you mean: ringside run ${command}?)`;
    throw new UsageError(`unknown command "${command}"${hint}`);
  }
  return parseRun(rest);
}

const VALUE_OPTIONS = new Set(['--module', '--memory', '--max-instructions', '--cmdline', '--disk0', '--disk1', '--stdin', '--com1-irq']);

/** A value that must be one of a few words: the message lists them. */
function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option}: "${value}" is not one of ${allowed.join(', ')}`);
}
const FLAG_OPTIONS = new Set(['--trace-traps', '--cga']);

function parseRun(args: readonly string[]): Command {
  let kernel: string | undefined;
  const modules: string[] = [];
  let memory = DEFAULT_MEMORY;
  let traceTraps = false;
  let maxInstructions: number | null = null;
  let cmdline: string | undefined;
  let cga = false;
  let stdin: StdinTarget = 'com1';
  let com1Irq: Com1IrqWiring = 'qemu';
  const disks: { disk0?: string; disk1?: string } = {};
  let optionsEnded = false;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      if (kernel !== undefined) throw new UsageError(`unexpected argument "${arg}": give one kernel (modules go after --module)`);
      kernel = arg;
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (FLAG_OPTIONS.has(name)) {
      if (eq >= 0) throw new UsageError(`${name} takes no value`);
      if (name === '--cga') cga = true;
      else traceTraps = true;
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option ${name}`);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = args[++i];
      if (next === undefined) throw new UsageError(`${name} needs a value`);
      value = next;
    }
    if (name === '--module') {
      if (value === '') throw new UsageError('--module needs a file name');
      modules.push(value);
    } else if (name === '--disk0' || name === '--disk1') {
      const key = name === '--disk0' ? 'disk0' : 'disk1';
      if (value === '') throw new UsageError(`${name} needs a disk image file`);
      if (disks[key] !== undefined) throw new UsageError(`${name} given twice (one disk image per drive)`);
      disks[key] = value;
    } else if (name === '--stdin') stdin = oneOf(name, value, STDIN_TARGETS);
    else if (name === '--com1-irq') com1Irq = oneOf(name, value, COM1_IRQ_WIRINGS);
    else if (name === '--memory') memory = parseMemorySize(value);
    else if (name === '--max-instructions') maxInstructions = parseCount(name, value);
    else cmdline = value;
  }
  if (kernel === undefined) throw new UsageError('run: no kernel given');
  return { kind: 'run', options: { kernel, modules, memory, traceTraps, maxInstructions, cmdline, ...disks, cga, stdin, com1Irq } };
}

/**
 * The multiboot v1 boot loader (GNU Multiboot Specification 0.6.96): what GRUB or QEMU's -kernel
 * do for a course kernel. It loads the kernel (a.out kludge fields, an ELF file with a multiboot
 * header, or a plain ELF32 executable) at its physical addresses, puts the modules page-aligned
 * after it, writes the boot information in low memory and leaves the CPU in the entry state.
 *
 * Every input is checked before the first byte is written, so a refused kernel leaves the
 * machine untouched, and every refusal is a MultibootError naming the file and the problem.
 */
import type { Machine } from '../machine.js';
import { hex } from './elf-error.js';
import type { Elf32Image } from './elf-types.js';
import { MultibootError } from './multiboot-error.js';
import { enterMultibootKernel } from './multiboot-entry.js';
import { findHeader } from './multiboot-header.js';
import { buildBootInfo, EBDA_START, type BootModule } from './multiboot-info.js';
import { planAout, planElf, type KernelFormat, type KernelPlan } from './multiboot-kernel.js';

export { MultibootError } from './multiboot-error.js';
export { BOOTLOADER_MAGIC, BOOT_STACK } from './multiboot-entry.js';
export { HEADER_MAGIC } from './multiboot-header.js';
export type { KernelFormat } from './multiboot-kernel.js';

/** Where the boot information goes: free conventional memory, as GRUB legacy used. */
export const MBI_ADDRESS = 0x9000;
export const BOOT_LOADER_NAME = 'Ringside';
/** Nothing loads below 1 MiB: it holds the MBI, the stack, the BIOS areas and the VGA/ROM hole. */
const LOW_LIMIT = 0x100000;
const PAGE = 4096;

export interface ModuleInput {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Arguments after the name in the module's string (GRUB: `module NAME ARGS`). */
  readonly cmdline?: string;
}

export interface MultibootOptions {
  /** Arguments after the kernel's name in its command line. */
  readonly cmdline?: string;
}

export interface LoadedModule {
  readonly name: string;
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
  /** The module's string in the MBI. */
  readonly string: string;
}

export interface LoadedRegion {
  readonly what: string;
  readonly start: number;
  /** End of the bytes from the file; zeros from here to `end`. */
  readonly fileEnd: number;
  readonly end: number;
}

export interface MultibootLoad {
  /** Physical address where the CPU starts. */
  readonly entry: number;
  readonly mbiAddress: number;
  /** The kernel's ELF view (sections, symbols) when it is an ELF file, else null. */
  readonly kernel: Elf32Image | null;
  readonly modules: readonly LoadedModule[];
  readonly format: KernelFormat;
  /** The physical ranges the kernel occupies, bss included. */
  readonly regions: readonly LoadedRegion[];
  /** The kernel's command line as the MBI holds it. */
  readonly cmdline: string;
}

/**
 * Loads a kernel and its modules into a machine and sets the CPU up to start it. The command
 * lines follow GRUB and QEMU: the file name, then the arguments (`kernel.elf console=com1`).
 */
export function loadMultiboot(
  machine: Machine,
  kernelBytes: Uint8Array,
  kernelName: string,
  modules: readonly ModuleInput[],
  opts: MultibootOptions = {},
): MultibootLoad {
  const mem = machine.mem;
  if (kernelBytes.length === 0) throw new MultibootError(kernelName, 'the file is empty: nothing to boot');
  const header = findHeader(kernelBytes, kernelName);
  const plan = header?.address ? planAout(kernelBytes, kernelName, header) : planElf(kernelBytes, kernelName, header);
  checkPlacement(plan, kernelName, mem.size);

  let cursor = plan.chunks.reduce((end, c) => Math.max(end, c.end), 0);
  const placed: LoadedModule[] = modules.map((m) => {
    const start = alignUp(cursor, PAGE);
    const end = start + m.bytes.length;
    if (end > mem.size) {
      throw new MultibootError(
        m.name,
        `module of ${m.bytes.length} bytes does not fit in guest memory: it would occupy ${hex(start)}-${hex(end)}, ` +
          `after the kernel and the modules before it, but memory ends at ${hex(mem.size)} (give the machine more memory)`,
      );
    }
    cursor = end;
    return { name: m.name, start, end, string: withArgs(m.name, m.cmdline) };
  });

  const cmdline = withArgs(kernelName, opts.cmdline);
  const info = buildBootInfo(
    {
      memorySize: mem.size,
      cmdline,
      modules: placed.map((m): BootModule => m),
      bootLoaderName: BOOT_LOADER_NAME,
      video: header?.wantsVideo ?? false,
    },
    MBI_ADDRESS,
  );
  if (MBI_ADDRESS + info.length > EBDA_START) {
    throw new MultibootError(
      kernelName,
      `the boot information (${info.length} bytes with the command lines and the module list) does not fit ` +
        `in low memory between ${hex(MBI_ADDRESS)} and ${hex(EBDA_START)}: shorten the command lines or use fewer modules`,
    );
  }

  // Everything fits: now write.
  const regions = plan.chunks.map((c) => {
    mem.load(c.start, c.bytes);
    mem.claim(c.start + c.bytes.length, c.end - c.start - c.bytes.length); // snapshots keep their bytes
    mem.u8.fill(0, c.start + c.bytes.length, c.end);
    return { what: c.what, start: c.start, fileEnd: c.start + c.bytes.length, end: c.end };
  });
  modules.forEach((m, i) => mem.load(placed[i]!.start, m.bytes));
  mem.load(MBI_ADDRESS, info);
  enterMultibootKernel(machine.cpu, plan.entry, MBI_ADDRESS);
  return { entry: plan.entry, mbiAddress: MBI_ADDRESS, kernel: plan.elf, modules: placed, format: plan.format, regions, cmdline };
}

/** Every range must be RAM at or above 1 MiB; ranges must not overlap one another. */
function checkPlacement(plan: KernelPlan, file: string, memorySize: number): void {
  if (plan.chunks.length === 0) throw new MultibootError(file, 'nothing to load: every segment is empty');
  for (const c of plan.chunks) {
    const range = `${c.what} (${hex(c.start)}-${hex(c.end)})`;
    if (c.start < LOW_LIMIT) {
      throw new MultibootError(
        file,
        `${range} starts below 1 MiB, where the boot information, the BIOS areas and the VGA/ROM hole are: ` +
          'link the kernel to load at 0x100000 or above',
      );
    }
    if (c.end > memorySize) {
      throw new MultibootError(
        file,
        `${range} lies past the end of guest memory at ${hex(memorySize)} (${memorySize / 1048576} MiB): ` +
          'give the machine more memory or load the kernel lower',
      );
    }
  }
  const sorted = [...plan.chunks].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    if (b.start < a.end) throw new MultibootError(file, `${a.what} and ${b.what} overlap at ${hex(b.start)}`);
  }
}

function withArgs(name: string, args: string | undefined): string {
  return args === undefined || args === '' ? name : `${name} ${args}`;
}

function alignUp(v: number, to: number): number {
  return Math.ceil(v / to) * to;
}

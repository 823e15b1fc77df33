/**
 * Where a multiboot kernel's bytes go in physical memory, and where it starts: from the a.out
 * kludge address fields (flags bit 16, used by kernels in formats a loader cannot parse, and by
 * ELF kernels that prefer to spell it out), or from the ELF program headers otherwise.
 * Nothing is written here: the caller checks the whole plan against the machine, then loads.
 */
import { ElfError, hex } from './elf-error.js';
import { parseElf32 } from './elf.js';
import type { Elf32Image } from './elf-types.js';
import { MultibootError } from './multiboot-error.js';
import type { MultibootHeader } from './multiboot-header.js';

/** One physical range to fill: `bytes` at `start`, then zeros up to `end` (bss). */
export interface LoadChunk {
  readonly what: string;
  readonly start: number;
  readonly bytes: Uint8Array;
  readonly end: number;
}

export type KernelFormat = 'multiboot-aout' | 'multiboot-elf' | 'elf';

export interface KernelPlan {
  readonly format: KernelFormat;
  readonly chunks: readonly LoadChunk[];
  /** Physical address of the first instruction (paging is off at entry). */
  readonly entry: number;
  /** The parsed ELF file when the kernel is one (symbols for the debugger), else null. */
  readonly elf: Elf32Image | null;
}

/** Plan from the a.out kludge fields; the file is loaded as a flat image. */
export function planAout(bytes: Uint8Array, file: string, header: MultibootHeader): KernelPlan {
  const a = header.address;
  if (a === null) throw new Error('planAout needs a header with the address fields');
  const fail = (problem: string): never => {
    throw new MultibootError(file, `multiboot header (a.out kludge): ${problem}`);
  };
  if (a.loadAddr > a.headerAddr) {
    fail(`load_addr ${hex(a.loadAddr)} is above header_addr ${hex(a.headerAddr)}: the header must lie inside the loaded text`);
  }
  // The header sits at file offset header.offset and at physical header_addr, so the file
  // offset that lands at load_addr is this many bytes before it.
  const textOffset = header.offset - (a.headerAddr - a.loadAddr);
  if (textOffset < 0) {
    fail(
      `header_addr ${hex(a.headerAddr)} - load_addr ${hex(a.loadAddr)} = ${hex(a.headerAddr - a.loadAddr)} ` +
        `is more than the header's file offset ${hex(header.offset)}: the load would start before the beginning of the file`,
    );
  }
  if (a.loadEndAddr !== 0 && a.loadEndAddr < a.loadAddr) {
    fail(`load_end_addr ${hex(a.loadEndAddr)} is below load_addr ${hex(a.loadAddr)}`);
  }
  const loadEnd = a.loadEndAddr === 0 ? a.loadAddr + (bytes.length - textOffset) : a.loadEndAddr;
  const size = loadEnd - a.loadAddr;
  if (textOffset + size > bytes.length) {
    fail(
      `load_addr ${hex(a.loadAddr)}..load_end_addr ${hex(loadEnd)} asks for ${hex(size)} bytes from file offset ` +
        `${hex(textOffset)}, but the file has only ${hex(bytes.length - textOffset)} bytes there (${bytes.length} bytes in all)`,
    );
  }
  if (a.bssEndAddr !== 0 && a.bssEndAddr < loadEnd) {
    fail(`bss_end_addr ${hex(a.bssEndAddr)} is below load_end_addr ${hex(loadEnd)}`);
  }
  const end = a.bssEndAddr === 0 ? loadEnd : a.bssEndAddr;
  // The entry must be code the file provides: not in the bss, not outside the image.
  if (a.entryAddr < a.loadAddr || a.entryAddr >= loadEnd) {
    fail(`entry_addr ${hex(a.entryAddr)} lies outside the loaded image ${hex(a.loadAddr)}-${hex(loadEnd)}`);
  }
  const chunk = { what: 'the kernel image', start: a.loadAddr, bytes: bytes.subarray(textOffset, textOffset + size), end };
  return { format: 'multiboot-aout', chunks: [chunk], entry: a.entryAddr, elf: parseQuietly(bytes, file) };
}

/** Plan from the ELF program headers: each PT_LOAD segment at its physical address (p_paddr). */
export function planElf(bytes: Uint8Array, file: string, header: MultibootHeader | null): KernelPlan {
  let elf: Elf32Image;
  try {
    elf = parseElf32(bytes, file);
  } catch (e) {
    if (!(e instanceof ElfError)) throw e;
    const why =
      header === null
        ? `no multiboot header in the first 8192 bytes, and not a loadable ELF32 executable either: ${e.problem}`
        : `the multiboot header (flags ${hex(header.flags)}) does not set bit 16 (a.out kludge), so the kernel ` +
          `must be an ELF32 executable, but it is not: ${e.problem}`;
    throw new MultibootError(file, why, { cause: e });
  }
  const chunks = elf.segments
    .filter((s) => s.memSize > 0)
    .map((s) => ({ what: `ELF segment ${s.index}`, start: s.paddr, bytes: s.fileBytes, end: s.paddr + s.memSize }));
  return { format: header === null ? 'elf' : 'multiboot-elf', chunks, entry: physicalEntry(elf, file), elf };
}

/**
 * e_entry as a physical address. A kernel linked high (JOS at 0xf0100000, xv6 at 0x80100000)
 * usually gives the physical address of its entry code already (0x10000c); one that gives the
 * linked (virtual) address is translated through its segment, as GRUB does, since paging is off.
 */
function physicalEntry(elf: Elf32Image, file: string): number {
  const e = elf.entry;
  const inside = (base: number, size: number): boolean => e >= base && e < base + size;
  const byVirtual = elf.segments.find((s) => inside(s.vaddr, s.memSize));
  if (byVirtual) return byVirtual.paddr + (e - byVirtual.vaddr);
  if (elf.segments.some((s) => inside(s.paddr, s.memSize))) return e;
  throw new MultibootError(file, `entry point ${hex(e)} lies outside every loaded segment`);
}

/** The ELF view of an a.out-kludge kernel, if it is an ELF file at all (symbols, for debugging). */
function parseQuietly(bytes: Uint8Array, file: string): Elf32Image | null {
  try {
    return parseElf32(bytes, file);
  } catch (e) {
    if (e instanceof ElfError) return null;
    throw e;
  }
}

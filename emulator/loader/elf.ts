/**
 * ELF32 executables for the emulated PC: the teaching kernel (linked at 0xf0100000, loaded at
 * its physical addresses) and user programs (loaded at their virtual addresses). A student's
 * file may be anything — a 64-bit build, an object file, a truncated copy — so every problem is
 * an ElfError that says what is wrong, and nothing here allocates or loops by a size the file
 * claims without first checking it against the file's real length.
 */
import { hex } from './elf-error.js';
import { ElfReader } from './elf-reader.js';
import { readSections } from './elf-sections.js';
import { readSymbols } from './elf-symbols.js';
import { PF_X, type Elf32Image, type Elf32Segment } from './elf-types.js';

export { ElfError } from './elf-error.js';
export { loadElf, type LoadOptions, type LoadedSegment } from './elf-load.js';
export * from './elf-types.js';

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const MAGIC = [0x7f, 0x45, 0x4c, 0x46]; // "\x7fELF"
const EM_386 = 3;
const ET_EXEC = 2;
const PT_LOAD = 1;
const FOUR_GIB = 2 ** 32;

const MACHINES: Record<number, string> = { 8: 'MIPS', 20: 'PowerPC', 40: 'ARM', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V' };
const FILE_TYPES: Record<number, string> = {
  0: 'ET_NONE',
  1: 'ET_REL, a relocatable object: link it into an executable first',
  3: 'ET_DYN, a shared object or position-independent executable: link with -static -no-pie',
  4: 'ET_CORE, a core dump',
};

interface Header {
  readonly entry: number;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shoff: number;
  readonly shentsize: number;
  readonly shnum: number;
  readonly shstrndx: number;
}

export function parseElf32(bytes: Uint8Array, name: string): Elf32Image {
  const r = new ElfReader(bytes, name);
  const header = readHeader(r);
  const segments = readSegments(r, header);
  checkNoOverlap(r, segments, 'vaddr');
  checkNoOverlap(r, segments, 'paddr');
  checkEntry(r, header.entry, segments);
  const sections = readSections(r, header);
  const symbols = readSymbols(r, sections);
  return { name, entry: header.entry, segments, sections, symbols };
}

function readHeader(r: ElfReader): Header {
  // Magic first, on whatever bytes there are, so a text file is "not an ELF file" rather
  // than "too short".
  const seen = Array.from(r.bytes.subarray(0, MAGIC.length));
  if (seen.some((b, i) => b !== MAGIC[i])) {
    const shown = seen.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    r.fail(`not an ELF file: bad magic (starts with ${shown}, expected 7f 45 4c 46)`);
  }
  if (r.length < EHDR_SIZE) r.fail(`file too short for an ELF header: ${r.length} bytes, need ${EHDR_SIZE}`);

  const elfClass = r.u8(4);
  if (elfClass === 2) r.fail('not ELFCLASS32: this is a 64-bit ELF file (ELFCLASS64); build it with gcc -m32');
  if (elfClass !== 1) r.fail(`not ELFCLASS32: invalid ELF class ${elfClass}`);
  const data = r.u8(5);
  if (data === 2) r.fail('not little-endian: this ELF file is big-endian (ELFDATA2MSB)');
  if (data !== 1) r.fail(`not little-endian: invalid ELF data encoding ${data}`);

  const machine = r.u16(18);
  if (machine !== EM_386) {
    const known = MACHINES[machine] !== undefined ? ` (${MACHINES[machine]})` : '';
    r.fail(`not an Intel 80386 file: e_machine is ${machine}${known}, expected EM_386 (3)`);
  }
  const type = r.u16(16);
  if (type !== ET_EXEC) {
    r.fail(`not an executable (ET_EXEC): e_type is ${type}${FILE_TYPES[type] !== undefined ? ` (${FILE_TYPES[type]})` : ''}`);
  }
  return {
    entry: r.u32(24),
    phoff: r.u32(28),
    shoff: r.u32(32),
    phentsize: r.u16(42),
    phnum: r.u16(44),
    shentsize: r.u16(46),
    shnum: r.u16(48),
    shstrndx: r.u16(50),
  };
}

function readSegments(r: ElfReader, h: Header): Elf32Segment[] {
  if (h.phnum === 0) r.fail('no program headers: nothing to load');
  if (h.phentsize < PHDR_SIZE) r.fail(`program header entry size is ${h.phentsize} bytes, expected ${PHDR_SIZE}`);
  if (!r.contains(h.phoff, h.phnum * h.phentsize)) {
    r.fail(
      `program header table (offset ${hex(h.phoff)}, ${h.phnum} entries of ${h.phentsize} bytes) lies outside the file (${r.length} bytes)`,
    );
  }
  const segments: Elf32Segment[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const at = h.phoff + i * h.phentsize;
    if (r.u32(at) !== PT_LOAD) continue; // notes, GNU_STACK and the like are not loaded
    const offset = r.u32(at + 4);
    const vaddr = r.u32(at + 8);
    const paddr = r.u32(at + 12);
    const filesz = r.u32(at + 16);
    const memsz = r.u32(at + 20);
    const where = `segment ${i}`;
    if (filesz > memsz) r.fail(`${where}: p_filesz ${hex(filesz)} is larger than p_memsz ${hex(memsz)}`);
    if (!r.contains(offset, filesz)) {
      r.fail(`${where}: file range ${hex(offset)}-${hex(offset + filesz)} lies outside the file (${r.length} bytes)`);
    }
    // 32-bit fields cannot say "more than 4 GiB", but address + size can run past the top.
    for (const [what, base] of [['virtual', vaddr], ['physical', paddr]] as const) {
      if (base + memsz > FOUR_GIB) {
        r.fail(`${where}: ${what} range ${hex(base)} + p_memsz ${hex(memsz)} runs past the 4 GiB address space`);
      }
    }
    segments.push({
      index: i,
      fileOffset: offset,
      vaddr,
      paddr,
      fileBytes: r.copy(offset, filesz),
      memSize: memsz,
      flags: r.u32(at + 24),
      align: r.u32(at + 28),
    });
  }
  if (segments.length === 0) r.fail('no PT_LOAD segment: nothing to load');
  return segments;
}

/** Overlapping segments would overwrite each other's bytes, in whichever order they load. */
function checkNoOverlap(r: ElfReader, segments: readonly Elf32Segment[], key: 'vaddr' | 'paddr'): void {
  // Sorted by start, each segment need only be compared with the furthest end before it:
  // O(n log n) even for a crafted file with 65535 program headers.
  const sorted = segments.filter((s) => s.memSize > 0).sort((a, b) => a[key] - b[key]);
  let previous: Elf32Segment | undefined;
  for (const s of sorted) {
    if (previous !== undefined && s[key] < previous[key] + previous.memSize) {
      const space = key === 'vaddr' ? 'virtual' : 'physical';
      r.fail(
        `PT_LOAD segments ${previous.index} and ${s.index} overlap in ${space} memory at ${hex(s[key])}`,
      );
    }
    if (previous === undefined || s[key] + s.memSize > previous[key] + previous.memSize) previous = s;
  }
}

/**
 * The entry point must be code the file loads. A kernel linked high (JOS: 0xf0100000) enters
 * at the *physical* address of its entry code, because paging is still off, so the physical
 * range of a segment counts too.
 */
function checkEntry(r: ElfReader, entry: number, segments: readonly Elf32Segment[]): void {
  const inside = (base: number, s: Elf32Segment) => entry >= base && entry < base + s.memSize;
  const ok = segments.some((s) => (s.flags & PF_X) !== 0 && (inside(s.vaddr, s) || inside(s.paddr, s)));
  if (!ok) r.fail(`entry point ${hex(entry)} lies outside every executable PT_LOAD segment`);
}

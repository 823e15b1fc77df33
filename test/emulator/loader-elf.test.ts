// The ELF32 loader against a real gcc -m32 build (checked with readelf), a corpus of broken
// files derived from it, and a seeded random-mutation loop: any input either parses or is an
// ElfError naming the file, never a RangeError, never a hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElfError, loadElf, parseElf32, PF_X, type Elf32Image } from '../../emulator/loader/elf.js';
import { PhysicalMemory } from '../../emulator/memory/physical.js';
import {
  buildElf,
  FIXTURE_ASM,
  readelf,
  readelfProgramHeaders,
  readelfSectionTableOffset,
  readelfSections,
  readelfSymbols,
} from './elf-fixture.js';

const NAME = 'fixture.elf';
const MiB = 1 << 20;

// ELF header fields (offsets into the file).
const E_CLASS = 4, E_DATA = 5, E_TYPE = 16, E_MACHINE = 18, E_ENTRY = 24, E_PHOFF = 28, E_SHOFF = 32;
const E_PHENTSIZE = 42, E_PHNUM = 44, E_SHENTSIZE = 46, E_SHSTRNDX = 50;
// Program header fields (offsets into one 32-byte entry).
const P_TYPE = 0, P_OFFSET = 4, P_VADDR = 8, P_PADDR = 12, P_FILESZ = 16, P_MEMSZ = 20;
// Section header fields (offsets into one 40-byte entry).
const SH_OFFSET = 16, SH_LINK = 24, SH_ENTSIZE = 36;

let dir: string;
let path: string;
let base: Uint8Array;
let program: ReturnType<typeof readelfProgramHeaders>;
let symbolsText: string;
let sectionsText: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ringside-elf-'));
  ({ path, bytes: base } = buildElf(dir, FIXTURE_ASM));
  const ls = readelf(['-lsW'], path);
  program = readelfProgramHeaders(ls);
  symbolsText = ls;
  sectionsText = readelf(['-SW'], path);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);

/** A copy of the fixture with some fields changed. */
function mutant(change: (v: DataView, b: Uint8Array) => void): Uint8Array {
  const b = base.slice();
  change(new DataView(b.buffer), b);
  return b;
}

const phdr = (i: number) => u32(base, E_PHOFF) + 32 * i;
const shdr = (i: number) => u32(base, E_SHOFF) + 40 * i;
/** Program header index of the LOAD segment with these permissions, per readelf. */
function loadIndex(wantExec: boolean): number {
  const k = program.loads.findIndex((l) => ((l.flags & PF_X) !== 0) === wantExec && (l.flags & 2) === (wantExec ? 0 : 2));
  return program.types.map((t, i) => (t === 'LOAD' ? i : -1)).filter((i) => i >= 0)[k]!;
}
const sectionIndex = (name: string) => readelfSections(sectionsText).find((s) => s.name === name)!.index;

function expectElfError(bytes: Uint8Array, message: RegExp): ElfError {
  let thrown: unknown;
  try {
    parseElf32(bytes, NAME);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ElfError);
  const err = thrown as ElfError;
  expect(err.message.startsWith(`${NAME}: `)).toBe(true);
  expect(err.message).toMatch(message);
  return err;
}

describe('parseElf32 on a gcc -m32 build, against readelf', () => {
  it('finds the entry point and the PT_LOAD segments', () => {
    const image = parseElf32(base, NAME);
    expect(program.loads.length).toBeGreaterThanOrEqual(3);
    expect(image.name).toBe(NAME);
    expect(image.entry).toBe(program.entry);
    const loadIndices = program.types.map((t, i) => (t === 'LOAD' ? i : -1)).filter((i) => i >= 0);
    expect(
      image.segments.map((s) => ({
        index: s.index,
        offset: s.fileOffset,
        vaddr: s.vaddr,
        paddr: s.paddr,
        filesz: s.fileBytes.length,
        memsz: s.memSize,
        flags: s.flags,
        align: s.align,
      })),
    ).toEqual(program.loads.map((l, k) => ({ index: loadIndices[k], ...l })));
    for (const s of image.segments) {
      expect(s.fileBytes).toEqual(base.subarray(s.fileOffset, s.fileOffset + s.fileBytes.length));
    }
  });

  it('reads the section headers', () => {
    const types: Record<string, number> = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, NOTE: 7, NOBITS: 8 };
    const expected = readelfSections(sectionsText);
    expect(expected.length).toBeGreaterThan(5);
    expect(parseElf32(base, NAME).sections.map((s) => ({ index: s.index, name: s.name, type: s.type, addr: s.addr, offset: s.offset, size: s.size }))).toEqual(
      expected.map((s) => ({ ...s, type: types[s.type] })),
    );
  });

  it('reads .symtab: names, values, sizes, types, binds and section indices', () => {
    const expected = readelfSymbols(symbolsText).filter((s) => s.num !== 0);
    expect(expected.map((s) => s.name)).toEqual(expect.arrayContaining(['_start', 'helper', 'helper_alias', 'message', 'counter', 'buffer', 'local_word']));
    const image = parseElf32(base, NAME);
    expect(image.symbols.map((s) => ({ ...s }))).toEqual(
      expected.map((s) => ({ name: s.name, value: s.value, size: s.size, type: s.type.toLowerCase(), bind: s.bind.toLowerCase(), sectionIndex: s.ndx })),
    );
    const byName = new Map(image.symbols.map((s) => [s.name, s]));
    expect(byName.get('_start')).toMatchObject({ value: program.entry, type: 'func', bind: 'global' });
    expect(byName.get('helper_alias')).toMatchObject({ bind: 'weak', value: byName.get('helper')?.value });
    expect(byName.get('local_word')?.bind).toBe('local');
  });

  it('reads a file that sits at an offset inside a larger buffer', () => {
    const big = new Uint8Array(base.length + 13);
    big.set(base, 7);
    const image = parseElf32(big.subarray(7, 7 + base.length), NAME);
    expect(image.entry).toBe(program.entry);
    expect(image.symbols.length).toBe(parseElf32(base, NAME).symbols.length);
  });

  it('copies segment bytes, so later changes to the input do not reach the image', () => {
    const input = base.slice();
    const image = parseElf32(input, NAME);
    const text = image.segments.find((s) => s.flags & PF_X)!;
    const before = text.fileBytes.slice();
    input.fill(0);
    expect(text.fileBytes).toEqual(before);
  });

  it('accepts an entry point at the physical address of the code, as a kernel linked high has', () => {
    const text = loadIndex(true);
    const bytes = mutant((v) => {
      for (const [k, t] of program.types.entries()) {
        if (t === 'LOAD') v.setUint32(phdr(k) + P_VADDR, v.getUint32(phdr(k) + P_VADDR, true) + 0xf0000000, true);
      }
      v.setUint32(E_ENTRY, v.getUint32(phdr(text) + P_PADDR, true), true);
    });
    const image = parseElf32(bytes, NAME);
    expect(image.entry).toBe(program.loads.find((l) => l.flags & PF_X)!.paddr);
    expect(image.segments.every((s) => s.vaddr >= 0xf0000000)).toBe(true);
  });
});

describe('loadElf', () => {
  function filledMemory(size: number): PhysicalMemory {
    const mem = new PhysicalMemory(size);
    mem.u8.fill(0xaa); // so zero-fill and untouched bytes can be told apart
    return mem;
  }

  it('copies each segment to its virtual address and zero-fills the bss', () => {
    const image = parseElf32(base, NAME);
    const mem = filledMemory(2 * MiB);
    const loaded = loadElf(mem, image, { usePhysical: false });
    expect(loaded.map((l) => l.start)).toEqual(program.loads.map((l) => l.vaddr));
    for (const l of program.loads) {
      expect(mem.u8.subarray(l.vaddr, l.vaddr + l.filesz)).toEqual(base.subarray(l.offset, l.offset + l.filesz));
      expect(mem.u8.subarray(l.vaddr + l.filesz, l.vaddr + l.memsz).every((b) => b === 0)).toBe(true);
    }
    const data = program.loads.find((l) => l.memsz > l.filesz)!;
    expect(data.memsz - data.filesz).toBeGreaterThan(4096); // the fixture's bss spans pages
    expect(mem.u8[data.vaddr + data.memsz]).toBe(0xaa);
    const first = program.loads[0]!;
    expect(mem.u8[first.vaddr - 1]).toBe(0xaa);
  });

  it('loads at p_paddr when asked, and at p_vaddr otherwise', () => {
    const bytes = mutant((v) => {
      for (const [k, t] of program.types.entries()) {
        if (t === 'LOAD') v.setUint32(phdr(k) + P_PADDR, v.getUint32(phdr(k) + P_VADDR, true) - 0x80000, true);
      }
    });
    const image = parseElf32(bytes, NAME);
    const text = program.loads.find((l) => l.flags & PF_X)!;
    const code = base.subarray(text.offset, text.offset + text.filesz);

    const physical = filledMemory(2 * MiB);
    loadElf(physical, image, { usePhysical: true });
    expect(physical.u8.subarray(text.vaddr - 0x80000, text.vaddr - 0x80000 + code.length)).toEqual(code);
    expect(physical.u8[text.vaddr]).toBe(0xaa);

    const virtual = filledMemory(2 * MiB);
    loadElf(virtual, image, { usePhysical: false });
    expect(virtual.u8.subarray(text.vaddr, text.vaddr + code.length)).toEqual(code);
  });

  it('refuses a segment outside guest memory, before writing anything', () => {
    const mem = filledMemory(MiB); // the fixture starts at 1 MiB: nothing fits
    expect(() => loadElf(mem, parseElf32(base, NAME), { usePhysical: false })).toThrow(
      /^fixture\.elf: segment 0 \(virtual 0x100000-0x[0-9a-f]+\) lies outside guest memory, which ends at 0x100000$/,
    );
    expect(mem.u8.every((b) => b === 0xaa)).toBe(true);
  });

  it('refuses a huge bss that fits in 4 GiB but not in RAM, without touching RAM', () => {
    const data = loadIndex(false);
    const bytes = mutant((v) => {
      v.setUint32(phdr(data) + P_VADDR, 0x10000000, true);
      v.setUint32(phdr(data) + P_PADDR, 0x10000000, true);
      v.setUint32(phdr(data) + P_MEMSZ, 0xe0000000, true);
    });
    const image = parseElf32(bytes, NAME);
    const mem = filledMemory(2 * MiB);
    let thrown: unknown;
    try {
      loadElf(mem, image, { usePhysical: true });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ElfError);
    expect((thrown as Error).message).toMatch(new RegExp(`segment ${data} \\(physical 0x10000000-0xf0000000\\) lies outside guest memory`));
    expect(mem.u8.every((b) => b === 0xaa)).toBe(true);
  });

  it('skips an empty segment wherever it claims to be', () => {
    const data = loadIndex(false);
    const bytes = mutant((v) => {
      v.setUint32(phdr(data) + P_VADDR, 0xfff00000, true);
      v.setUint32(phdr(data) + P_PADDR, 0xfff00000, true);
      v.setUint32(phdr(data) + P_FILESZ, 0, true);
      v.setUint32(phdr(data) + P_MEMSZ, 0, true);
    });
    const loaded = loadElf(filledMemory(2 * MiB), parseElf32(bytes, NAME), { usePhysical: false });
    expect(loaded.find((l) => l.index === data)).toEqual({ index: data, start: 0xfff00000, fileEnd: 0xfff00000, end: 0xfff00000 });
  });

  it('suggests loading by physical address when a kernel linked high is loaded by virtual address', () => {
    const bytes = mutant((v) => {
      for (const [k, t] of program.types.entries()) {
        if (t === 'LOAD') v.setUint32(phdr(k) + P_VADDR, v.getUint32(phdr(k) + P_VADDR, true) + 0xf0000000, true);
      }
      v.setUint32(E_ENTRY, v.getUint32(E_ENTRY, true) + 0xf0000000, true);
    });
    const image = parseElf32(bytes, NAME);
    expect(() => loadElf(new PhysicalMemory(2 * MiB), image, { usePhysical: false })).toThrow(/would fit: load by p_paddr/);
    expect(() => loadElf(new PhysicalMemory(2 * MiB), image, { usePhysical: true })).not.toThrow();
  });
});

describe('malformed files are ElfErrors that say what is wrong', () => {
  it('too short', () => {
    for (const n of [0, 1, 3, 4, 16, 51]) expectElfError(base.subarray(0, n), /file too short for an ELF header: \d+ bytes, need 52/);
  });

  it('bad magic', () => {
    expectElfError(mutant((_, b) => (b[1] = 0x58)), /not an ELF file: bad magic \(starts with 7f 58 4c 46/);
    expectElfError(new TextEncoder().encode('#!/bin/sh\necho not an elf file at all, but long enough\n'), /bad magic/);
    expectElfError(new Uint8Array([0x4d, 0x5a]), /bad magic \(starts with 4d 5a,/);
  });

  it('not ELFCLASS32', () => {
    expectElfError(mutant((v) => v.setUint8(E_CLASS, 2)), /not ELFCLASS32: this is a 64-bit ELF file \(ELFCLASS64\)/);
    expectElfError(mutant((v) => v.setUint8(E_CLASS, 0)), /not ELFCLASS32: invalid ELF class 0/);
  });

  it('not little-endian', () => {
    expectElfError(mutant((v) => v.setUint8(E_DATA, 2)), /not little-endian: this ELF file is big-endian/);
    expectElfError(mutant((v) => v.setUint8(E_DATA, 7)), /not little-endian: invalid ELF data encoding 7/);
  });

  it('not EM_386', () => {
    expectElfError(mutant((v) => v.setUint16(E_MACHINE, 62, true)), /not an Intel 80386 file: e_machine is 62 \(x86-64\), expected EM_386 \(3\)/);
    expectElfError(mutant((v) => v.setUint16(E_MACHINE, 0x1234, true)), /e_machine is 4660, expected EM_386/);
  });

  it('not ET_EXEC', () => {
    expectElfError(mutant((v) => v.setUint16(E_TYPE, 1, true)), /not an executable \(ET_EXEC\): e_type is 1 \(ET_REL/);
    expectElfError(mutant((v) => v.setUint16(E_TYPE, 3, true)), /e_type is 3 \(ET_DYN.*-static -no-pie\)/);
  });

  it('program header table outside the file', () => {
    const phEnd = phdr(program.types.length);
    for (const n of [52, 60, phEnd - 1]) {
      expectElfError(base.subarray(0, n), /program header table \(offset 0x34, \d+ entries of 32 bytes\) lies outside the file/);
    }
    expectElfError(mutant((v) => v.setUint32(E_PHOFF, base.length + 100, true)), /program header table \(offset 0x[0-9a-f]+,.*lies outside the file \(\d+ bytes\)/);
    expectElfError(mutant((v) => v.setUint32(E_PHOFF, 0xffffffff, true)), /program header table \(offset 0xffffffff,/);
    expectElfError(mutant((v) => v.setUint16(E_PHNUM, 0xffff, true)), /program header table \(offset 0x34, 65535 entries of 32 bytes\) lies outside the file/);
    expectElfError(mutant((v) => v.setUint16(E_PHNUM, 0, true)), /no program headers: nothing to load/);
    expectElfError(mutant((v) => v.setUint16(E_PHENTSIZE, 16, true)), /program header entry size is 16 bytes, expected 32/);
  });

  it("a segment's file range outside the file", () => {
    const text = loadIndex(true);
    const l = program.loads.find((x) => x.flags & PF_X)!;
    expectElfError(base.subarray(0, l.offset + 2), new RegExp(`segment ${text}: file range 0x${l.offset.toString(16)}-0x${(l.offset + l.filesz).toString(16)} lies outside the file \\(${l.offset + 2} bytes\\)`));
    expectElfError(mutant((v) => v.setUint32(phdr(text) + P_OFFSET, base.length - 4, true)), new RegExp(`segment ${text}: file range .* lies outside the file`));
    expectElfError(
      mutant((v) => {
        v.setUint32(phdr(text) + P_FILESZ, 0xffffff00, true);
        v.setUint32(phdr(text) + P_MEMSZ, 0xffffff00, true);
      }),
      new RegExp(`segment ${text}: file range 0x1000-0x100000f00 lies outside the file`),
    );
  });

  it('p_filesz > p_memsz', () => {
    const data = loadIndex(false);
    const l = program.loads.find((x) => x.flags === 6)!;
    expectElfError(
      mutant((v) => v.setUint32(phdr(data) + P_MEMSZ, l.filesz - 1, true)),
      new RegExp(`segment ${data}: p_filesz 0x${l.filesz.toString(16)} is larger than p_memsz 0x${(l.filesz - 1).toString(16)}`),
    );
  });

  it('overlapping PT_LOAD segments', () => {
    const text = loadIndex(true);
    const data = loadIndex(false);
    const l = program.loads.find((x) => x.flags & PF_X)!;
    expectElfError(
      mutant((v) => {
        v.setUint32(phdr(data) + P_VADDR, l.vaddr + 8, true);
        v.setUint32(phdr(data) + P_PADDR, l.paddr + 8, true);
      }),
      new RegExp(`PT_LOAD segments ${text} and ${data} overlap in virtual memory at 0x${(l.vaddr + 8).toString(16)}`),
    );
    // Only the physical ranges collide: still refused, since a kernel loads by p_paddr.
    expectElfError(
      mutant((v) => v.setUint32(phdr(data) + P_PADDR, l.paddr, true)),
      new RegExp(`PT_LOAD segments (${text} and ${data}|${data} and ${text}) overlap in physical memory at 0x${l.paddr.toString(16)}`),
    );
  });

  it('entry point outside every executable segment', () => {
    expectElfError(mutant((v) => v.setUint32(E_ENTRY, 0x5000000, true)), /entry point 0x5000000 lies outside every executable PT_LOAD segment/);
    const data = program.loads.find((x) => x.flags === 6)!;
    expectElfError(mutant((v) => v.setUint32(E_ENTRY, data.vaddr, true)), /entry point 0x[0-9a-f]+ lies outside every executable/);
    expectElfError(mutant((v) => v.setUint32(E_ENTRY, 0, true)), /entry point 0x0 lies outside/);
  });

  it('no PT_LOAD segment at all', () => {
    expectElfError(
      mutant((v) => {
        for (const [k, t] of program.types.entries()) if (t === 'LOAD') v.setUint32(phdr(k) + P_TYPE, 6, true);
      }),
      /no PT_LOAD segment: nothing to load/,
    );
  });

  it('huge sizes: memsz 0xfffff000 runs past 4 GiB', () => {
    const data = loadIndex(false);
    expectElfError(mutant((v) => v.setUint32(phdr(data) + P_MEMSZ, 0xfffff000, true)), new RegExp(`segment ${data}: virtual range 0x[0-9a-f]+ \\+ p_memsz 0xfffff000 runs past the 4 GiB address space`));
    expectElfError(
      mutant((v) => {
        v.setUint32(phdr(data) + P_VADDR, 0, true);
        v.setUint32(phdr(data) + P_MEMSZ, 0xfffff000, true);
      }),
      new RegExp(`segment ${data}: physical range 0x[0-9a-f]+ \\+ p_memsz 0xfffff000 runs past`),
    );
  });

  it('section header table and symbol table problems', () => {
    const shoff = readelfSectionTableOffset(sectionsText);
    expect(shoff).toBe(u32(base, E_SHOFF));
    const count = readelfSections(sectionsText).length;
    expectElfError(base.subarray(0, shoff + 40 * 2), new RegExp(`section header table \\(offset 0x${shoff.toString(16)}, ${count} entries of 40 bytes\\) lies outside the file`));
    expectElfError(base.subarray(0, shoff), new RegExp(`section header table at offset 0x${shoff.toString(16)} lies outside the file`));
    expectElfError(mutant((v) => v.setUint16(E_SHENTSIZE, 20, true)), /section header entry size is 20 bytes, expected 40/);
    expectElfError(mutant((v) => v.setUint16(E_SHSTRNDX, 99, true)), new RegExp(`section name table index 99 is not a section \\(the file has ${count}\\)`));
    const text = sectionIndex('.text');
    expectElfError(mutant((v) => v.setUint32(shdr(text) + SH_OFFSET, 0xfffffff0, true)), new RegExp(`section ${text}: file range 0xfffffff0-0x[0-9a-f]+ lies outside the file`));

    const symtab = sectionIndex('.symtab');
    const strtab = readelfSections(sectionsText).find((s) => s.name === '.strtab')!;
    expectElfError(mutant((v) => v.setUint32(shdr(symtab) + SH_ENTSIZE, 8, true)), new RegExp(`symbol table \\(section ${symtab}\\): entry size is 8, expected 16`));
    expectElfError(mutant((v) => v.setUint32(shdr(symtab) + SH_LINK, text, true)), /its string table \(sh_link \d+\) is not a string table section/);
    expectElfError(mutant((v) => v.setUint32(shdr(symtab) + SH_LINK, 999, true)), /sh_link 999\) is not a string table section/);
    const symtabOffset = readelfSections(sectionsText).find((s) => s.name === '.symtab')!.offset;
    expectElfError(mutant((v) => v.setUint32(symtabOffset + 16, 0x7fffffff, true)), /symbol 1: name offset 0x7fffffff lies outside the symbol string table/);
    // The table's final NUL overwritten: the last name runs off its end.
    expectElfError(mutant((_, b) => (b[strtab.offset + strtab.size - 1] = 0x78)), /name at offset 0x[0-9a-f]+ in the symbol string table \(section \d+\) has no terminating NUL/);
  });

  it('still loads a file without section headers (stripped of them)', () => {
    const image = parseElf32(mutant((v) => v.setUint32(E_SHOFF, 0, true)), NAME);
    expect(image.sections).toEqual([]);
    expect(image.symbols).toEqual([]);
    expect(image.segments.length).toBe(program.loads.length);
  });
});

describe('random mutations: parse or ElfError, nothing else', () => {
  /** xorshift32: seeded, so a failure replays exactly. */
  function rng(seed: number): (n: number) => number {
    let x = seed >>> 0 || 1;
    return (n) => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x % n;
    };
  }

  it('survives 4000 seeded mutants', () => {
    const rand = rng(0x52494e47); // "RING"
    // Bytes that steer the parser: headers, program headers, section headers, the symbol table.
    const symtab = readelfSections(sectionsText).find((s) => s.name === '.symtab')!;
    const regions: [number, number][] = [
      [0, phdr(program.types.length)],
      [shdr(0), base.length],
      [symtab.offset, symtab.offset + symtab.size],
    ];
    const interesting = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffff000, base.length, base.length + 1, 52, 0x100000];
    const mem = new PhysicalMemory(2 * MiB);
    let parsed = 0;
    let loaded = 0;
    const problems = new Set<string>();

    for (let iter = 0; iter < 4000; iter++) {
      let b = base.slice();
      const v = new DataView(b.buffer);
      const edits = 1 + rand(4);
      for (let e = 0; e < edits; e++) {
        const [lo, hi] = regions[rand(regions.length)]!;
        const at = lo + rand(hi - lo);
        switch (rand(4)) {
          case 0: // one random byte
            b[at] = rand(256);
            break;
          case 1: // an aligned 32-bit field set to a boundary value
            if (at - (at % 4) + 4 <= b.length) v.setUint32(at - (at % 4), interesting[rand(interesting.length)]!, true);
            break;
          case 2: // an aligned 16-bit field (counts, sizes, indices)
            if (at - (at % 2) + 2 <= b.length) v.setUint16(at - (at % 2), rand(2) ? rand(0x10000) : rand(64), true);
            break;
          default: // anywhere in the file
            b[rand(b.length)] ^= 1 << rand(8);
        }
      }
      if (rand(5) === 0) b = b.subarray(0, rand(b.length + 1));

      let image: Elf32Image | undefined;
      try {
        image = parseElf32(b, `mutant-${iter}`);
        parsed++;
      } catch (e) {
        if (!(e instanceof ElfError) || !e.message.startsWith(`mutant-${iter}: `)) {
          throw new Error(`mutant ${iter}: expected an ElfError, got ${String(e)}`);
        }
        problems.add(e.problem.replace(/\(.*?\)/g, '').replace(/0x[0-9a-f]+|\d+/g, 'N')); // kinds of problem
      }
      if (image === undefined) continue;
      try {
        loadElf(mem, image, { usePhysical: rand(2) === 1 });
        loaded++;
      } catch (e) {
        if (!(e instanceof ElfError)) throw new Error(`mutant ${iter}: load threw ${String(e)}`);
      }
    }
    // The loop must exercise both outcomes and many different checks to mean anything.
    expect(parsed).toBeGreaterThan(200);
    expect(loaded).toBeGreaterThan(100);
    expect(problems.size).toBeGreaterThan(20);
  });
});

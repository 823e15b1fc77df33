// The multiboot v1 loader against kernels built here with gcc/ld: the bench guest (a.out
// kludge), an xv6/JOS-shaped ELF kernel linked at 0xf0100000 and loaded at 1 MiB, a plain ELF,
// modules, the boot information a kernel reads, and a corpus of broken kernels, each refused
// with its own message and without touching the machine.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CS, EAX, EBX, ESP } from '../../emulator/cpu/regs.js';
import { BOOT_STACK, loadMultiboot, MBI_ADDRESS, MultibootError, type ModuleInput } from '../../emulator/loader/multiboot.js';
import { Machine } from '../../emulator/machine.js';
import {
  buildBenchGuest, buildKernel, FLAT_LINKER_SCRIPT, headerAsm, highKernelSource, highLinkerScript, makeTempDir,
  nmSymbols, objdumpSections, readBytes, removeDir, symbol,
} from './multiboot-fixtures.js';

const MiB = 1 << 20;
const dir = makeTempDir('ringside-mb-');
afterAll(() => removeDir(dir));

const u32 = (m: Machine, at: number): number => new DataView(m.mem.u8.buffer).getUint32(at, true);
const cString = (m: Machine, at: number): string => {
  const end = m.mem.u8.indexOf(0, at);
  return new TextDecoder().decode(m.mem.u8.subarray(at, end));
};

/** A machine whose RAM is filled with 0xaa, so zero-filled bss and copied bytes both show. */
function dirtyMachine(memory = 16 * MiB): Machine {
  const m = new Machine({ memory });
  m.mem.u8.fill(0xaa);
  return m;
}

/** Every ALLOC section of the file is in RAM at its LMA: file bytes, or zeros for NOBITS. */
function expectSectionsLoaded(m: Machine, path: string): void {
  const file = readFileSync(path);
  const sections = objdumpSections(path).filter((s) => s.flags.includes('ALLOC') && s.size > 0);
  expect(sections.length).toBeGreaterThan(0);
  for (const s of sections) {
    const inRam = m.mem.u8.subarray(s.lma, s.lma + s.size);
    const expected = s.flags.includes('CONTENTS') ? file.subarray(s.fileOffset, s.fileOffset + s.size) : new Uint8Array(s.size);
    expect(Buffer.from(inRam).equals(Buffer.from(expected)), `${s.name} at ${s.lma.toString(16)}`).toBe(true);
  }
}

describe('the bench guest (a.out kludge header)', () => {
  let elf: string;
  beforeAll(() => {
    elf = buildBenchGuest(dir, 1);
  });

  it('loads the image from load_addr to load_end_addr and zeroes up to bss_end_addr, as objdump -h shows', () => {
    const m = dirtyMachine();
    const r = loadMultiboot(m, readBytes(elf), elf, [], {});
    const syms = nmSymbols(elf);
    expect(r.format).toBe('multiboot-aout');
    expect(r.regions).toEqual([
      { what: 'the kernel image', start: symbol(syms, '_load_start'), fileEnd: symbol(syms, '_load_end'), end: symbol(syms, '_bss_end') },
    ]);
    expectSectionsLoaded(m, elf);
    expect(r.entry).toBe(symbol(syms, '_start'));
    // The ELF view comes along for the debugger, although the load did not use it.
    expect(r.kernel?.symbols.some((s) => s.name === 'kmain')).toBe(true);
  });

  it('leaves the CPU in the multiboot entry state', () => {
    const m = dirtyMachine();
    const r = loadMultiboot(m, readBytes(elf), elf, [], {});
    const cpu = m.cpu;
    expect(cpu.regs[EAX]! >>> 0).toBe(0x2badb002);
    expect(cpu.regs[EBX]).toBe(r.mbiAddress);
    expect(r.mbiAddress).toBe(MBI_ADDRESS);
    expect(cpu.regs[ESP]).toBe(BOOT_STACK);
    expect(cpu.eip >>> 0).toBe(r.entry);
    expect(cpu.segSel[CS]).toBe(0x08);
    expect([0, 2, 3, 4, 5].map((s) => cpu.segSel[s])).toEqual([0x10, 0x10, 0x10, 0x10, 0x10]);
    expect([...cpu.segBase]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...cpu.segLimit]).toEqual(Array(6).fill(0xffffffff));
    expect(cpu.cr0 & 1).toBe(1);
    expect(cpu.cr0 >>> 31).toBe(0);
    expect(cpu.getEflags() & ((1 << 9) | (1 << 17))).toBe(0); // IF and VM clear
    expect(cpu.cpl).toBe(0);
  });
});

describe('an ELF kernel linked at 0xf0100000 and loaded at 1 MiB (xv6, JOS)', () => {
  it.each(['_start', 'entry'] as const)('loads by p_paddr and enters at the physical entry (ENTRY(%s))', (entrySymbol) => {
    const elf = buildKernel(dir, `high-${entrySymbol}`, highKernelSource(), highLinkerScript(entrySymbol));
    const syms = nmSymbols(elf);
    // The linked (virtual) address, whichever form e_entry takes.
    expect(symbol(syms, 'entry')).toBe(0xf010000c);
    const m = dirtyMachine();
    const r = loadMultiboot(m, readBytes(elf), elf, [], {});
    expect(r.format).toBe('multiboot-elf');
    expect(r.entry).toBe(0x10000c);
    expectSectionsLoaded(m, elf);
    expect(r.regions.every((g) => g.start >= 0x100000 && g.end < 0x200000)).toBe(true);

    // The kernel itself sees the entry state: it stores EAX, EBX and ESP, then halts.
    const stop = m.run(1000);
    expect(stop).toEqual({ kind: 'halt', interruptsEnabled: false });
    const phys = (name: string): number => symbol(syms, name) - 0xf0000000;
    expect(u32(m, phys('magic_seen'))).toBe(0x2badb002);
    expect(u32(m, phys('mbi_seen'))).toBe(MBI_ADDRESS);
    expect(u32(m, phys('esp_seen'))).toBe(BOOT_STACK);
  });
});

describe('a plain ELF32 executable without a multiboot header', () => {
  it('loads at its physical addresses and gets the same entry state', () => {
    const elf = buildKernel(dir, 'plain', '.text\n.globl _start\n_start: cli\n hlt\n.data\n.long 0x11223344\n.bss\n.skip 100');
    const m = dirtyMachine();
    const r = loadMultiboot(m, readBytes(elf), elf, [], {});
    expect(r.format).toBe('elf');
    expect(r.entry).toBe(symbol(nmSymbols(elf), '_start'));
    expectSectionsLoaded(m, elf);
    expect(m.cpu.regs[EAX]! >>> 0).toBe(0x2badb002);
  });
});

describe('the boot information', () => {
  let elf: string;
  beforeAll(() => {
    elf = buildKernel(dir, 'mbi', `${headerAsm('3')}\n.text\n.globl _start\n_start: hlt\n.bss\n.skip 5000`);
  });

  it('holds memory sizes, the command line, the memory map and the loader name', () => {
    const m = new Machine({ memory: 32 * MiB });
    const r = loadMultiboot(m, readBytes(elf), 'kernel.elf', [], { cmdline: 'console=com1 verbose' });
    const mbi = r.mbiAddress;
    const flags = u32(m, mbi);
    // mem_*, cmdline, mods, mmap, boot_loader_name; no framebuffer unless asked for.
    expect(flags).toBe((1 << 0) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9));
    expect(u32(m, mbi + 4)).toBe(640);
    expect(u32(m, mbi + 8)).toBe(31 * 1024);
    expect(cString(m, u32(m, mbi + 16))).toBe('kernel.elf console=com1 verbose');
    expect(r.cmdline).toBe('kernel.elf console=com1 verbose');
    expect(u32(m, mbi + 20)).toBe(0);
    expect(cString(m, u32(m, mbi + 64))).toBe('Ringside');

    const length = u32(m, mbi + 44);
    const map: [number, number, number][] = [];
    for (let at = u32(m, mbi + 48); at < u32(m, mbi + 48) + length; at += u32(m, at) + 4) {
      expect(u32(m, at)).toBe(20);
      expect(u32(m, at + 8)).toBe(0); // high halves of base and length
      expect(u32(m, at + 16)).toBe(0);
      map.push([u32(m, at + 4), u32(m, at + 12), u32(m, at + 20)]);
    }
    expect(map).toEqual([
      [0, 0x9fc00, 1],
      [0x9fc00, 0x400, 2],
      [0xf0000, 0x10000, 2],
      [0x100000, 31 * MiB, 1],
    ]);
    // All of it lives in conventional memory, below the EBDA.
    expect(mbi).toBeGreaterThanOrEqual(0x8000);
    expect(u32(m, mbi + 48) + length).toBeLessThan(0x9fc00);
  });

  it('describes the text console when the header asks for video information (flags bit 2)', () => {
    const video = buildKernel(dir, 'video', `${headerAsm('4', '.long 0, 0, 0, 0, 0\n.long 1, 80, 25, 0')}\n.text\n.globl _start\n_start: hlt`);
    const m = new Machine({ memory: 4 * MiB });
    const r = loadMultiboot(m, readBytes(video), video, [], {});
    const mbi = r.mbiAddress;
    expect(u32(m, mbi) & (1 << 12)).not.toBe(0);
    expect([u32(m, mbi + 88), u32(m, mbi + 92), u32(m, mbi + 96), u32(m, mbi + 100), u32(m, mbi + 104)]).toEqual([0xb8000, 0, 160, 80, 25]);
    expect([m.mem.u8[mbi + 108], m.mem.u8[mbi + 109]]).toEqual([16, 2]);
  });

  it('places modules page-aligned after the kernel bss, with their strings, in the module list', () => {
    const text = new TextEncoder().encode('a raw module\n');
    const elfModule = readBytes(elf);
    const modules: ModuleInput[] = [
      { name: 'notes.txt', bytes: text },
      { name: 'user/hello.elf', bytes: elfModule, cmdline: 'arg1 arg2' },
      { name: 'empty.bin', bytes: new Uint8Array(0) },
    ];
    const m = dirtyMachine(8 * MiB);
    const r = loadMultiboot(m, readBytes(elf), elf, modules, {});
    const kernelEnd = Math.max(...objdumpSections(elf).filter((x) => x.flags.includes('ALLOC')).map((x) => x.lma + x.size));
    expect(Math.max(...r.regions.map((g) => g.end))).toBe(kernelEnd);

    const first = Math.ceil(kernelEnd / 4096) * 4096;
    const second = Math.ceil((first + text.length) / 4096) * 4096;
    const third = Math.ceil((second + elfModule.length) / 4096) * 4096;
    expect(r.modules).toEqual([
      { name: 'notes.txt', start: first, end: first + text.length, string: 'notes.txt' },
      { name: 'user/hello.elf', start: second, end: second + elfModule.length, string: 'user/hello.elf arg1 arg2' },
      { name: 'empty.bin', start: third, end: third, string: 'empty.bin' },
    ]);
    expect(Buffer.from(m.mem.u8.subarray(first, first + text.length)).equals(Buffer.from(text))).toBe(true);
    expect(Buffer.from(m.mem.u8.subarray(second, second + elfModule.length)).equals(Buffer.from(elfModule))).toBe(true);

    const mbi = r.mbiAddress;
    expect(u32(m, mbi + 20)).toBe(3);
    const list = u32(m, mbi + 24);
    const entries = [0, 1, 2].map((k) => [u32(m, list + 16 * k), u32(m, list + 16 * k + 4), cString(m, u32(m, list + 16 * k + 8)), u32(m, list + 16 * k + 12)]);
    expect(entries).toEqual(r.modules.map((x) => [x.start, x.end, x.string, 0]));
  });
});

/** A flat image with a multiboot header at `offset`; the fields default to a valid a.out kernel. */
function aoutImage(o: {
  offset?: number; flags?: number; checksumDelta?: number; headerAddr?: number; loadAddr?: number;
  loadEndAddr?: number; bssEndAddr?: number; entryAddr?: number; size?: number;
} = {}): Uint8Array {
  const offset = o.offset ?? 0;
  const flags = o.flags ?? 0x10000;
  const bytes = new Uint8Array(o.size ?? offset + 64);
  const view = new DataView(bytes.buffer);
  const fields = [
    0x1badb002, flags, (-(0x1badb002 + flags) + (o.checksumDelta ?? 0)) >>> 0,
    o.headerAddr ?? 0x100000 + offset, o.loadAddr ?? 0x100000, o.loadEndAddr ?? 0, o.bssEndAddr ?? 0, o.entryAddr ?? 0x100020 + offset,
  ];
  fields.forEach((v, k) => {
    if (offset + 4 * k + 4 <= bytes.length) view.setUint32(offset + 4 * k, v >>> 0, true);
  });
  return bytes;
}

describe('a valid a.out kludge image built by hand', () => {
  it('loads from the file offset that corresponds to load_addr', () => {
    // Header at file offset 0x40, loaded at 0x200000 with 0x40 bytes before it: the file's start.
    const img = aoutImage({ offset: 0x40, headerAddr: 0x200040, loadAddr: 0x200000, entryAddr: 0x200060, bssEndAddr: 0x203000, size: 0x100 });
    img[0] = 0x5a;
    img[0xff] = 0xa5;
    const m = dirtyMachine(4 * MiB);
    const r = loadMultiboot(m, img, 'flat.bin', [], {});
    expect(r).toMatchObject({ entry: 0x200060, kernel: null, regions: [{ start: 0x200000, fileEnd: 0x200100, end: 0x203000 }] });
    expect([m.mem.u8[0x200000], m.mem.u8[0x2000ff], m.mem.u8[0x200100], m.mem.u8[0x202fff], m.mem.u8[0x203000]]).toEqual([0x5a, 0xa5, 0, 0, 0xaa]);
  });
});

interface BrokenCase {
  what: string;
  file: string;
  bytes: () => Uint8Array;
  memory?: number;
  modules?: () => ModuleInput[];
  cmdline?: string;
  error: RegExp;
}

const plainElf = (): Uint8Array => readBytes(buildKernel(dir, 'plain-broken', '.text\n.globl _start\n_start: hlt'));
const patched = (bytes: Uint8Array, at: number, value: number, size: 1 | 4): Uint8Array => {
  const copy = bytes.slice();
  if (size === 1) copy[at] = value;
  else new DataView(copy.buffer).setUint32(at, value, true);
  return copy;
};

const BROKEN: BrokenCase[] = [
  { what: 'an empty file', file: 'empty.elf', bytes: () => new Uint8Array(0), error: /the file is empty: nothing to boot/ },
  { what: 'a file too short for anything', file: 'tiny.elf', bytes: () => new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1]), error: /no multiboot header in the first 8192 bytes, and not a loadable ELF32 executable either: file too short for an ELF header/ },
  { what: 'a text file', file: 'notes.txt', bytes: () => new TextEncoder().encode('just some text\n'.repeat(100)), error: /not a loadable ELF32 executable either: not an ELF file: bad magic/ },
  { what: 'a bad checksum', file: 'badsum.bin', bytes: () => aoutImage({ checksumDelta: 1 }), error: /multiboot header at offset 0x0 has a bad checksum: .* the checksum should be 0xe4514ffe/ },
  {
    what: 'a header past the first 8 KiB', file: 'late.elf',
    bytes: () => readBytes(buildKernel(dir, 'late', `.section .pad, "a"\n.skip 9000\n${headerAsm('0')}\n.text\n.globl _start\n_start: hlt`,
      FLAT_LINKER_SCRIPT.replace('*(.multiboot)', '*(.pad) *(.multiboot)'))),
    error: /multiboot header found at offset 0x[0-9a-f]+, but it must lie within the first 8192 bytes/,
  },
  { what: 'an unaligned header', file: 'unaligned.bin', bytes: () => aoutImage({ offset: 2 }), error: /multiboot header at offset 0x2 is not 32-bit aligned/ },
  { what: 'an unknown required flag', file: 'flag3.bin', bytes: () => aoutImage({ flags: 0x10008 }), error: /requires features this loader does not know: bit 3\b/ },
  { what: 'a header cut off by the end of the file', file: 'short.bin', bytes: () => aoutImage({ size: 20 }), error: /cut off: flags bit 16 needs the address fields, up to offset 0x20, past the end of the file \(20 bytes\)/ },
  { what: 'load_addr above header_addr', file: 'a1.bin', bytes: () => aoutImage({ loadAddr: 0x100010 }), error: /load_addr 0x100010 is above header_addr 0x100000/ },
  { what: 'a load starting before the file', file: 'a2.bin', bytes: () => aoutImage({ offset: 8, headerAddr: 0x100100 }), error: /is more than the header's file offset 0x8: the load would start before the beginning of the file/ },
  { what: 'load_end_addr past the end of the file', file: 'a3.bin', bytes: () => aoutImage({ loadEndAddr: 0x100100 }), error: /asks for 0x100 bytes from file offset 0x0, but the file has only 0x40 bytes there/ },
  { what: 'load_end_addr below load_addr', file: 'a4.bin', bytes: () => aoutImage({ loadEndAddr: 0xff000 }), error: /load_end_addr 0xff000 is below load_addr 0x100000/ },
  { what: 'bss_end_addr below load_end_addr', file: 'a5.bin', bytes: () => aoutImage({ loadEndAddr: 0x100040, bssEndAddr: 0x100020 }), error: /bss_end_addr 0x100020 is below load_end_addr 0x100040/ },
  { what: 'an entry outside the image', file: 'a6.bin', bytes: () => aoutImage({ entryAddr: 0x200000, bssEndAddr: 0x300000 }), error: /entry_addr 0x200000 lies outside the loaded image 0x100000-0x100040/ },
  { what: 'a load below 1 MiB', file: 'low.bin', bytes: () => aoutImage({ headerAddr: 0x8000, loadAddr: 0x8000, entryAddr: 0x8010 }), error: /the kernel image \(0x8000-0x8040\) starts below 1 MiB/ },
  { what: 'a bss past the end of memory', file: 'huge.bin', memory: 4 * MiB, bytes: () => aoutImage({ bssEndAddr: 0x800000 }), error: /the kernel image \(0x100000-0x800000\) lies past the end of guest memory at 0x400000 \(4 MiB\)/ },
  { what: 'a header without bit 16 on a file that is not ELF', file: 'raw.bin', bytes: () => aoutImage({ flags: 0 }), error: /does not set bit 16 \(a\.out kludge\), so the kernel must be an ELF32 executable, but it is not: not an ELF file/ },
  { what: 'a 64-bit ELF file', file: 'k64.elf', bytes: () => patched(plainElf(), 4, 2, 1), error: /64-bit ELF file/ },
  { what: 'an ELF entry outside every segment', file: 'entry.elf', bytes: () => patched(plainElf(), 24, 0x5000000, 4), error: /entry point 0x5000000 lies outside every executable PT_LOAD segment/ },
  {
    what: 'an ELF segment past the end of memory', file: 'bigbss.elf', memory: 2 * MiB,
    bytes: () => readBytes(buildKernel(dir, 'bigbss', '.text\n.globl _start\n_start: hlt\n.bss\n.skip 0x200000')),
    error: /ELF segment \d+ \(0x[0-9a-f]+-0x[0-9a-f]+\) lies past the end of guest memory at 0x200000 \(2 MiB\)/,
  },
  {
    what: 'an ELF kernel linked below 1 MiB', file: 'low.elf',
    bytes: () => readBytes(buildKernel(dir, 'lowelf', '.text\n.globl _start\n_start: hlt', FLAT_LINKER_SCRIPT.replace('0x100000', '0x8000'))),
    error: /ELF segment \d+ \(0x8000-0x8001\) starts below 1 MiB/,
  },
  {
    what: 'a module too big for memory', file: 'big.mod', memory: 2 * MiB, bytes: () => aoutImage(),
    modules: () => [{ name: 'big.mod', bytes: new Uint8Array(MiB) }],
    error: /module of 1048576 bytes does not fit in guest memory: it would occupy 0x101000-0x201000, .* memory ends at 0x200000/,
  },
  {
    what: 'command lines too long for low memory', file: 'k.bin', bytes: () => aoutImage(), cmdline: 'x'.repeat(700_000),
    error: /the boot information \(\d+ bytes with the command lines and the module list\) does not fit in low memory between 0x9000 and 0x9fc00/,
  },
];

describe('broken kernels are refused with a specific MultibootError, leaving the machine untouched', () => {
  it.each(BROKEN)('$what', (c) => {
    const m = new Machine({ memory: c.memory ?? 4 * MiB });
    const eipBefore = m.cpu.eip;
    let error: unknown;
    try {
      loadMultiboot(m, c.bytes(), c.file, c.modules?.() ?? [], { cmdline: c.cmdline });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MultibootError);
    const e = error as MultibootError;
    expect(e.file).toBe(c.file);
    expect(e.message.startsWith(`${c.file}: `)).toBe(true);
    expect(e.message).toMatch(c.error);
    expect(m.mem.u8.every((b) => b === 0)).toBe(true);
    expect(m.cpu.eip).toBe(eipBefore);
  });
});

describe('arbitrary bytes', () => {
  it('either load or raise a MultibootError, quickly', () => {
    let seed = 0x12345678;
    const rand = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const elf = plainElf();
    const m = new Machine({ memory: 4 * MiB });
    let loaded = 0;
    for (let n = 0; n < 400; n++) {
      // Half start from a real ELF file with a few bytes changed, half are a random a.out header.
      let bytes: Uint8Array;
      if (n % 2 === 0) {
        bytes = elf.slice();
        for (let k = 0; k < 1 + (rand() % 8); k++) bytes[rand() % Math.min(bytes.length, 256)] = rand() & 0xff;
      } else {
        const pick = (): number => [0, 0x100000, 0x100040, 0x200000, rand(), 0xfffff000][rand() % 6]!;
        bytes = aoutImage({
          offset: (rand() % 16) * 4, flags: [0x10000, 0x10003, 0x10004, 0][rand() % 4], headerAddr: pick(),
          loadAddr: pick(), loadEndAddr: pick(), bssEndAddr: pick(), entryAddr: pick(), size: 64 + (rand() % 512),
        });
      }
      try {
        loadMultiboot(m, bytes, `case${n}`, [], {});
        loaded++;
      } catch (e) {
        if (!(e instanceof MultibootError)) throw new Error(`case ${n}: ${String(e)}`);
      }
    }
    expect(loaded).toBeGreaterThan(0);
  });
});

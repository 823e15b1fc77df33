// Just enough ELF32 reading for the harness: the PT_LOAD segments (to copy the native program into
// guest RAM at the same addresses) and the symbol table (to find case entries and `collect`).
// The project's real loader lives elsewhere; the harness keeps its own so it tests the CPU alone.

export interface LoadSegment {
  vaddr: number;
  /** Bytes present in the file; the rest up to memsz is zero (bss). */
  data: Uint8Array;
  memsz: number;
}

export interface Elf32 {
  entry: number;
  segments: LoadSegment[];
  symbols: Map<string, number>;
}

const PT_LOAD = 1;
const SHT_SYMTAB = 2;

export function parseElf32(file: Uint8Array): Elf32 {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46) throw new Error('not an ELF file');
  if (file[4] !== 1 || file[5] !== 1) throw new Error('not a little-endian ELF32 file');
  const u16 = (o: number): number => dv.getUint16(o, true);
  const u32 = (o: number): number => dv.getUint32(o, true);

  const entry = u32(24);
  const phoff = u32(28), shoff = u32(32);
  const phentsize = u16(42), phnum = u16(44), shentsize = u16(46), shnum = u16(48);

  const segments: LoadSegment[] = [];
  for (let k = 0; k < phnum; k++) {
    const p = phoff + k * phentsize;
    if (u32(p) !== PT_LOAD) continue;
    const offset = u32(p + 4), vaddr = u32(p + 8), filesz = u32(p + 16), memsz = u32(p + 20);
    segments.push({ vaddr, data: file.subarray(offset, offset + filesz), memsz });
  }

  const symbols = new Map<string, number>();
  const decoder = new TextDecoder();
  for (let k = 0; k < shnum; k++) {
    const s = shoff + k * shentsize;
    if (u32(s + 4) !== SHT_SYMTAB) continue;
    const symOff = u32(s + 16), symSize = u32(s + 20), link = u32(s + 24), entSize = u32(s + 36) || 16;
    const strOff = u32(shoff + link * shentsize + 16);
    for (let e = symOff; e + entSize <= symOff + symSize; e += entSize) {
      const nameOff = u32(e);
      if (nameOff === 0) continue;
      let end = strOff + nameOff;
      while (file[end] !== 0) end++;
      const name = decoder.decode(file.subarray(strOff + nameOff, end));
      symbols.set(name, u32(e + 4));
    }
  }
  return { entry, segments, symbols };
}

/** The address of a symbol, or an error naming it (a missing label is a harness bug). */
export function symbol(elf: Elf32, name: string): number {
  const v = elf.symbols.get(name);
  if (v === undefined) throw new Error(`symbol ${name} not found in the harness ELF`);
  return v;
}

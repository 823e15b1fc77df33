/** The parts of an ELF32 executable that the emulator and the debugger use. */

/** Segment permission bits (p_flags). */
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** Section types (sh_type) the loader looks at. */
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;

/** Special section indices in st_shndx. */
export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;

/** A PT_LOAD program header with its file bytes. */
export interface Elf32Segment {
  /** Index of the program header in the file (as readelf numbers them). */
  readonly index: number;
  readonly fileOffset: number;
  readonly vaddr: number;
  readonly paddr: number;
  /** p_filesz bytes from the file, copied so the image does not alias the caller's buffer. */
  readonly fileBytes: Uint8Array;
  /** p_memsz: fileBytes.length plus the zero-filled tail (bss). */
  readonly memSize: number;
  /** PF_R | PF_W | PF_X bits. */
  readonly flags: number;
  readonly align: number;
}

export interface Elf32Section {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
}

export type SymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'common' | 'tls' | 'other';
export type SymbolBind = 'local' | 'global' | 'weak' | 'other';

export interface Elf32Symbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly type: SymbolType;
  readonly bind: SymbolBind;
  /** st_shndx: a section index, or SHN_UNDEF / SHN_ABS / SHN_COMMON. */
  readonly sectionIndex: number;
}

export interface Elf32Image {
  /** The name the file was parsed under, repeated in every later error about it. */
  readonly name: string;
  readonly entry: number;
  /** PT_LOAD segments in program-header order. */
  readonly segments: readonly Elf32Segment[];
  /** Empty for a file without a section header table (stripped of it). */
  readonly sections: readonly Elf32Section[];
  /** From .symtab; empty when the file has none. Entry 0 (the null symbol) is left out. */
  readonly symbols: readonly Elf32Symbol[];
}

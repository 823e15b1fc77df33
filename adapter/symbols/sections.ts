import { inflateSync } from 'node:zlib';
import { SHT_NOBITS, type Elf32Image, type Elf32Section } from '../../emulator/loader/elf.js';
import { StringSection } from './cursor.js';
import { SymbolError, hex } from './error.js';

const SHF_COMPRESSED = 0x800;
const ELFCOMPRESS_ZLIB = 1;
const CHDR_SIZE = 12; // Elf32_Chdr: ch_type, ch_size, ch_addralign

/** The debug sections the reader uses; a missing one is an empty array. */
export interface DebugSections {
  readonly file: string;
  readonly info: Uint8Array;
  readonly abbrev: Uint8Array;
  readonly line: Uint8Array;
  readonly str: StringSection;
  readonly lineStr: StringSection;
  readonly strOffsets: Uint8Array;
  readonly addr: Uint8Array;
  readonly ranges: Uint8Array;
  readonly rnglists: Uint8Array;
  readonly loc: Uint8Array;
  readonly loclists: Uint8Array;
  readonly frame: Uint8Array;
  readonly ehFrame: Uint8Array;
  /** Load address of .eh_frame: its pointers are pc-relative to where the section sits. */
  readonly ehFrameAddr: number;
}

/**
 * Slices the debug sections out of the file. parseElf32 has already checked that every
 * section with file bytes lies inside the file, so the slices are safe. They are views, not
 * copies: the caller's buffer must not change while the symbols are in use.
 */
export function debugSections(bytes: Uint8Array, elf: Elf32Image): DebugSections {
  const get = (name: string): Uint8Array => {
    const s = elf.sections.find((x) => x.name === name);
    if (s === undefined || s.type === SHT_NOBITS) return new Uint8Array(0);
    const raw = bytes.subarray(s.offset, s.offset + s.size);
    return (s.flags & SHF_COMPRESSED) !== 0 ? decompress(raw, s, elf.name) : raw;
  };
  const eh = elf.sections.find((x) => x.name === '.eh_frame');
  return {
    file: elf.name,
    info: get('.debug_info'),
    abbrev: get('.debug_abbrev'),
    line: get('.debug_line'),
    str: new StringSection(get('.debug_str'), elf.name, '.debug_str'),
    lineStr: new StringSection(get('.debug_line_str'), elf.name, '.debug_line_str'),
    strOffsets: get('.debug_str_offsets'),
    addr: get('.debug_addr'),
    ranges: get('.debug_ranges'),
    rnglists: get('.debug_rnglists'),
    loc: get('.debug_loc'),
    loclists: get('.debug_loclists'),
    frame: get('.debug_frame'),
    ehFrame: get('.eh_frame'),
    ehFrameAddr: eh?.addr ?? 0,
  };
}

/** A section compressed by `ld --compress-debug-sections=zlib` (or gcc -gz). */
function decompress(raw: Uint8Array, s: Elf32Section, file: string): Uint8Array {
  if (raw.length < CHDR_SIZE) throw new SymbolError(file, `${s.name}: compressed section is too short for its header`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const type = view.getUint32(0, true);
  const size = view.getUint32(4, true);
  if (type !== ELFCOMPRESS_ZLIB) throw new SymbolError(file, `${s.name}: compression type ${type} is not supported (only zlib); relink with --compress-debug-sections=none`);
  try {
    // maxOutputLength: a corrupt header cannot make inflate allocate more than it claims.
    const out = inflateSync(raw.subarray(CHDR_SIZE), { maxOutputLength: Math.max(size, 1) });
    if (out.length !== size) throw new SymbolError(file, `${s.name}: decompressed to ${out.length} bytes, header says ${hex(size)}`);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } catch (e) {
    if (e instanceof SymbolError) throw e;
    throw new SymbolError(file, `${s.name}: cannot decompress: ${(e as Error).message}`, { cause: e });
  }
}

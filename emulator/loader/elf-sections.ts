import { hex } from './elf-error.js';
import { ElfReader, StringTable } from './elf-reader.js';
import { SHT_NOBITS, SHT_NULL, type Elf32Section } from './elf-types.js';

const SHDR_SIZE = 40;
/** e_shstrndx value meaning "the real index is in section 0's sh_link". */
const SHN_XINDEX = 0xffff;

/** Where the section header table is, from the ELF header. */
export interface SectionTableInfo {
  readonly shoff: number;
  readonly shentsize: number;
  readonly shnum: number;
  readonly shstrndx: number;
}

/**
 * Reads the section header table. Sections are not needed to run a program, but the debugger
 * reads symbols and DWARF through them, so every section that claims file bytes must have
 * them: consumers can then slice `offset..offset+size` without checking again.
 */
export function readSections(r: ElfReader, info: SectionTableInfo): Elf32Section[] {
  if (info.shoff === 0) return []; // no table at all (allowed: the file is still loadable)
  if (info.shentsize < SHDR_SIZE) {
    r.fail(`section header entry size is ${info.shentsize} bytes, expected ${SHDR_SIZE}`);
  }
  if (!r.contains(info.shoff, SHDR_SIZE)) {
    r.fail(`section header table at offset ${hex(info.shoff)} lies outside the file (${r.length} bytes)`);
  }
  // With 0xff00 sections or more the real count and string-table index live in section 0.
  const count = info.shnum !== 0 ? info.shnum : r.u32(info.shoff + 20);
  const strndx = info.shstrndx !== SHN_XINDEX ? info.shstrndx : r.u32(info.shoff + 24);
  if (!r.contains(info.shoff, count * info.shentsize)) {
    r.fail(
      `section header table (offset ${hex(info.shoff)}, ${count} entries of ${info.shentsize} bytes) lies outside the file (${r.length} bytes)`,
    );
  }

  const raw = [];
  for (let i = 0; i < count; i++) {
    const at = info.shoff + i * info.shentsize;
    const section = {
      index: i,
      nameOffset: r.u32(at),
      type: r.u32(at + 4),
      flags: r.u32(at + 8),
      addr: r.u32(at + 12),
      offset: r.u32(at + 16),
      size: r.u32(at + 20),
      link: r.u32(at + 24),
      info: r.u32(at + 28),
      entsize: r.u32(at + 36),
    };
    // Section 0 carries the extended counts above, not file bytes; NOBITS (.bss) has none.
    const hasFileBytes = i !== 0 && section.type !== SHT_NULL && section.type !== SHT_NOBITS;
    if (hasFileBytes && !r.contains(section.offset, section.size)) {
      r.fail(
        `section ${i}: file range ${hex(section.offset)}-${hex(section.offset + section.size)} lies outside the file (${r.length} bytes)`,
      );
    }
    raw.push(section);
  }

  let names: StringTable | undefined;
  if (strndx !== 0) {
    const table = raw[strndx];
    if (table === undefined) r.fail(`section name table index ${strndx} is not a section (the file has ${count})`);
    if (table.type === SHT_NOBITS) r.fail(`section name table (section ${strndx}) has no bytes in the file`);
    names = new StringTable(r, 'the section name table', r.copy(table.offset, table.size));
  }
  return raw.map(({ nameOffset, ...s }) => ({ ...s, name: names ? names.get(nameOffset, `section ${s.index}`) : '' }));
}

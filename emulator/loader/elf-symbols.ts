import { hex } from './elf-error.js';
import { ElfReader, StringTable } from './elf-reader.js';
import { SHT_STRTAB, SHT_SYMTAB, type Elf32Section, type Elf32Symbol, type SymbolBind, type SymbolType } from './elf-types.js';

const SYM_SIZE = 16;
const TYPES: readonly SymbolType[] = ['notype', 'object', 'func', 'section', 'file', 'common', 'tls'];
const BINDS: readonly SymbolBind[] = ['local', 'global', 'weak'];

/**
 * Reads .symtab (the static symbol table, which the linker keeps unless the file is stripped).
 * Sections were already checked to lie inside the file.
 */
export function readSymbols(r: ElfReader, sections: readonly Elf32Section[]): Elf32Symbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (symtab === undefined) return [];
  const where = `symbol table (section ${symtab.index})`;
  if (symtab.entsize !== SYM_SIZE) r.fail(`${where}: entry size is ${symtab.entsize}, expected ${SYM_SIZE}`);
  if (symtab.size % SYM_SIZE !== 0) r.fail(`${where}: size ${hex(symtab.size)} is not a whole number of entries`);

  const strtab = sections[symtab.link];
  if (strtab === undefined || strtab.type !== SHT_STRTAB) {
    r.fail(`${where}: its string table (sh_link ${symtab.link}) is not a string table section`);
  }
  const names = new StringTable(r, `the symbol string table (section ${strtab.index})`, r.copy(strtab.offset, strtab.size));

  const symbols: Elf32Symbol[] = [];
  // Entry 0 is the reserved null symbol.
  for (let i = 1; i < symtab.size / SYM_SIZE; i++) {
    const at = symtab.offset + i * SYM_SIZE;
    const info = r.u8(at + 12);
    symbols.push({
      name: names.get(r.u32(at), `symbol ${i}`),
      value: r.u32(at + 4),
      size: r.u32(at + 8),
      type: TYPES[info & 0xf] ?? 'other',
      bind: BINDS[info >> 4] ?? 'other',
      sectionIndex: r.u16(at + 14),
    });
  }
  return symbols;
}

import type { Elf32Image, Elf32Symbol } from '../../emulator/loader/elf.js';

const SHF_EXECINSTR = 0x4;

export interface SymbolRange {
  readonly name: string;
  readonly start: number;
  /** Exclusive. For an unsized label: the next symbol's start, or its section's end. */
  readonly end: number;
  readonly sized: boolean;
}

/**
 * ELF symbol tables as a fallback for code DWARF does not describe (assembly without
 * .type/.size, a stripped .debug_info): STT_FUNC symbols with their sizes, and plain labels
 * in executable sections (JOS's `_alltraps`), each running to the next symbol.
 */
export class CodeSymbols {
  private readonly sized: SymbolRange[];
  private readonly labels: SymbolRange[];
  private readonly data: SymbolRange[];

  constructor(elf: Elf32Image) {
    const exec = new Set(elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0).map((s) => s.index));
    const sectionEnd = new Map(elf.sections.map((s) => [s.index, s.addr + s.size]));
    const sectionStart = new Map(elf.sections.map((s) => [s.index, s.addr]));
    const named = (s: Elf32Symbol) => s.name !== '' && !s.name.startsWith('.L') && !s.name.startsWith('$');
    // A symbol set by the linker script to an address outside its section (JOS's
    // `_start = RELOC(entry)`, a physical alias of the entry point) labels no code there: taken
    // as a label it would name everything from 0x10000c up to the kernel's first function.
    const insideSection = (s: Elf32Symbol) =>
      s.value >= (sectionStart.get(s.sectionIndex) ?? 0) && s.value < (sectionEnd.get(s.sectionIndex) ?? 0);
    const code = elf.symbols.filter((s) => named(s) && exec.has(s.sectionIndex) && insideSection(s) && (s.type === 'func' || s.type === 'notype'));
    // Prefer globals, then functions, when several names share an address (aliases).
    const rank = (s: Elf32Symbol) => (s.bind === 'global' ? 0 : s.bind === 'weak' ? 1 : 2) * 2 + (s.type === 'func' ? 0 : 1);
    code.sort((a, b) => a.value - b.value || rank(a) - rank(b));
    const starts = [...new Set(code.map((s) => s.value))].sort((a, b) => a - b);
    const nextStart = (v: number) => {
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      return starts[lo];
    };
    this.sized = code
      .filter((s) => s.type === 'func' && s.size > 0)
      .map((s) => ({ name: s.name, start: s.value, end: s.value + s.size, sized: true }));
    this.labels = [];
    for (const s of code) {
      if (this.labels.length > 0 && this.labels[this.labels.length - 1]!.start === s.value) continue; // alias
      const end = Math.min(nextStart(s.value) ?? Infinity, sectionEnd.get(s.sectionIndex) ?? Infinity);
      this.labels.push({ name: s.name, start: s.value, end: s.size > 0 ? s.value + s.size : end, sized: s.size > 0 });
    }
    this.data = elf.symbols
      .filter((s) => named(s) && s.type === 'object' && s.size > 0)
      .map((s) => ({ name: s.name, start: s.value, end: s.value + s.size, sized: true }))
      .sort((a, b) => a.start - b.start);
  }

  /** The STT_FUNC symbol whose [value, value + size) holds addr, else the label before it. */
  codeAt(addr: number): SymbolRange | undefined {
    return lastContaining(this.sized, addr) ?? lastContaining(this.labels, addr);
  }

  /** The data object (STT_OBJECT) holding addr. */
  dataAt(addr: number): SymbolRange | undefined {
    return lastContaining(this.data, addr);
  }

  /** All STT_FUNC symbols with a size (for tests and the disassembly view). */
  get functions(): readonly SymbolRange[] {
    return this.sized;
  }
}

/** The range with the greatest start <= addr that still contains addr (ranges sorted by start). */
function lastContaining(ranges: readonly SymbolRange[], addr: number): SymbolRange | undefined {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid]!.start <= addr) lo = mid + 1;
    else hi = mid;
  }
  // Sized symbols can nest (an alias with a smaller size); look back a little.
  for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
    const r = ranges[i]!;
    if (addr >= r.start && addr < r.end) return r;
  }
  return undefined;
}

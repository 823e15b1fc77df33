// Corrupt input: whatever the debug sections hold, loading and querying either works or throws
// a SymbolError naming the file, never a RangeError, a TypeError or a hang.
import { describe, expect, it } from 'vitest';
import { parseElf32 } from '../../../emulator/loader/elf.js';
import {
  SymbolError, formatValue, loadSymbols, sizeOf, typeName,
  type FunctionInfo, type MachineContext, type ProgramSymbols, type Scope, type Variable,
} from '../../../adapter/symbols/index.js';
import { buildFixtures } from './toolchain.js';

const fixtures = buildFixtures();
const MUTATED = ['.debug_info', '.debug_abbrev', '.debug_line', '.debug_str', '.debug_line_str', '.debug_loclists',
  '.debug_loc', '.debug_rnglists', '.debug_ranges', '.eh_frame'];
const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x0b, 0x18, 0x21];

/** mulberry32: a small seeded PRNG, so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const machine: MachineContext = {
  reg: (n) => 0x1000 + n * 16,
  readMemory: (addr, len) => (addr < 0x10000 ? new Uint8Array(len) : undefined),
};

function allVariables(fn: FunctionInfo): Variable[] {
  const out = [...fn.params];
  const walk = (s: Scope, depth: number) => {
    if (depth > 100) return;
    out.push(...s.variables);
    s.children.forEach((c) => walk(c, depth + 1));
  };
  walk(fn.body, 0);
  return out;
}

/** Asks the symbols everything the adapter would. */
function exercise(syms: ProgramSymbols, text: { addr: number; size: number }): void {
  for (let a = text.addr - 4; a < text.addr + text.size + 4; a += 5) {
    syms.lineForAddress(a);
    syms.lineRange(a);
    syms.isStatementStart(a);
    syms.functionAt(a);
    syms.symbolize(a);
    syms.frames.rowAt(a);
    syms.cfaAt(a, machine.reg);
    const scope = syms.scopeAt(a);
    for (const v of scope ? [...scope.params, ...scope.locals] : []) syms.locate(v, a, machine);
  }
  for (const f of syms.sourceFiles) for (let l = 0; l < 90; l += 7) syms.resolveBreakpoint(f, l);
  const vars = syms.functions.flatMap(allVariables).concat(syms.globals);
  for (const fn of syms.functions) {
    typeName(fn.type);
    syms.frameBase(fn.lowPc, machine);
  }
  for (const v of vars) {
    typeName(v.type);
    const size = sizeOf(v.type);
    formatValue(v.type, new Uint8Array(Math.min(size ?? 4, 64)));
    syms.locate(v, text.addr + 8, machine);
  }
}

describe.each(fixtures.filter((f) => f.variant.name === 'dwarf5-Og' || f.variant.name === 'dwarf4-O0'))('fuzzing $variant.name', ({ path, bytes }) => {
  const elf = parseElf32(bytes, path);
  const targets = elf.sections.filter((s) => MUTATED.includes(s.name) && s.size > 0);
  const text = elf.sections.find((s) => s.name === '.text')!;

  it('loads the unmutated file and answers everything', () => {
    exercise(loadSymbols(bytes, path), text);
  });

  it('only ever succeeds or throws SymbolError on mutated debug sections', () => {
    const outcomes = { ok: 0, error: 0 };
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = prng(seed * 7919);
      const copy = bytes.slice();
      const mutations = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < mutations; k++) {
        const s = targets[Math.floor(rnd() * targets.length)]!;
        const at = s.offset + Math.floor(rnd() * s.size);
        const how = rnd();
        if (how < 0.4) copy[at] = Math.floor(rnd() * 256);
        else if (how < 0.7) copy[at] = INTERESTING[Math.floor(rnd() * INTERESTING.length)]!;
        else if (how < 0.9) new DataView(copy.buffer).setUint32(Math.min(at, s.offset + s.size - 4), [0xffffffff, 0x7fffffff, 0, s.size, 0x10000][Math.floor(rnd() * 5)]!, true);
        else copy.fill(0, at, Math.min(at + 16, s.offset + s.size));
      }
      const started = performance.now();
      try {
        exercise(loadSymbols(copy, path), text);
        outcomes.ok++;
      } catch (e) {
        if (!(e instanceof SymbolError)) throw new Error(`seed ${seed}: ${String(e)}\n${(e as Error).stack}`);
        expect(e.message.startsWith(`${path}: `), `seed ${seed}`).toBe(true);
        expect(e.message, `seed ${seed}`).not.toMatch(/internal error/);
        outcomes.error++;
      }
      expect(performance.now() - started, `seed ${seed} took too long`).toBeLessThan(2000);
    }
    // Both outcomes must occur, or the mutations are not reaching the reader.
    expect(outcomes.ok).toBeGreaterThan(20);
    expect(outcomes.error).toBeGreaterThan(20);
  });

  it('reports a truncated unit clearly', () => {
    const info = elf.sections.find((s) => s.name === '.debug_info')!;
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(info.offset, info.size + 100, true);
    expect(() => loadSymbols(copy, path)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\.debug_info at offset 0x0: unit at 0x0: length 0x[0-9a-f]+ runs past the end of the section`));
  });
});

describe('files that are not 32-bit executables', () => {
  it('are SymbolErrors naming the file', () => {
    expect(() => loadSymbols(new TextEncoder().encode('hello'), 'notes.txt')).toThrow(SymbolError);
    expect(() => loadSymbols(new TextEncoder().encode('hello'), 'notes.txt')).toThrow(/^notes\.txt: not an ELF file/);
    const elf64 = new Uint8Array(64);
    elf64.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    expect(() => loadSymbols(elf64, 'a.out')).toThrow(/^a\.out: not ELFCLASS32/);
  });

  it('loads an ELF without any DWARF from its symbol table alone', () => {
    const { path, bytes } = fixtures[0]!;
    const elf = parseElf32(bytes, path);
    const copy = bytes.slice();
    // Rename every .debug_* section so the reader cannot find them ("stripped" of DWARF).
    const shstr = elf.sections.find((s) => s.name === '.shstrtab')!;
    const names = new TextDecoder().decode(copy.subarray(shstr.offset, shstr.offset + shstr.size)).replaceAll('.debug_', '.nodbg_').replaceAll('.eh_frame', '.eh_fxxxx');
    copy.set(new TextEncoder().encode(names), shstr.offset);
    const syms = loadSymbols(copy, path);
    expect(syms.functions).toEqual([]);
    expect(syms.lines.rows).toEqual([]);
    const sum = elf.symbols.find((s) => s.name === 'sum')!;
    expect(syms.functionAt(sum.value + 1)).toMatchObject({ name: 'sum', source: 'symbol', end: sum.value + sum.size });
    expect(syms.symbolize(sum.value + 1)).toBe('sum+0x1');
  });
});

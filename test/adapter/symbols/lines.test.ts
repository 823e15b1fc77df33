// Line tables against gcc's own output: every row as objdump decodes it, columns as
// llvm-dwarfdump prints them, every text address as llvm-symbolizer (or addr2line) maps it,
// and the breakpoint / stepping queries on lines the fixture marks.
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSymbols, type ProgramSymbols } from '../../../adapter/symbols/index.js';
import { gdbBreakAddresses, llvmLines, objdumpLines } from './binutils.js';
import { FIXTURE_DIR, buildFixtures, hasTool, markerLine } from './toolchain.js';

const fixtures = buildFixtures();
const PROG = join(FIXTURE_DIR, 'prog.c');
const dwarfdump = ['llvm-dwarfdump', 'llvm-dwarfdump-14'].find(hasTool);
const symbolizer = ['llvm-symbolizer', 'llvm-symbolizer-14'].find(hasTool);
const hasGdb = hasTool('gdb');

function textAddresses(syms: ProgramSymbols): number[] {
  const text = syms.elf.sections.find((s) => s.name === '.text')!;
  return Array.from({ length: text.size }, (_, i) => text.addr + i);
}

describe.each(fixtures)('line table of $variant.name', ({ path, bytes, variant }) => {
  const syms = loadSymbols(bytes, path);

  it('has every row objdump --dwarf=decodedline prints, in order', () => {
    const ours = syms.lines.rows.map((r) => ({
      file: basename(r.file),
      line: r.endSequence ? undefined : r.line,
      address: r.address,
      isStmt: r.endSequence ? false : r.isStmt,
    }));
    const theirs = objdumpLines(path);
    expect(theirs.length).toBeGreaterThan(40);
    expect(ours).toEqual(theirs);
  });

  it.skipIf(dwarfdump === undefined)('has the columns and flags llvm-dwarfdump prints', () => {
    const ours = syms.lines.rows.map((r) => ({ address: r.address, line: r.line, column: r.column, isStmt: r.isStmt, endSequence: r.endSequence }));
    expect(ours).toEqual(llvmLines(path, dwarfdump!));
  });

  it('names files by absolute path, headers included', () => {
    expect(syms.sourceFiles).toEqual([join(FIXTURE_DIR, 'inc/util.h'), join(FIXTURE_DIR, 'other.c'), PROG, join(FIXTURE_DIR, 'stub.S')]);
    // The header's inline function, wherever its code went, is attributed to the header.
    const header = syms.lines.rows.filter((r) => r.file.endsWith('/inc/util.h') && !r.endSequence);
    expect(header.length).toBeGreaterThan(0);
    for (const r of header) expect(syms.lineForAddress(r.address)?.file ?? join(FIXTURE_DIR, 'inc/util.h')).toMatch(/\/(inc\/util\.h|prog\.c|other\.c)$/);
  });

  it.skipIf(symbolizer === undefined)('maps every text address to the line llvm-symbolizer gives', () => {
    const addrs = textAddresses(syms);
    const r = spawnSync(symbolizer!, [`--obj=${path}`, '--no-inlines', '--functions=none'], { input: addrs.map((a) => `0x${a.toString(16)}`).join('\n'), encoding: 'utf8' });
    const theirs = r.stdout.split('\n').filter((l) => l !== '');
    expect(theirs.length).toBe(addrs.length);
    const ours = addrs.map((a) => {
      const l = syms.lineForAddress(a);
      return l ? `${l.file}:${l.line}:${l.column}` : '??:0:0';
    });
    expect(ours).toEqual(theirs);
  });

  it('marks exactly the is_stmt row addresses as statement starts', () => {
    const stmts = new Set(objdumpLines(path).filter((r) => r.isStmt && r.line !== undefined).map((r) => r.address));
    for (const a of textAddresses(syms)) expect(syms.isStatementStart(a), `0x${a.toString(16)}`).toBe(stmts.has(a));
  });

  it('gives line ranges that hold one line and stop where it changes', () => {
    const key = (a: number) => {
      const l = syms.lineForAddress(a);
      return l ? `${l.file}:${l.line}` : undefined;
    };
    for (const a of textAddresses(syms)) {
      const range = syms.lineRange(a);
      if (key(a) === undefined) continue;
      expect(range, `0x${a.toString(16)}`).toBeDefined();
      const [start, end] = range!;
      expect(start <= a && a < end).toBe(true);
      for (let x = start; x < end; x++) expect(key(x)).toBe(key(a));
      expect(key(start - 1) === key(a) && syms.lineRange(start - 1)?.[1] === start).toBe(false);
      expect(key(end) === key(a) && syms.lineRange(end)?.[0] === end).toBe(false);
    }
  });

  it('resolves a breakpoint on a line without code to the next line with code', () => {
    const blank = markerLine('prog.c', 'blank');
    const after = markerLine('prog.c', 'after-blank');
    expect(syms.addressesForLine(PROG, blank)).toEqual([]);
    const r = syms.resolveBreakpoint(PROG, blank);
    expect(r).toEqual({ line: after, addresses: [expect.any(Number)] });
    if ('addresses' in r) expect(syms.lineForAddress(r.addresses[0]!)).toMatchObject({ file: PROG, line: after });
  });

  it('puts one breakpoint address per function on a loop header with several pieces', () => {
    const loop = markerLine('prog.c', 'loop');
    const all = syms.addressesForLine(PROG, loop);
    const r = syms.resolveBreakpoint(PROG, loop);
    expect('addresses' in r && r.line === loop).toBe(true);
    if (!('addresses' in r)) return;
    expect(r.addresses).toEqual([Math.min(...all)]);
    if (variant.name.includes('O0')) expect(all.length).toBeGreaterThan(1); // init, test, increment
    expect(syms.functionAt(r.addresses[0]!)?.name).toBe('sum');
  });

  it('matches files by trailing path components when the absolute path differs', () => {
    const loop = markerLine('prog.c', 'loop');
    const exact = syms.addressesForLine(PROG, loop);
    expect(syms.addressesForLine('prog.c', loop)).toEqual(exact);
    expect(syms.addressesForLine('/elsewhere/checkout/fixtures/prog.c', loop)).toEqual(exact);
    expect(syms.resolveBreakpoint(join(FIXTURE_DIR, 'inc/util.h'), 1)).toMatchObject({ line: expect.any(Number) });
  });

  it('explains breakpoints it cannot place', () => {
    expect(syms.resolveBreakpoint('/nowhere/missing.c', 3)).toEqual({ reason: 'no line information for /nowhere/missing.c' });
    expect(syms.resolveBreakpoint(PROG, 100_000)).toEqual({ reason: `no code at or after line 100000 of ${PROG}` });
  });

  it('puts function breakpoints after the prologue, on a statement of the body', () => {
    for (const fn of syms.functions) {
      const at = syms.afterPrologue(fn);
      expect(at >= fn.lowPc && at < fn.highPc, fn.name).toBe(true);
      expect(syms.isStatementStart(at), fn.name).toBe(true);
      if (fn.frameBase === undefined) expect(at, fn.name).toBe(fn.lowPc); // assembly: first instruction
      else if (!variant.name.includes('Og')) expect(at, fn.name).toBeGreaterThan(fn.lowPc);
    }
  });

  // At -O0 gdb finds the same place by decoding the prologue; at -Og its instruction analysis
  // often gives up and stops at the entry, where the body's locals are not yet valid.
  it.skipIf(!hasGdb || variant.name.includes('Og'))('puts function breakpoints where gdb puts them', () => {
    const fns = syms.functions.filter((f) => f.name !== 'twice'); // two copies: gdb lists no address
    expect(fns.map((f) => syms.afterPrologue(f))).toEqual(gdbBreakAddresses(path, fns.map((f) => f.name)));
  });

  it('maps the assembly stubs by line too', () => {
    const stub = syms.functionAt(syms.functionNamed('trap_stub')?.lowPc ?? syms.elf.symbols.find((s) => s.name === 'trap_stub')!.value)!;
    expect(syms.lineForAddress(stub.start)).toMatchObject({ file: join(FIXTURE_DIR, 'stub.S') });
  });
});

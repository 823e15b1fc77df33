// The repository's own kernel and user programs, when they have been built (make -C samples):
// the same outside-truth checks as the fixtures, over every ELF found in samples/build.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSymbols } from '../../../adapter/symbols/index.js';
import { gdbBreakAddresses, objdumpLines, readelfSymbols } from './binutils.js';
import { REPO_ROOT, hasTool, sampleElves } from './toolchain.js';

const elves = sampleElves();
const symbolizer = ['llvm-symbolizer', 'llvm-symbolizer-14'].find(hasTool);
const hasGdb = hasTool('gdb');

if (elves.length === 0) {
  console.log('samples/build has no ELF files yet (run make -C samples): skipping the checks on built samples');
}

describe.skipIf(elves.length === 0)('built samples', () => {
  it.each(elves.map((p) => [relative(REPO_ROOT, p), p]))('%s: line table, functions and addresses match binutils', (_name, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const syms = loadSymbols(bytes, path);

    // Every line-table row, as objdump decodes it.
    const ours = syms.lines.rows.map((r) => ({
      file: basename(r.file),
      line: r.endSequence ? undefined : r.line,
      address: r.address,
      isStmt: r.endSequence ? false : r.isStmt,
    }));
    expect(ours).toEqual(objdumpLines(path));

    // Every DWARF function is an STT_FUNC symbol with the same range, and every sized
    // STT_FUNC symbol is found by functionAt with its own range.
    const funcs = readelfSymbols(path).filter((s) => s.type === 'FUNC' && s.size > 0);
    for (const f of syms.functions) {
      if (f.ranges.length !== 1) continue;
      expect(funcs.some((s) => s.name === f.name && s.value === f.lowPc && s.size === f.highPc - f.lowPc), `${f.name} at 0x${f.lowPc.toString(16)}`).toBe(true);
    }
    for (const s of funcs) {
      const aliases = funcs.filter((o) => o.value === s.value).map((o) => o.name);
      const at = syms.functionAt(s.value);
      expect(at, s.name).toBeDefined();
      expect(aliases, s.name).toContain(at!.name);
      expect([at!.start, at!.end], s.name).toEqual([s.value, s.value + s.size]);
    }

    // Function breakpoints go where gdb puts them (the samples are built at -O0).
    if (hasGdb) {
      const unique = syms.functions.filter((f) => syms.functions.filter((g) => g.name === f.name).length === 1 && f.ranges.length === 1);
      expect(unique.map((f) => syms.afterPrologue(f))).toEqual(gdbBreakAddresses(path, unique.map((f) => f.name)));
    }

    // Every address of the code sections maps to the line llvm-symbolizer gives.
    if (symbolizer !== undefined) {
      const text = syms.elf.sections.filter((s) => (s.flags & 0x4) !== 0 && s.size > 0);
      const addrs = text.flatMap((s) => Array.from({ length: s.size }, (_, i) => s.addr + i));
      const r = spawnSync(symbolizer, [`--obj=${path}`, '--no-inlines', '--functions=none'], { input: addrs.map((a) => `0x${a.toString(16)}`).join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
      const theirs = r.stdout.split('\n').filter((l) => l !== '');
      const mine = addrs.map((a) => {
        const l = syms.lineForAddress(a);
        return l ? `${l.file}:${l.line}:${l.column}` : '??:0:0';
      });
      expect(mine).toEqual(theirs);
    }
  });
});

// An address that lies in no section of the ELF (readelf -S says so) holds none of its code or
// data, so symbolize() must not name it. The kernel's `_start = RELOC(entry)` sits in .text's
// section index at physical 0x10000c; taken as a label it named every address up to the
// kernel's first function (a kernel stack pointer showed as `_start+0xefefffb0`).
function sectionRanges(path: string): { start: number; end: number }[] {
  const out = spawnSync('readelf', ['-S', '-W', path], { encoding: 'utf8' }).stdout;
  const ranges: { start: number; end: number }[] = [];
  for (const m of out.matchAll(/^\s*\[\s*\d+\]\s+\S+\s+\S+\s+([0-9a-f]{8})\s+[0-9a-f]+\s+([0-9a-f]+)\s/gm)) {
    const start = parseInt(m[1]!, 16);
    if (start !== 0) ranges.push({ start, end: start + parseInt(m[2]!, 16) });
  }
  return ranges;
}

describe.skipIf(elves.length === 0)('built samples: addresses outside every section', () => {
  it.each(elves.map((p) => [relative(REPO_ROOT, p), p]))('%s: no name for an address in no section', (_name, path) => {
    const syms = loadSymbols(new Uint8Array(readFileSync(path)), path);
    const sections = sectionRanges(path);
    expect(sections.length).toBeGreaterThan(0);
    const probes = [0x00100010, 0x00500000, 0x10000000, 0x7fffffff, 0xeebfdff0, 0xefffffbc];
    for (const a of probes.filter((p) => !sections.some((s) => p >= s.start && p < s.end))) {
      expect(syms.symbolize(a), `0x${a.toString(16)}`).toBeUndefined();
    }
  });
});

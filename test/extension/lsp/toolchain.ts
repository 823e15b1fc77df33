// The outside truths for the language-server tests: GNU as/gcc, objdump, nm-style symbol tables and
// the DWARF line table of what they build. Nothing here uses the code under test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseObjdump, type ObjdumpLine } from '../../emulator/disasm/objdump.js';

export function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function withTempDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-lsp-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function withTempDirAsync<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-lsp-'));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** objdump -d of a file (one line per instruction, bytes included), symbol annotations normalised. */
export function disassemble(file: string, extra: string[] = []): ObjdumpLine[] {
  return parseObjdump(run('objdump', ['-d', '-w', '--insn-width=16', ...extra, file]));
}

/** `objdump -dr`'s view: each instruction with the symbol its relocation or branch target names. */
export interface CodeRef {
  addr: number;
  section: string;
  symbol: string;
}

/**
 * Symbols that instructions name, per objdump -dr: a relocation against a symbol (not a section),
 * or a branch whose target objdump labels exactly `<symbol>` (no +offset).
 */
export function codeReferences(file: string): CodeRef[] {
  const out: CodeRef[] = [];
  let section = '';
  let last: number | undefined;
  for (const line of run('objdump', ['-dr', '-w', file]).split('\n')) {
    const sec = /^Disassembly of section (\S+):/.exec(line);
    if (sec) section = sec[1];
    const insn = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
    if (insn) {
      last = parseInt(insn[1], 16);
      // With -w objdump appends the relocation to the instruction's line.
      const [text, ...relocs] = insn[2].split(/\t(?=[0-9a-f]+: R_386_)/);
      const target = /\s[0-9a-f]+ <([^+>]+)>\s*$/.exec(text);
      if (target && !relocs.length && !/^\.(text|data|bss)/.test(target[1])) out.push({ addr: last, section, symbol: target[1] });
      for (const r of relocs) {
        const sym = /R_386_\w+\s+(\S+)/.exec(r)?.[1];
        if (sym && !sym.startsWith('.')) out.push({ addr: last, section, symbol: sym });
      }
      continue;
    }
    const reloc = /^\s*[0-9a-f]+: R_386_\w+\s+(\S+)/.exec(line);
    if (reloc && last !== undefined && !reloc[1].startsWith('.')) out.push({ addr: last, section, symbol: reloc[1] });
  }
  return out;
}

export interface SymbolEntry {
  name: string;
  value: number;
  /** objdump -t's scope letter: 'l' local, 'g' global, 'w' weak ('!' both). */
  scope: string;
  section: string;
  isFunction: boolean;
}

/** The symbols an object file defines, from `objdump -t` (sections, files and undefined left out). */
export function definedSymbols(obj: string): SymbolEntry[] {
  const out: SymbolEntry[] = [];
  for (const line of run('objdump', ['-t', '-w', obj]).split('\n')) {
    // "00000000 g     F .text	00000000 divide_error": 7 flag columns, then section, tab, size, name.
    const m = /^([0-9a-f]{8}) (.{7}) (\S+)\t[0-9a-f]+\s+(\S+)$/.exec(line);
    if (!m) continue;
    const [, value, flags, section, name] = m;
    // Flag columns: scope, weak, constructor, warning, indirect, debugging (d: section symbols), type.
    if (section === '*UND*' || flags[5] === 'd' || flags[6] === 'f') continue;
    // Common symbols (.comm) print with a blank scope but are global.
    const scope = section === '*COM*' ? 'g' : flags[0] === ' ' ? (flags[1] === 'w' ? 'w' : 'l') : flags[0];
    out.push({ name, value: parseInt(value, 16), scope: flags[1] === 'w' ? 'w' : scope, section, isFunction: flags[6] === 'F' });
  }
  return out;
}

export interface LineRow {
  file: string;
  line: number;
  addr: number;
}

/** The DWARF line table (readelf's decoded form): which source line each address comes from. */
export function lineTable(file: string): LineRow[] {
  const out: LineRow[] = [];
  for (const l of run('readelf', ['--debug-dump=decodedline', '-W', file]).split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+(0x[0-9a-f]+|\d+)(\s|$)/.exec(l);
    if (m) out.push({ file: m[1], line: Number(m[2]), addr: Number(m[3]) });
  }
  return out;
}

/** The row covering `addr`: the last one at or below it (rows start address ranges), same file set. */
export function rowAt(rows: readonly LineRow[], addr: number): LineRow | undefined {
  let best: LineRow | undefined;
  for (const r of rows) if (r.addr <= addr && (!best || r.addr >= best.addr)) best = r;
  return best;
}

/** Assembles AT&T source text with `as --32 -g` and returns the object path (in `dir`). */
export function assemble(dir: string, name: string, source: string): string {
  const src = join(dir, name + '.s');
  const obj = join(dir, name + '.o');
  writeFileSync(src, source);
  run('as', ['--32', '-g', '-o', obj, src]);
  return obj;
}

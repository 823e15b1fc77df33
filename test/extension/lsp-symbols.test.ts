// Go to definition, references and the outline against the assembler's and linker's view: the
// symbol table (objdump -t), relocations and branch targets (objdump -dr), and the DWARF line
// table of the samples' own assembly files, assembled here with the samples' flags; then a
// three-file program linked with ld, and the kernel's C objects that call into assembly.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Location } from 'vscode-languageserver';
import { LspClient, ROOT, uriOf } from './lsp/client.js';
import { codeReferences, definedSymbols, lineTable, type LineRow, rowAt, run, withTempDir, withTempDirAsync } from './lsp/toolchain.js';

const SAMPLES = join(ROOT, 'samples');
const ASM_DIRS = ['kernel', 'kernel/tests', 'user', 'user/lib'].map((d) => join(SAMPLES, d));
const ASM_FILES = ASM_DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.S')).map((f) => join(d, f)));
/** The include folders of samples/Makefile's kernel and user rules. */
const INCLUDES = ['kernel', 'include', 'user/lib/include'].flatMap((d) => ['-I', join(SAMPLES, d)]);

const lineOf = (l: Location): string => `${basename(l.uri)}:${l.range.start.line + 1}`;
const wordAt = (text: string, word: string): number => {
  const m = new RegExp(`(?<![\\w.$])${word.replace(/[.$]/g, '\\$&')}(?![\\w.$])`).exec(text);
  return m ? m.index : -1;
};

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start([SAMPLES]);
});
afterAll(async () => {
  await client?.stop();
});

describe('language server on the samples\' assembly files', () => {
  it('finds the samples\' assembly files', () => {
    expect(ASM_FILES.map((f) => f.slice(SAMPLES.length + 1)).sort()).toEqual(expect.arrayContaining([
      'kernel/entry.S', 'kernel/trapentry.S', 'kernel/usercopy.S', 'user/hello_asm.S', 'user/lib/crt0.S', 'user/lib/sysenter.S',
    ]));
  });

  for (const file of ASM_FILES) {
    const name = file.slice(SAMPLES.length + 1);
    it(`${name}: no diagnostics; outline = symbol table; definitions and references = objdump -dr + DWARF`, async () => {
      const text = readFileSync(file, 'utf8');
      const src = text.split('\n');
      const uri = uriOf(file);
      await client.open(uri, text);
      expect(await client.diagnostics(uri), 'the samples run on the emulator').toEqual([]);

      const { symbols, rows, refs } = withTempDir((dir) => {
        const obj = join(dir, 'x.o');
        run('gcc', ['-m32', '-g', '-c', '-D__ASSEMBLER__', ...INCLUDES, '-I', dirname(file), '-o', obj, file]);
        return { symbols: definedSymbols(obj), rows: lineTable(obj).filter((r) => r.file === basename(file)), refs: codeReferences(obj) };
      });

      // Outline: exactly the symbols the assembler puts in the table, global where it says so.
      const outline = await client.documentSymbols(uri);
      expect(outline.map((s) => s.name).sort()).toEqual([...new Set(symbols.map((s) => s.name))].sort());
      const defLine = new Map<string, number>();
      for (const s of symbols) {
        const o = outline.find((x) => x.name === s.name)!;
        expect(o.detail?.startsWith('global'), `${s.name} global?`).toBe(s.scope === 'g' || s.scope === 'w');
        const L = o.selectionRange.start.line;
        defLine.set(s.name, L);
        // The name is written there (what grep -n finds) ...
        expect(src[L].slice(o.selectionRange.start.character, o.selectionRange.end.character), `${s.name} at line ${L + 1}`).toBe(s.name);
        // ... and for code, no instruction lies between it and the instruction at its address.
        if (s.section !== '.text') continue;
        const at = rows.filter((r) => r.addr === s.value).map((r) => r.line);
        if (at.length === 0) continue;
        const D = Math.min(...at);
        expect(L + 1, `${s.name}: label line vs DWARF line ${D}`).toBeLessThanOrEqual(D);
        expect(rows.filter((r) => r.line > L + 1 && r.line < D).map((r) => r.line), `${s.name}: code between label and address`).toEqual([]);
      }

      // Every symbol an instruction names (relocation or branch target) is a reference the server
      // knows, on the instruction's line or inside the macro that line invokes; definitions agree.
      let checked = 0;
      for (const r of refs.filter((x) => x.section === '.text')) {
        const row = rowAt(rows, r.addr);
        if (!row) continue;
        const line = row.line - 1;
        const found = await client.references(uri, ...position(src, line, r.symbol, defLine));
        const col = wordAt(src[line], r.symbol);
        if (col >= 0) {
          expect(found.map(lineOf), `${r.symbol} referenced at ${name}:${line + 1}`).toContain(`${basename(file)}:${line + 1}`);
          const defs = await client.definition(uri, line, col + 1);
          const own = defLine.get(r.symbol);
          if (own !== undefined) expect(defs.map(lineOf), `definition of ${r.symbol}`).toEqual([`${basename(file)}:${own + 1}`]);
          else expect(defs.every((d) => !d.uri.endsWith(basename(file))), `${r.symbol} is not defined in ${name}`).toBe(true);
        } else {
          // From a macro expansion: the reference is written in the macro's #define.
          const macro = /^\s*([A-Za-z_]\w*)\s*\(/.exec(src[line])?.[1];
          expect(macro, `${name}:${line + 1} names ${r.symbol} without writing it: a macro`).toBeDefined();
          const first = src.findIndex((l) => new RegExp(`^\\s*#\\s*define\\s+${macro}\\b`).test(l));
          let last = first;
          while (/\\\s*$/.test(src[last])) last++;
          expect(found.some((f) => f.uri === uri && f.range.start.line >= first && f.range.start.line <= last), `${r.symbol} in #define ${macro}`).toBe(true);
        }
        checked++;
      }
      console.info(`lsp ${name}: ${symbols.length} symbols, ${checked} code references checked`);
    });
  }
});

/** A position to ask about `symbol` from: its definition if this file has one, else the reference line. */
function position(src: readonly string[], line: number, symbol: string, defs: Map<string, number>): [number, number] {
  const d = defs.get(symbol);
  if (d !== undefined) return [d, wordAt(src[d], symbol) + 1];
  const col = wordAt(src[line], symbol);
  if (col >= 0) return [line, col + 1];
  const any = src.findIndex((l) => wordAt(l, symbol) >= 0);
  return [any, wordAt(src[any], symbol) + 1];
}

describe('language server across files: a program linked by ld', () => {
  const files: Record<string, string> = {
    'a.S': ['\t.text', '\t.globl\tshared', '\t.type\tshared, @function', 'shared:', '\tmovl\t$1, %eax', '\tret', 'local1:', '\tret', ''].join('\n'),
    'b.S': ['#define ENTRY(name) .globl name; name:', '\t.text', 'ENTRY(_start)', '\tcall\tshared', '\tjmp\tlocal1', 'local1:', '\tcall\tshared', '1:\tjmp\t1b', ''].join('\n'),
    'c.s': ['\t.text', '\t.globl\tother', 'other:', '\tcall\tshared', 'local1: jmp local1', '\tjmp\t_start', ''].join('\n'),
  };

  it('each call and jump goes to the definition the linker picked', async () => {
    await withTempDirAsync(async (dir) => {
      for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
      const objs = Object.keys(files).map((f) => {
        const o = join(dir, f.replace(/\.[sS]$/, '.o'));
        run('gcc', ['-m32', '-g', '-c', '-o', o, join(dir, f)]);
        return o;
      });
      const prog = join(dir, 'prog');
      run('ld', ['-m', 'elf_i386', '-o', prog, ...objs]);
      const rows = lineTable(prog);
      const at = (addr: number): LineRow | undefined => rows.find((r) => r.addr === addr);
      const lsp = await LspClient.start([dir]);
      try {
        let checked = 0;
        for (const l of run('objdump', ['-d', '-w', prog]).split('\n')) {
          const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(call|jmp)\s+([0-9a-f]+) <([^+>]+)>$/.exec(l);
          if (!m) continue;
          const from = at(parseInt(m[1], 16));
          const to = at(parseInt(m[3], 16));
          if (!from || !to) continue;
          const symbol = m[4];
          const src = files[from.file].split('\n');
          const col = wordAt(src[from.line - 1], symbol);
          if (col < 0) continue; // a numeric label (1b): objdump names the enclosing symbol
          const defs = await lsp.definition(uriOf(join(dir, from.file)), from.line - 1, col + 1);
          expect(defs.length, `${from.file}:${from.line} ${symbol}`).toBe(1);
          const d = defs[0];
          expect(basename(d.uri), `${from.file}:${from.line} ${symbol} -> ${to.file}:${to.line}`).toBe(to.file);
          const target = files[to.file].split('\n');
          expect(d.range.start.line + 1).toBeLessThanOrEqual(to.line);
          expect(target[d.range.start.line].slice(d.range.start.character, d.range.end.character)).toBe(symbol);
          checked++;
        }
        expect(checked).toBeGreaterThanOrEqual(6);
        // `1b` is the nearest `1:` before it: the jump's own line, as objdump's target says.
        const b = files['b.S'].split('\n');
        const loop = b.findIndex((x) => x.startsWith('1:'));
        const local = await lsp.definition(uriOf(join(dir, 'b.S')), loop, b[loop].indexOf('1b') + 1);
        expect(local.map((x) => x.range.start.line)).toEqual([loop]);
        // shared: one definition, referenced from b.S (twice) and c.s, declared twice in a.S.
        const refs = await lsp.references(uriOf(join(dir, 'a.S')), 3, 1, true);
        expect(refs.map(lineOf).sort()).toEqual(['a.S:2', 'a.S:3', 'a.S:4', 'b.S:4', 'b.S:7', 'c.s:4']);
        const ws = await lsp.workspaceSymbols('local1');
        expect(ws.map((s) => basename(s.location.uri)).sort()).toEqual(['a.S', 'b.S', 'c.s']);
      } finally {
        await lsp.stop();
      }
    });
  });
});

describe('language server: C code that calls into the kernel\'s assembly', () => {
  it('references of an assembly entry point include the C lines that relocate against it', async () => {
    const kernelObjs = readdirSync(join(SAMPLES, 'build', 'kernel')).filter((f) => f.endsWith('.o')).map((f) => join(SAMPLES, 'build', 'kernel', f));
    const trapentry = join(SAMPLES, 'kernel', 'trapentry.S');
    const src = readFileSync(trapentry, 'utf8').split('\n');
    let checked = 0;
    for (const obj of kernelObjs) {
      if (obj.endsWith('trapentry.o') || obj.endsWith('entry.o') || obj.endsWith('usercopy.o')) continue;
      const rows = lineTable(obj);
      for (const r of codeReferences(obj)) {
        const def = src.findIndex((l) => new RegExp(`^\\s*\\.globl\\s+${r.symbol}\\s*$`).test(l));
        if (def < 0) continue; // not one of trapentry.S's globals
        const row = rowAt(rows, r.addr);
        if (!row || !row.file.endsWith('.c')) continue;
        const refs = await client.references(uriOf(trapentry), def, src[def].indexOf(r.symbol) + 1, false);
        expect(refs.map(lineOf), `${r.symbol} used by ${row.file}:${row.line}`).toContain(`${row.file}:${row.line}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    console.info(`lsp: ${checked} C references to trapentry.S symbols checked`);
  });
});

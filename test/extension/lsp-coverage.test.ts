// The assembly language server against GNU objdump and gas: every instruction objdump prints for
// the built kernel and samples, for random instructions of every opcode-table entry, and every
// line of the gas corpus the disassembler test assembles, must hover with the emulator's docs and
// carry no diagnostic, while what the emulator's decoder does not know must be flagged.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../emulator/machine.js';
import { tableKnows } from '../emulator/disasm/compare.js';
import { corpusSource } from '../emulator/disasm/corpus.js';
import { dumpBinary, type ObjdumpLine } from '../emulator/disasm/objdump.js';
import { randomCode, SLOT } from '../emulator/disasm/random.js';
import { LspClient, ROOT, uriOf } from './lsp/client.js';
import { documentOf, INDENT, mnemonicOf, registersOf } from './lsp/listing.js';
import { assemble, disassemble, lineTable, withTempDir } from './lsp/toolchain.js';

const BUILD = join(ROOT, 'samples', 'build');

function builtBinaries(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...builtBinaries(p));
    else if (/\.(elf|o)$/.test(e)) out.push(p);
  }
  return out;
}

/** What a hover over an implemented instruction must say: the table's docs, ring 3, flags. */
function expectInstructionDocs(hover: string | undefined, what: string): void {
  expect(hover, what).toBeDefined();
  expect(hover, what).toContain('**Ring 3:**');
  expect(hover, what).toContain('**Flags:**');
  expect(hover, what).toContain('**Forms**');
  expect(hover, what).toContain('opcode table');
}

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start([join(ROOT, 'samples')]);
});
afterAll(async () => {
  await client?.stop();
});

/** Hovers the mnemonic and every register of the first line of each distinct mnemonic. */
async function hoverEachMnemonic(uri: string, lines: readonly ObjdumpLine[], known: (l: ObjdumpLine) => boolean): Promise<Set<string>> {
  const seen = new Set<string>();
  const regs = new Set<string>();
  for (const [k, l] of lines.entries()) {
    const m = mnemonicOf(l.text);
    if (!m || !known(l)) continue;
    if (!seen.has(m.text)) {
      seen.add(m.text);
      expectInstructionDocs(await client.hover(uri, k, INDENT + m.start + 1), `${l.text} (line ${k + 1})`);
    }
    for (const r of registersOf(l.text)) {
      if (regs.has(r.text)) continue;
      regs.add(r.text);
      const h = await client.hover(uri, k, INDENT + r.start + 1);
      expect(h, `register ${r.text} in ${l.text}`).toBeDefined();
      expect(h, `register ${r.text} in ${l.text}`).toMatch(/register|Not a register/);
    }
  }
  return seen;
}

describe('language server: objdump of the built kernel and samples', () => {
  it('hovers every mnemonic objdump prints, with no diagnostics', async () => {
    expect(existsSync(join(BUILD, 'kernel', 'kernel.elf')), 'run make -C samples').toBe(true);
    const lines = builtBinaries(BUILD).flatMap((f) => disassemble(f));
    // They run on the emulator, so its decoder knows every one (checked here, not assumed).
    expect(lines.filter((l) => !tableKnows(l.bytes)).map((l) => l.text)).toEqual([]);
    const distinct = [...new Map(lines.map((l) => [l.text, l])).values()];
    const uri = uriOf(join(ROOT, 'test-results', 'lsp', 'objdump-samples.S'));
    await client.open(uri, documentOf(distinct));
    expect(await client.diagnostics(uri)).toEqual([]);
    const mnemonics = await hoverEachMnemonic(uri, distinct, () => true);
    console.info(`lsp: ${mnemonics.size} distinct mnemonics in ${distinct.length} distinct instructions of the built samples: ${[...mnemonics].sort().join(' ')}`);
    expect(mnemonics.size).toBeGreaterThan(50);
  });
});

describe('language server: random instructions of every opcode-table entry (objdump spelling)', () => {
  for (const seed of [11, 23, 47]) {
    it(`seed ${seed}: implemented ones hover clean, the rest are flagged as not implemented`, async () => {
      const m = new Machine({ memory: 16 << 20 });
      const base = 0x100000;
      const { code, count } = randomCode(m, base, 12, seed);
      const lines = dumpBinary(code, base).filter((l) => (l.addr - base) % SLOT === 0);
      expect(lines.length).toBe(count);
      const uri = uriOf(join(ROOT, 'test-results', 'lsp', `random-${seed}.s`));
      await client.open(uri, documentOf(lines));
      const diags = await client.diagnostics(uri);
      const byLine = new Map(diags.map((d) => [d.range.start.line, d]));
      let flagged = 0;
      lines.forEach((l, k) => {
        const mn = mnemonicOf(l.text);
        const d = byLine.get(k);
        if (!mn) {
          expect(d, `${l.text}`).toBeUndefined(); // (bad): nothing to say
        } else if (!tableKnows(l.bytes)) {
          // Objdump knows an instruction the decoder does not: the emulator raises #UD on it.
          flagged++;
          expect(d?.code, `${l.text} should be flagged`).toBe('not-implemented');
          expect(d?.range, l.text).toEqual({ start: { line: k, character: INDENT + mn.start }, end: { line: k, character: INDENT + mn.end } });
        } else if (mn.text === 'tzcnt' || mn.text === 'lzcnt') {
          expect(d?.code, l.text).toBe('runs-differently'); // F3 0F BC/BD: the decoder runs bsf/bsr
        } else {
          expect(d, `${l.text} is implemented`).toBeUndefined();
        }
      });
      const mnemonics = await hoverEachMnemonic(uri, lines, (l) => tableKnows(l.bytes));
      console.info(`lsp random seed ${seed}: ${lines.length} instructions, ${mnemonics.size} implemented spellings hovered, ${flagged} flagged not implemented`);
    });
  }
});

describe('language server: the gas corpus of the disassembler test (gas spellings and aliases)', () => {
  it('every line gas assembles into a known opcode is clean; hovers for every spelling', async () => {
    const source = corpusSource();
    const { rows, listing } = withTempDir((dir) => {
      const obj = assemble(dir, 'corpus', source);
      return { rows: lineTable(obj), listing: disassemble(obj) };
    });
    const byAddr = new Map(listing.map((l) => [l.addr, l]));
    // Source line (1-based) -> the bytes gas made of it, from the DWARF line table.
    const bytesOfLine = new Map<number, number[]>();
    for (const r of rows) {
      const l = byAddr.get(r.addr);
      if (l && !bytesOfLine.has(r.line)) bytesOfLine.set(r.line, l.bytes);
    }
    const uri = uriOf(join(ROOT, 'test-results', 'lsp', 'corpus.s'));
    await client.open(uri, source);
    const diags = await client.diagnostics(uri);
    const src = source.split('\n');
    let checked = 0;
    const spellings = new Map<string, number>();
    for (const [line, bytes] of bytesOfLine) {
      const text = src[line - 1];
      if (/^\s*\./.test(text)) continue; // .byte and friends: directives
      checked++;
      const d = diags.filter((x) => x.range.start.line === line - 1);
      if (tableKnows(bytes)) expect(d, text).toEqual([]);
      else expect(d.map((x) => x.code), text).toEqual(['not-implemented']);
      const word = /^\s*(?:\{\w+\}\s*)*([a-z][a-z0-9]*)/.exec(text);
      if (word && !spellings.has(word[1])) spellings.set(word[1], line - 1);
    }
    expect(checked).toBeGreaterThan(5000);
    for (const [word, line] of spellings) {
      const col = src[line].indexOf(word);
      const h = await client.hover(uri, line, col + 1);
      expect(h, `${src[line]}`).toBeDefined();
      expect(h, src[line]).toMatch(/opcode table|prefix/);
    }
    console.info(`lsp corpus: ${checked} instruction lines, ${spellings.size} distinct first words hovered`);
  });
});

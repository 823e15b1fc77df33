// What is not an instruction is never flagged, and what gas rejects as an unknown instruction is:
// a file full of comments, preprocessor lines, macros and directives that gcc assembles cleanly
// gets no diagnostic; the same file with misspelt mnemonics gets an error on exactly the lines gas
// reports "no such instruction" (or a bad suffix) for.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { LspClient, ROOT, uriOf } from './lsp/client.js';
import { definedSymbols, run, withTempDirAsync } from './lsp/toolchain.js';

const FIXTURES = join(ROOT, 'test', 'extension', 'lsp', 'fixtures');
const CLEAN = readFileSync(join(FIXTURES, 'clean.S'), 'utf8');

/** gcc's verdict on a .S file: the lines gas reports an error on (cpp keeps the line numbers). */
function gasErrorLines(dir: string, name: string, text: string): number[] {
  const src = join(dir, name);
  writeFileSync(src, text);
  try {
    run('gcc', ['-m32', '-c', '-o', join(dir, 'out.o'), src]);
    return [];
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? e);
    return [...new Set([...stderr.matchAll(new RegExp(`${name}:(\\d+): Error:`, 'g'))].map((m) => Number(m[1]) - 1))].sort((a, b) => a - b);
  }
}

describe('language server: directives, labels, macros, preprocessor lines and comments', () => {
  it('a file gcc assembles cleanly gets no diagnostics; its outline is the symbol table', async () => {
    await withTempDirAsync(async (dir) => {
      copyFileSync(join(FIXTURES, 'defs.h'), join(dir, 'defs.h'));
      expect(gasErrorLines(dir, 'clean.S', CLEAN)).toEqual([]);
      const symbols = definedSymbols(join(dir, 'out.o'));
      const lsp = await LspClient.start([dir]);
      try {
        const uri = uriOf(join(dir, 'clean.S'));
        await lsp.open(uri, CLEAN);
        expect(await lsp.diagnostics(uri)).toEqual([]);
        const outline = await lsp.documentSymbols(uri);
        expect(outline.map((s) => s.name).sort()).toEqual(symbols.map((s) => s.name).sort());
        for (const s of symbols) {
          expect(outline.find((o) => o.name === s.name)?.detail?.startsWith('global'), s.name).toBe(s.scope === 'g');
        }
      } finally {
        await lsp.stop();
      }
    });
  });

  it('misspelt mnemonics: errors on exactly the lines gas rejects', async () => {
    await withTempDirAsync(async (dir) => {
      copyFileSync(join(FIXTURES, 'defs.h'), join(dir, 'defs.h'));
      const lines = CLEAN.split('\n');
      const at = lines.findIndex((l) => l.startsWith('ENTRY(start)')) + 1;
      // Unknown words, a suffix gas refuses in 32-bit code, a misspelt macro; and an x87
      // instruction gas accepts (a warning from the server, not an error).
      lines.splice(at, 0, '\tmvol\t%eax, %ebx', '\tjmpp\t1f', '\tpushq\t%eax', '\tSAVE_AL', '\tfoo', '\tfldl\t(%eax)', '\tmovl\t%eax, %ebx');
      const text = lines.join('\n');
      const gas = gasErrorLines(dir, 'typos.S', text);
      expect(gas.length).toBe(5);
      const lsp = await LspClient.start([dir]);
      try {
        const uri = uriOf(join(dir, 'typos.S'));
        await lsp.open(uri, text);
        const diags = await lsp.diagnostics(uri);
        const errors = diags.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => d.range.start.line).sort((a, b) => a - b);
        expect(errors).toEqual(gas);
        const warnings = diags.filter((d) => d.severity === DiagnosticSeverity.Warning);
        expect(warnings.map((d) => [d.range.start.line, d.code])).toEqual([[at + 5, 'not-implemented']]);
      } finally {
        await lsp.stop();
      }
    });
  });
});

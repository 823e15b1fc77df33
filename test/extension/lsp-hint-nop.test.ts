// The language server on code built as Ubuntu's gcc builds it (-fcf-protection: endbr32 at every
// function, notrack on switch jumps) and on the other hint NOPs the emulator runs (prefetch, MPX,
// rdsspd): gcc's own assembly output gets no diagnostic and endbr32 hovers with the table's docs;
// of the spellings below, exactly those gas rejects are flagged.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { LspClient, uriOf } from './lsp/client.js';
import { run, withTempDir } from './lsp/toolchain.js';

const PROGRAM = `
typedef int (*op_fn)(int, int);
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
int apply(op_fn f, int a, int b) { return f(a, b); }
int pick(int k, int a, int b) {
  switch (k) { case 0: return a; case 1: return b; case 2: return a * b; case 3: return a ^ b; case 4: return a | b; case 5: return a & b; default: return apply(k & 1 ? add : sub, a, b); }
}
`;

/** gcc -S output of PROGRAM with -fcf-protection=full (checked to assemble). */
function gccAssembly(): string {
  return withTempDir((dir) => {
    const src = join(dir, 'cet.c');
    writeFileSync(src, PROGRAM);
    const flags = ['-m32', '-O2', '-fno-pic', '-fcf-protection=full', '-fno-asynchronous-unwind-tables'];
    run('gcc', [...flags, '-S', '-o', join(dir, 'cet.s'), src]);
    run('gcc', ['-m32', '-c', '-o', join(dir, 'cet.o'), join(dir, 'cet.s')]);
    return readFileSync(join(dir, 'cet.s'), 'utf8');
  });
}

/** Lines (0-based) of `lines` that gas reports an error for. */
function gasErrorLines(lines: readonly string[]): number[] {
  return withTempDir((dir) => {
    const src = join(dir, 'spellings.s');
    writeFileSync(src, lines.join('\n') + '\n');
    try {
      run('as', ['--32', '-o', join(dir, 'spellings.o'), src]);
      return [];
    } catch (e) {
      const stderr = String((e as { stderr?: string }).stderr ?? e);
      return [...new Set([...stderr.matchAll(/spellings\.s:(\d+): Error:/g)].map((m) => Number(m[1]) - 1))].sort((a, b) => a - b);
    }
  });
}

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start([]);
});
afterAll(async () => {
  await client?.stop();
});

describe('language server: hint NOPs (endbr32, prefetch, MPX)', () => {
  it('gcc -fcf-protection=full output: no diagnostics, and endbr32 hovers with the opcode table\'s docs', async () => {
    const text = gccAssembly();
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^\s*endbr32\s*$/.test(l));
    expect(at, 'gcc emitted endbr32').toBeGreaterThanOrEqual(0);
    expect(text, 'gcc emitted a notrack jump through the switch table').toMatch(/notrack jmp/);
    const uri = uriOf('/tmp/ringside-lsp-cet/cet.s');
    await client.open(uri, text);
    expect(await client.diagnostics(uri)).toEqual([]);
    const hover = await client.hover(uri, at, lines[at].indexOf('endbr32') + 2);
    expect(hover).toBeDefined();
    console.info(`lsp endbr32 hover:\n${hover}`);
    for (const part of ['ENDBR32', '**Ring 3:**', '**Flags:**', '**Forms**', 'opcode table', 'F3 0F 1E FB', 'CET']) expect(hover).toContain(part);
  });

  it('flags exactly the spellings gas rejects', async () => {
    const lines = [
      'endbr32', 'endbr64', 'rdsspd %eax', 'prefetchnta (%eax)', 'prefetcht2 0x10(%ebx)', 'cldemote (%ecx)',
      'bndcl (%eax),%bnd0', 'bndmov %bnd1,%bnd2', 'bndldx (%eax,%ecx),%bnd3', 'nopl 0x4(%esi)',
      'endbr32l', 'rdsspdl %eax', 'bndcll (%eax),%bnd0', 'prefetchntal (%eax)', 'bndmkl (%eax),%bnd1',
    ].map((l) => '\t' + l);
    const gas = gasErrorLines(lines);
    expect(gas.length, 'gas rejects some of them').toBeGreaterThan(0);
    const uri = uriOf('/tmp/ringside-lsp-cet/spellings.s');
    await client.open(uri, lines.join('\n') + '\n');
    const diags = await client.diagnostics(uri);
    const errors = diags.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => d.range.start.line).sort((a, b) => a - b);
    expect(errors).toEqual(gas);
    expect(diags.filter((d) => d.severity !== DiagnosticSeverity.Error)).toEqual([]);
    const bnd = await client.hover(uri, 7, lines[7].indexOf('%bnd1') + 2);
    expect(bnd).toMatch(/bound register/);
  });
});

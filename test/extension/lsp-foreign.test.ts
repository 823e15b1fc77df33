// Instructions the emulator does not implement: gcc's x87 and SSE code, compiled at test time,
// must be flagged at the mnemonic, and each flagged instruction really raises #UD on the emulator
// in ring 3. The server's list of such names is checked against gas: each must be a real mnemonic.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignNames } from '../../extension/lsp/server/isa/foreign.js';
import { tableKnows } from '../emulator/disasm/compare.js';
import type { ObjdumpLine } from '../emulator/disasm/objdump.js';
import { LspClient, ROOT, uriOf } from './lsp/client.js';
import { documentOf, INDENT, mnemonicOf } from './lsp/listing.js';
import { runOnEmulator } from './lsp/ring3.js';
import { disassemble, run, withTempDir } from './lsp/toolchain.js';

const FLOAT_PROGRAM = `
double sum(const double *v, int n) { double s = 0; for (int i = 0; i < n; i++) s += v[i] * v[i]; return s; }
float scale(float x, float y) { return x < y ? x * y : x / y; }
long long to_int(double d) { return (long long)d + (int)(d * 3.0f); }
unsigned to_unsigned(double d) { return (unsigned)d; }
double mix(double a, int b, float c) { return a / b - c + (a > c ? a : c); }
double absolute(double a) { return __builtin_fabs(a) + __builtin_sqrt(a); }
`;

/** gcc's code for the program with the given floating-point flags, as objdump lists it. */
function compile(flags: string[]): ObjdumpLine[] {
  return withTempDir((dir) => {
    const src = join(dir, 'fp.c');
    const obj = join(dir, 'fp.o');
    writeFileSync(src, FLOAT_PROGRAM);
    run('gcc', ['-m32', '-O2', '-fno-pic', '-fcf-protection=none', ...flags, '-c', '-o', obj, src]);
    return disassemble(obj);
  });
}

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start([]);
});
afterAll(async () => {
  await client?.stop();
});

describe('language server: x87 and SSE code from gcc', () => {
  for (const [name, flags] of [['x87', ['-mfpmath=387']], ['sse2', ['-msse2', '-mfpmath=sse']]] as const) {
    it(`gcc -m32 -O2 ${flags.join(' ')}: every instruction the decoder lacks is flagged, and raises #UD on the emulator`, async () => {
      const lines = compile([...flags]);
      const foreign = lines.filter((l) => !tableKnows(l.bytes));
      expect(foreign.length, 'the program must produce floating-point instructions').toBeGreaterThan(5);
      const uri = uriOf(join(ROOT, 'test-results', 'lsp', `fp-${name}.s`));
      await client.open(uri, documentOf(lines));
      const diags = await client.diagnostics(uri);
      const byLine = new Map(diags.map((d) => [d.range.start.line, d]));
      expect(diags.length).toBe(foreign.length);
      const names = new Set<string>();
      lines.forEach((l, k) => {
        const d = byLine.get(k);
        if (tableKnows(l.bytes)) {
          expect(d, `${l.text} is implemented`).toBeUndefined();
          return;
        }
        const m = mnemonicOf(l.text)!;
        names.add(m.text);
        expect(d, `${l.text} must be flagged`).toBeDefined();
        expect(d!.code).toBe('not-implemented');
        expect(d!.message).toContain('not implemented by the Ringside emulator');
        expect(d!.message).toContain('#UD');
        expect(d!.range).toEqual({ start: { line: k, character: INDENT + m.start }, end: { line: k, character: INDENT + m.end } });
      });
      // What the diagnostic claims, on the machine itself: one of each flagged instruction in ring 3.
      const samples = [...new Map(foreign.map((l) => [mnemonicOf(l.text)!.text, l])).values()];
      const cases = samples.map((l, k) => ({ name: `f${k}`, insn: l.text }));
      const outcomes = runOnEmulator(cases);
      for (const c of cases) expect(outcomes.get(c.name), c.insn).toEqual({ kind: 'trap', vector: 6, errorCode: 0 });
      console.info(`lsp ${name}: ${foreign.length} of ${lines.length} instructions flagged (${[...names].sort().join(' ')}), all #UD on the emulator`);
    });
  }
});

describe('language server: its list of unimplemented instructions', () => {
  it('names only instructions gas knows', () => {
    const names = foreignNames();
    /** gas's complaints about each line of `lines`, by line number (1-based). */
    const complaints = (lines: string[]): Map<number, string> => withTempDir((dir) => {
      const src = join(dir, 'names.s');
      writeFileSync(src, lines.join('\n') + '\n');
      let stderr = '';
      try {
        run('as', ['--32', '-o', join(dir, 'names.o'), src]);
      } catch (e) {
        stderr = String((e as { stderr?: string }).stderr ?? e);
      }
      return new Map([...stderr.matchAll(/:(\d+): Error: (.*)/g)].map((m) => [Number(m[1]), m[2]]));
    });
    // Bare names: a missing operand is fine (the name is an instruction), an unknown name is not.
    const bare = complaints(names);
    const unknown = names.filter((_, k) => /no such instruction/.test(bare.get(k + 1) ?? ''));
    expect(unknown).toEqual([]);
    // A size suffix (fadds, fildll) needs a memory operand to be accepted.
    const suffixed = names.filter((_, k) => /invalid instruction suffix/.test(bare.get(k + 1) ?? ''));
    const withMemory = complaints(suffixed.map((n) => `${n} (%eax)`));
    expect(suffixed.filter((_, k) => /no such instruction|invalid instruction suffix/.test(withMemory.get(k + 1) ?? ''))).toEqual([]);
    console.info(`lsp: ${names.length} unimplemented instruction spellings, all known to gas`);
  });
});

// Ordinary C compiled by gcc -m32 at several optimisation levels (hashes, sorts, big-number
// arithmetic, CRC32, 64-bit division through our own libgcc helpers, a jump table, recursion, bit
// tricks) runs natively on the host and in the emulator; the result words must be identical.
// Sources: test/emulator/differential/c/.
import { afterAll, describe, expect, it } from 'vitest';
import { buildCProgram, runCProgram } from './differential/compiled.js';
import { disassemble, makeTempDir, removeDir } from './differential/toolchain.js';

const dir = makeTempDir('ringside-cc-');
afterAll(() => removeDir(dir));

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

describe('compiled C runs as on the host CPU', () => {
  it.each(['-O0', '-O1', '-O2', '-Os'])('gcc -m32 %s', (opt) => {
    const elfPath = buildCProgram(dir, opt, 0x13572468);
    const r = runCProgram(elfPath);
    // The program's own check values: the CRC-32 of "123456789" is 0xcbf43926.
    expect(r.native).toContain(0xcbf43926);
    if (r.emulated === null) {
      let where = '';
      const eip = r.stop.kind === 'vector' ? r.stop.event.eip : r.stop.kind === 'breakpoint' || r.stop.kind === 'triple-fault' ? r.stop.eip : -1;
      if (eip >= 0) where = '\n' + disassemble(elfPath, Math.max(0, eip - 24), eip + 16);
      throw new Error(`the emulator did not reach done (${JSON.stringify(r.stop)}) after ${r.executed} instructions${where}`);
    }
    const first = r.native.findIndex((v, k) => r.emulated?.[k] !== v);
    if (first >= 0 || r.emulated.length !== r.native.length) {
      throw new Error(`results differ at word ${first}: native ${hex(r.native[first])}, emulator ${hex(r.emulated[first] ?? NaN)} ` +
        `(${r.native.length} native words, ${r.emulated.length} emulated)`);
    }
    expect(r.emulated).toEqual(r.native);
  });
});

// rep stos / rep movs, as kernels use them for memset, memcpy and page fills: long runs across
// page boundaries, every element size, odd alignments, overlapping ranges both ways, and the
// backwards direction, run natively on the host CPU and in the emulator. The final ECX/ESI/EDI of
// each instruction and CRCs of the buffer must be identical. (The emulator writes whole runs
// inside a page straight into RAM; this checks that it stays exactly the element-by-element
// instruction the host executes.) Source: test/emulator/differential/c/repstring.c.
import { afterAll, describe, expect, it } from 'vitest';
import { buildCProgram, runCProgram } from './differential/compiled.js';
import { makeTempDir, removeDir } from './differential/toolchain.js';

const dir = makeTempDir('ringside-rep-');
afterAll(() => removeDir(dir));

describe('rep stos / rep movs give what the host CPU gives', () => {
  it.each([0x2468ace1, 0x13579bdf, 0x0badf00d])('seed %i', (seed) => {
    const r = runCProgram(buildCProgram(dir, '-O2', seed, 'repstring'));
    expect(r.stop.kind).toBe('breakpoint');
    expect(r.native.length).toBeGreaterThan(900); // 300 operations x 3 registers, plus CRCs
    expect(r.emulated).toEqual(r.native);
  });
});

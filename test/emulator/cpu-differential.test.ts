// Differential test of the CPU against the host processor: random instruction sequences are built
// into a native 32-bit Linux program with gcc, run on the host, run from the same state in the
// emulator, and the final registers, EFLAGS (less undefined flags) and memory windows compared.
// Longer campaigns: npm run fuzz:cpu -- --cases N --seed S. Harness: test/emulator/differential/.
import { describe, expect, it } from 'vitest';
import { formatBatch, runBatch } from './differential/batch.js';
import { missingFlagInfo } from './differential/flags.js';

// Fixed seeds: a failure here reproduces exactly with the command its report prints.
const MIXED = [0x5eed0001, 0x5eed0002, 0x5eed0003, 0x5eed0004].map((seed) => ({ seed, name: '0x' + seed.toString(16), cases: 2000 }));

describe('CPU differential test against the host CPU', () => {
  for (const { seed, name, cases } of MIXED) {
    it(`mixed sequences, seed ${name}`, () => {
      const r = runBatch({ seed, cases });
      if (r.failures.length) throw new Error(formatBatch(r));
      // Four batches of at least 25,000 executed instructions: 100,000 in all.
      expect(r.executed).toBeGreaterThanOrEqual(25_000);
    });
  }

  it('single instructions from random states (failures name the instruction form)', () => {
    const r = runBatch({ seed: 0x5eed0100, cases: 2000, minItems: 1, maxItems: 1 });
    if (r.failures.length) throw new Error(formatBatch(r));
    expect(r.executed).toBeGreaterThanOrEqual(2000);
  });

  it('the opcode table says which flags each flag-writing instruction leaves undefined', () => {
    // The undefined-flag masks above come from the table's `flags` fields; a missing one would
    // make the comparison guess.
    expect(missingFlagInfo()).toEqual([]);
  });
});

// Determinism across snapshots on a real guest (the shared bench guest, SCALE=1): taking a
// snapshot changes nothing about the run, restoring one puts back every bit of machine state
// (registers, EFLAGS, all of RAM, the TLB, the devices), and running from it again gives exactly
// the same result, whatever the order in which snapshots are restored or released.
import { describe, expect, it } from 'vitest';
import type { MachineSnapshot } from '../../../emulator/machine.js';
import { BENCH_CHECKSUM, bootBench, observe, timed, type Observation } from './harness.js';

// Phase A (integer work) ends near 59 M instructions, phase B (memory traffic with paging) near
// 154 M, phase C (ring 3 <-> 0 round trips) near 157 M.
const IN_A = 30_000_000;
const IN_B = 80_000_000;
const LATE_B = 120_000_000;
const IN_C = 155_000_000;
const STRETCH = 1_500_000;

describe('snapshots of the bench guest', () => {
  it('taking a snapshot does not change the run', () => {
    const plain = bootBench();
    plain.run(IN_B);
    plain.run(STRETCH);
    const withSnapshot = bootBench();
    withSnapshot.run(IN_B);
    withSnapshot.snapshot();
    withSnapshot.run(STRETCH);
    expect(observe(withSnapshot)).toEqual(observe(plain));
  });

  it('restore puts back the exact state, and the run from it repeats exactly', () => {
    const rig = bootBench();
    rig.run(IN_B);
    const atSnapshot = observe(rig);
    const [s, takeMs] = timed(() => rig.snapshot());
    rig.run(STRETCH);
    const first = observe(rig);
    const written = rig.machine.snapshotStats().ram;
    expect(first.ram).not.toBe(atSnapshot.ram); // phase B writes memory: the test means something

    const [, restoreMs] = timed(() => rig.restore(s));
    expect(observe(rig)).toEqual(atSnapshot);
    rig.run(STRETCH);
    expect(observe(rig)).toEqual(first);

    // Again, and then once more from a restore straight after a restore.
    rig.restore(s);
    rig.restore(s);
    expect(observe(rig)).toEqual(atSnapshot);
    rig.run(STRETCH);
    expect(observe(rig)).toEqual(first);

    const stats = rig.machine.snapshotStats();
    console.log(
      `bench guest, ${STRETCH} instructions after a snapshot at ${IN_B}: snapshot ${takeMs.toFixed(2)} ms, ` +
        `restore ${restoreMs.toFixed(2)} ms; pages saved by first writes ${written.pagesSaved} ` +
        `(${(written.bytesCopied / 1024).toFixed(0)} KiB); after 3 restores: ${stats.ram.pagesRestored} pages restored, ` +
        `${(stats.ram.bytesCopied / 1024).toFixed(0)} KiB copied in all, ${(stats.ram.bytesHeld / 1024).toFixed(0)} KiB held`,
    );
  });

  it('several snapshots restore out of order, before and after releases', () => {
    const rig = bootBench();
    const points = [IN_A, IN_B, LATE_B, IN_C];
    const snaps: MachineSnapshot[] = [];
    const at: Observation[] = [];
    const after: Observation[] = [];
    const takeMs: number[] = [];
    for (const p of points) {
      rig.run(p - rig.machine.cpu.icount);
      at.push(observe(rig));
      const [s, ms] = timed(() => rig.snapshot());
      snaps.push(s);
      takeMs.push(ms);
      rig.run(STRETCH);
      after.push(observe(rig));
    }
    const check = (k: number): number => {
      const before = rig.machine.snapshotStats().ram.bytesCopied;
      const [, ms] = timed(() => rig.restore(snaps[k]!));
      expect(observe(rig), `state of snapshot ${k}`).toEqual(at[k]);
      rig.run(STRETCH);
      expect(observe(rig), `run from snapshot ${k}`).toEqual(after[k]);
      const copied = rig.machine.snapshotStats().ram.bytesCopied - before;
      console.log(`  restore #${k} (${points[k]}): ${ms.toFixed(2)} ms, ${(copied / 1024).toFixed(0)} KiB copied`);
      return ms;
    };
    console.log(`bench guest, snapshots at ${points.join(', ')}: taken in ${takeMs.map((t) => t.toFixed(2)).join(', ')} ms`);
    for (const k of [1, 0, 3, 2, 2, 0, 3]) check(k);
    const held = rig.machine.snapshotStats().ram.bytesHeld;
    rig.machine.release(snaps[1]!);
    for (const k of [0, 2, 3]) check(k);
    rig.machine.release(snaps[3]!);
    for (const k of [2, 0]) check(k);
    rig.machine.release(snaps[0]!);
    check(2);
    expect(() => rig.machine.restore(snaps[1]!)).toThrow(/unknown snapshot/);
    console.log(`  held ${(held / 1048576).toFixed(1)} MiB with 4 snapshots, ${(rig.machine.snapshotStats().ram.bytesHeld / 1048576).toFixed(1)} MiB with 1`);
    rig.machine.release(snaps[2]!);
    expect(rig.machine.snapshotStats()).toMatchObject({ snapshots: 0, ram: { layers: 0, pagesHeld: 0, bytesHeld: 0 } });
  });

  it('a restored guest runs to the end with the known checksum', () => {
    const rig = bootBench();
    rig.run(IN_B);
    const s = rig.snapshot();
    expect(rig.runToEnd()).toBe('debug-exit 33');
    const end = observe(rig);
    expect(end.output).toContain(`BENCH DONE ${BENCH_CHECKSUM}`);
    rig.restore(s);
    rig.machine.release(s);
    expect(rig.runToEnd()).toBe('debug-exit 33');
    expect(observe(rig)).toEqual(end);
  });
});

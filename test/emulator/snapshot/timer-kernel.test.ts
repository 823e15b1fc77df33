// Snapshots of a timer-interrupt-driven kernel: the system-test kernel's "pit" sub-test programs
// the 8254 (mode 2) and takes IRQ 0 through the 8259 in ring 0 and ring 3. What has to come back
// exactly here is device time: the PIT's counting sequence, the machine's scheduled event, the
// PIC's request and in-service bits, the CPU's INTR line and interrupt shadow.
import { describe, expect, it } from 'vitest';
import type { MachineSnapshot } from '../../../emulator/machine.js';
import { bootSystemKernel, observe, timed, type Observation } from './harness.js';

/** The sub-test's IRQs come between about 2.41 M and 2.54 M instructions, one every 16,800. */
const FIRST = 2_380_000;
const LAST = 2_560_000;
/** Not a divisor of the timer period, so snapshots land at every phase of it. */
const CHUNK = 7_919;

describe('snapshots of a timer-driven kernel', () => {
  it('restores every phase of the timer, in any order, and the run repeats exactly', () => {
    const rig = bootSystemKernel('pit');
    rig.run(FIRST);
    const snaps: MachineSnapshot[] = [];
    const at: Observation[] = [];
    const after: Observation[] = [];
    while (rig.machine.cpu.icount < LAST) {
      at.push(observe(rig));
      snaps.push(rig.snapshot());
      rig.run(CHUNK);
      after.push(observe(rig));
    }
    // The stretches really contain timer interrupts (and the kernel's own PIT programming).
    expect(after.at(-1)!.vectors - at[0]!.vectors).toBeGreaterThanOrEqual(8);
    expect(new Set(at.map((o) => JSON.stringify((o.devices as { pit: unknown }).pit))).size).toBe(at.length);

    // Every snapshot twice, in a fixed shuffled order (so also back to back and far apart).
    let seed = 12345;
    const order = [...snaps.keys(), ...snaps.keys()];
    for (let k = order.length - 1; k > 0; k--) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const j = seed % (k + 1);
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    const times: number[] = [];
    for (const k of order) {
      const [, ms] = timed(() => rig.restore(snaps[k]!));
      times.push(ms);
      expect(observe(rig), `state of snapshot ${k}`).toEqual(at[k]);
      rig.run(CHUNK);
      expect(observe(rig), `run from snapshot ${k}`).toEqual(after[k]);
    }
    const stats = rig.machine.snapshotStats().ram;
    console.log(
      `timer kernel: ${snaps.length} snapshots, ${order.length} restores, median restore ${times.sort((a, b) => a - b)[times.length >> 1]!.toFixed(2)} ms, ` +
        `${stats.pagesHeld} pages held (${(stats.bytesHeld / 1024).toFixed(0)} KiB), ${(stats.bytesCopied / 1024).toFixed(0)} KiB copied in all`,
    );
  });

  it('a restore before the interrupts replays the whole sub-test with the same vectors and output', () => {
    const rig = bootSystemKernel('pit');
    rig.run(FIRST);
    const s = rig.snapshot();
    expect(rig.runToEnd()).toBe('debug-exit 1');
    const end = observe(rig);
    const vectors = rig.events.map((e) => ({ ...e }));
    expect(end.output).toContain('IRQ 0 unmasked, IF=1: nonzero (at least 5: yes)');
    rig.restore(s);
    expect(rig.runToEnd()).toBe('debug-exit 1');
    expect(observe(rig)).toEqual(end);
    expect(rig.events).toEqual(vectors);
  });

  it('a snapshot taken while the vector hook holds IRQ 0 pending delivers it after a restore', () => {
    const rig = bootSystemKernel('pit');
    const m = rig.machine;
    rig.run(FIRST);
    const hook = m.cpu.vectorHook!;
    m.cpu.vectorHook = (e) => hook(e) || e.vector === 0x20;
    const stop = m.run(1_000_000);
    expect(stop.kind).toBe('vector');
    expect(m.cpu.pendingVector?.vector).toBe(0x20);
    const atStop = observe(rig);
    const s = rig.snapshot();
    m.cpu.vectorHook = hook;
    rig.run(50_000);
    const resumed = observe(rig);
    expect(m.cpu.pendingVector).toBeNull();

    rig.restore(s);
    expect(m.cpu.pendingVector?.vector).toBe(0x20);
    expect(observe(rig)).toEqual(atStop);
    rig.run(50_000);
    expect(observe(rig)).toEqual(resumed);
  });
});

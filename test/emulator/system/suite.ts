// One vitest test per sub-test: Ringside's COM1 output must equal QEMU's byte for byte (when
// QEMU is installed) and the expected text written from the SDM (always). QEMU runs for a whole
// file start together in beforeAll, in parallel with the Ringside runs.
import { beforeAll, describe, expect, it } from 'vitest';
import type { StopReason } from '../../../emulator/machine.js';
import { buildSystemKernel, type BuiltKernel } from './build.js';
import { runOurs, type OurRun, type RunOptions } from './run-ours.js';
import { qemuAvailable, runQemu, type QemuRun } from './run-qemu.js';

export interface SystemCase {
  /** The sub-test (kernels/tests.c) and the test's title. */
  test: string;
  title: string;
  /** COM1 output from the SDM, without the "== name" / "== done" lines the runtime adds. */
  expected: string;
  /** How the run ends: a debug exit with status 1 (exit code 0), or a triple fault. */
  ends?: 'exit' | 'triple-fault';
  run?: RunOptions;
  /** Further checks on Ringside's run (vector events, machine state). */
  check?: (run: OurRun, kernel: BuiltKernel) => void;
}

/** Dedents a template literal and drops its first and last (blank) lines. */
export function lines(text: string): string {
  const all = text.split('\n');
  const body = all.slice(1, all.length - 1);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return body.map((l) => l.slice(indent)).join('\n') + '\n';
}

function framed(c: SystemCase): string {
  const head = `== ${c.test}\n`;
  return c.ends === 'triple-fault' ? head + c.expected : `${head}${c.expected}== done\n`;
}

function checkStop(stop: StopReason, c: SystemCase): void {
  if (c.ends === 'triple-fault') expect(stop.kind, JSON.stringify(stop)).toBe('triple-fault');
  else expect(stop, 'Ringside stop reason').toEqual({ kind: 'debug-exit', status: 1 });
}

export function systemSuite(name: string, cases: SystemCase[]): void {
  describe(name, () => {
    let kernel: BuiltKernel;
    const qemu = new Map<string, Promise<QemuRun>>();
    beforeAll(() => {
      kernel = buildSystemKernel();
      if (qemuAvailable) for (const c of cases) qemu.set(c.test, runQemu(kernel.path, c.test));
    });

    for (const c of cases) {
      it(`${c.test}: ${c.title}`, async () => {
        const ours = runOurs(kernel, c.test, c.run);
        const want = framed(c);
        if (qemuAvailable) {
          const q = await qemu.get(c.test)!;
          expect(q.timedOut, 'QEMU timed out').toBe(false);
          // Checks the expected text itself: the SDM reading and the reference agree.
          expect.soft(q.output, 'QEMU vs the expected (SDM) output').toBe(want);
          expect.soft(q.exitCode, 'QEMU exit status').toBe(c.ends === 'triple-fault' ? 0 : 1);
          expect(ours.output, 'Ringside vs QEMU, byte for byte').toBe(q.output);
        } else {
          expect(ours.output, 'Ringside vs the expected (SDM) output').toBe(want);
        }
        checkStop(ours.stop, c);
        c.check?.(ours, kernel);
      });
    }
  });
}

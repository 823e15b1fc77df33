// `npm run bench`: speed figures for the notes, never a pass/fail test. Runs the shared bench guest
// (../shared/bench-guest) on the emulator, per phase, then again with 100 breakpoints and 2
// watchpoints on addresses the guest never touches, then a device-heavy phase (local APIC timer
// interrupts at a high rate), then on QEMU when it is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine } from '../../emulator/machine.js';
import { attachStandardDevices } from '../../emulator/pc.js';
import { loadMultiboot } from '../../emulator/loader/multiboot.js';
import { dapLatencies } from './dap-latency.js';
import { buildPlatformKernel } from '../emulator/platform/build.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const SCALE = Number(process.env.BENCH_SCALE ?? 10);
/** Checksums the guest prints, known from QEMU, Bochs and v86 (../shared/bench-guest/README.md). */
const KNOWN_CHECKSUM: Record<number, string> = { 10: '46ef48e9', 1: 'ee559da9' };

interface PhaseTiming {
  label: string;
  instructions: number;
  seconds: number;
}

function buildGuest(): string {
  const src = resolve(repo, '..', 'shared', 'bench-guest');
  if (!existsSync(join(src, 'build.sh'))) throw new Error(`bench guest not found at ${src}`);
  const dir = mkdtempSync(join(tmpdir(), 'ringside-bench-'));
  cpSync(src, dir, { recursive: true });
  execFileSync('bash', ['build.sh', String(SCALE)], { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
  return join(dir, `bench_s${SCALE}.elf`);
}

/** Boots the guest and times each phase from the moment its result line is printed. */
function runOnEmulator(elf: string, withDebugHooks: boolean): { phases: PhaseTiming[]; output: string; total: PhaseTiming } {
  const m = new Machine({ memory: 64 << 20 });
  const dev = attachStandardDevices(m);
  loadMultiboot(m, new Uint8Array(readFileSync(elf)), 'bench', []);
  if (withDebugHooks) {
    const bps = Array.from({ length: 100 }, (_, k) => ({ address: 0x3000000 + k * 0x40 }));
    m.setBreakpoints(bps);
    m.cpu.watch.set([
      { id: 1, address: 0x3800000, length: 4, space: 'linear', kind: 'write' },
      { id: 2, address: 0x3900000, length: 4, space: 'physical', kind: 'access' },
    ]);
  }
  const phases: PhaseTiming[] = [];
  let output = '';
  let line = '';
  let markTime = performance.now();
  let markCount = 0;
  dev.com1.onTransmit = (b) => {
    output += String.fromCharCode(b);
    if (b !== 10) {
      line += String.fromCharCode(b);
      return;
    }
    const now = performance.now();
    const label = line.split('=')[0].trim();
    if (/^[ABC] /.test(line)) {
      phases.push({ label, instructions: m.cpu.icount - markCount, seconds: (now - markTime) / 1000 });
    }
    markTime = now;
    markCount = m.cpu.icount;
    line = '';
  };
  const t0 = performance.now();
  for (;;) {
    const r = m.run(1e9);
    if (r.kind === 'budget') continue;
    if (r.kind !== 'debug-exit') throw new Error(`bench guest stopped: ${JSON.stringify(r)}`);
    break;
  }
  const total = { label: 'whole guest', instructions: m.cpu.icount, seconds: (performance.now() - t0) / 1000 };
  return { phases, output, total };
}

function qemuSeconds(elf: string): number | null {
  const probe = spawnSync('qemu-system-i386', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const t0 = performance.now();
  const r = spawnSync('qemu-system-i386', ['-kernel', elf, '-display', 'none', '-serial', 'stdio', '-m', '64',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'], { encoding: 'utf8', timeout: 300_000 });
  const seconds = (performance.now() - t0) / 1000;
  if (!r.stdout.includes('BENCH DONE')) return null;
  return seconds;
}

const mips = (p: PhaseTiming): string => (p.instructions / p.seconds / 1e6).toFixed(1);

/**
 * Device-heavy phase: the platform test kernel in bench mode (test/emulator/platform/kernel)
 * runs 25 million iterations of integer work with the local APIC timer interrupting every 2000
 * instructions, each interrupt through the IDT, the handler and an EOI written to the APIC's
 * MMIO page. Measures MIPS and delivered interrupts per second.
 */
function lapicTimerPhase(): { instructions: number; seconds: number; interrupts: number } {
  const m = new Machine({ memory: 32 << 20 });
  const dev = attachStandardDevices(m);
  let output = '';
  dev.com1.onTransmit = (b) => (output += String.fromCharCode(b));
  loadMultiboot(m, buildPlatformKernel().bytes, 'platform', [], { cmdline: 'bench' });
  const t0 = performance.now();
  const r = m.run(1e9);
  const seconds = (performance.now() - t0) / 1000;
  const interrupts = Number(/bench: (\d+) timer interrupts/.exec(output)?.[1]);
  if (r.kind !== 'debug-exit' || !Number.isFinite(interrupts)) throw new Error(`platform bench stopped: ${JSON.stringify(r)} ${output}`);
  return { instructions: m.cpu.icount, seconds, interrupts };
}

async function main(): Promise<void> {
  console.log(`Ringside bench: ../shared/bench-guest, SCALE=${SCALE}`);
  const elf = buildGuest();
  try {
    const plain = runOnEmulator(elf, false);
    const done = /BENCH DONE ([0-9a-f]+)/.exec(plain.output)?.[1] ?? '(none)';
    const expect = KNOWN_CHECKSUM[SCALE];
    console.log(`checksum ${done}${expect ? (done === expect ? ' (matches QEMU/Bochs/v86)' : ` (EXPECTED ${expect})`) : ''}`);
    console.log('\nphase                   instructions     seconds     MIPS');
    for (const p of [...plain.phases, plain.total]) {
      console.log(`${p.label.padEnd(20)} ${String(p.instructions).padStart(15)} ${p.seconds.toFixed(2).padStart(11)} ${mips(p).padStart(8)}`);
    }
    const hooked = runOnEmulator(elf, true);
    const cost = (hooked.total.seconds / plain.total.seconds - 1) * 100;
    console.log(`\nwith 100 breakpoints + 2 watchpoints: ${mips(hooked.total)} MIPS (${cost >= 0 ? '+' : ''}${cost.toFixed(1)}% time)`);
    const lt = lapicTimerPhase();
    console.log(
      `\nlocal APIC timer every 2000 instructions (platform kernel, bench mode): ${(lt.instructions / lt.seconds / 1e6).toFixed(1)} MIPS, ` +
        `${Math.round(lt.interrupts / lt.seconds)} interrupts/s (${lt.interrupts} in ${lt.seconds.toFixed(2)} s)`,
    );
    const q = qemuSeconds(elf);
    if (q === null) console.log('\nqemu-system-i386 not installed (or failed): no comparison');
    else console.log(`\nQEMU (TCG) whole guest: ${q.toFixed(2)} s; Ringside/QEMU time ratio ${(plain.total.seconds / q).toFixed(1)}x`);
  } finally {
    rmSync(dirname(elf), { recursive: true, force: true });
  }
  console.log('\nDAP latencies (real adapter over stdio, hello sample):');
  try {
    for (const [what, ms] of await dapLatencies()) console.log(`  ${what.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
  } catch (e) {
    console.log(`  could not measure: ${(e as Error).message}`);
  }
}

await main();

// Runs one sub-test of the system-test kernel on qemu-system-i386 (the reference), with the
// command line of the brief: COM1 on stdout, isa-debug-exit at 0xf4, -no-reboot so a triple
// fault ends the process instead of rebooting.
import { spawn, spawnSync } from 'node:child_process';

export interface QemuRun {
  output: string;
  /** QEMU's exit status: (V << 1) | 1 after a debug exit with V; 0 after a triple fault. */
  exitCode: number | null;
  timedOut: boolean;
  stderr: string;
}

/** QEMU is used when installed, unless RINGSIDE_NO_QEMU=1 (to exercise the SDM-only path). */
export const qemuAvailable: boolean =
  process.env.RINGSIDE_NO_QEMU !== '1' && spawnSync('qemu-system-i386', ['--version'], { stdio: 'ignore' }).status === 0;

/** `extraArgs` go after the standard ones (e.g. a -drive for a disk). */
export function runQemu(kernelPath: string, test: string, timeoutMs = 60_000, extraArgs: readonly string[] = []): Promise<QemuRun> {
  const args = ['-kernel', kernelPath, '-append', test, '-display', 'none', '-serial', 'stdio', '-m', '32',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot', ...extraArgs];
  return new Promise((resolve, reject) => {
    const child = spawn('qemu-system-i386', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ output: Buffer.concat(out).toString('latin1'), exitCode: code, timedOut, stderr });
    });
  });
}

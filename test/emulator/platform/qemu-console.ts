// Runs a test kernel on qemu-system-i386 with COM1 on stdio and console input on stdin: the
// reference for what a kernel sees of its serial console. The input is written once `after`
// has appeared in the output (or at once without it), then stdin is closed.
//
// QEMU's stdout goes through a real pipe (`| cat`), not straight to the socket pair Node gives a
// child: QEMU writes COM1 a byte at a time without blocking, and when stdin is a pipe too, a busy
// test process lets that socket fill up (each byte costs a whole socket buffer entry) and QEMU's
// 16550 then drops bytes after a few retries. Without input, stdin is /dev/null, as in run-qemu.ts.
import { spawn } from 'node:child_process';
import type { QemuRun } from '../system/run-qemu.js';

export interface QemuConsoleOptions {
  /** Guest RAM in MiB (default 32, as the other QEMU comparisons). */
  memoryMiB?: number;
  input?: string;
  /** Output text to wait for before writing the input. */
  after?: string;
  timeoutMs?: number;
}

export function runQemuConsole(kernelPath: string, cmdline: string, opts: QemuConsoleOptions = {}): Promise<QemuRun> {
  const args = ['-kernel', kernelPath, '-append', cmdline, '-display', 'none', '-serial', 'stdio',
    '-m', String(opts.memoryMiB ?? 32), '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot'];
  return new Promise((resolve, reject) => {
    const withInput = opts.input !== undefined;
    const child = spawn('bash', ['-c', 'set -o pipefail; qemu-system-i386 "$@" | cat', 'bash', ...args], {
      stdio: [withInput ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: a timeout kills QEMU too, not only bash
    });
    const out: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    let sent = false;
    const send = (): void => {
      if (sent || !child.stdin) return;
      sent = true;
      child.stdin.write(opts.input);
      child.stdin.end();
    };
    child.stdin?.on('error', () => {}); // QEMU may be gone already (it then fails on its own)
    child.stdout!.on('data', (d: Buffer) => {
      out.push(d);
      if (opts.after !== undefined && Buffer.concat(out).toString('latin1').includes(opts.after)) send();
    });
    if (opts.after === undefined) send();
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ output: Buffer.concat(out).toString('latin1'), exitCode: code, timedOut, stderr });
    });
  });
}

// `ringside run`'s console input, as a user runs it: the compiled CLI in a child process with
// stdin a pipe (or, through python3's pty module, a terminal), on the compatibility test kernel
// (platform/compat-kernel), which echoes what it receives through COM1 or keyboard interrupts.
// The piped run is compared with qemu-system-i386 -serial stdio given the same pipe.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine, USAGE } from '../../emulator/cli/args.js';
import { makeTempDir, removeDir } from './multiboot-fixtures.js';
import { buildCompatKernel } from './platform/compat-build.js';
import { uartExpected } from './platform/compat-expected.js';
import { runQemuConsole } from './platform/qemu-console.js';
import { qemuAvailable } from './system/run-qemu.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'out', 'emulator', 'cli.js');
const dir = makeTempDir('ringside-cli-console-');
afterAll(() => removeDir(dir));

function newestSource(folder: string): number {
  let newest = 0;
  for (const e of readdirSync(folder, { withFileTypes: true })) {
    const p = join(folder, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

let kernel: string;
beforeAll(() => {
  kernel = buildCompatKernel().path;
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource(join(ROOT, 'emulator'))) return;
  // tsc exits non-zero on type errors anywhere in the tree but still writes its output.
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
  if (!existsSync(CLI)) throw new Error(`${CLI} was not built`);
});

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit status. */
  done: Promise<number | null>;
  /** Resolves once stdout contains `text` (rejects if the process ends first). */
  seen(text: string): Promise<void>;
}

/** The CLI with stdin a pipe: `input` is written at once; the pipe is closed unless keepOpen. */
function start(args: string[], input = '', keepOpen = false): Running {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('latin1');
    for (const w of watchers.filter((w) => out.includes(w.text))) w.resolve();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdin.write(input);
  if (!keepOpen) child.stdin.end();
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    seen: (text) =>
      new Promise<void>((resolve, reject) => {
        if (out.includes(text)) return resolve();
        watchers.push({ text, resolve });
        void done.then(() => reject(new Error(`exited before printing ${JSON.stringify(text)}; stdout: ${out}; stderr: ${err}`)));
      }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('options', () => {
  it('reads --stdin and --com1-irq, and explains bad values', () => {
    expect(parseCommandLine(['run', 'k.elf'])).toMatchObject({ options: { stdin: 'com1', com1Irq: 'qemu' } });
    expect(parseCommandLine(['run', 'k.elf', '--stdin', 'keyboard', '--com1-irq=out2'])).toMatchObject({
      options: { stdin: 'keyboard', com1Irq: 'out2' },
    });
    expect(() => parseCommandLine(['run', 'k.elf', '--stdin', 'mouse'])).toThrow('--stdin: "mouse" is not one of com1, keyboard, none');
    expect(() => parseCommandLine(['run', 'k.elf', '--com1-irq', 'yes'])).toThrow('--com1-irq: "yes" is not one of qemu, out2');
    expect(USAGE).toMatch(/Ctrl-A x ends the run/);
    expect(USAGE).toMatch(/--stdin WHERE/);
  });
});

describe('stdin from a pipe', () => {
  it('reaches the guest through COM1 receive interrupts (OUT2 clear) as on QEMU -serial stdio; the guest runs on after its end', async () => {
    const input = 'hello\nquit\n';
    const q = qemuAvailable ? runQemuConsole(kernel, 'uart-ioapic', { input }) : null;
    const r = start([kernel, '--cmdline', 'uart-ioapic'], input);
    expect(await r.done).toBe(1);
    expect(r.stderr()).toBe('');
    if (q) {
      const ref = await q;
      expect(ref.exitCode).toBe(1);
      expect(r.stdout(), 'Ringside vs QEMU with the same pipe').toBe(ref.output);
    }
    expect(r.stdout()).toBe(uartExpected('the I/O APIC'));
  });

  it('types on the 8042 keyboard with --stdin keyboard (IRQ 1 through the 8259A)', async () => {
    const r = start([kernel, '--cmdline', 'uart-pic kbd', '--stdin', 'keyboard'], 'hello world\nquit\n');
    expect(await r.done).toBe(1);
    expect(r.stdout()).toContain('"quit" ends\nhello world\nquit\nuart: 2 line(s), 17 byte(s) received, through interrupts: yes\n');
  });

  it('waits for input while the pipe is open; after its end, a guest waiting for an interrupt nothing can raise ends the run (status 2)', async () => {
    const r = start([kernel, '--cmdline', 'uart-pic hang'], 'quit\n', true);
    await r.seen('uart: waiting for interrupts\n');
    await sleep(500);
    expect(r.child.exitCode).toBeNull(); // still waiting for input
    r.child.stdin.write('more\n');
    await r.seen('waiting for interrupts\nmore\n');
    r.child.stdin.end();
    expect(await r.done).toBe(2);
    expect(r.stderr()).toMatch(/^ringside: the CPU halted waiting for an interrupt that nothing will raise \(no timer or device event pending, console input ended\) at 0008:/);
  });

  it('--stdin none does not read it; --com1-irq out2 gates COM1\'s IRQ with OUT2 (no interrupt for xv6-style setup)', async () => {
    const none = start([kernel, '--cmdline', 'uart-pic', '--stdin', 'none'], 'quit\n', true);
    expect(await none.done).toBe(2);
    expect(none.stderr()).toMatch(/console input not read\)/);
    const card = start([kernel, '--cmdline', 'uart-pic', '--com1-irq', 'out2'], 'quit\n');
    expect(await card.done).toBe(2);
    expect(card.stdout()).toContain('with MCR 00: taken 0 time(s)');
    expect(card.stdout()).not.toContain('quit\n');
  });
});

// python3's pty module gives the CLI a real terminal: raw mode, the escape key, the restore.
const PTY_SCRIPT = String.raw`
import os, pty, sys, time, termios, select, json
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
before = termios.tcgetattr(fd)
out = b''
def read_until(pat, timeout=60):
    global out
    end = time.time() + timeout
    while pat not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: out += os.read(fd, 4096)
            except OSError: break
read_until(b'"quit" ends')
during = termios.tcgetattr(fd)
os.write(fd, b'hi\x01h\x01\x01there\x03\rquit\r')
read_until(b'waiting for interrupts')
os.write(fd, b'\x01x')
_, status = os.waitpid(pid, 0)
try:
    while True:
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r: break
        out += os.read(fd, 4096)
except OSError: pass
after = termios.tcgetattr(fd)
print(json.dumps({'out': out.decode('latin1'), 'status': os.waitstatus_to_exitcode(status),
                  'rawDuring': not (during[3] & termios.ICANON) and not (during[3] & termios.ECHO),
                  'cookedBefore': bool(before[3] & termios.ICANON), 'restored': after == before}))
`;
const python = spawnSync('python3', ['-c', 'import pty, termios'], { stdio: 'ignore' }).status === 0;

describe('stdin from a terminal', () => {
  it.skipIf(!python)('is in raw mode while the guest runs (keys, ctrl-C included, go to it as typed), Ctrl-A x ends the run, the terminal is restored', () => {
    const script = join(dir, 'pty-run.py');
    writeFileSync(script, PTY_SCRIPT);
    const r = spawnSync('python3', [script, process.execPath, CLI, 'run', kernel, '--cmdline', 'uart-pic hang'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { out: string; status: number; rawDuring: boolean; cookedBefore: boolean; restored: boolean };
    const all = JSON.stringify(res);
    expect(res.cookedBefore, all).toBe(true);
    expect(res.rawDuring, all).toBe(true);
    expect(res.restored, all).toBe(true);
    expect(res.status, all).toBe(130);
    // Terminal output: newlines become CR LF. The guest echoed what it got: Ctrl-A h printed the
    // help (to stderr, the same terminal), Ctrl-A Ctrl-A sent one Ctrl-A, ctrl-C went through as 0x03.
    const out = res.out.replace(/\r\n/g, '\n');
    expect(out).toMatch(/^ringside: keys go to the guest's COM1; Ctrl-A x ends the run, Ctrl-A h for help\n/);
    expect(out).toContain('ringside console: Ctrl-A x  end the run');
    expect(out).toContain('hi\x01there\x03\nquit\nuart: 2 line(s), 15 byte(s) received');
    expect(out).toMatch(/uart: waiting for interrupts\n\nringside: ended \(Ctrl-A x\) at 0008:[0-9a-f]{8} after \d+ instructions\n$/);
  });
});

describe('memory and disks for xv6', () => {
  /** Resident memory of a CLI process that has booted the kernel and now waits for input. */
  async function residentKiB(memory: string): Promise<number> {
    const r = start([kernel, '--cmdline', 'uart-pic hang', '--memory', memory], 'quit\n', true);
    await r.seen('uart: waiting for interrupts\n');
    const status = readFileSync(`/proc/${r.child.pid}/status`, 'utf8');
    r.child.stdin.end();
    expect(await r.done).toBe(2);
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]);
  }

  it.skipIf(process.platform !== 'linux')('--memory 512M costs nothing until the guest touches it (resident size as with 32M)', async () => {
    const small = await residentKiB('32M');
    const large = await residentKiB('512M');
    // 512 MiB committed would be +524288 KiB; allow for the heap's noise.
    expect(large - small).toBeLessThan(48 * 1024);
  });

  it('says which disk image cannot be used, and why', () => {
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'run', kernel, ...args], { encoding: 'utf8', timeout: 60_000 });
    const folder = join(dir, 'a-folder.img');
    mkdirSync(folder, { recursive: true });
    const r1 = run(['--disk0', folder]);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toBe(`ringside: cannot read disk image ${folder}: is a directory\n`);
    const r2 = run(['--disk1', join(dir, 'fs.img')]);
    expect(r2.stderr).toBe(`ringside: cannot read disk image ${join(dir, 'fs.img')}: no such file\n`);
    // A partial last sector: run anyway (as QEMU does), but say that those bytes are not on the disk.
    const odd = join(dir, 'odd.img');
    writeFileSync(odd, new Uint8Array(1024 + 100));
    const r3 = run(['--disk0', odd, '--cmdline', 'memory']);
    expect(r3.status).toBe(1);
    expect(r3.stderr).toBe(
      `ringside: warning: disk image ${odd} is 1124 bytes, not a whole number of 512-byte sectors: its last 100 bytes are not on the disk\n`,
    );
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.img');
      writeFileSync(locked, new Uint8Array(512));
      chmodSync(locked, 0o000);
      expect(run(['--disk0', locked]).stderr).toBe(`ringside: cannot read disk image ${locked}: permission denied\n`);
    }
  });
});

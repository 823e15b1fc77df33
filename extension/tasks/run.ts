// Runs a build: first the check for a gcc that can target i386 (with advice when there is none),
// then make for the samples, or for one's own program the steps the samples' Makefile would
// take, with its own flags (asked from make, not copied): gcc -c, then ld with the linker script,
// crt0 and the C library. Every command is echoed, and its output streamed, to `out`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { toolchainAdvice, type HostInfo, type ToolchainAdvice } from '../model/toolchain.js';
import type { BuildRequest } from './plan.js';
import { BYTE_COLUMNS, detectI386Gcc } from './toolchain.js';

export type Output = (text: string) => void;

export interface BuildOptions {
  signal?: AbortSignal;
  /** The compiler the i386 check tries; default gcc (what the samples' Makefile uses). */
  cc?: string;
  /** Where to look for gcc's install instructions; default: this machine. */
  host?: HostInfo;
}

export interface BuildResult {
  code: number;
  toolchain: ToolchainAdvice;
}

export function thisHost(): HostInfo {
  let osRelease: string | undefined;
  try {
    osRelease = process.platform === 'linux' ? readFileSync('/etc/os-release', 'utf8') : undefined;
  } catch {
    osRelease = undefined; // no os-release: the advice falls back to the generic words
  }
  return { platform: process.platform, osRelease };
}

const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

/** Runs one command, its output streamed to `out`; resolves with its exit code. */
export function runCommand(cmd: string, args: readonly string[], cwd: string, out: Output, signal?: AbortSignal): Promise<number> {
  out(`$ ${[cmd, ...args].map(quote).join(' ')}\n`);
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], signal });
    child.stdout.on('data', (d: Buffer) => out(d.toString()));
    child.stderr.on('data', (d: Buffer) => out(d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => {
      out(e.name === 'AbortError' ? 'stopped\n' : `cannot run ${cmd}: ${e.message}\n`);
      done(127);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}

/** Runs a command and returns what it printed on stdout (for make's variables). */
function capture(cmd: string, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => done({ code: 127, stdout, stderr: e.message }));
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

const MAKE_VARIABLES = ['USER_CC', 'USER_LD', 'USER_CFLAGS', 'USER_ASFLAGS', 'USER_LDFLAGS', 'USER_CRT0', 'USER_LIBC'] as const;
type MakeVariables = Record<(typeof MAKE_VARIABLES)[number], string>;

/** The user-program variables of the samples' Makefile, as make itself expands them. */
export async function samplesMakeVariables(samplesDir: string): Promise<MakeVariables> {
  const recipe = `ringside-vars: ; $(foreach v,${MAKE_VARIABLES.join(' ')},$(info $(v)=$($(v))))@:`;
  const r = await capture('make', ['-s', '--no-print-directory', '-C', samplesDir, '--eval', recipe, 'ringside-vars'], samplesDir);
  if (r.code !== 0) throw new Error(`cannot read the samples' build flags from make: ${r.stderr.trim() || 'exit code ' + r.code}`);
  const vars: Partial<MakeVariables> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line);
    if (m && (MAKE_VARIABLES as readonly string[]).includes(m[1]!)) vars[m[1] as keyof MakeVariables] = m[2]!.trim();
  }
  const missing = MAKE_VARIABLES.filter((v) => vars[v] === undefined || vars[v] === '');
  if (missing.length) throw new Error(`the samples' Makefile does not define ${missing.join(', ')}`);
  return vars as MakeVariables;
}

/**
 * Flags written for the samples folder, made to work from anywhere: include directories and the
 * linker script become absolute (so gcc also names headers absolutely), and the dependency-file
 * flags go (they would leave .d files beside the user's program).
 */
export function flagsFor(flags: string, samplesDir: string): string[] {
  const words = flags.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(samplesDir, p));
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-MMD' || w === '-MP') continue;
    if ((w === '-isystem' || w === '-T' || w === '-I') && i + 1 < words.length) {
      out.push(w, abs(words[++i]!));
    } else if (w.startsWith('-I') && w.length > 2) out.push('-I' + abs(w.slice(2)));
    else out.push(w);
  }
  return out;
}

export async function runBuild(req: BuildRequest, out: Output, opts: BuildOptions = {}): Promise<BuildResult> {
  const check = await detectI386Gcc(opts.cc ?? 'gcc');
  const toolchain = toolchainAdvice(check, opts.host ?? thisHost());
  if (!toolchain.ok) {
    out(toolchain.detail.join('\n') + '\n');
    return { code: 1, toolchain };
  }
  out(`${toolchain.message}\n`);
  const columnFlags = check.ok && check.byteColumns ? [BYTE_COLUMNS] : [];
  if (req.kind === 'samples') {
    // The same build as `make -C samples`; the compilers only count error columns VS Code's way.
    const compilers = columnFlags.length ? [`CC=gcc ${BYTE_COLUMNS}`, `USER_CC=gcc ${BYTE_COLUMNS}`] : [];
    return { code: await runCommand('make', ['-C', req.samplesDir, ...compilers], req.samplesDir, out, opts.signal), toolchain };
  }

  let vars: MakeVariables;
  try {
    vars = await samplesMakeVariables(req.samplesDir);
  } catch (e) {
    out(`${(e as Error).message}\n`);
    return { code: 1, toolchain };
  }
  const dir = req.samplesDir;
  const objectFile = req.output.replace(/\.elf$/i, '') + '.o';
  const steps: Array<[string, string[]]> = [];
  if (req.language === 'c') {
    // crt0 and the C library, built by the samples' own rules when they are not yet.
    steps.push(['make', ['-s', '-C', dir, vars.USER_CRT0, vars.USER_LIBC]]);
    steps.push([vars.USER_CC, [...flagsFor(vars.USER_CFLAGS, dir), ...columnFlags, '-c', req.source, '-o', objectFile]]);
    steps.push([vars.USER_LD, [...flagsFor(vars.USER_LDFLAGS, dir), '-o', req.output, resolve(dir, vars.USER_CRT0), objectFile, resolve(dir, vars.USER_LIBC)]]);
  } else {
    // An assembly program brings its own _start and uses no library (like samples/user/hello_asm.S).
    steps.push([vars.USER_CC, [...flagsFor(vars.USER_ASFLAGS, dir), ...columnFlags, '-c', req.source, '-o', objectFile]]);
    steps.push([vars.USER_LD, [...flagsFor(vars.USER_LDFLAGS, dir), '-o', req.output, objectFile]]);
  }
  for (const [cmd, args] of steps) {
    const code = await runCommand(cmd, args, dir, out, opts.signal);
    if (code !== 0) return { code, toolchain };
  }
  out(`built ${req.output}\n`);
  return { code: 0, toolchain };
}

// Runs a few instructions at CPL 3 on two machines: the host CPU (a 32-bit Linux process catches
// the signal and reads the hardware trap number and error code from the signal frame) and the
// Ringside emulator (flat user segments, exceptions stopped before delivery). These are the truths
// the hovers' "Ring 3" lines are checked against.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESP, ECX, EDX, ESI, EDI } from '../../../emulator/cpu/regs.js';
import { enterUserMode, newGuest } from '../../emulator/differential/guest.js';
import { run, withTempDir } from './toolchain.js';

export interface Ring3Case {
  name: string;
  /** Instructions run first (register setup), AT&T. */
  setup?: string[];
  /** The instruction under test, AT&T. */
  insn: string;
}

export type Outcome = { kind: 'ok' } | { kind: 'trap'; vector: number; errorCode: number };

export function outcomeText(o: Outcome): string {
  return o.kind === 'ok' ? 'ok' : `vector ${o.vector} error ${o.errorCode}`;
}

const cString = (s: string): string => JSON.stringify(s.replaceAll('%', '%%'));

/** Runs every case on the host CPU in ring 3 (a 32-bit Linux process). */
export function runOnHost(cases: readonly Ring3Case[]): Map<string, Outcome> {
  const body = cases.map((c) => {
    const asm = ['sub $64,%esp', ...(c.setup ?? []), c.insn, 'add $64,%esp'].join('\n\t');
    return `  if (!sigsetjmp(jb, 1)) { asm volatile(${cString(asm)} ::: "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc"); printf("%s ok\\n", ${JSON.stringify(c.name)}); }\n` +
      `  else printf("%s trap %d %d\\n", ${JSON.stringify(c.name)}, trapno, err);`;
  }).join('\n');
  const program = `#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <ucontext.h>
static sigjmp_buf jb;
static volatile int trapno, err;
static void on_signal(int s, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  (void)s; (void)si;
  trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
  err = uc->uc_mcontext.gregs[REG_ERR];
  siglongjmp(jb, 1);
}
int main(void) {
  struct sigaction sa = { 0 };
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, 0); sigaction(SIGILL, &sa, 0); sigaction(SIGTRAP, &sa, 0);
  sigaction(SIGBUS, &sa, 0); sigaction(SIGFPE, &sa, 0);
  setvbuf(stdout, 0, _IONBF, 0);
${body}
  return 0;
}
`;
  return withTempDir((dir) => {
    const src = join(dir, 'ring3.c');
    const exe = join(dir, 'ring3');
    writeFileSync(src, program);
    run('gcc', ['-m32', '-O0', '-fno-pic', '-no-pie', '-o', exe, src]);
    const out = execFileSync(exe, { encoding: 'utf8' });
    const results = new Map<string, Outcome>();
    for (const line of out.trim().split('\n')) {
      const m = /^(\S+) (ok|trap (\d+) (-?\d+))$/.exec(line);
      if (!m) throw new Error(`unexpected host output: ${line}`);
      results.set(m[1], m[2] === 'ok' ? { kind: 'ok' } : { kind: 'trap', vector: Number(m[3]), errorCode: Number(m[4]) });
    }
    return results;
  });
}

const CODE = 0x300000;
const STACK_TOP = 0x3ff000;

/** Assembles each case (setup, then the instruction) into its own slot of a flat binary. */
function assembleCases(cases: readonly Ring3Case[]): { code: Uint8Array; starts: number[]; ends: number[] } {
  return withTempDir((dir) => {
    const src = cases.map((c, k) => [`c${k}:`, ...(c.setup ?? []), c.insn, `e${k}:`, 'nop'].join('\n')).join('\n');
    writeFileSync(join(dir, 'c.s'), `.text\n${src}\n`);
    run('as', ['--32', '-o', join(dir, 'c.o'), join(dir, 'c.s')]);
    run('objcopy', ['-O', 'binary', '--only-section=.text', join(dir, 'c.o'), join(dir, 'c.bin')]);
    const syms = new Map<string, number>();
    for (const l of run('nm', [join(dir, 'c.o')]).split('\n')) {
      const m = /^([0-9a-f]+) t ([ce]\d+)$/.exec(l);
      if (m) syms.set(m[2], parseInt(m[1], 16));
    }
    return {
      code: new Uint8Array(readFileSync(join(dir, 'c.bin'))),
      starts: cases.map((_, k) => syms.get(`c${k}`)!),
      ends: cases.map((_, k) => syms.get(`e${k}`)!),
    };
  });
}

/** Runs every case on the emulator at CPL 3 with the given IOPL (paging off, flat segments). */
export function runOnEmulator(cases: readonly Ring3Case[], iopl = 0): Map<string, Outcome> {
  const { code, starts, ends } = assembleCases(cases);
  const results = new Map<string, Outcome>();
  cases.forEach((c, k) => {
    const m = newGuest();
    // Linux's user selectors (ES CS SS DS FS GS): RPL 3, as a ring 3 program has them.
    enterUserMode(m, [0x2b, 0x23, 0x2b, 0x2b, 0x2b, 0x2b]);
    // As Linux sets its IDT: #BP, #OF and int $0x80 may be raised from ring 3 (gate DPL 3).
    for (const v of [3, 4, 0x80]) {
      const hi = m.cpu.idtBase + 8 * v + 4;
      m.mem.load(hi, Uint8Array.of(0x00, 0xee));
    }
    m.mem.load(CODE, code);
    const cpu = m.cpu;
    cpu.regs[ESP] = STACK_TOP;
    cpu.regs[ECX] = 0;
    cpu.regs[EDX] = 0x80;
    cpu.regs[ESI] = STACK_TOP - 0x100;
    cpu.regs[EDI] = STACK_TOP - 0x200;
    cpu.setEflags(0x202 | (iopl << 12));
    cpu.eip = CODE + starts[k];
    cpu.setBreakpoints([CODE + ends[k]]);
    const stop = m.run(100);
    if (stop.kind === 'breakpoint') results.set(c.name, { kind: 'ok' });
    else if (stop.kind === 'vector') results.set(c.name, { kind: 'trap', vector: stop.event.vector, errorCode: stop.event.errorCode < 0 ? 0 : stop.event.errorCode });
    else throw new Error(`${c.name}: the emulator stopped with ${JSON.stringify(stop)}`);
  });
  return results;
}

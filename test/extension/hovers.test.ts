// The trap-frame and address hovers against the REAL adapter, emulator and samples: the same
// lookups the VS Code hover providers run (extension/hovers/*-lookup.ts, through DAP requests),
// then the Markdown the hover shows. Expected values come from outside the code under test: the
// lecture's figures for kernel_write (seed 000: cr2 0xf0100064, err 0x7 [user, write,
// protection], eip 0x00800039, cs 0x1b), objdump/nm/addr2line on the built ELF, the kernel's own
// trap-frame printout (test/samples/expected/kernel_write.txt), and the Intel SDM's bit layouts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookUpAddress } from '../../extension/hovers/address-lookup.js';
import type { DapRequest } from '../../extension/hovers/dap.js';
import { hoverTargetAt, lookUpTrapFrame } from '../../extension/hovers/trapframe-lookup.js';
import { addressHoverMarkdown } from '../../extension/model/address-hover.js';
import { parseCommandLink } from '../../extension/model/markdown.js';
import { OPEN_SOURCE_COMMAND, trapFrameMarkdown, type TrapFrameView } from '../../extension/model/trapframe-hover.js';
import { kernelSource, launch, ROOT, sample, startClient, stoppedThread, userSource, whileStopping } from '../adapter/dap-helpers.js';

const TRAP_C = kernelSource('trap.c');
const TRAP_C_TEXT = readFileSync(TRAP_C, 'utf8');
const KERNEL_WRITE_ELF = sample('kernel_write');

/** The lecture's kernel_write trap frame (seed 000's printout). */
const SEED = { cr2: '0xf0100064', err: '0x00000007', errWords: '[user, write, protection]', eip: 0x00800039, cs: 0x1b };

function objdumpAddress(elf: string, re: RegExp): number {
  const line = execFileSync('objdump', ['-d', elf], { encoding: 'utf8' }).split('\n').find((l) => re.test(l));
  if (!line) throw new Error(`objdump: nothing matches ${re}`);
  return parseInt(line.trim().split(':')[0]!, 16);
}

/** The function nm places at `address` (the last text symbol at or below it). */
function nmFunctionAt(elf: string, address: number): string {
  const syms = execFileSync('nm', ['-n', elf], { encoding: 'utf8' }).split('\n')
    .map((l) => /^([0-9a-f]{8}) [tT] (\S+)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ addr: parseInt(m[1]!, 16), name: m[2]! }));
  return syms.filter((s) => s.addr <= address).at(-1)!.name;
}

function addr2line(elf: string, address: number): { file: string; line: number } {
  const [file, line] = execFileSync('addr2line', ['-e', elf, '0x' + address.toString(16)], { encoding: 'utf8' }).trim().split(':');
  return { file: file!, line: Number(line!.split(' ')[0]) };
}

/** Every position of the word `tf` in the code of function `fn` of trap.c (comments excluded by hand below). */
function tfPositionsIn(fn: string): Array<{ line: number; character: number; text: string }> {
  const lines = TRAP_C_TEXT.split('\n');
  const first = lines.findIndex((l) => l.startsWith(`${fn}(struct Trapframe *tf)`));
  expect(first, `trap.c defines ${fn}`).toBeGreaterThan(0);
  const last = lines.findIndex((l, i) => i > first && l === '}');
  const out: Array<{ line: number; character: number; text: string }> = [];
  for (let i = first; i <= last; i++) {
    for (const m of lines[i]!.matchAll(/\btf\b/g)) out.push({ line: i, character: m.index! + 1, text: lines[i]! });
  }
  return out;
}

/** The SDM's EFLAGS bits by name, for the bits a value has set. */
function eflagsNames(value: number): string[] {
  const bits: Array<[number, string]> = [[0, 'CF'], [2, 'PF'], [4, 'AF'], [6, 'ZF'], [7, 'SF'], [8, 'TF'], [9, 'IF'], [10, 'DF'], [11, 'OF']];
  return bits.filter(([b]) => (value >> b) & 1).map(([, n]) => n);
}

/** The kernel's own printout of kernel_write's trap frame: `  flag 0x00000246`. */
function kernelPrintedEflags(): number {
  const m = /^ {2}flag 0x([0-9a-f]{8})$/m.exec(readFileSync(`${ROOT}/test/samples/expected/kernel_write.txt`, 'utf8'));
  return parseInt(m![1]!, 16);
}

function expectSeedFrame(md: string, view: TrapFrameView): void {
  expect(md).toContain('14 (`0x0e`) Page Fault');
  // The error code in words, as the lecture prints it (brackets escaped for Markdown).
  expect(md).toContain(`\`${SEED.err}\` \\[user, write, protection\\]`);
  expect(md.replace(/\\/g, '')).toContain(SEED.errWords);
  expect(md).toContain(`\`${SEED.cr2}\``);
  const eipHex = '0x' + SEED.eip.toString(16).padStart(8, '0');
  // The lecture's eip is objdump's address of the faulting movb.
  expect(objdumpAddress(KERNEL_WRITE_ELF, /movb\s+\$0x21,0xf0100064/)).toBe(SEED.eip);
  expect(md).toContain(`\`${eipHex}\` in \`${nmFunctionAt(KERNEL_WRITE_ELF, SEED.eip)}\``);
  // The link opens the source line addr2line gives for eip.
  const link = parseCommandLink(md)!;
  const where = addr2line(KERNEL_WRITE_ELF, SEED.eip);
  expect(link.command).toBe(OPEN_SOURCE_COMMAND);
  expect(link.args).toEqual([userSource('kernel_write.c'), where.line]);
  expect(where.file).toBe(userSource('kernel_write.c'));
  expect(view.eipSource).toEqual({ path: userSource('kernel_write.c'), line: where.line });
  expect(md).toContain(`kernel\\_write\\.c:${where.line}`);
  expect(md).toContain(`from ring ${SEED.cs & 3} (user mode)`);
}

describe('hovers on kernel_write (real adapter)', () => {
  let dc: DebugClient;
  let dap: DapRequest;
  let threadId: number;

  beforeAll(async () => {
    dc = await startClient();
    dap = async (command, args) => (await dc.customRequest(command, args)).body;
    await launch(dc, { program: sample('kernel_write') }, () => dc.setExceptionBreakpointsRequest({ filters: ['#PF'] }));
    const stop = await stoppedThread(dc);
    expect(stop.description).toContain('cr2 0xf0100064');
    threadId = stop.threadId;
  });
  afterAll(async () => {
    await dc?.stop();
  });

  describe('stopped by the #PF filter, before the CPU delivers the fault', () => {
    it('hovering tf anywhere in trap() shows the frame about to be pushed, err 7 in words', async () => {
      const positions = tfPositionsIn('trap');
      expect(positions.length).toBeGreaterThanOrEqual(9);
      for (const p of positions) {
        const found = hoverTargetAt(TRAP_C_TEXT, TRAP_C, p.line, p.character, false);
        // Line 265 mentions curenv->env_tf inside a comment: no hover there.
        if (/^\s*\*/.test(p.text)) {
          expect(found, p.text).toBeUndefined();
          continue;
        }
        expect(found?.target.name, p.text).toBe('tf');
        const r = await lookUpTrapFrame(dap, found!.target, { threadId });
        expect(r.kind, p.text).toBe('trap-frame');
        if (r.kind !== 'trap-frame') continue;
        expect(r.view.state).toBe('pending');
        const md = trapFrameMarkdown(r.view)!;
        expectSeedFrame(md, r.view);
        expect(md).toContain('entering ring 0 (kernel mode)');
        // The adapter's own description of the stop heads the hover.
        expect(md.replace(/\\/g, '')).toContain('#PF page fault from ring 3: err 0x7 [user, write, protection], cr2 0xf0100064');
        // EFLAGS the CPU is about to push: the value the kernel prints, bit by bit as the SDM names them.
        const printed = kernelPrintedEflags();
        expect(md).toContain('`0x' + printed.toString(16).padStart(8, '0') + '`');
        for (const n of eflagsNames(printed)) expect(md).toMatch(new RegExp(`\\b${n}\\b`));
      }
    });

    it('a name that is not a trap frame gets no trap-frame hover', async () => {
      // `last_cr2` is a kernel global, not a Trapframe; `curenv` a struct Env pointer.
      for (const name of ['last_cr2', 'curenv']) {
        const line = TRAP_C_TEXT.split('\n').findIndex((l) => new RegExp(`\\b${name}\\b`).test(l) && !/^\s*(\/\*|\*)/.test(l));
        const character = TRAP_C_TEXT.split('\n')[line]!.search(new RegExp(`\\b${name}\\b`));
        const found = hoverTargetAt(TRAP_C_TEXT, TRAP_C, line, character, false)!;
        const r = await lookUpTrapFrame(dap, found.target, { threadId });
        expect(['value', 'none'], name).toContain(r.kind);
      }
    });

    it('address hover: ring 3 may not touch 0xf0100064, and the walk names the failing check', async () => {
      const r = await lookUpAddress(dap, 0xf0100064);
      expect(r.read.cpl).toBe(3);
      const md = addressHoverMarkdown({ literal: '0xf0100064', ...r });
      // PDE index = the address's top 10 bits.
      expect(md).toContain(`| PDE | \`0x${(0xf0100064 >>> 22).toString(16)}\` |`);
      expect(md).toContain('a read fails: user access to a supervisor page');
      // The seed's error-code bits for a user read of a present page: P=1, W/R=0, U/S=1 -> 0x5.
      expect(md.replace(/\\/g, '')).toContain('The PDE refuses it; the CPU would raise #PF with error code `0x5` [user, read, protection].');
      // The write the program attempted gets the lecture's error code.
      expect(md.replace(/\\/g, '')).toMatch(/write at CPL 3: ✗ user access to a supervisor page \(#PF error code `0x7` \[user, write, protection\]\)/);
      expect(r.user).toBeUndefined();
    });

    it('address hover: the faulting instruction\'s address translates to where its bytes are', async () => {
      const r = await lookUpAddress(dap, SEED.eip);
      expect(r.read.kind).toBe('ok');
      if (r.read.kind !== 'ok') return;
      const md = addressHoverMarkdown({ literal: '0x00800039', ...r });
      const phys = '0x' + r.read.phys.toString(16).padStart(8, '0');
      expect(md).toContain(`**physical \`${phys}\`**`);
      expect(md).toMatch(/\| PDE \| `0x2` \|.*\| page table at/);
      expect(md).toMatch(/\| PTE \| `0x0` \|/);
      // The physical bytes there are objdump's encoding of the movb (c6 05 64 00 10 f0 21).
      const mem = (await dc.customRequest('readMemory', { memoryReference: 'phys:' + phys, count: 7 })).body as { data: string };
      const listing = execFileSync('objdump', ['-d', KERNEL_WRITE_ELF], { encoding: 'utf8' });
      const bytes = /^\s*800039:\s+((?:[0-9a-f]{2} )+)/m.exec(listing)![1]!.trim().replace(/ /g, '');
      expect(Buffer.from(mem.data, 'base64').toString('hex')).toBe(bytes);
      // User code is read-only (the PTE has no R/W bit): a write fails, with the lecture's error code for it.
      expect(md.replace(/\\/g, '')).toContain('write at CPL 3: ✗ write to a read-only page from user mode (#PF error code `0x7` [user, write, protection])');
    });
  });

  describe('stopped in the kernel\'s trap handler', () => {
    beforeAll(async () => {
      // After trap() has copied the frame into the environment: tf = &curenv->env_tf.
      const line = TRAP_C_TEXT.split('\n').findIndex((l) => l.trim() === 'last_tf = tf;') + 1;
      await dc.setExceptionBreakpointsRequest({ filters: [] });
      const bp = await dc.setBreakpointsRequest({ source: { path: TRAP_C }, breakpoints: [{ line }] });
      expect(bp.body.breakpoints[0]!.verified).toBe(true);
      const stop = await whileStopping(dc, () => dc.continueRequest({ threadId }));
      expect(stop.reason).toBe('breakpoint');
      threadId = stop.threadId;
    });

    it('hovering tf on every line of trap() shows the live trap frame decoded', async () => {
      for (const p of tfPositionsIn('trap')) {
        const found = hoverTargetAt(TRAP_C_TEXT, TRAP_C, p.line, p.character, false);
        if (!found) continue; // the comment line
        const r = await lookUpTrapFrame(dap, found.target, { threadId });
        expect(r.kind, p.text).toBe('trap-frame');
        if (r.kind !== 'trap-frame') continue;
        expect(r.view.state).toBe('live');
        const md = trapFrameMarkdown(r.view)!;
        expectSeedFrame(md, r.view);
        // cs as pushed: the kernel's printout says 0x----001b.
        expect(md).toContain('`0x001b` — from ring 3 (user mode)');
        const printed = kernelPrintedEflags();
        expect(md).toContain('`0x' + printed.toString(16).padStart(8, '0') + '`');
        for (const n of eflagsNames(printed)) expect(md).toMatch(new RegExp(`\\b${n}\\b`));
        // The lecture's "TRAP frame at 0xf01c0000": the frame saved in envs[0].
        expect(md).toMatch(/^\*\*Trap frame\*\* `tf` — struct Trapframe at `0xf01c0000`/);
      }
    });

    it('tf on the lines of trap_dispatch() and print_trapframe() too, and the struct itself (curenv->env_tf)', async () => {
      for (const fn of ['trap_dispatch', 'print_trapframe']) {
        const p = tfPositionsIn(fn)[1]!;
        const found = hoverTargetAt(TRAP_C_TEXT, TRAP_C, p.line, p.character, false)!;
        const r = await lookUpTrapFrame(dap, found.target, { threadId });
        expect(r.kind, `${fn}: ${p.text}`).toBe('trap-frame');
      }
      const lines = TRAP_C_TEXT.split('\n');
      const line = lines.findIndex((l) => l.includes('curenv->env_tf = *tf;'));
      const found = hoverTargetAt(TRAP_C_TEXT, TRAP_C, line, lines[line]!.indexOf('env_tf') + 2, false)!;
      expect(found.target.expression).toBe('curenv->env_tf');
      const r = await lookUpTrapFrame(dap, found.target, { threadId });
      expect(r.kind).toBe('trap-frame');
      if (r.kind === 'trap-frame') expect(trapFrameMarkdown(r.view)).toContain('Page Fault');
    });

    it('a member of the trap frame is an ordinary value, left to the debug hover', async () => {
      const lines = TRAP_C_TEXT.split('\n');
      const line = lines.findIndex((l) => l.includes('if (tf->tf_trapno == T_PGFLT)'));
      const found = hoverTargetAt(TRAP_C_TEXT, TRAP_C, line, lines[line]!.indexOf('tf_trapno') + 1, false)!;
      expect(found.target.expression).toBe('tf->tf_trapno');
      expect((await lookUpTrapFrame(dap, found.target, { threadId })).kind).toBe('value');
    });

    it('address hover in the kernel: also what ring 3 would get', async () => {
      const r = await lookUpAddress(dap, 0xf0100064);
      expect(r.read.cpl).toBe(0);
      const md = addressHoverMarkdown({ literal: '0xf0100064', ...r });
      // KERNBASE maps physical 0 (samples/kernel/memlayout.h): 0xf0100064 is 0x00100064.
      expect(md).toContain('**physical `0x00100064`**');
      expect(md).toContain('read from ring 3: ✗ user access to a supervisor page');
    });
  });
});

describe('hovering tf in trap.c while stopped deeper in the kernel (real adapter)', () => {
  let dc: DebugClient;
  let dap: DapRequest;

  beforeAll(async () => {
    dc = await startClient();
    dap = async (command, args) => (await dc.customRequest(command, args)).body;
    await launch(dc, { program: sample('kernel_write') }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'page_fault_handler' }] }));
  });
  afterAll(async () => {
    await dc?.stop();
  });

  it('evaluates tf in the trap.c frames of the stack (the selected frame is fault.c)', async () => {
    const stop = await stoppedThread(dc);
    const st = await dc.stackTraceRequest({ threadId: stop.threadId });
    expect(st.body.stackFrames[0]!.name).toBe('page_fault_handler');
    const p = tfPositionsIn('trap')[3]!;
    const found = hoverTargetAt(TRAP_C_TEXT, TRAP_C, p.line, p.character, false)!;
    const r = await lookUpTrapFrame(dap, found.target, { threadId: stop.threadId, focusedFrameId: st.body.stackFrames[0]!.id });
    expect(r.kind).toBe('trap-frame');
    if (r.kind === 'trap-frame') expectSeedFrame(trapFrameMarkdown(r.view)!, r.view);
  });
});

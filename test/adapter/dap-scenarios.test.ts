// The lecture-note scenarios through the real adapter, emulator, kernel and samples (DebugClient over
// the real protocol; the expected values come from the seeds and from objdump of the built ELFs).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, sample, startClient, stoppedThread, userSource, whileStopping } from './dap-helpers.js';

const lineOf = (file: string, text: string): number => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

async function scopeVars(dc: DebugClient, frameId: number, scope: RegExp): Promise<DebugProtocol.Variable[]> {
  const s = (await dc.scopesRequest({ frameId })).body.scopes.find((x) => scope.test(x.name));
  if (!s) throw new Error(`no scope ${scope}`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

/** objdump's address of the first instruction whose text matches `re` in `elf`. */
function objdumpAddress(elf: string, re: RegExp): number {
  const out = execFileSync('objdump', ['-d', elf], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => re.test(l));
  if (!line) throw new Error(`objdump: nothing matches ${re}`);
  return parseInt(line.trim().split(':')[0], 16);
}

describe('DAP scenarios', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('kernel_write stops on the #PF filter with the decoded description and a trap frame', async () => {
    await launch(dc, { program: sample('kernel_write') }, () => dc.setExceptionBreakpointsRequest({ filters: ['#PF'] }));
    const stop = await stoppedThread(dc);
    expect(stop.reason).toBe('exception');
    expect(stop.description).toBe('#PF page fault from ring 3: err 0x7 [user, write, protection], cr2 0xf0100064');
    const info = await dc.exceptionInfoRequest({ threadId: stop.threadId });
    expect(info.body.exceptionId).toBe('#PF');
    const st = await dc.stackTraceRequest({ threadId: stop.threadId });
    const top = st.body.stackFrames[0];
    expect(top.name).toBe('main');
    // The faulting instruction is the movb objdump shows in the built ELF.
    const movb = objdumpAddress(sample('kernel_write'), /movb\s+\$0x21,0xf0100064/);
    expect(Number(top.instructionPointerReference)).toBe(movb);
    const tf = await scopeVars(dc, top.id, /^Trap frame/);
    expect(tf.find((v) => v.name === 'err')?.value).toBe('0x00000007 [user, write, protection]');
    expect(tf.find((v) => v.name === 'cr2')?.value).toBe('0xf0100064');
  });

  it('a conditional #PF filter stops only on the kernel-address fault', async () => {
    // stack_growth faults below the stack (cr2 0xeebfcff0) before anything touches the kernel.
    await launch(dc, { program: sample('kernel_write') }, () =>
      dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: '#PF', condition: '$cr2 >= 0xf0000000' }] }));
    const stop = await stoppedThread(dc);
    expect(stop.description).toMatch(/cr2 0xf0100064/);
  });

  it('stack_growth: the #PF filter stops on each fault the program causes; off, the faulting line is stepped over', async () => {
    const src = userSource('stack_growth.c');
    const faultLine = lineOf(src, "buf[i] = '1' + i;");
    await launch(dc, { program: sample('stack_growth') }, async () => {
      await dc.setExceptionBreakpointsRequest({ filters: ['#PF'] });
    });
    const stop = await stoppedThread(dc);
    expect(stop.reason).toBe('exception');
    expect(stop.description).toMatch(/^#PF page fault from ring 3: err 0x6 \[user, write, not-present\], cr2 0xeebfc/);
    const top = (await dc.stackTraceRequest({ threadId: stop.threadId })).body.stackFrames[0];
    expect(top.line).toBe(faultLine);
    // Filter off: continue runs to the end (the program's own faults are handled by the kernel).
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    await Promise.all([dc.continueRequest({ threadId: stop.threadId }), dc.waitForEvent('terminated')]);
  });

  it('stepping over a line that page-faults lands on the next line', async () => {
    const src = userSource('stack_growth.c');
    const faultLine = lineOf(src, "buf[i] = '1' + i;");
    await launch(dc, { program: sample('stack_growth') }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: faultLine }] }));
    const stop = await stoppedThread(dc);
    expect(stop.reason).toBe('breakpoint');
    await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [] });
    const s2 = await whileStopping(dc, () => dc.nextRequest({ threadId: stop.threadId }));
    expect(s2.reason).toBe('step');
    const top = (await dc.stackTraceRequest({ threadId: s2.threadId })).body.stackFrames[0];
    expect(top.source?.path).toBe(src);
    expect(top.line).not.toBe(0);
    // Still in user mode, in func.
    expect(top.name).toBe('func');
  });

  it('cow_fork shows two threads, each with its own stack', async () => {
    const src = userSource('cow_fork.c');
    const childLine = lineOf(src, 'data_value = 100;');
    await launch(dc, { program: sample('cow_fork') }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: childLine }] }));
    const stop = await stoppedThread(dc);
    expect(stop.reason).toBe('breakpoint');
    const threads = (await dc.threadsRequest()).body.threads;
    const cow = threads.filter((t) => /cow_fork/.test(t.name));
    expect(cow.length).toBe(2);
    expect(cow.map((t) => t.id)).toContain(stop.threadId);
    const st = await dc.stackTraceRequest({ threadId: stop.threadId });
    expect(st.body.stackFrames[0]).toMatchObject({ name: 'main', line: childLine });
    // Expressions over the frame's variables (DWARF locations and types).
    const frameId = st.body.stackFrames[0].id;
    expect((await dc.evaluateRequest({ expression: 'stack_value', frameId, context: 'watch' })).body.result).toBe('3');
    expect((await dc.evaluateRequest({ expression: 'data_value * 10 + bss_value', frameId, context: 'watch' })).body.result).toBe('10');
    expect((await dc.evaluateRequest({ expression: '(unsigned char)-1', frameId, context: 'watch' })).body.result).toMatch(/^255/);
    // The other one (the parent, or the child while the parent runs) shows its saved state.
    const other = cow.find((t) => t.id !== stop.threadId)!;
    const ost = await dc.stackTraceRequest({ threadId: other.id });
    expect(ost.body.stackFrames.map((f) => f.name)).toContain('main');
  });

  it('a data breakpoint on a PTE fires when the page-fault handler writes it', async () => {
    await launch(dc, { program: sample('stack_growth'), stopOnEntry: true });
    let stop = await stoppedThread(dc);
    expect(stop.reason).toBe('entry');
    // The PTE that stack growth will fill: the walk of 0xeebfc000 fails at it (not present yet).
    const walk = (await dc.customRequest('translate', { address: 0xeebfc000, access: 'write', cpl: 3 })).body as {
      kind: string; steps: { kind: string; level: string; address: number }[];
    };
    expect(walk.kind).toBe('fault');
    const pte = walk.steps.filter((x) => x.kind === 'entry').pop()!;
    const info = await dc.dataBreakpointInfoRequest({ name: 'phys:0x' + pte.address.toString(16), asAddress: true, bytes: 4 });
    expect(info.body.dataId).toBeTruthy();
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    stop = await whileStopping(dc, () => dc.continueRequest({ threadId: stop.threadId }));
    expect(stop.reason).toBe('data breakpoint');
    const st = await dc.stackTraceRequest({ threadId: stop.threadId });
    // Stopped in the kernel, with the user's faulting line below the #PF label.
    const label = st.body.stackFrames.find((f) => f.presentationHint === 'label');
    expect(label?.name).toMatch(/^#PF page fault from ring 3, err 0x6 \[user, write, not-present\], cr2 0xeebfc/);
    const regs = await scopeVars(dc, st.body.stackFrames[0].id, /^Registers$/);
    expect(regs.find((v) => v.name === 'cpl')?.value).toMatch(/^0/);
  });

  it('pause stops a guest that runs on', async () => {
    await launch(dc, { program: sample('multiproc') });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await dc.pauseRequest({ threadId: 1 });
    const stop = await stoppedThread(dc);
    expect(stop.reason).toBe('pause');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('readMemory, disassemble and evaluate agree with objdump and the program', async () => {
    await launch(dc, { program: sample('kernel_write') }, () => dc.setExceptionBreakpointsRequest({ filters: ['#PF'] }));
    const stop = await stoppedThread(dc);
    const movb = objdumpAddress(sample('kernel_write'), /movb\s+\$0x21,0xf0100064/);
    const dis = await dc.disassembleRequest({ memoryReference: '0x' + movb.toString(16), instructionCount: 1 });
    expect(dis.body?.instructions[0].instruction).toBe('movb   $0x21,0xf0100064');
    const mem = (await dc.customRequest('readMemory', { memoryReference: '0x' + movb.toString(16), count: 7 })) as DebugProtocol.ReadMemoryResponse;
    expect(Buffer.from(mem.body!.data!, 'base64').toString('hex')).toBe('c6056400 10f021'.replace(' ', ''));
    const ev = await dc.evaluateRequest({ expression: '$cr2', context: 'watch', frameId: undefined });
    expect(ev.body.result).toMatch(/^0xf0100064/);
    const cpl = await dc.evaluateRequest({ expression: '$cpl', context: 'watch' });
    expect(cpl.body.result).toBe('3');
    // Debug Console commands: the walk of the faulting address says why ring 3 may not write it.
    const pt = (await dc.evaluateRequest({ expression: 'pt 0xf0100064', context: 'repl' })).body.result;
    expect(pt).toMatch(/page walk of 0xf0100064/);
    expect(pt).toMatch(/physical 0x00100064|supervisor/);
    const idt = (await dc.evaluateRequest({ expression: 'idt 14', context: 'repl' })).body.result;
    expect(idt).toMatch(/^ *14 .*DPL 0/);
    const x = (await dc.evaluateRequest({ expression: 'x/2x $esp', context: 'repl' })).body.result;
    expect(x).toMatch(/^0xeebf[0-9a-f]{4}: 0x[0-9a-f]{8} 0x[0-9a-f]{8}$/);
    void stop;
  });

  it('bad requests get error responses and the session keeps working', async () => {
    await launch(dc, { program: sample('kernel_write') }, () => dc.setExceptionBreakpointsRequest({ filters: ['#PF'] }));
    const stop = await stoppedThread(dc);
    await expect(dc.stackTraceRequest({ threadId: 424242 })).rejects.toThrow(/unknown thread/);
    await expect(dc.scopesRequest({ frameId: 999999 })).rejects.toThrow(/unknown stack frame/);
    await expect(dc.variablesRequest({ variablesReference: 987654 })).rejects.toThrow(/unknown variablesReference/);
    await expect(dc.customRequest('readMemory', { memoryReference: 'nonsense', count: 4 })).rejects.toThrow(/bad memory reference/);
    await expect(dc.evaluateRequest({ expression: '1 +* )', context: 'repl' })).rejects.toThrow();
    await expect(dc.evaluateRequest({ expression: '$nosuchreg', context: 'repl' })).rejects.toThrow(/unknown register/);
    await expect(dc.setExceptionBreakpointsRequest({ filters: ['#XYZ'] })).rejects.toThrow(/unknown exception filter/);
    // References from an earlier stop are routine races (VS Code asks for the last stop's
    // scopes while the user steps on): they fail without a popup; real mistakes show one.
    const responses: DebugProtocol.Response[] = [];
    const raw = dc as unknown as { dispatch(body: string): void }; // the JSON text of each message
    const dispatch = raw.dispatch.bind(dc);
    raw.dispatch = (body) => {
      const message = JSON.parse(body) as DebugProtocol.ProtocolMessage;
      if (message.type === 'response') responses.push(message as DebugProtocol.Response);
      dispatch(body);
    };
    await expect(dc.scopesRequest({ frameId: 999999 })).rejects.toThrow(/unknown stack frame/);
    await expect(dc.customRequest('readMemory', { memoryReference: 'nonsense', count: 4 })).rejects.toThrow(/bad memory reference/);
    raw.dispatch = dispatch;
    const showUser = (command: string) => (responses.find((r) => r.command === command)?.body as { error?: DebugProtocol.Message } | undefined)?.error?.showUser;
    expect(showUser('scopes')).toBe(false);
    expect(showUser('readMemory')).toBe(true);
    // Still alive and answering.
    const st = await dc.stackTraceRequest({ threadId: stop.threadId });
    expect(st.body.stackFrames.length).toBeGreaterThan(0);
  });

  it('a launch with a missing program fails with a clear message', async () => {
    await dc.initializeRequest({ adapterID: 'ringside', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    await expect(dc.launchRequest({ program: '/nonexistent/hello.elf' } as DebugProtocol.LaunchRequestArguments)).rejects.toThrow(/program "\/nonexistent\/hello.elf" does not exist/);
  });
});

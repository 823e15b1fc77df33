// The first scenario of the lecture notes through the real adapter: break in hello's main, step
// into printf down to the int $0x30 line, step into the kernel's vector stub, on into trap(), look
// at the stack across the trap, and step back out to user mode.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { launch, sample, startClient, stoppedThread, userSource, whileStopping } from './dap-helpers.js';
import { readFileSync } from 'node:fs';

const lineOf = (file: string, text: string): number => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

describe('hello: a system call from ring 3 into the kernel and back', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('breaks in main, steps into the int $0x30 line, into the vector stub, and out again', async () => {
    const helloC = userSource('hello.c');
    const printfLine = lineOf(helloC, 'printf("CS444');
    const syscallC = userSource('lib/syscall.c');
    const intLine = lineOf(syscallC, 'asm volatile("int $0x30"');
    let bps: unknown;
    await launch(dc, { program: sample('hello') }, async () => {
      bps = await dc.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [{ line: printfLine }] });
      await dc.setBreakpointsRequest({ source: { path: syscallC }, breakpoints: [{ line: intLine }] });
    });
    expect((bps as { body: { breakpoints: { verified: boolean; line: number }[] } }).body.breakpoints[0]).toMatchObject({ verified: true, line: printfLine });

    // The breakpoint in main.
    let stop = await stoppedThread(dc);
    expect(stop.reason).toBe('breakpoint');
    let st = await dc.stackTraceRequest({ threadId: stop.threadId });
    expect(st.body.stackFrames[0]).toMatchObject({ name: 'main', line: printfLine });
    expect(st.body.stackFrames[0].source?.path).toBe(helloC);

    // Step into printf and on, line by line, down to the int $0x30 line inside int30_syscall.
    for (let steps = 0; ; steps++) {
      if (steps > 3000) throw new Error('never reached the int $0x30 line by stepping in');
      stop = await whileStopping(dc, () => dc.stepInRequest({ threadId: stop.threadId }));
      expect(stop.reason).toBe('step');
      st = await dc.stackTraceRequest({ threadId: stop.threadId, levels: 1 });
      const f = st.body.stackFrames[0];
      if (f.name === 'int30_syscall' && f.line === intLine) break;
    }
    st = await dc.stackTraceRequest({ threadId: stop.threadId });
    expect(st.body.stackFrames[0]).toMatchObject({ name: 'int30_syscall', line: intLine });
    const names = st.body.stackFrames.map((f) => f.name);
    expect(names).toContain('printf');
    expect(names[names.length - 1 - names.slice().reverse().indexOf('main')]).toBe('main');

    // Step into the int: the CPU is now in ring 0 at the kernel's vector stub.
    stop = await whileStopping(dc, () => dc.stepInRequest({ threadId: stop.threadId }));
    expect(stop.reason).toBe('step');
    st = await dc.stackTraceRequest({ threadId: stop.threadId });
    const top = st.body.stackFrames[0];
    expect(top.source?.path ?? '').toMatch(/trapentry\.S$/);
    const trapLabel = st.body.stackFrames.find((f) => f.presentationHint === 'label');
    expect(trapLabel?.name).toMatch(/system call int \$0x30 from ring 3/);
    // Below the label: the interrupted user frames, with source positions.
    const below = st.body.stackFrames.slice(st.body.stackFrames.indexOf(trapLabel!) + 1).map((f) => f.name);
    expect(below[0]).toBe('int30_syscall');
    expect(below).toContain('main');

    // The registers say ring 0.
    const scopes = await dc.scopesRequest({ frameId: top.id });
    const regs = scopes.body.scopes.find((s) => s.name === 'Registers')!;
    const vars = await dc.variablesRequest({ variablesReference: regs.variablesReference });
    expect(vars.body.variables.find((v) => v.name === 'cpl')?.value).toMatch(/^0/);

    // Step on into trap(), the C handler: kernel frames, the trap label, then the user frames.
    for (let steps = 0; ; steps++) {
      if (steps > 200) throw new Error('never reached trap() by stepping in');
      stop = await whileStopping(dc, () => dc.stepInRequest({ threadId: stop.threadId }));
      st = await dc.stackTraceRequest({ threadId: stop.threadId });
      if (st.body.stackFrames[0].name === 'trap') break;
    }
    const inTrap = st.body.stackFrames.map((f) => f.name);
    const labelAt = st.body.stackFrames.findIndex((f) => f.presentationHint === 'label');
    expect(labelAt).toBeGreaterThan(0);
    expect(inTrap.slice(labelAt + 1)).toEqual(expect.arrayContaining(['int30_syscall', 'main']));
    expect(st.body.stackFrames[0].source?.path ?? '').toMatch(/kernel\/trap\.c$/);

    // Step out of the handler: back in ring 3 after the int.
    stop = await whileStopping(dc, () => dc.stepOutRequest({ threadId: stop.threadId }));
    st = await dc.stackTraceRequest({ threadId: stop.threadId });
    expect(st.body.stackFrames[0].name).toBe('int30_syscall');
    const regs3 = (await dc.scopesRequest({ frameId: st.body.stackFrames[0].id })).body.scopes.find((s) => s.name === 'Registers')!;
    const vars3 = await dc.variablesRequest({ variablesReference: regs3.variablesReference });
    expect(vars3.body.variables.find((v) => v.name === 'cpl')?.value).toMatch(/^3/);
  });
});

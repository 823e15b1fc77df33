// More of the adapter through the real protocol: into trap() and the trap-frame hover, setVariable,
// restart, the physical-frames view of copy-on-write sharing, and the TCP server mode.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { ADAPTER, kernelSource, launch, requireBuilt, sample, startClient, stoppedThread, userSource, whileStopping } from './dap-helpers.js';

const lineOf = (file: string, text: string): number => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

describe('more DAP', () => {
  let dc: DebugClient | null = null;
  afterEach(async () => {
    await dc?.stop();
    dc = null;
  });

  it('a breakpoint in trap(): the tf hover is the decoded trap frame', async () => {
    dc = await startClient();
    const trapC = kernelSource('trap.c');
    const line = lineOf(trapC, 'trap(struct Trapframe *tf)') + 2;
    await launch(dc, { program: sample('kernel_write') }, async () => {
      const r = await dc!.setBreakpointsRequest({ source: { path: trapC }, breakpoints: [{ line }] });
      expect(r.body.breakpoints[0].verified).toBe(true);
    });
    // The first traps may be timer interrupts: continue until the page fault's frame.
    for (let i = 0; i < 50; i++) {
      const stop = await stoppedThread(dc);
      const st = await dc.stackTraceRequest({ threadId: stop.threadId });
      const frameId = st.body.stackFrames[0].id;
      expect(st.body.stackFrames[0].name).toBe('trap');
      const hover = await dc.evaluateRequest({ expression: 'tf', frameId, context: 'hover' });
      if (hover.body.result.startsWith('#PF')) {
        expect(hover.body.result).toMatch(/^#PF Page Fault from ring 3: err 0x7 \[user, write, protection\], cr2 0xf0100064, eip 0x00800039 <main> kernel_write\.c:\d+, eflags /);
        expect(hover.body.variablesReference).toBeGreaterThan(0);
        const fields = await dc.variablesRequest({ variablesReference: hover.body.variablesReference });
        expect(fields.body.variables.find((v) => v.name === 'cs')?.value).toBe('0x001b (ring 3)');
        // Below trap(): the trap label, then the user's main.
        const names = st.body.stackFrames.map((f) => f.name);
        expect(names.some((n) => /^#PF page fault from ring 3/.test(n))).toBe(true);
        const label = names.findIndex((n) => /^#PF page fault from ring 3/.test(n));
        expect(names.slice(label + 1)).toContain('main');
        return;
      }
      await dc.continueRequest({ threadId: stop.threadId });
    }
    throw new Error('never stopped in trap() for the page fault');
  });

  it('setVariable changes a local (read back through evaluate)', async () => {
    dc = await startClient();
    const src = userSource('cow_fork.c');
    const line = lineOf(src, 'data_value = 100;');
    await launch(dc, { program: sample('cow_fork') }, () => dc!.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] }));
    const stop = await stoppedThread(dc);
    const frameId = (await dc.stackTraceRequest({ threadId: stop.threadId })).body.stackFrames[0].id;
    const locals = (await dc.scopesRequest({ frameId })).body.scopes.find((s) => s.name === 'Locals')!;
    const set = await dc.setVariableRequest({ variablesReference: locals.variablesReference, name: 'stack_value', value: '41 + 1' });
    expect(set.body.value).toBe('42');
    const ev = await dc.evaluateRequest({ expression: 'stack_value', frameId, context: 'watch' });
    expect(ev.body.result).toBe('42');
  });

  it('restart runs the program again from the start, breakpoints kept', async () => {
    dc = await startClient();
    const src = userSource('hello.c');
    const line = lineOf(src, 'printf("CS444');
    await launch(dc, { program: sample('hello') }, () => dc!.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] }));
    let stop = await stoppedThread(dc);
    expect(stop.reason).toBe('breakpoint');
    stop = await whileStopping(dc, () => dc!.restartRequest({}));
    expect(stop.reason).toBe('breakpoint');
    const st = await dc.stackTraceRequest({ threadId: stop.threadId });
    expect(st.body.stackFrames[0]).toMatchObject({ name: 'main', line });
  });

  it('the frames view shows copy-on-write sharing after fork', async () => {
    dc = await startClient();
    const src = userSource('cow_fork.c');
    const line = lineOf(src, 'data_value = 100;');
    await launch(dc, { program: sample('cow_fork') }, () => dc!.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] }));
    await stoppedThread(dc);
    const body = (await dc.customRequest('frames', {})).body as { frames: { phys: string; refs?: number; shared: boolean; users: { cow: boolean }[] }[] };
    const shared = body.frames.filter((f) => f.shared);
    expect(shared.length).toBeGreaterThan(0);
    // Frames fork shares are copy-on-write in both environments and counted twice by the kernel
    // (the UTIME page, mapped read-only into everyone by the kernel, is shared but not CoW).
    const cow = shared.filter((f) => f.users.every((u) => u.cow));
    expect(cow.length).toBeGreaterThan(0);
    for (const f of cow) expect(f.refs).toBeGreaterThanOrEqual(2);
  });

  it('serves DAP on a TCP port bound to 127.0.0.1', async () => {
    requireBuilt();
    const proc = spawn('node', [ADAPTER, '--server=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const port = await new Promise<number>((resolvePort, reject) => {
        let err = '';
        proc.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
          if (m) resolvePort(Number(m[1]));
        });
        proc.on('exit', () => reject(new Error(`adapter exited: ${err}`)));
      });
      dc = new DebugClient('node', ADAPTER, 'ringside');
      dc.defaultTimeout = 20_000;
      await dc.start(port);
      await launch(dc, { program: sample('kernel_write') }, () => dc!.setExceptionBreakpointsRequest({ filters: ['#PF'] }));
      const stop = await stoppedThread(dc);
      expect(stop.description).toMatch(/^#PF page fault from ring 3/);
    } finally {
      await dc?.stop();
      dc = null;
      proc.kill();
    }
  });
});

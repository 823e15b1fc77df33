// DAP latencies for `npm run bench`, measured through DebugClient against the real adapter:
// launch to first stop, a line step, a stack trace across a trap, the full page-table tree of a
// process, and breakpoints in 100 places.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ADAPTER = join(ROOT, 'out', 'adapter', 'main.js');
const KERNEL = join(ROOT, 'samples', 'build', 'kernel', 'kernel.elf');
const HELLO = join(ROOT, 'samples', 'build', 'user', 'hello.elf');
const HELLO_C = join(ROOT, 'samples', 'user', 'hello.c');
const SYSCALL_C = join(ROOT, 'samples', 'user', 'lib', 'syscall.c');

const lineOf = (file: string, text: string): number => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

async function timed<T>(what: string, rows: [string, number][], f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await f();
  rows.push([what, performance.now() - t0]);
  return r;
}

export async function dapLatencies(): Promise<[string, number][]> {
  const rows: [string, number][] = [];
  const dc = new DebugClient('node', ADAPTER, 'ringside');
  dc.defaultTimeout = 60_000;
  await dc.start();
  try {
    const helloLine = lineOf(HELLO_C, 'printf("CS444');
    await timed('launch to first stop (breakpoint in main)', rows, async () => {
      await dc.initializeRequest({ adapterID: 'ringside', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
      const launched = dc.launchRequest({ kernel: KERNEL, program: HELLO } as DebugProtocol.LaunchRequestArguments);
      await dc.waitForEvent('initialized');
      await dc.setBreakpointsRequest({ source: { path: HELLO_C }, breakpoints: [{ line: helloLine }] });
      await dc.configurationDoneRequest();
      await launched;
      await dc.waitForEvent('stopped');
    });
    const threadId = (await dc.threadsRequest()).body.threads[0].id;
    // 100 breakpoints over the kernel's and the library's sources (every line; lines without code move).
    const kernelDir = join(ROOT, 'samples', 'kernel');
    const files = readdirSync(kernelDir).filter((f) => f.endsWith('.c')).map((f) => join(kernelDir, f));
    await timed('set 100 breakpoints (8 files)', rows, async () => {
      for (const f of files.slice(0, 8)) {
        const n = readFileSync(f, 'utf8').split('\n').length;
        const lines = Array.from({ length: 13 }, (_, k) => 1 + Math.floor((k * n) / 13));
        await dc.setBreakpointsRequest({ source: { path: f }, breakpoints: lines.slice(0, f === files[7] ? 9 : 13).map((line) => ({ line })) });
      }
    });
    for (const f of files.slice(0, 8)) await dc.setBreakpointsRequest({ source: { path: f }, breakpoints: [] });
    await timed('line step (next over printf)', rows, async () => {
      await dc.nextRequest({ threadId });
      await dc.waitForEvent('stopped');
    });
    await dc.setBreakpointsRequest({ source: { path: SYSCALL_C }, breakpoints: [{ line: lineOf(SYSCALL_C, 'asm volatile("int $0x30"') }] });
    await dc.continueRequest({ threadId });
    await dc.waitForEvent('stopped').catch(() => undefined);
    await dc.stepInRequest({ threadId });
    await dc.waitForEvent('stopped');
    await timed('stack trace across a trap', rows, () => dc.stackTraceRequest({ threadId }));
    await timed('full page-table tree of the process', rows, async () => {
      const dir = (await dc.customRequest('pageTable', {})).body as { directory: { index: number; kind: string }[] };
      for (const d of dir.directory) if (d.kind === 'table') await dc.customRequest('pageTable', { pde: d.index });
    });
  } finally {
    await dc.stop();
  }
  return rows;
}

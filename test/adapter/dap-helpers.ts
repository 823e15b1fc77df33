// Shared setup for the DAP tests: the real adapter (out/adapter/main.js, built by npm test) over
// stdio, through @vscode/debugadapter-testsupport's DebugClient. No mocks: the real emulator,
// kernel and sample programs (built by `make -C samples`, which npm install runs).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ADAPTER = resolve(ROOT, 'out', 'adapter', 'main.js');
export const KERNEL = resolve(ROOT, 'samples', 'build', 'kernel', 'kernel.elf');
export const sample = (name: string): string => resolve(ROOT, 'samples', 'build', 'user', `${name}.elf`);
export const userSource = (file: string): string => resolve(ROOT, 'samples', 'user', file);
export const kernelSource = (file: string): string => resolve(ROOT, 'samples', 'kernel', file);

export function requireBuilt(): void {
  if (!existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run npm run build`);
  if (!existsSync(KERNEL)) throw new Error(`${KERNEL} is missing: run make -C samples`);
}

export async function startClient(): Promise<DebugClient> {
  requireBuilt();
  const dc = new DebugClient('node', ADAPTER, 'ringside');
  dc.defaultTimeout = 20_000;
  await dc.start();
  return dc;
}

/** Launches with the given arguments and returns after configurationDone. */
export async function launch(dc: DebugClient, args: Record<string, unknown>, before?: () => Promise<unknown>): Promise<void> {
  await dc.initializeRequest({ adapterID: 'ringside', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const launched = dc.launchRequest({ kernel: KERNEL, ...args } as DebugProtocol.LaunchRequestArguments);
  await dc.waitForEvent('initialized');
  if (before) await before();
  // The first stop can come before configurationDone's response is read: listen first.
  firstStops.set(dc, stoppedThread(dc));
  await dc.configurationDoneRequest();
  await launched;
}

const firstStops = new WeakMap<DebugClient, Promise<{ threadId: number; reason: string; description?: string }>>();

export async function topFrame(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId });
  return st.body.stackFrames[0];
}

export async function stoppedThread(dc: DebugClient): Promise<{ threadId: number; reason: string; description?: string }> {
  const first = firstStops.get(dc);
  if (first) {
    firstStops.delete(dc);
    return first;
  }
  const ev = (await dc.waitForEvent('stopped')) as DebugProtocol.StoppedEvent;
  return { threadId: ev.body.threadId ?? 1, reason: ev.body.reason, description: ev.body.description };
}

/**
 * Sends a request that resumes the guest and waits for the next stop. The waiter is attached
 * first: a short step can stop before the request's response has even been read.
 */
export async function whileStopping(dc: DebugClient, send: () => Promise<unknown>): Promise<{ threadId: number; reason: string; description?: string }> {
  const stopped = stoppedThread(dc);
  await send();
  return stopped;
}

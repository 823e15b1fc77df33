// Which stack frames to evaluate a hovered name in. VS Code evaluates hovers in the selected
// frame only; a kernel source file is usually not that frame's file (stopped in user code at a
// page fault, or deeper in the kernel), so the frames of the hovered file come first.
import { resolve } from 'node:path';
import type { DapRequest, StopContext } from './dap.js';

export interface FrameRef {
  id: number;
  name: string;
  path?: string;
  line: number;
}

interface StackTraceBody {
  stackFrames: Array<{ id: number; name: string; line: number; source?: { path?: string } }>;
}

/** The thread that stopped: the one the user selected, else the environment on the CPU. */
async function stoppedThread(dap: DapRequest, stop: StopContext): Promise<number> {
  if (stop.threadId !== undefined) return stop.threadId;
  const state = (await dap('state')) as { env: { id: number } | null };
  if (state.env) return state.env.id;
  const { threads } = (await dap('threads')) as { threads: Array<{ id: number }> };
  if (!threads.length) throw new Error('the adapter reports no threads');
  return threads[0]!.id;
}

export async function stackFrames(dap: DapRequest, stop: StopContext): Promise<FrameRef[]> {
  const threadId = await stoppedThread(dap, stop);
  const body = (await dap('stackTrace', { threadId, startFrame: 0, levels: 64 })) as StackTraceBody;
  return body.stackFrames.map((f) => ({ id: f.id, name: f.name, path: f.source?.path, line: f.line }));
}

const samePath = (a: string | undefined, b: string): boolean => a !== undefined && resolve(a) === resolve(b);

/**
 * The frames to try, best first: frames of the hovered file (innermost first), then the frame the
 * user selected (its id comes from VS Code's own stackTrace request, so it is tried as given),
 * then the top frame. Label frames (traps) have no source and are skipped.
 */
export function framesToTry(frames: readonly FrameRef[], documentPath: string, focusedFrameId?: number): FrameRef[] {
  const out: FrameRef[] = frames.filter((f) => samePath(f.path, documentPath));
  if (focusedFrameId !== undefined) out.push({ id: focusedFrameId, name: '(selected frame)', line: 0 });
  const top = frames.find((f) => f.path !== undefined);
  if (top && !out.includes(top)) out.push(top);
  return out;
}

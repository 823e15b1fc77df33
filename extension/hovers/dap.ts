// The one thing the hover logic needs from a debug session: send a DAP request, get its body.
// vscode.DebugSession.customRequest is one; so is the test suite's DebugClient. Keeping the
// lookups behind this type lets them run against the real adapter without a VS Code.

export type DapRequest = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

/** The stop the hover is about: the thread and the frame the user has selected, when known. */
export interface StopContext {
  threadId?: number;
  focusedFrameId?: number;
}

// Finds out whether a hovered name is a trap frame, through the adapter only: evaluate it (the
// adapter decodes a struct Trapframe, or a pointer to one, when it evaluates it), list the decoded
// fields, and find eip's source line with a one-instruction disassembly. When the name cannot
// be evaluated in any frame but the file declares it as a struct Trapframe, and the debugger
// stopped before delivering a trap (an exception filter), the frame the CPU is about to push is
// shown instead: that is what `tf` will point to.
import { declaresTrapFrame, expressionAt, inBlockComment } from '../model/hover-text.js';
import { isDecodedTrapFrame, type DapVariable, type SourceLocation, type TrapFrameView } from '../model/trapframe-hover.js';
import type { DapRequest, StopContext } from './dap.js';
import { framesToTry, stackFrames } from './frames.js';

export interface HoverTarget {
  /** The expression to evaluate ("tf", "curenv->env_tf"). */
  expression: string;
  /** The hovered name (the last part of the expression). */
  name: string;
  documentPath: string;
  documentText: string;
  /** Offset of the hover in documentText: only declarations before it count. */
  offset: number;
}

/**
 * What a hover at (line, character) of a document asks about, or undefined when it is not on a
 * name (a keyword, a number, a comment). `start`/`end` are the hovered characters of the line.
 */
export function hoverTargetAt(
  documentText: string, documentPath: string, line: number, character: number, asm: boolean,
): { target: HoverTarget; start: number; end: number } | undefined {
  const lines = documentText.split('\n');
  const text = lines[line];
  if (text === undefined) return undefined;
  let lineStart = 0;
  for (let i = 0; i < line; i++) lineStart += lines[i]!.length + 1;
  const expr = expressionAt(text, character, { asm, inComment: inBlockComment(documentText, lineStart) });
  // Registers ($eax) are the debug hover's business.
  if (!expr || expr.expression.startsWith('$')) return undefined;
  return {
    target: { expression: expr.expression, name: expr.name, documentPath, documentText, offset: lineStart + character },
    start: expr.start,
    end: expr.end,
  };
}

export type TrapFrameLookup =
  | { kind: 'trap-frame'; view: TrapFrameView }
  /** It evaluates, but to something else: VS Code's ordinary debug hover shows it. */
  | { kind: 'value' }
  | { kind: 'none'; reason: string }
  /** It is a trap frame by declaration, but the adapter could not be asked (the reason says why). */
  | { kind: 'error'; reason: string };

interface EvaluateBody { result: string; variablesReference: number }
interface VariablesBody { variables: DapVariable[] }
interface ScopesBody { scopes: Array<{ name: string; variablesReference: number }> }
interface DisassembleBody { instructions: Array<{ address: string; location?: { path?: string }; line?: number }> }

const PENDING_SCOPE = 'Trap frame (about to be delivered)';
const LIVE_SCOPE = 'Trap frame';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function variables(dap: DapRequest, variablesReference: number): Promise<DapVariable[]> {
  return ((await dap('variables', { variablesReference })) as VariablesBody).variables;
}

/** eip's source line: the adapter's disassembly of one instruction carries it. */
async function sourceOfEip(dap: DapRequest, fields: readonly DapVariable[]): Promise<SourceLocation | undefined> {
  const eip = fields.find((f) => f.name === 'eip');
  const address = eip?.memoryReference ?? /^0x[0-9a-f]+/i.exec(eip?.value ?? '')?.[0];
  if (!address) return undefined;
  try {
    const body = (await dap('disassemble', { memoryReference: address, instructionCount: 1, resolveSymbols: true })) as DisassembleBody;
    const insn = body.instructions[0];
    return insn?.location?.path && insn.line ? { path: insn.location.path, line: insn.line } : undefined;
  } catch {
    return undefined; // no code mapped there: the hover shows the address without a link
  }
}

export async function lookUpTrapFrame(dap: DapRequest, target: HoverTarget, stop: StopContext): Promise<TrapFrameLookup> {
  const frames = await stackFrames(dap, stop);
  let lastError = 'no stack frame to evaluate in';
  for (const frame of framesToTry(frames, target.documentPath, stop.focusedFrameId)) {
    let r: EvaluateBody;
    try {
      r = (await dap('evaluate', { expression: target.expression, frameId: frame.id, context: 'hover' })) as EvaluateBody;
    } catch (e) {
      lastError = message(e);
      continue;
    }
    if (!r.variablesReference) return { kind: 'value' };
    const fields = await variables(dap, r.variablesReference);
    if (!isDecodedTrapFrame(fields)) return { kind: 'value' };
    return { kind: 'trap-frame', view: { expression: target.expression, state: 'live', summary: r.result, fields, eipSource: await sourceOfEip(dap, fields) } };
  }
  if (!declaresTrapFrame(target.documentText, target.name, target.offset)) return { kind: 'none', reason: lastError };
  // A trap frame by declaration that no frame can evaluate: the trap has not been delivered yet
  // (or its handler is not on the stack). The top frame's scopes say which trap frame exists.
  const top = frames[0];
  if (!top) return { kind: 'none', reason: lastError };
  const { scopes } = (await dap('scopes', { frameId: top.id })) as ScopesBody;
  const scope = scopes.find((s) => s.name === PENDING_SCOPE) ?? scopes.find((s) => s.name === LIVE_SCOPE);
  if (!scope) return { kind: 'none', reason: `${target.expression} is not live here (${lastError}), and no trap is being delivered` };
  const fields = await variables(dap, scope.variablesReference);
  const pending = scope.name === PENDING_SCOPE;
  let eflags: string | undefined;
  let summary: string | undefined;
  if (pending) {
    // The CPU pushes EFLAGS as they are now.
    const regs = scopes.find((s) => s.name === 'Registers');
    if (regs) eflags = (await variables(dap, regs.variablesReference)).find((v) => v.name === 'eflags')?.value;
    summary = await dap('exceptionInfo', { threadId: stop.threadId ?? 0 })
      .then((b) => (b as { description?: string }).description)
      .catch(() => undefined);
  }
  return {
    kind: 'trap-frame',
    view: { expression: target.expression, state: pending ? 'pending' : 'live', summary, fields, eipSource: await sourceOfEip(dap, fields), eflags },
  };
}

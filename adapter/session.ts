// The DAP session: thin request handlers over the runtime. Each handler validates its arguments,
// asks the runtime, and answers; bad arguments get an error response and the session goes on.
import {
  Breakpoint, DebugSession, ExitedEvent, InitializedEvent, OutputEvent, Scope, Source, StackFrame,
  StoppedEvent, TerminatedEvent, Thread, Event,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ConfigError, resolveConfig, type LaunchArguments } from './config.js';
import { FILTERS } from './filters.js';
import { Runtime, type StopCause } from './runtime.js';
import type { Frame } from './stack.js';
import { VariableStore } from './variables.js';
import { disassembleRange } from './disassembly.js';
import { evaluateRepl } from './repl.js';
import { readVirtualPartial, writeVirtual } from './vm.js';
import { BreakpointTable } from './breakpoints.js';
import { CUSTOM_EVENT_STATE_CHANGED } from './protocol.js';
import { viewRequest } from './views.js';
import { exprContext } from './expr-context.js';
import { evaluateCondition as evaluateExprCondition } from './expr/index.js';

/** The one thread shown when the kernel has no process table the adapter understands. */
const CPU_THREAD = 1;

class RequestError extends Error {}

/**
 * A frame or variables reference from an earlier stop. VS Code asks for the last stop's scopes
 * and variables while the user is already stepping on, so these are routine races, not
 * something to put in front of the user: the response still fails, but without a popup.
 */
class StaleReferenceError extends RequestError {}

export class RingsideSession extends DebugSession {
  private runtime: Runtime | null = null;
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((r) => (this.configured = r));
  private frames: Frame[] = [];
  private readonly frameIds = new Map<number, Frame>();
  private nextFrameId = 1;
  private readonly vars = new VariableStore();
  private breakpoints: BreakpointTable | null = null;
  private lastStop: StopCause | null = null;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---------------------------------------------------------------- helpers

  private rt(): Runtime {
    if (!this.runtime) throw new RequestError('no program is running: launch first');
    return this.runtime;
  }

  private stopped(): Runtime {
    const rt = this.rt();
    if (rt.isRunning) throw new RequestError('the guest is running: pause it first');
    return rt;
  }

  /** Runs a handler; any thrown error becomes an error response (the session keeps working). */
  private handle<R extends DebugProtocol.Response>(response: R, body: () => void | Promise<void>): void {
    Promise.resolve()
      .then(body)
      .then(() => this.sendResponse(response))
      .catch((e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        this.sendErrorResponse(response, { id: 1001, format: message, showUser: !(e instanceof StaleReferenceError) });
      });
  }

  private frameOf(id: number | undefined): Frame {
    const f = id === undefined ? this.frames[0] : this.frameIds.get(id);
    if (!f) throw new StaleReferenceError(`unknown stack frame ${id}`);
    return f;
  }

  private resetStopState(): void {
    this.frames = [];
    this.frameIds.clear();
    this.vars.clear();
  }

  private currentThreadId(): number {
    const env = this.runtime?.currentEnv();
    return env ? env.id : CPU_THREAD;
  }

  // ---------------------------------------------------------------- lifecycle

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsInstructionBreakpoints: true,
      supportsSteppingGranularity: true,
      supportsExceptionInfoRequest: true,
      supportsExceptionOptions: false,
      supportsExceptionFilterOptions: true,
      exceptionBreakpointFilters: FILTERS.map((f) => ({
        filter: f.id, label: f.label, description: f.description, default: f.default ?? false,
        supportsCondition: f.supportsCondition, conditionDescription: f.conditionDescription,
      })),
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsTerminateRequest: true,
      supportsValueFormattingOptions: true,
      supportsDataBreakpoints: true,
      supportsRestartRequest: true,
      supportsDataBreakpointBytes: true,
    };
    this.sendResponse(response);
  }

  private launchArgs: LaunchArguments = {};

  /** Builds a runtime from launch arguments and wires its events; errors become clear messages. */
  private createRuntime(args: LaunchArguments): { rt: Runtime; config: ReturnType<typeof resolveConfig> } {
    let config;
    try {
      config = resolveConfig(args);
    } catch (e) {
      throw new RequestError(e instanceof ConfigError ? e.message : `cannot start: ${(e as Error).message}`);
    }
    let rt: Runtime;
    try {
      rt = new Runtime(config);
    } catch (e) {
      throw new RequestError(`cannot start: ${(e as Error).message}`);
    }
    return { rt, config };
  }

  /** Starts the machine as the launch configuration asks. */
  private startRuntime(rt: Runtime, config: ReturnType<typeof resolveConfig>): void {
    if (config.stopAtKernelEntry) rt.reportEntry();
    else if (config.stopOnEntry) rt.runToUserEntry();
    else rt.resumeContinue();
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.handle(response, () => {
      const launchArgs = (args?.arguments as LaunchArguments | undefined) ?? this.launchArgs;
      const { rt, config } = this.createRuntime(launchArgs);
      const old = this.runtime;
      old?.terminate();
      old?.removeAllListeners();
      rt.filters.set(old?.filters.entries() ?? []);
      this.installFilterEvaluator(rt);
      if (old) rt.machine.cpu.watch.set([...old.machine.cpu.watch.all]);
      this.runtime = rt;
      this.launchArgs = launchArgs;
      this.breakpoints?.rebind(rt);
      this.wireRuntime(rt);
      this.resetStopState();
      this.startRuntime(rt, config);
    });
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments & LaunchArguments): void {
    this.handle(response, async () => {
      const { rt, config } = this.createRuntime(args);
      this.launchArgs = args;
      this.runtime = rt;
      this.breakpoints = new BreakpointTable(rt);
      this.installFilterEvaluator(rt);
      this.wireRuntime(rt);
      this.sendEvent(new InitializedEvent());
      // The response to launch goes before the machine starts, so the client sees a clean order.
      void this.configurationDone.then(() => this.startRuntime(rt, config));
    });
  }

  private installFilterEvaluator(rt: Runtime): void {
    // Filter conditions run inside the vector hook: registers as they are, plus the vector's own.
    rt.filters.evaluator = (cond, e) => {
      const base = exprContext(rt, undefined);
      return evaluateExprCondition(cond, {
        ...base,
        register: (name) => {
          const n = name.replace(/^\$/, '');
          if (n === 'err') return e.errorCode >>> 0;
          if (n === 'vector' || n === 'trapno') return e.vector;
          if (n === 'cpl') return e.cplBefore;
          if (n === 'cr2') return e.cr2;
          if (n === 'eip') return e.eip;
          return base.register(name);
        },
      });
    };
  }

  private wireRuntime(rt: Runtime): void {
    for (const p of rt.programs) {
      if (p.symbolError) this.sendEvent(new OutputEvent(`Ringside: no symbols for ${p.path}: ${p.symbolError}\n`, 'stderr'));
    }
    rt.on('output', (text) => this.sendEvent(new OutputEvent(text, 'stdout')));
    rt.on('stopped', (cause) => this.onStopped(cause));
    rt.on('exited', (code) => {
      this.sendEvent(new ExitedEvent(code));
      this.sendEvent(new TerminatedEvent());
    });
    rt.on('changed', () => this.sendEvent(new Event(CUSTOM_EVENT_STATE_CHANGED, {})));
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured();
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.runtime?.terminate();
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.runtime?.terminate();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  private onStopped(cause: StopCause): void {
    this.resetStopState();
    this.lastStop = cause;
    const tid = this.currentThreadId();
    const rt = this.runtime;
    if (cause.kind === 'breakpoint' && rt && this.breakpoints) {
      const decision = this.breakpoints.onHit(cause.eip);
      if (decision.log !== undefined) this.sendEvent(new OutputEvent(decision.log + '\n', 'console'));
      if (!decision.stop) {
        rt.resumeContinue();
        return;
      }
    }
    let ev: DebugProtocol.StoppedEvent;
    switch (cause.kind) {
      case 'entry': ev = new StoppedEvent('entry', tid); break;
      case 'breakpoint': ev = new StoppedEvent('breakpoint', tid); break;
      case 'step': ev = new StoppedEvent('step', tid); break;
      case 'pause': ev = new StoppedEvent('pause', tid); break;
      case 'data': ev = new StoppedEvent('data breakpoint', tid); ev.body.description = cause.description; break;
      case 'exception':
        ev = new StoppedEvent('exception', tid, cause.hit.description);
        ev.body.description = cause.hit.description;
        break;
      case 'halted':
        ev = new StoppedEvent('exception', tid, cause.description);
        ev.body.description = cause.description;
        break;
    }
    ev.body.allThreadsStopped = true;
    this.sendEvent(ev);
  }

  // ---------------------------------------------------------------- breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.handle(response, () => {
      const table = this.breakpoints;
      const path = args.source.path;
      const wanted = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      if (!table || !path) {
        response.body = { breakpoints: wanted.map(() => new Breakpoint(false)) };
        return;
      }
      response.body = { breakpoints: table.setSource(path, wanted).map((b) => toDapBreakpoint(b, path)) };
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.handle(response, () => {
      response.body = { breakpoints: (this.breakpoints?.setFunctions(args.breakpoints) ?? []).map((b) => toDapBreakpoint(b)) };
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.handle(response, () => {
      response.body = { breakpoints: (this.breakpoints?.setInstructions(args.breakpoints) ?? []).map((b) => toDapBreakpoint(b)) };
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      const list = [
        ...(args.filters ?? []).map((id) => ({ id })),
        ...(args.filterOptions ?? []).map((o) => ({ id: o.filterId, condition: o.condition })),
      ];
      const unknown = rt.filters.set(list);
      if (unknown.length) throw new RequestError(`unknown exception filter(s): ${unknown.join(', ')}`);
      response.body = { breakpoints: list.map(() => ({ verified: true })) };
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.handle(response, () => {
      const s = this.lastStop;
      if (!s || (s.kind !== 'exception' && s.kind !== 'halted')) throw new RequestError('the last stop was not an exception');
      response.body = s.kind === 'exception'
        ? { exceptionId: s.hit.filter, description: s.hit.description, breakMode: 'always', details: { message: s.hit.details } }
        : { exceptionId: 'halted', description: s.description, breakMode: 'always' };
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      const size = Math.max(1, Math.min(args.bytes ?? 4, 4096));
      let address: number | undefined;
      let phys = false;
      if (args.asAddress || args.variablesReference === undefined) {
        const ref = parseMemoryReference(args.name);
        address = ref.addr;
        phys = ref.phys;
      } else {
        const v = this.vars.children(rt, args.variablesReference, false)?.find((x) => x.name === args.name);
        if (v?.memoryReference) address = parseMemoryReference(v.memoryReference).addr;
      }
      if (address === undefined) {
        response.body = { dataId: null, description: `${args.name} has no address to watch` };
        return;
      }
      const id = `${phys ? 'phys:' : ''}0x${address.toString(16)}:${size}`;
      response.body = { dataId: id, description: `${args.name} (${size} bytes at ${phys ? 'physical ' : ''}0x${address.toString(16)})`, accessTypes: ['read', 'write', 'readWrite'], canPersist: true };
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      const list = args.breakpoints.map((b, k) => {
        const m = /^(phys:)?(0x[0-9a-f]+):(\d+)$/i.exec(b.dataId);
        if (!m) throw new RequestError(`bad data breakpoint id ${b.dataId}`);
        return {
          id: k + 1, address: Number(m[2]) >>> 0, length: Number(m[3]), space: (m[1] ? 'physical' : 'linear') as 'physical' | 'linear',
          kind: (b.accessType === 'read' ? 'read' : b.accessType === 'readWrite' ? 'access' : 'write') as 'read' | 'write' | 'access',
        };
      });
      rt.machine.cpu.watch.set(list);
      response.body = { breakpoints: list.map(() => ({ verified: true })) };
    });
  }

  // ---------------------------------------------------------------- execution

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.handle(response, () => {
      this.stopped().resumeContinue();
      response.body = { allThreadsContinued: true };
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.handle(response, () => this.stopped().step(args.granularity === 'instruction' ? 'instruction-over' : 'over'));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.handle(response, () => this.stopped().step(args.granularity === 'instruction' ? 'instruction' : 'in'));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.handle(response, () => this.stopped().step('out'));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.handle(response, () => this.rt().pause());
  }

  // ---------------------------------------------------------------- threads and stacks

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.handle(response, () => {
      const rt = this.runtime;
      const envs = rt && !rt.isRunning ? rt.envs?.list(rt.machine) ?? [] : [];
      response.body = {
        threads: envs.length
          ? envs.map((e) => new Thread(e.id, `[${e.id.toString(16).padStart(8, '0')}] ${e.name} (${e.statusText})`))
          : [new Thread(CPU_THREAD, 'CPU')],
      };
    });
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.handle(response, () => {
      const rt = this.stopped();
      if (args.threadId !== this.currentThreadId()) {
        const env = rt.envs?.list(rt.machine).find((e) => e.id === args.threadId);
        if (!env) throw new RequestError(`unknown thread ${args.threadId}`);
        // Not on the CPU: its registers are the ones it saved when it last entered the kernel.
        const frames = env.status === 5 ? [] : rt.stackOf(env);
        const out: StackFrame[] = frames.map((f) => {
          const id = this.nextFrameId++;
          this.frameIds.set(id, f);
          return this.toDapFrame(id, f);
        });
        response.body = { stackFrames: out, totalFrames: out.length };
        return;
      }
      if (!this.frames.length) this.frames = rt.stack();
      const start = args.startFrame ?? 0;
      const count = args.levels || this.frames.length;
      const out: StackFrame[] = [];
      for (const f of this.frames.slice(start, start + count)) {
        const id = this.nextFrameId++;
        this.frameIds.set(id, f);
        out.push(this.toDapFrame(id, f));
      }
      response.body = { stackFrames: out, totalFrames: this.frames.length };
    });
  }

  private toDapFrame(id: number, f: Frame): StackFrame {
    if (f.kind === 'trap') {
      const sf = new StackFrame(id, f.label ?? 'trap');
      sf.presentationHint = 'label';
      return sf;
    }
    const lookup = f.caller ? f.pc - 1 : f.pc;
    const loc = f.symbols?.lineForAddress(lookup);
    const sf = new StackFrame(id, f.name, loc ? new Source(loc.file.split('/').pop() ?? loc.file, loc.file) : undefined, loc?.line ?? 0, loc?.column || 1);
    sf.instructionPointerReference = '0x' + (f.pc >>> 0).toString(16).padStart(8, '0');
    if (!loc) sf.presentationHint = 'subtle';
    return sf;
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.handle(response, () => {
      const rt = this.stopped();
      const f = this.frameOf(args.frameId);
      const pending = this.lastStop?.kind === 'exception' && f === this.frames[0] ? this.lastStop.hit.event : null;
      response.body = { scopes: this.vars.scopesFor(rt, f, pending).map((s) => new Scope(s.name, s.reference, s.expensive)) };
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.handle(response, () => {
      const rt = this.stopped();
      const list = this.vars.children(rt, args.variablesReference, args.format?.hex ?? false);
      if (!list) throw new StaleReferenceError(`unknown variablesReference ${args.variablesReference}`);
      response.body = { variables: list };
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.handle(response, () => {
      const rt = this.stopped();
      const v = this.vars.set(rt, args.variablesReference, args.name, args.value);
      response.body = { value: v };
      this.sendEvent(new Event(CUSTOM_EVENT_STATE_CHANGED, {}));
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.handle(response, () => {
      const rt = this.stopped();
      const frame = args.frameId !== undefined ? this.frameOf(args.frameId) : this.frames[0] ?? rt.stack()[0];
      const r = evaluateRepl(rt, frame, args.expression, args.context ?? 'repl', this.vars);
      response.body = { result: r.result, variablesReference: r.variablesReference ?? 0, memoryReference: r.memoryReference };
    });
  }

  // ---------------------------------------------------------------- memory and disassembly

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.handle(response, () => {
      const rt = this.stopped();
      const { addr, phys } = parseMemoryReference(args.memoryReference);
      const start = (addr + (args.offset ?? 0)) >>> 0;
      const count = Math.max(0, Math.min(args.count, 1 << 20));
      if (phys) {
        const bytes = rt.machine.mem.peek(start, count);
        response.body = { address: '0x' + start.toString(16), data: Buffer.from(bytes).toString('base64') };
        return;
      }
      const { bytes, readable } = readVirtualPartial(rt.machine, start, count);
      response.body = { address: '0x' + start.toString(16), data: Buffer.from(bytes).toString('base64'), unreadableBytes: count - readable };
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.handle(response, () => {
      const rt = this.stopped();
      const { addr, phys } = parseMemoryReference(args.memoryReference);
      const start = (addr + (args.offset ?? 0)) >>> 0;
      const data = new Uint8Array(Buffer.from(args.data, 'base64'));
      if (phys) {
        if (start + data.length > rt.machine.mem.size) throw new RequestError(`physical range 0x${start.toString(16)}+${data.length} is outside guest memory`);
        rt.machine.mem.u8.set(data, start);
        for (let p = start >>> 12; p <= (start + data.length - 1) >>> 12; p++) rt.machine.cpu.blocks.invalidatePage(p);
        response.body = { bytesWritten: data.length };
      } else {
        response.body = { bytesWritten: writeVirtual(rt.machine, start, data) };
      }
      this.sendEvent(new Event(CUSTOM_EVENT_STATE_CHANGED, {}));
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.handle(response, () => {
      const rt = this.stopped();
      const { addr } = parseMemoryReference(args.memoryReference);
      const count = Math.max(0, Math.min(args.instructionCount, 4096));
      response.body = { instructions: disassembleRange(rt, (addr + (args.offset ?? 0)) >>> 0, args.instructionOffset ?? 0, count, args.resolveSymbols ?? true) };
    });
  }

  // ---------------------------------------------------------------- custom requests

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.handle(response, () => {
      if (command === 'consoleInput') {
        const text = (args as { text?: unknown }).text;
        if (typeof text !== 'string') throw new RequestError('consoleInput needs a "text" string');
        this.rt().consoleInput(text);
        return;
      }
      const body = viewRequest(this.stopped(), command, (args ?? {}) as Record<string, unknown>);
      if (body === undefined) throw new RequestError(`unknown request "${command}"`);
      response.body = body;
    });
  }
}

function toDapBreakpoint(b: { verified: boolean; line?: number; message?: string; address?: number; id: number }, path?: string): DebugProtocol.Breakpoint {
  const bp: DebugProtocol.Breakpoint = { id: b.id, verified: b.verified, message: b.message };
  if (b.line !== undefined) bp.line = b.line;
  if (path) bp.source = { path, name: path.split('/').pop() };
  if (b.address !== undefined) bp.instructionReference = '0x' + (b.address >>> 0).toString(16).padStart(8, '0');
  return bp;
}

/** "0x00801000" (virtual, through the current address space) or "phys:0x1000" (physical). */
export function parseMemoryReference(ref: string): { addr: number; phys: boolean } {
  const m = /^\s*(phys:)?\s*(0x[0-9a-f]+|\d+)\s*$/i.exec(ref ?? '');
  if (!m) throw new RequestError(`bad memory reference ${JSON.stringify(ref)}: use 0x... or phys:0x...`);
  const v = Number(m[2]);
  if (!Number.isFinite(v) || v < 0 || v > 0xffffffff) throw new RequestError(`memory reference ${ref} is outside the 32-bit address space`);
  return { addr: v >>> 0, phys: !!m[1] };
}

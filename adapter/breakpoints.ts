// Breakpoints by source line, function name and instruction address, with conditions, hit counts and
// logpoints. Source lines resolve through the symbols of the kernel or of a user program; a
// breakpoint in a user program applies in every environment running that program, and only there.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Runtime } from './runtime.js';
import type { ProgramSymbols } from './symbols/index.js';
import { evaluateCondition, interpolateLog } from './repl.js';

export interface ResolvedBreakpoint {
  id: number;
  verified: boolean;
  line?: number;
  address?: number;
  message?: string;
}

interface Placed {
  id: number;
  addresses: number[];
  program: string | null;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  hits: number;
}

let nextId = 1;

export class BreakpointTable {
  private bySource = new Map<string, Placed[]>();
  private functions: Placed[] = [];
  private instructions: Placed[] = [];

  constructor(private rt: Runtime) {}

  /** Moves every breakpoint to a new runtime (restart: same programs, so the same addresses). */
  rebind(rt: Runtime): void {
    this.rt = rt;
    this.apply();
  }

  /** Source breakpoints of one file; lines without code move to the next line with code. */
  setSource(path: string, wanted: readonly DebugProtocol.SourceBreakpoint[]): ResolvedBreakpoint[] {
    const placed: Placed[] = [];
    const out = wanted.map((w): ResolvedBreakpoint => {
      const id = nextId++;
      const candidates = this.symbolSources();
      let reason = `no code for ${path.split('/').pop()} in the kernel or the launched programs`;
      for (const c of candidates) {
        if (!c.sym.sourceFiles.includes(path)) continue;
        const r = c.sym.resolveBreakpoint(path, w.line);
        if ('reason' in r) {
          reason = r.reason;
          continue;
        }
        placed.push({ id, addresses: [...r.addresses], program: c.program, condition: w.condition, hitCondition: w.hitCondition, logMessage: w.logMessage, hits: 0 });
        return { id, verified: true, line: r.line, address: r.addresses[0] };
      }
      return { id, verified: false, line: w.line, message: reason };
    });
    this.bySource.set(path, placed);
    this.apply();
    return out;
  }

  setFunctions(wanted: readonly DebugProtocol.FunctionBreakpoint[]): ResolvedBreakpoint[] {
    this.functions = [];
    const out = wanted.map((w): ResolvedBreakpoint => {
      const id = nextId++;
      const sources = this.symbolSources();
      for (const s of sources) {
        const fn = s.sym.functionNamed(w.name);
        if (!fn) continue;
        // Stop after the prologue: at the function's second statement row, as debuggers do.
        const loc = s.sym.lineForAddress(fn.lowPc);
        const body = loc ? s.sym.addressesForLine(loc.file, loc.line + 1).find((a) => a > fn.lowPc && a < fn.highPc) : undefined;
        const address = body ?? fn.lowPc;
        this.functions.push({ id, addresses: [address], program: s.program, condition: w.condition, hitCondition: w.hitCondition, hits: 0 });
        return { id, verified: true, address, line: s.sym.lineForAddress(address)?.line };
      }
      return { id, verified: false, message: `no function named ${w.name} in the kernel or the launched programs` };
    });
    this.apply();
    return out;
  }

  setInstructions(wanted: readonly DebugProtocol.InstructionBreakpoint[]): ResolvedBreakpoint[] {
    this.instructions = [];
    const out = wanted.map((w): ResolvedBreakpoint => {
      const id = nextId++;
      const base = Number(w.instructionReference);
      if (!Number.isFinite(base)) return { id, verified: false, message: `bad instruction reference ${w.instructionReference}` };
      const address = (base + (w.offset ?? 0)) >>> 0;
      this.instructions.push({ id, addresses: [address], program: null, condition: w.condition, hitCondition: w.hitCondition, hits: 0 });
      return { id, verified: true, address };
    });
    this.apply();
    return out;
  }

  /** The kernel's symbols (breakpoints apply everywhere) and each program's (its environments only). */
  private symbolSources(): { sym: ProgramSymbols; program: string | null }[] {
    return [
      ...(this.rt.kernelSymbols ? [{ sym: this.rt.kernelSymbols, program: null }] : []),
      ...this.rt.programs.flatMap((p) => (p.symbols ? [{ sym: p.symbols, program: p.name }] : [])),
    ];
  }

  private all(): Placed[] {
    return [...[...this.bySource.values()].flat(), ...this.functions, ...this.instructions];
  }

  private apply(): void {
    const list: { address: number; program: string | null }[] = [];
    for (const p of this.all()) for (const a of p.addresses) list.push({ address: a, program: p.program });
    this.rt.setBreakpoints(list);
  }

  /** Decides what a hit at `eip` does: stop, log, or go on (condition false / hit count not reached). */
  onHit(eip: number): { stop: boolean; log?: string } {
    const here = this.all().filter((p) => p.addresses.includes(eip >>> 0));
    if (!here.length) return { stop: true };
    let stop = false;
    let log: string | undefined;
    for (const p of here) {
      if (p.condition && !evaluateCondition(this.rt, p.condition)) continue;
      p.hits++;
      if (p.hitCondition && !hitConditionMet(p.hitCondition, p.hits)) continue;
      if (p.logMessage !== undefined) {
        log = (log ? log + '\n' : '') + interpolateLog(this.rt, p.logMessage);
        continue;
      }
      stop = true;
    }
    return { stop, log };
  }
}

/** VS Code's hit conditions: "5" (the 5th hit and after... as a count), ">= 5", "% 3", "== 2". */
function hitConditionMet(cond: string, hits: number): boolean {
  const m = /^\s*(>=|<=|==|>|<|%)?\s*(\d+)\s*$/.exec(cond);
  if (!m) return true;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>': return hits > n;
    case '<': return hits < n;
    case '<=': return hits <= n;
    case '==': return hits === n;
    case '%': return n > 0 && hits % n === 0;
    default: return hits >= n;
  }
}

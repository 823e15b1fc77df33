import type { Elf32Image } from '../../emulator/loader/elf.js';
import type { CallFrameInfo } from './cfi.js';
import type { CodeSymbols } from './code-symbols.js';
import { LocationUnavailable, evalFrameBase, evalLocation, type EvalContext, type Location } from './expr-eval.js';
import type { LineTable, BreakpointResolution, SourceLocation } from './line-table.js';
import type { DwarfModel } from './model-build.js';
import type { CompileUnit, FunctionInfo, LocationDesc, Scope, Variable } from './model.js';
import { sizeOf } from './type-name.js';

export interface FunctionRange {
  readonly name: string;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  /** 'dwarf': a DW_TAG_subprogram; 'symbol': an ELF symbol (assembly, or no debug info). */
  readonly source: 'dwarf' | 'symbol';
  readonly info?: FunctionInfo;
}

/** Registers and memory of one frame, as the adapter sees the stopped machine. */
export interface MachineContext {
  /** DWARF register n of this frame (0 eax ... 5 ebp ... 8 eip). */
  reg(n: number): number;
  readMemory(addr: number, len: number): Uint8Array | undefined;
  /** The frame's CFA when the caller's unwinder knows it; otherwise CFI (or ebp + 8) is used. */
  cfa?(): number;
}

export interface ScopeView {
  readonly function: FunctionInfo;
  readonly params: readonly Variable[];
  /** Locals of every block holding the pc, innermost block first (shadowed names included). */
  readonly locals: readonly Variable[];
  /** Inlined calls holding the pc, innermost first. */
  readonly inlined: readonly NonNullable<Scope['inlined']>[];
}

interface FnRange {
  readonly start: number;
  readonly end: number;
  readonly fn: FunctionInfo;
}

/**
 * Everything the debugger knows about one ELF program: lines, functions, variables, types,
 * frames. Addresses are 32-bit unsigned numbers. For a caller's frame pass pc - 1 (the
 * return address may already belong to the next line or function).
 */
export class ProgramSymbols {
  readonly units: readonly CompileUnit[];
  readonly functions: readonly FunctionInfo[];
  readonly globals: readonly Variable[];
  private readonly fnRanges: FnRange[];

  constructor(
    readonly file: string,
    readonly elf: Elf32Image,
    model: DwarfModel,
    readonly lines: LineTable,
    readonly frames: CallFrameInfo,
    private readonly code: CodeSymbols,
  ) {
    this.units = model.units;
    this.functions = model.functions;
    this.globals = model.globals;
    this.fnRanges = model.functions
      .flatMap((fn) => fn.ranges.map((r) => ({ start: r.start, end: r.end, fn })))
      .sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /** Source files with code, as absolute paths. */
  get sourceFiles(): string[] {
    return this.lines.files;
  }

  lineForAddress(addr: number): SourceLocation | undefined {
    return this.lines.lineForAddress(addr);
  }

  addressesForLine(file: string, line: number): number[] {
    return this.lines.addressesForLine(file, line);
  }

  /** Where a breakpoint on file:line goes (next line with code; one address per function). */
  resolveBreakpoint(file: string, line: number): BreakpointResolution {
    return this.lines.resolveBreakpoint(file, line, (a) => this.functionAt(a)?.start);
  }

  isStatementStart(addr: number): boolean {
    return this.lines.isStatementStart(addr);
  }

  lineRange(addr: number): [number, number] | undefined {
    return this.lines.lineRange(addr);
  }

  /**
   * Where a breakpoint on the function itself goes: past the prologue to the first line of
   * its body, as gdb's `break func` does. Assembly (no frame base) stops at its first
   * instruction: a trap stub's first push is exactly what a student wants to see.
   */
  afterPrologue(fn: FunctionInfo): number {
    if (fn.frameBase === undefined) return fn.lowPc;
    return this.lines.firstLineChange(fn.lowPc, fn.highPc) ?? fn.lowPc;
  }

  private dwarfFunctionAt(addr: number): FnRange | undefined {
    let lo = 0;
    let hi = this.fnRanges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.fnRanges[mid]!.start <= addr) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
      const r = this.fnRanges[i]!;
      if (addr >= r.start && addr < r.end) return r;
    }
    return undefined;
  }

  /** The function holding addr: a DWARF subprogram, else an ELF function symbol or code label. */
  functionAt(addr: number): FunctionRange | undefined {
    addr >>>= 0;
    const d = this.dwarfFunctionAt(addr);
    if (d !== undefined) return { name: d.fn.name, start: d.start, end: d.end, source: 'dwarf', info: d.fn };
    const s = this.code.codeAt(addr);
    return s === undefined ? undefined : { name: s.name, start: s.start, end: s.end, source: 'symbol' };
  }

  /** "name" or "name+0x12" for a code or data address; undefined when nothing names it. */
  symbolize(addr: number): string | undefined {
    addr >>>= 0;
    const f = this.functionAt(addr);
    const start = f?.info?.lowPc ?? f?.start;
    const r = f !== undefined ? { name: f.name, start: start! <= addr ? start! : f.start } : this.code.dataAt(addr);
    if (r === undefined) return undefined;
    return addr === r.start ? r.name : `${r.name}+0x${(addr - r.start).toString(16)}`;
  }

  /** The function named `name` with code (an external one first, then statics). */
  functionNamed(name: string): FunctionInfo | undefined {
    const all = this.functions.filter((f) => f.name === name);
    return all.find((f) => f.external) ?? all[0];
  }

  /** A global or file-static variable by name (externals first, as C scope resolution would). */
  globalNamed(name: string): Variable | undefined {
    const all = this.globals.filter((v) => v.name === name);
    return all.find((v) => v.external) ?? all[0];
  }

  /** Parameters and locals visible at pc, or undefined outside any DWARF function. */
  scopeAt(pc: number): ScopeView | undefined {
    const d = this.dwarfFunctionAt(pc >>> 0);
    if (d === undefined) return undefined;
    const chain: Scope[] = [];
    let scope: Scope | undefined = d.fn.body;
    for (let depth = 0; scope !== undefined && depth < 1000; depth++) {
      chain.push(scope);
      scope = scope.children.find((c) => c.ranges.some((r) => pc >= r.start && pc < r.end));
    }
    chain.reverse();
    return {
      function: d.fn,
      params: d.fn.params,
      locals: chain.flatMap((s) => s.variables),
      inlined: chain.flatMap((s) => (s.inlined ? [s.inlined] : [])),
    };
  }

  /** The CFA at pc from CFI; with no CFI, ebp + 8 (right once `mov %esp,%ebp` has run). */
  cfaAt(pc: number, reg: (n: number) => number): number {
    return this.frames.cfaAt(pc, reg) ?? ((reg(5) + 8) >>> 0);
  }

  /** The frame base of the function holding pc (DW_AT_frame_base evaluated), if any. */
  frameBase(pc: number, m: MachineContext): number | undefined {
    const fn = this.dwarfFunctionAt(pc >>> 0)?.fn;
    if (fn?.frameBase === undefined) return undefined;
    const expr = exprAt(fn.frameBase, pc);
    if (expr === undefined) return undefined;
    return evalFrameBase(expr, this.evalContext(pc, m, fn.unit), { file: this.file });
  }

  /** Where variable `v` is at pc in the frame described by `m`. */
  locate(v: Variable, pc: number, m: MachineContext): Location {
    const desc = v.location;
    if (desc.kind === 'none') return { kind: 'optimized-out' };
    if (desc.kind === 'const') return { kind: 'implicit', bytes: constBytes(desc.value, sizeOf(v.type) ?? 4) };
    const expr = exprAt(desc, pc);
    if (expr === undefined) return { kind: 'optimized-out' };
    const ctx = this.evalContext(pc, m, v.unit);
    return evalLocation(expr, {
      ...ctx,
      frameBase: () => {
        const fb = this.frameBase(pc, m);
        if (fb === undefined) throw new LocationUnavailable('the function has no frame base here');
        return fb;
      },
    }, { file: this.file });
  }

  private evalContext(pc: number, m: MachineContext, unit: CompileUnit): Omit<EvalContext, 'frameBase'> {
    return {
      addrIndex: unit.addrIndex,
      reg: (n) => m.reg(n),
      readMemory: (a, n) => m.readMemory(a, n),
      cfa: () => (m.cfa !== undefined ? m.cfa() : this.cfaAt(pc, (n) => m.reg(n))),
    };
  }
}

/** The expression of a location description that applies at pc. */
export function exprAt(desc: LocationDesc, pc: number): Uint8Array | undefined {
  if (desc.kind === 'expr') return desc.expr;
  if (desc.kind !== 'list') return undefined;
  pc >>>= 0;
  const hit = desc.entries.find((e) => !e.isDefault && pc >= e.start && pc < e.end) ?? desc.entries.find((e) => e.isDefault);
  return hit?.expr;
}

function constBytes(value: number | bigint | Uint8Array | string, size: number): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return new TextEncoder().encode(`${value}\0`);
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, BigInt(value));
  for (let i = 0; i < size; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

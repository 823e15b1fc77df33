import { DW_AT, DW_FORM, DW_TAG } from './dwarf-constants.js';
import { hex } from './error.js';
import { readDebugInfo, type Die, type Unit } from './info.js';
import { readLineProgram, type LineProgram } from './line-program.js';
import { dieRanges, readLocList, type AddrRange } from './lists.js';
import type { CompileUnit, FunctionInfo, LocationDesc, Scope, Variable, VariableKind } from './model.js';
import type { DebugSections } from './sections.js';
import { TypeBuilder } from './type-build.js';
import type { CType, FunctionType } from './types.js';

export interface DwarfModel {
  readonly units: readonly CompileUnit[];
  /** Functions with code, sorted by entry address. */
  readonly functions: readonly FunctionInfo[];
  /** File-scope variables (globals and file statics) that have a location or a value. */
  readonly globals: readonly Variable[];
  /** Every line program's rows, in file order. */
  readonly linePrograms: readonly LineProgram[];
}

const MAX_ORIGIN_HOPS = 8;

/** Reads .debug_info and .debug_line into the model the debugger works with. */
export function readDwarf(s: DebugSections): DwarfModel {
  const info = readDebugInfo(s);
  const types = new TypeBuilder(info.dies);
  const units: CompileUnit[] = [];
  const functions: FunctionInfo[] = [];
  const globals: Variable[] = [];
  const linePrograms: LineProgram[] = [];
  const seenPrograms = new Map<number, LineProgram>();
  for (const unit of info.units) {
    const root = unit.root;
    if (root.tag !== DW_TAG.compile_unit && root.tag !== DW_TAG.partial_unit) continue;
    const compDir = unit.str(root, DW_AT.comp_dir) ?? '';
    const stmt = unit.sectionOffset(root, DW_AT.stmt_list);
    let program: LineProgram | undefined;
    if (stmt !== undefined) {
      program = seenPrograms.get(stmt);
      if (program === undefined) {
        program = readLineProgram(s, stmt, { compDir, strx: (i) => unit.strIndex(i) });
        seenPrograms.set(stmt, program);
        linePrograms.push(program);
      }
    }
    const cu: CompileUnit = {
      offset: unit.offset,
      version: unit.version,
      name: unit.str(root, DW_AT.name) ?? '',
      compDir,
      producer: unit.str(root, DW_AT.producer) ?? '',
      language: unit.udata(root, DW_AT.language) ?? 0,
      ranges: dieRanges(unit, root),
      files: program?.files ?? [],
      lineProgram: program,
      addrIndex: (i) => unit.addrIndex(i),
    };
    units.push(cu);
    new UnitWalker(unit, cu, types, info.dies, functions, globals).walkTop(root);
  }
  functions.sort((a, b) => a.lowPc - b.lowPc);
  return { units, functions, globals, linePrograms };
}

/** Turns one unit's DIE tree into functions, scopes and variables. */
class UnitWalker {
  constructor(
    private readonly unit: Unit,
    private readonly cu: CompileUnit,
    private readonly types: TypeBuilder,
    private readonly dies: ReadonlyMap<number, Die>,
    private readonly functions: FunctionInfo[],
    private readonly globals: Variable[],
  ) {}

  walkTop(root: Die): void {
    for (const die of root.children) {
      if (die.tag === DW_TAG.subprogram) this.subprogram(die);
      else if (die.tag === DW_TAG.variable) {
        const v = this.variable(die, 'global');
        if (v !== undefined) this.globals.push(v);
      }
    }
  }

  /** The DIE, then the DIEs it inherits from (abstract_origin, specification). */
  private chain(die: Die): Die[] {
    const out = [die];
    let d = die;
    for (let i = 0; i < MAX_ORIGIN_HOPS; i++) {
      const ref = d.unit.ref(d, DW_AT.abstract_origin) ?? d.unit.ref(d, DW_AT.specification);
      const next = ref === undefined ? undefined : this.dies.get(ref);
      if (next === undefined || out.includes(next)) break;
      out.push(next);
      d = next;
    }
    return out;
  }

  private inherited<T>(chain: readonly Die[], get: (d: Die) => T | undefined): T | undefined {
    for (const d of chain) {
      const v = get(d);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private fileName(d: Die, at: number): string | undefined {
    const n = d.unit.udata(d, at);
    if (n === undefined) return undefined;
    // decl_file of an origin DIE in another unit indexes that unit's table, which only
    // matters for LTO; within one unit the table is this one.
    return this.cu.files[n];
  }

  private subprogram(die: Die): void {
    const u = this.unit;
    const ranges = dieRanges(u, die);
    if (ranges.length === 0) return; // declaration or abstract inline instance: no code here
    const chain = this.chain(die);
    const low = u.addr(die, DW_AT.low_pc) ?? u.addr(die, DW_AT.entry_pc) ?? ranges[0]!.start;
    const entryRange = ranges.find((r) => r.start <= low && low < r.end) ?? ranges[0]!;
    const params: Variable[] = [];
    const body = this.scope(die, ranges, params, undefined);
    this.functions.push({
      name: this.inherited(chain, (d) => d.unit.str(d, DW_AT.name)) ?? `<function at ${hex(low)}>`,
      lowPc: low,
      highPc: entryRange.end,
      ranges,
      declFile: this.inherited(chain, (d) => this.fileName(d, DW_AT.decl_file)),
      declLine: this.inherited(chain, (d) => d.unit.udata(d, DW_AT.decl_line)),
      external: chain.some((d) => d.unit.flag(d, DW_AT.external)),
      frameBase: u.has(die, DW_AT.frame_base) ? this.location(die, DW_AT.frame_base) : undefined,
      type: this.functionType(chain),
      params,
      body,
      dieOffset: die.offset,
      unit: this.cu,
    });
  }

  private functionType(chain: readonly Die[]): FunctionType {
    // Parameters are listed on the DIE that has them: the abstract origin for inline copies.
    const withParams = chain.find((d) => d.children.some((c) => c.tag === DW_TAG.formal_parameter || c.tag === DW_TAG.unspecified_parameters)) ?? chain[0]!;
    const typed = chain.find((d) => d.unit.has(d, DW_AT.type));
    const params: CType[] = [];
    let variadic = false;
    for (const c of withParams.children) {
      if (c.tag === DW_TAG.formal_parameter) params.push(this.types.typeOf(this.chain(c).find((d) => d.unit.has(d, DW_AT.type)) ?? c));
      else if (c.tag === DW_TAG.unspecified_parameters) variadic = true;
    }
    return {
      kind: 'function',
      returns: typed ? this.types.typeOf(typed) : { kind: 'void' },
      params,
      variadic,
      prototyped: chain.some((d) => d.unit.flag(d, DW_AT.prototyped)),
    };
  }

  /**
   * The scope of a function body, lexical block or inlined call. Parameters directly in a
   * subprogram go to `params`; those of an inlined call are variables of its scope.
   */
  private scope(die: Die, ranges: AddrRange[], params: Variable[] | undefined, inlined: Scope['inlined']): Scope {
    const variables: Variable[] = [];
    const children: Scope[] = [];
    for (const c of die.children) {
      switch (c.tag) {
        case DW_TAG.formal_parameter: {
          const v = this.variable(c, 'parameter');
          if (v === undefined) break;
          if (params !== undefined) params.push(v);
          else variables.push(v);
          break;
        }
        case DW_TAG.variable: {
          const v = this.variable(c, 'local');
          if (v !== undefined) variables.push(v);
          break;
        }
        case DW_TAG.lexical_block: {
          const r = dieRanges(this.unit, c);
          // A block without ranges (in an abstract instance, or emptied by optimisation)
          // still scopes its variables: give them the parent's ranges.
          children.push(this.scope(c, r.length > 0 ? r : ranges, undefined, undefined));
          break;
        }
        case DW_TAG.inlined_subroutine: {
          const chain = this.chain(c);
          const name = this.inherited(chain, (d) => d.unit.str(d, DW_AT.name)) ?? '<inlined>';
          children.push(this.scope(c, dieRanges(this.unit, c), undefined, {
            name,
            callFile: this.fileName(c, DW_AT.call_file),
            callLine: this.unit.udata(c, DW_AT.call_line),
          }));
          break;
        }
        case DW_TAG.subprogram:
          this.subprogram(c); // GNU C nested function
          break;
        default:
          break;
      }
    }
    return { ranges, variables, children, ...(inlined ? { inlined } : {}) };
  }

  private variable(die: Die, kind: VariableKind): Variable | undefined {
    const u = this.unit;
    const chain = this.chain(die);
    const name = this.inherited(chain, (d) => d.unit.str(d, DW_AT.name));
    if (name === undefined) return undefined; // artificial or anonymous
    const location = this.location(die, DW_AT.location);
    // An extern declaration (no location, no value) is not the variable itself.
    if (location.kind === 'none' && u.flag(die, DW_AT.declaration)) return undefined;
    const typed = chain.find((d) => d.unit.has(d, DW_AT.type));
    // A local at a fixed address (DW_OP_addr or DW_OP_addrx alone) is a `static` local.
    const isStatic = location.kind === 'expr' && (location.expr[0] === 0x03 && location.expr.length === 1 + u.addrSize || location.expr[0] === 0xa1 && location.expr.length <= 6);
    return {
      name,
      type: typed ? this.types.typeOf(typed) : { kind: 'void' },
      kind,
      isStatic: kind === 'local' ? isStatic : !chain.some((d) => d.unit.flag(d, DW_AT.external)),
      external: chain.some((d) => d.unit.flag(d, DW_AT.external)),
      location,
      declFile: this.inherited(chain, (d) => this.fileName(d, DW_AT.decl_file)),
      declLine: this.inherited(chain, (d) => d.unit.udata(d, DW_AT.decl_line)),
      dieOffset: die.offset,
      unit: this.cu,
    };
  }

  private location(die: Die, at: number): LocationDesc {
    const u = this.unit;
    const a = u.attr(die, at);
    if (a !== undefined) {
      if (a.value instanceof Uint8Array) return { kind: 'expr', expr: a.value };
      return { kind: 'list', entries: readLocList(u, die, at) };
    }
    const c = u.attr(die, DW_AT.const_value);
    if (at === DW_AT.location && c !== undefined) {
      if (c.form === DW_FORM.string || c.form === DW_FORM.strp || c.form === DW_FORM.line_strp) return { kind: 'const', value: u.str(die, DW_AT.const_value)! };
      if (c.value instanceof Uint8Array) return { kind: 'const', value: c.value };
      return { kind: 'const', value: u.constantBig(die, DW_AT.const_value, c.form === DW_FORM.sdata)! };
    }
    return { kind: 'none' };
  }
}

// The expression language's view of a stopped frame: registers (and the trap pseudo-registers),
// memory through the frame's address space, the frame's DWARF variables and the program's types,
// with DWARF types mapped onto the expression language's own small type model.
import * as E from './expr/index.js';
import { strip, type CType as DwarfType, type ProgramSymbols } from './symbols/index.js';
import type { Runtime } from './runtime.js';
import type { Frame } from './stack.js';
import { frameRegister, setRegister } from './registers.js';
import { readVirtual, readVirtual32, writeVirtual } from './vm.js';

// DWARF base type encodings (DW_ATE_*).
const ATE_BOOLEAN = 0x02, ATE_FLOAT = 0x04, ATE_SIGNED = 0x05, ATE_SIGNED_CHAR = 0x06, ATE_UNSIGNED_CHAR = 0x08;

/** Maps a DWARF type to the expression language's; cycles (struct Env *env_link) share objects. */
export function toExprType(t: DwarfType, seen = new Map<DwarfType, E.CType>()): E.CType {
  const hit = seen.get(t);
  if (hit) return hit;
  switch (t.kind) {
    case 'void':
    case 'unknown':
      return E.VOID;
    case 'base': {
      const enc = t.encoding;
      const encoding: E.BaseEncoding = enc === ATE_BOOLEAN ? 'bool' : enc === ATE_FLOAT ? 'float' : enc === ATE_SIGNED_CHAR || enc === ATE_UNSIGNED_CHAR ? 'char' : 'int';
      return E.base(t.name, t.size, enc === ATE_SIGNED || enc === ATE_SIGNED_CHAR || enc === ATE_FLOAT, encoding);
    }
    case 'pointer': {
      const p = { kind: 'pointer', target: E.VOID } as { kind: 'pointer'; target: E.CType };
      seen.set(t, p);
      p.target = toExprType(t.target, seen);
      return p;
    }
    case 'const':
    case 'volatile':
      return E.qualified(t.kind, toExprType(t.target, seen));
    case 'restrict':
    case 'atomic':
      return toExprType(t.target, seen);
    case 'typedef': {
      const d = { kind: 'typedef', name: t.name, target: E.VOID } as { kind: 'typedef'; name: string; target: E.CType };
      seen.set(t, d);
      d.target = toExprType(t.target, seen);
      return d;
    }
    case 'struct':
    case 'union': {
      const s = { kind: t.kind, name: t.name, size: t.size, members: [] as E.Member[], incomplete: t.declaration } as { kind: 'struct' | 'union'; name: string | undefined; size: number; members: E.Member[]; incomplete?: boolean };
      seen.set(t, s);
      s.members = t.members.map((m) => ({ name: m.name, offset: m.offset, type: toExprType(m.type, seen), bitOffset: m.bitOffset, bitSize: m.bitSize }));
      return s;
    }
    case 'enum':
      return E.enumeration(t.name, t.size, t.enumerators, t.signed);
    case 'array':
      return E.array(toExprType(t.element, seen), t.count);
    case 'function':
      return E.func(toExprType(t.returns, seen), t.params.map((p) => toExprType(p, seen)), t.variadic);
  }
}

/** Finds a named type (struct X, union X, enum X, a typedef) among a program's variables' types. */
function findType(sym: ProgramSymbols, name: string): DwarfType | undefined {
  const want = name.trim().replace(/\s+/g, ' ');
  const visit = (t: DwarfType, depth: number): DwarfType | undefined => {
    if (depth > 8) return undefined;
    if (t.kind === 'typedef' && t.name === want) return t;
    if ((t.kind === 'struct' || t.kind === 'union' || t.kind === 'enum') && `${t.kind} ${t.name}` === want) return t;
    if (t.kind === 'base' && t.name === want) return t;
    if ('target' in t) return visit(t.target, depth + 1);
    if (t.kind === 'array') return visit(t.element, depth + 1);
    if (t.kind === 'struct' || t.kind === 'union') {
      for (const m of t.members) {
        const r = visit(m.type, depth + 1);
        if (r) return r;
      }
    }
    return undefined;
  };
  for (const v of sym.globals) {
    const r = visit(v.type, 0);
    if (r) return r;
  }
  for (const f of sym.functions) {
    for (const v of [...f.params, ...f.body.variables]) {
      const r = visit(v.type, 0);
      if (r) return r;
    }
  }
  return undefined;
}

const DWARF_REGS = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eip'];

export function exprContext(rt: Runtime, frame: Frame | undefined): E.ExprContext {
  const sym = frame?.symbols ?? rt.kernelSymbols;
  const cr3 = frame?.cr3 ?? null;
  const typeCache = new Map<DwarfType, E.CType>();
  const pc = frame ? (frame.caller ? frame.pc - 1 : frame.pc) : rt.machine.cpu.eip >>> 0;
  return {
    register: (name) => frameRegister(rt, frame, name) ?? trapPseudo(rt, name),
    setRegister: (name, value) => {
      if (!setRegister(rt, name, value)) throw new Error(`register $${name} cannot be set`);
    },
    readMemory: (addr, size) => readVirtual(rt.machine, addr, size, cr3),
    writeMemory: (addr, bytes) => writeVirtual(rt.machine, addr, bytes, cr3) === bytes.length,
    lookupVariable: (name) => {
      if (!sym) return undefined;
      const scope = sym.scopeAt(pc);
      const v = [...(scope?.locals ?? []), ...(scope?.params ?? [])].find((x) => x.name === name) ?? sym.globalNamed(name);
      if (!v) {
        // Enumerators are values of their enum type.
        for (const g of sym.globals) {
          const t = strip(g.type);
          if (t.kind === 'enum') {
            const e = t.enumerators.find((x) => x.name === name);
            if (e) return { type: toExprType(t, typeCache), location: { kind: 'value', value: e.value } };
          }
        }
        return undefined;
      }
      const ctx = {
        reg: (n: number) => frameRegister(rt, frame, DWARF_REGS[n] ?? '') ?? 0,
        readMemory: (a: number, n: number) => readVirtual(rt.machine, a, n, cr3),
      };
      const loc = sym.locate(v, pc, ctx);
      const type = toExprType(v.type, typeCache);
      if (loc.kind === 'memory') return { type, location: { kind: 'memory', address: loc.addr >>> 0 } };
      if (loc.kind === 'register') return { type, location: { kind: 'register', reg: DWARF_REGS[loc.reg] ?? `r${loc.reg}` } };
      if (loc.kind === 'value') return { type, location: { kind: 'value', value: loc.value } };
      throw new Error(`${name} is optimized out here`);
    },
    lookupType: (name) => {
      if (!sym) return undefined;
      const t = findType(sym, name);
      return t ? toExprType(t, typeCache) : undefined;
    },
    symbolize: (addr) => rt.symbolsAt(addr)?.symbolize(addr),
  };
}

/** $err, $vector, $trapno: from the innermost trap frame on the stack (or the pending vector). */
function trapPseudo(rt: Runtime, name: string): number | undefined {
  const n = name.replace(/^\$/, '');
  if (n !== 'err' && n !== 'vector' && n !== 'trapno') return undefined;
  const trap = rt.stack().find((f) => f.kind === 'trap' && f.trapFrame !== undefined);
  if (trap?.trapFrame !== undefined) return readVirtual32(rt.machine, trap.trapFrame + (n === 'err' ? 44 : 40));
  if (rt.lastVector) return n === 'err' ? rt.lastVector.errorCode >>> 0 : rt.lastVector.vector;
  return undefined;
}

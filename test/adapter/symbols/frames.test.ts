// Call frame information against readelf's interpreted tables, and variable locations
// evaluated against a fake machine: where gdb would look for each local at -O0 and -Og.
import { describe, expect, it } from 'vitest';
import {
  exprAt, formatExpr, loadSymbols, registerName,
  type FunctionInfo, type MachineContext, type RegisterRule, type Scope, type Variable,
} from '../../../adapter/symbols/index.js';
import { readelfFrames } from './binutils.js';
import { buildFixtures } from './toolchain.js';

const fixtures = buildFixtures();

const COLUMNS: Record<string, number> = { eax: 0, ecx: 1, edx: 2, ebx: 3, esp: 4, ebp: 5, esi: 6, edi: 7 };

function ruleText(rule: RegisterRule | undefined): string {
  if (rule === undefined || rule.kind === 'undefined') return 'u';
  switch (rule.kind) {
    case 'offset': return `c${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
    case 'same': return 's';
    case 'register': return registerName(rule.reg);
    case 'val_offset': return `v${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
    default: return 'exp';
  }
}

function allVariables(fn: FunctionInfo): Variable[] {
  const out = [...fn.params];
  const walk = (s: Scope) => {
    out.push(...s.variables);
    s.children.forEach(walk);
  };
  walk(fn.body);
  return out;
}

/** A frame whose registers are given and whose memory holds `mem` (4-byte little-endian words). */
function machine(regs: Record<number, number>, mem: Record<number, number> = {}): MachineContext {
  return {
    reg: (n) => regs[n] ?? 0,
    readMemory: (addr, len) => {
      const out = new Uint8Array(len);
      for (let i = 0; i < len; i++) {
        const word = mem[(addr + i) & ~3];
        if (word === undefined) return undefined;
        out[i] = (word >>> (((addr + i) & 3) * 8)) & 0xff;
      }
      return out;
    },
  };
}

describe.each(fixtures)('frames of $variant.name', ({ path, bytes, variant }) => {
  const syms = loadSymbols(bytes, path);

  it('has the unwind rows readelf --debug-dump=frames-interp prints', () => {
    const rows = readelfFrames(path);
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      const ours = syms.frames.rowAt(r.loc)!;
      const where = `at 0x${r.loc.toString(16)}`;
      expect(ours, where).toBeDefined();
      const cfa = 'reg' in ours.cfa ? `${registerName(ours.cfa.reg)}+${ours.cfa.offset}` : 'exp';
      expect(cfa, where).toBe(r.cfa);
      for (const [col, text] of r.regs) {
        const reg = col === 'ra' ? ours.returnAddressRegister : COLUMNS[col]!;
        expect(ruleText(ours.registers.get(reg)), `${where} ${col}`).toBe(text);
      }
    }
  });

  it('finds -O0 locals through the CFA, before and after the prologue', () => {
    if (variant.name.includes('Og')) return;
    const sum = syms.functionNamed('sum')!;
    const vars = Object.fromEntries(allVariables(sum).map((v) => [v.name, v]));
    // At the entry the return address is at [esp]: CFA = esp + 4, p at CFA + 0.
    const entry = machine({ 4: 0x1000, 5: 0xdead });
    expect(syms.locate(vars.p!, sum.lowPc, entry)).toEqual({ kind: 'memory', addr: 0x1004 });
    expect(syms.frameBase(sum.lowPc, entry)).toBe(0x1004);
    // After push %ebp; mov %esp,%ebp: CFA = ebp + 8.
    const body = syms.afterPrologue(sum);
    const m = machine({ 4: 0x1f00, 5: 0x2000 });
    const fb = formatExpr(exprAt(vars.total!.location, body)!);
    const offset = Number(/DW_OP_fbreg: (-?\d+)/.exec(fb)![1]);
    expect(syms.locate(vars.total!, body, m)).toEqual({ kind: 'memory', addr: 0x2008 + offset });
    expect(syms.locate(vars.n!, body, m)).toEqual({ kind: 'memory', addr: 0x200c });
    expect(syms.locate(vars.calls!, body, m)).toMatchObject({ kind: 'memory', addr: syms.elf.symbols.find((s) => s.name.startsWith('calls'))!.value });
    // The caller's unwinder may know the CFA better (a frame further up the stack).
    expect(syms.locate(vars.n!, body, { ...m, cfa: () => 0x5000 })).toEqual({ kind: 'memory', addr: 0x5004 });
  });

  it('evaluates -Og register, value and piece locations', () => {
    if (!variant.name.includes('Og')) return;
    const regs = { 0: 10, 1: 11, 2: 12, 3: 13, 4: 0x1000, 5: 0x2000, 6: 16, 7: 0x3000 };
    const m = machine(regs, { 0x3000: 7, 0x3004: 6 });
    const kinds = new Set<string>();
    for (const fn of syms.functions) {
      for (const v of allVariables(fn)) {
        if (v.location.kind !== 'list') continue;
        for (const e of v.location.entries) {
          if (e.start === e.end) continue;
          const text = formatExpr(e.expr);
          const loc = syms.locate(v, e.start, m);
          kinds.add(loc.kind);
          const reg = /^DW_OP_reg(\d) \(\w+\)$/.exec(text);
          if (reg) expect(loc).toEqual({ kind: 'register', reg: Number(reg[1]) });
          if (text === 'DW_OP_lit0; DW_OP_stack_value') expect(loc).toEqual({ kind: 'value', value: 0 });
          if (text.startsWith('DW_OP_breg7 (edi): 4; DW_OP_deref; DW_OP_breg7 (edi): 0; DW_OP_deref; DW_OP_mul')) expect(loc).toEqual({ kind: 'value', value: 42 });
          if (/^DW_OP_reg(\d) \(\w+\); DW_OP_piece: 4; DW_OP_reg(\d) \(\w+\); DW_OP_piece: 4$/.test(text)) {
            expect(loc).toMatchObject({ kind: 'pieces', pieces: [{ bits: 32, location: { kind: 'register' } }, { bits: 32, location: { kind: 'register' } }] });
          }
        }
        // Outside every entry's range the variable is optimised out.
        expect(syms.locate(v, 0x10, m)).toEqual({ kind: 'optimized-out' });
      }
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['memory', 'pieces', 'register', 'value']));
  });
});

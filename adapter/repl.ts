// evaluate: watches, hovers, the Debug Console and breakpoint conditions. Expressions are C-like
// over registers ($eax, $cr2 ...), numbers, memory (*(int*)0x...) and the frame's variables; the
// Debug Console also takes commands: pt ADDR (page walk), idt [N], gdt, tss, x/Nx ADDR.
import { decodeGdt, decodeIdt, decodeTss, linearReader, translate } from '../emulator/inspect/index.js';
import type { Runtime } from './runtime.js';
import type { Frame } from './stack.js';
import { frameRegister } from './registers.js';
import type { VariableStore } from './variables.js';
import { readVirtual } from './vm.js';
import * as E from './expr/index.js';
import { exprContext } from './expr-context.js';

export interface EvalResult {
  result: string;
  variablesReference?: number;
  memoryReference?: string;
}

const hex8 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

export function evaluateRepl(rt: Runtime, frame: Frame | undefined, text: string, context: string, vars: VariableStore): EvalResult {
  const t = text.trim();
  if (!t) throw new Error('empty expression');
  if (context === 'repl') {
    const cmd = replCommand(rt, t);
    if (cmd !== undefined) return { result: cmd };
  }
  const ctx = exprContext(rt, frame);
  let value: E.Value;
  try {
    value = E.evaluate(t, ctx);
  } catch (e) {
    // Plain names the expression language does not know may still be a frame's variable.
    const local = frame?.symbols ? lookupLocal(rt, frame, t, vars) : undefined;
    if (local) return local;
    throw e;
  }
  const f = E.formatValue(value, ctx, { hex: false });
  const ref = f.childCount > 0 ? vars.add(() => E.children(value, ctx, {}).map((c) => {
    const cf = E.formatValue(c.value, ctx, {});
    return { name: c.name, value: cf.text, type: cf.type, variablesReference: 0, memoryReference: cf.memoryReference, evaluateName: c.evaluateName };
  })) : 0;
  return { result: f.text, variablesReference: ref, memoryReference: f.memoryReference };
}

/** A variable of the frame by plain name (locals, then arguments, then globals). */
function lookupLocal(rt: Runtime, f: Frame, name: string, vars: VariableStore): EvalResult | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const scopes = vars.scopesFor(rt, f).filter((s) => ['Locals', 'Arguments', 'Globals'].includes(s.name));
  for (const s of scopes) {
    const hit = vars.children(rt, s.reference, false)?.find((v) => v.name === name);
    if (hit) return { result: hit.value, variablesReference: hit.variablesReference, memoryReference: hit.memoryReference };
  }
  return undefined;
}

/** Conditions of breakpoints: true when the expression is non-zero. */
export function evaluateCondition(rt: Runtime, cond: string): boolean {
  try {
    return E.evaluateCondition(cond, exprContext(rt, rt.stack()[0]));
  } catch {
    return true; // a condition that cannot be evaluated stops, so the user sees why
  }
}

/** Logpoint messages: {expr} parts are evaluated. */
export function interpolateLog(rt: Runtime, msg: string): string {
  try {
    return E.interpolate(msg, exprContext(rt, rt.stack()[0]));
  } catch (err) {
    return `${msg} <${(err as Error).message}>`;
  }
}

// ---------------------------------------------------------------- a small C-like number evaluator

type Tok = { k: 'num'; v: number } | { k: 'id'; v: string } | { k: 'op'; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(0x[0-9a-fA-F]+|\d+)|(\$?[A-Za-z_]\w*)|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>()?:]))/y;
  let i = 0;
  while (i < s.length) {
    if (/^\s*$/.test(s.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw new Error(`unexpected '${s[i]}' at column ${i + 1}`);
    if (m[1]) out.push({ k: 'num', v: Number(m[1]) });
    else if (m[2]) out.push({ k: 'id', v: m[2] });
    else out.push({ k: 'op', v: m[3] });
    i = re.lastIndex;
  }
  return out;
}

const CAST_SIZES: Record<string, number> = { char: 1, short: 2, int: 4, long: 4, unsigned: 4 };

/** Evaluates integer expressions; `*(T*)addr` reads memory of T's size. */
export function evaluateNumber(rt: Runtime, frame: Frame | undefined, text: string): number {
  const toks = tokenize(text);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const eat = (v: string): boolean => {
    const t = toks[p];
    if (t && t.k === 'op' && t.v === v) {
      p++;
      return true;
    }
    return false;
  };
  const bin: [string[], (a: number, b: number, op: string) => number][] = [
    [['||'], (a, b) => (a || b ? 1 : 0)],
    [['&&'], (a, b) => (a && b ? 1 : 0)],
    [['|'], (a, b) => a | b],
    [['^'], (a, b) => a ^ b],
    [['&'], (a, b) => a & b],
    [['==', '!='], (a, b, op) => ((op === '==') === ((a >>> 0) === (b >>> 0)) ? 1 : 0)],
    [['<', '<=', '>', '>='], (a, b, op) => {
      const x = a >>> 0, y = b >>> 0;
      return (op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y) ? 1 : 0;
    }],
    [['<<', '>>'], (a, b, op) => (op === '<<' ? a << b : a >>> b)],
    [['+', '-'], (a, b, op) => (op === '+' ? a + b : a - b) | 0],
    [['*', '/', '%'], (a, b, op) => {
      if (op !== '*' && (b >>> 0) === 0) throw new Error('division by zero');
      return op === '*' ? Math.imul(a, b) : op === '/' ? Math.floor((a >>> 0) / (b >>> 0)) : (a >>> 0) % (b >>> 0);
    }],
  ];
  const level = (n: number): number => {
    if (n === bin.length) return unary();
    let a = level(n + 1);
    for (;;) {
      const t = peek();
      if (!t || t.k !== 'op' || !bin[n][0].includes(t.v)) return a;
      p++;
      a = bin[n][1](a, level(n + 1), t.v) | 0;
    }
  };
  const ternary = (): number => {
    const c = level(0);
    if (eat('?')) {
      const a = ternary();
      if (!eat(':')) throw new Error("expected ':'");
      const b = ternary();
      return c ? a : b;
    }
    return c;
  };
  const unary = (): number => {
    if (eat('-')) return -unary() | 0;
    if (eat('~')) return ~unary();
    if (eat('!')) return unary() ? 0 : 1;
    if (eat('+')) return unary();
    if (eat('*')) {
      // *(T*)expr or *expr (a 32-bit read)
      let size = 4;
      const save = p;
      if (eat('(')) {
        const words: string[] = [];
        while (peek()?.k === 'id') words.push((toks[p++] as { v: string }).v);
        if (words.length && eat('*') && eat(')')) size = CAST_SIZES[words[words.length - 1]] ?? 4;
        else p = save;
      }
      const addr = unary() >>> 0;
      const b = readVirtual(rt.machine, addr, size);
      if (!b) throw new Error(`memory at ${hex8(addr)} is not mapped`);
      let v = 0;
      for (let k = size - 1; k >= 0; k--) v = (v << 8) | b[k];
      return v | 0;
    }
    return primary();
  };
  const primary = (): number => {
    const t = toks[p++];
    if (!t) throw new Error('unexpected end of expression');
    if (t.k === 'num') return t.v | 0;
    if (t.k === 'id') {
      if (t.v.startsWith('$')) {
        const v = frameRegister(rt, frame, t.v) ?? trapPseudo(rt, t.v);
        if (v === undefined) throw new Error(`unknown register ${t.v}`);
        return v | 0;
      }
      const sym = frame?.symbols ?? rt.kernelSymbols;
      const g = sym?.elf.symbols.find((s) => s.name === t.v);
      if (g) return g.value | 0;
      throw new Error(`unknown identifier '${t.v}'`);
    }
    if (t.v === '(') {
      // A cast: (type) expr — integer casts truncate.
      const save = p;
      const words: string[] = [];
      while (peek()?.k === 'id') words.push((toks[p++] as { v: string }).v);
      if (words.length && words.every((w) => /^(unsigned|signed|char|short|int|long|uint\d+_t|int\d+_t)$/.test(w)) && eat(')')) {
        const v = unary();
        const last = words[words.length - 1];
        const size = CAST_SIZES[last] ?? (/(\d+)_t$/.exec(last) ? Number(/(\d+)_t$/.exec(last)![1]) / 8 : 4);
        const unsigned = words.includes('unsigned') || last.startsWith('uint');
        if (size === 1) return unsigned ? v & 0xff : (v << 24) >> 24;
        if (size === 2) return unsigned ? v & 0xffff : (v << 16) >> 16;
        return v | 0;
      }
      p = save;
      const v = ternary();
      if (!eat(')')) throw new Error("expected ')'");
      return v;
    }
    throw new Error(`unexpected '${t.v}'`);
  };
  const v = ternary();
  if (p < toks.length) throw new Error(`unexpected '${(toks[p] as { v: unknown }).v}'`);
  return v;
}

/** $err, $vector, $trapno: from the trap frame of the innermost trap on the stack. */
function trapPseudo(rt: Runtime, name: string): number | undefined {
  const n = name.replace(/^\$/, '');
  if (n !== 'err' && n !== 'vector' && n !== 'trapno') return undefined;
  const trap = rt.stack().find((f) => f.kind === 'trap' && f.trapFrame !== undefined);
  if (!trap?.trapFrame) return undefined;
  const b = readVirtual(rt.machine, trap.trapFrame + (n === 'err' ? 44 : 40), 4);
  return b ? (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0 : undefined;
}

// ---------------------------------------------------------------- Debug Console commands

function replCommand(rt: Runtime, t: string): string | undefined {
  const cpu = rt.machine.cpu;
  const [cmd, ...rest] = t.split(/\s+/);
  const arg = rest.join(' ');
  const num = (s: string): number => evaluateNumber(rt, rt.stack()[0], s) >>> 0;
  if (cmd === 'pt') {
    if (!arg) throw new Error('usage: pt ADDRESS');
    const va = num(arg);
    const w = translate(rt.machine.mem, va, cpu.cr3, { cr0: cpu.cr0, cr4: cpu.cr4 }, 'read', cpu.cpl);
    const lines = w.steps.map((s) => ('text' in s ? String((s as { text: string }).text) : JSON.stringify(s)));
    if (w.kind === 'ok') lines.push(`=> physical ${hex8(w.phys)}`);
    else if (w.kind === 'fault') lines.push(`=> fault: ${w.reason} (error code ${w.errorCode} ${w.errorText})`);
    return `page walk of ${hex8(va)} (CR3 ${hex8(cpu.cr3)}):\n${lines.join('\n')}`;
  }
  if (cmd === 'idt') {
    const reader = linearReader(rt.machine.mem, cpu.cr3, cpu.cr0, cpu.cr4);
    const all = decodeIdt(reader, cpu.idtBase, cpu.idtLimit);
    const pick = arg ? all.filter((g) => g.vector === num(arg)) : all.filter((g) => g.usable);
    return pick.map((g) => {
      const d = g.descriptor as { offset?: number } | undefined;
      const sym = d?.offset !== undefined ? rt.kernelSymbols?.symbolize(d.offset) : undefined;
      return `${String(g.vector).padStart(3)} ${g.text}${sym ? ' <' + sym + '>' : ''}`;
    }).join('\n') || 'no present gates';
  }
  if (cmd === 'gdt') {
    const reader = linearReader(rt.machine.mem, cpu.cr3, cpu.cr0, cpu.cr4);
    return decodeGdt(reader, cpu.gdtBase, cpu.gdtLimit).map((d) => `0x${(d.index * 8).toString(16).padStart(2, '0')} ${d.text}`).join('\n');
  }
  if (cmd === 'tss') {
    const reader = linearReader(rt.machine.mem, cpu.cr3, cpu.cr0, cpu.cr4);
    const r = decodeTss(reader, cpu.trBase, cpu.trLimit);
    if (!r.ok) return `no TSS: ${r.reason}`;
    return `TSS at ${hex8(cpu.trBase)}: esp0 ${hex8(r.tss.esp0)} ss0 0x${r.tss.ss0.toString(16)} cr3 ${hex8(r.tss.cr3)}`;
  }
  const x = /^x\/(\d*)([xdwb]?)$/.exec(cmd);
  if (x) {
    const count = Math.min(Number(x[1] || 8), 1024);
    const addr = num(arg || '$esp');
    const b = readVirtual(rt.machine, addr, count * 4);
    if (!b) return `memory at ${hex8(addr)} is not mapped`;
    const rows: string[] = [];
    for (let k = 0; k < count; k += 4) {
      const words = [];
      for (let j = k; j < Math.min(k + 4, count); j++) words.push(hex8(b[j * 4] | (b[j * 4 + 1] << 8) | (b[j * 4 + 2] << 16) | (b[j * 4 + 3] << 24)));
      rows.push(`${hex8(addr + k * 4)}: ${words.join(' ')}`);
    }
    return rows.join('\n');
  }
  return undefined;
}

// evaluate: watches, hovers, the Debug Console and breakpoint conditions. Expressions are C-like
// over registers ($eax, $cr2 ...), numbers, memory (*(int*)0x...) and the frame's variables; the
// Debug Console also takes commands: pt ADDR (page walk), idt [N], gdt, tss, x/Nx ADDR.
import { decodeEflags, decodeGdt, decodeIdt, decodePageFaultError, decodeTss, linearReader, translate } from '../emulator/inspect/index.js';
import { VECTOR_MNEMONICS, VECTOR_NAMES } from '../emulator/cpu/fault.js';
import type { Runtime } from './runtime.js';
import type { Frame } from './stack.js';
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
  // A struct Trapframe (or a pointer to one) reads best decoded: vector, error code in words, cr2,
  // where it came from. Its fields stay expandable below.
  const tfAddress = trapFrameAddress(value, ctx);
  if (tfAddress !== undefined) {
    const text = describeTrapFrame(rt, tfAddress);
    const ref = vars.add(() => vars.trapFrame(rt, tfAddress));
    return { result: text, variablesReference: ref, memoryReference: hex8(tfAddress) };
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

/** An integer expression (the REPL commands' addresses), through the expression language. */
export function evaluateNumber(rt: Runtime, frame: Frame | undefined, text: string): number {
  return Number(BigInt.asUintN(32, E.evaluateNumber(text, exprContext(rt, frame)))) | 0;
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

/** The address of a struct Trapframe the value is, or points to. */
function trapFrameAddress(v: E.Value, ctx: E.ExprContext): number | undefined {
  const strip = (x: E.CType): E.CType => {
    let y: E.CType = x;
    while (y.kind === 'typedef' || y.kind === 'const' || y.kind === 'volatile') y = y.target;
    return y;
  };
  const t = strip(v.type);
  const target = t.kind === 'pointer' ? strip(t.target) : t;
  if (target.kind !== 'struct' || target.name !== 'Trapframe') return undefined;
  if (t.kind === 'pointer') return Number(BigInt.asUintN(32, E.toNumber(v, ctx)));
  return v.kind === 'lvalue' && v.location.kind === 'memory' ? v.location.address : undefined;
}

/** "#PF Page Fault from ring 3: err 0x7 [user, write, protection], cr2 0xf0100064, eip 0x00800039 <main> kernel_write.c:12, eflags IF ..." */
export function describeTrapFrame(rt: Runtime, tf: number): string {
  const b = readVirtual(rt.machine, tf, 68);
  if (!b) return `struct Trapframe at ${hex8(tf)}: not mapped`;
  const dv = new DataView(b.buffer, b.byteOffset, 68);
  const u = (o: number): number => dv.getUint32(o, true);
  const trapno = u(40), err = u(44), eip = u(48), cs = u(52) & 0xffff, eflags = u(56);
  const name = VECTOR_NAMES[trapno] ?? (trapno === 0x30 || trapno === 0x80 ? 'System call' : trapno === 0x100 ? 'System call (sysenter)' : trapno >= 32 ? `IRQ ${trapno - 32}` : `vector ${trapno}`);
  const mnem = VECTOR_MNEMONICS[trapno] ? VECTOR_MNEMONICS[trapno] + ' ' : '';
  let text = `${mnem}${name} from ring ${cs & 3}`;
  if (trapno === 14) text += `: err 0x${err.toString(16)} ${decodePageFaultError(err)}, cr2 ${hex8(rt.machine.cpu.cr2)}`;
  else if (trapno < 32 && err) text += `: err 0x${err.toString(16)}`;
  const sym = rt.symbolsAt(eip);
  const loc = sym?.lineForAddress(eip);
  const fn = sym?.symbolize(eip);
  text += `, eip ${hex8(eip)}${fn ? ' <' + fn + '>' : ''}${loc ? ` ${loc.file.split('/').pop()}:${loc.line}` : ''}`;
  text += `, eflags ${decodeEflags(eflags).text}`;
  if (cs & 3) text += `, esp ${hex8(u(60))}`;
  return text;
}

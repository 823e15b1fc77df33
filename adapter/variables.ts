// Scopes and variables: Locals/Arguments from DWARF, Registers, Control registers and the Trap
// frame. Handles (variablesReference) live until the next stop.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { decodeCr0, decodeCr4, decodeEflags, decodePageFaultError, decodeSelector, describeErrorCode, descriptorForSelector, linearReader } from '../emulator/inspect/index.js';
import * as E from './expr/index.js';
import { exprContext } from './expr-context.js';
import { VECTOR_NAMES } from '../emulator/cpu/fault.js';
import { formatValue, sizeOf, strip, typeName, type CType, type ProgramSymbols, type Variable } from './symbols/index.js';
import type { Runtime } from './runtime.js';
import type { Frame } from './stack.js';
import type { VectorEvent } from '../emulator/cpu/interrupts.js';
import { frameRegister, GPR_NAMES, setRegister } from './registers.js';
import { readVirtual } from './vm.js';

type Producer = (hex: boolean) => DebugProtocol.Variable[];
interface Setter {
  (name: string, value: string): string;
}

const hex8 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');
const MAX_ELEMENTS = 256;

export class VariableStore {
  private next = 1;
  private readonly producers = new Map<number, Producer>();
  private readonly setters = new Map<number, Setter>();

  clear(): void {
    this.producers.clear();
    this.setters.clear();
    this.next = 1;
  }

  add(p: Producer, setter?: Setter): number {
    const id = this.next++;
    this.producers.set(id, p);
    if (setter) this.setters.set(id, setter);
    return id;
  }

  children(_rt: Runtime, ref: number, hex: boolean): DebugProtocol.Variable[] | undefined {
    return this.producers.get(ref)?.(hex);
  }

  set(_rt: Runtime, ref: number, name: string, value: string): string {
    const s = this.setters.get(ref);
    if (!s) throw new Error(`variables of reference ${ref} cannot be changed`);
    return s(name, value);
  }

  /** Scopes of a frame. */
  scopesFor(rt: Runtime, f: Frame, pending: VectorEvent | null = null): { name: string; reference: number; expensive: boolean }[] {
    const out: { name: string; reference: number; expensive: boolean }[] = [];
    if (f.kind === 'code' && f.symbols) {
      const pc = f.caller ? f.pc - 1 : f.pc;
      const scope = f.symbols.scopeAt(pc);
      if (scope) {
        const set = (name: string, value: string): string => this.assignVariable(rt, f, name, value);
        if (scope.params.length) out.push({ name: 'Arguments', reference: this.add((hex) => this.dwarfVars(rt, f, scope.params, hex), set), expensive: false });
        out.push({ name: 'Locals', reference: this.add((hex) => this.dwarfVars(rt, f, scope.locals, hex), set), expensive: false });
      }
      out.push({ name: 'Globals', reference: this.add((hex) => this.dwarfVars(rt, f, f.symbols!.globals.slice(0, 500), hex), (n, v) => this.assignVariable(rt, f, n, v)), expensive: true });
    }
    out.push({ name: 'Registers', reference: this.add((hex) => this.registers(rt, f, hex), (n, v) => this.setReg(rt, n, v)), expensive: false });
    out.push({ name: 'Control registers', reference: this.add(() => this.control(rt)), expensive: false });
    const trap = rt.stack().find((x) => x.kind === 'trap' && x.trapFrame !== undefined);
    if (pending) {
      // Stopped by an exception filter: the vector is about to be delivered, no frame exists yet.
      out.push({ name: 'Trap frame (about to be delivered)', reference: this.add(() => this.pendingTrap(rt, pending)), expensive: false });
    } else if (trap && trap.trapFrame !== undefined && rt.machine.cpu.cpl === 0) {
      out.push({ name: 'Trap frame', reference: this.add(() => this.trapFrame(rt, trap.trapFrame!)), expensive: false });
    }
    return out;
  }

  /** setVariable on a C variable: `name = value` in the expression language, through the frame. */
  private assignVariable(rt: Runtime, f: Frame, name: string, value: string): string {
    const ctx = exprContext(rt, f);
    const target = E.evaluate(name, ctx);
    const v = E.assign(target, value, ctx);
    return E.formatValue(v, ctx, {}).text;
  }

  private setReg(rt: Runtime, name: string, value: string): string {
    const v = Number(value.trim());
    if (!Number.isFinite(v)) throw new Error(`"${value}" is not a number`);
    if (!setRegister(rt, name, v)) throw new Error(`register ${name} cannot be set here`);
    return hex8(v);
  }

  private registers(rt: Runtime, f: Frame, hex: boolean): DebugProtocol.Variable[] {
    void hex;
    const out: DebugProtocol.Variable[] = [];
    for (const n of [...GPR_NAMES, 'eip']) {
      const v = frameRegister(rt, f, n);
      if (v !== undefined) out.push({ name: n, value: hex8(v), variablesReference: 0, memoryReference: hex8(v) });
    }
    const fl = rt.machine.cpu.getEflags() >>> 0;
    out.push({ name: 'eflags', value: `${hex8(fl)} ${decodeEflags(fl).text}`, variablesReference: 0 });
    const cpu = rt.machine.cpu;
    const reader = linearReader(rt.machine.mem, cpu.cr3, cpu.cr0, cpu.cr4);
    for (const s of ['cs', 'ss', 'ds', 'es', 'fs', 'gs']) {
      const v = frameRegister(rt, f, s) ?? 0;
      let desc = '';
      if (cpu.gdtLimit && (v & 0xfffc)) {
        const d = descriptorForSelector(reader, { gdtBase: cpu.gdtBase, gdtLimit: cpu.gdtLimit, ldtBase: cpu.ldtBase, ldtLimit: cpu.ldtLimit }, v);
        desc = d.ok ? ` = ${d.entry.text}` : ` (${d.reason})`;
      }
      out.push({ name: s, value: decodeSelector(v).text + desc, variablesReference: 0 });
    }
    out.push({ name: 'cpl', value: `${rt.machine.cpu.cpl} (ring ${rt.machine.cpu.cpl})`, variablesReference: 0 });
    return out;
  }

  private control(rt: Runtime): DebugProtocol.Variable[] {
    const c = rt.machine.cpu;
    return [
      { name: 'cr0', value: `${hex8(c.cr0)} ${decodeCr0(c.cr0 >>> 0).text}`, variablesReference: 0 },
      { name: 'cr2', value: hex8(c.cr2), variablesReference: 0, memoryReference: hex8(c.cr2) },
      { name: 'cr3', value: hex8(c.cr3), variablesReference: 0, memoryReference: 'phys:' + hex8(c.cr3 & ~0xfff) },
      { name: 'cr4', value: `${hex8(c.cr4)} ${decodeCr4(c.cr4 >>> 0).text}`, variablesReference: 0 },
    ];
  }

  /** What the CPU will push for a vector the debugger stopped in front of. */
  private pendingTrap(rt: Runtime, e: VectorEvent): DebugProtocol.Variable[] {
    const out: DebugProtocol.Variable[] = [
      { name: 'trapno', value: `${e.vector} ${VECTOR_NAMES[e.vector] ?? ''}`.trim(), variablesReference: 0 },
    ];
    if (e.errorCode >= 0) out.push({ name: 'err', value: `${hex8(e.errorCode)} ${e.vector === 14 ? decodePageFaultError(e.errorCode) : describeErrorCode(e.vector, e.errorCode) ?? ''}`.trim(), variablesReference: 0 });
    if (e.vector === 14) out.push({ name: 'cr2', value: hex8(e.cr2), variablesReference: 0, memoryReference: hex8(e.cr2) });
    out.push(
      { name: 'eip', value: hex8(e.eip) + symbolSuffix(rt, e.eip), variablesReference: 0, memoryReference: hex8(e.eip) },
      { name: 'cs', value: `0x${e.cs.toString(16).padStart(4, '0')} (ring ${e.cplBefore})`, variablesReference: 0 },
      { name: 'ring', value: `${e.cplBefore} -> ${e.cplAfter}`, variablesReference: 0 },
    );
    return out;
  }

  /** The JOS struct Trapframe at `tf`, decoded. */
  trapFrame(rt: Runtime, tf: number): DebugProtocol.Variable[] {
    const b = readVirtual(rt.machine, tf, 68);
    if (!b) return [{ name: 'error', value: `trap frame at ${hex8(tf)} is not mapped`, variablesReference: 0 }];
    const dv = new DataView(b.buffer, b.byteOffset, 68);
    const u = (o: number): number => dv.getUint32(o, true);
    const trapno = u(40), err = u(44), cs = u(52) & 0xffff, eflags = u(56);
    const out: DebugProtocol.Variable[] = [
      { name: 'address', value: hex8(tf), variablesReference: 0, memoryReference: hex8(tf) },
      { name: 'trapno', value: `${trapno} ${VECTOR_NAMES[trapno] ?? (trapno === 0x30 || trapno === 0x80 ? 'System call' : trapno >= 32 ? 'IRQ ' + (trapno - 32) : '')}`.trim(), variablesReference: 0 },
      { name: 'err', value: `${hex8(err)}${trapno === 14 ? ' ' + decodePageFaultError(err) : trapno < 32 ? ' ' + (describeErrorCode(trapno, err) ?? '') : ''}`.trim(), variablesReference: 0 },
    ];
    if (trapno === 14) out.push({ name: 'cr2', value: hex8(rt.machine.cpu.cr2), variablesReference: 0 });
    out.push(
      { name: 'eip', value: hex8(u(48)) + symbolSuffix(rt, u(48)), variablesReference: 0, memoryReference: hex8(u(48)) },
      { name: 'cs', value: `0x${cs.toString(16).padStart(4, '0')} (ring ${cs & 3})`, variablesReference: 0 },
      { name: 'eflags', value: `${hex8(eflags)} ${decodeEflags(eflags).text}`, variablesReference: 0 },
    );
    if (cs & 3) {
      out.push({ name: 'esp', value: hex8(u(60)), variablesReference: 0, memoryReference: hex8(u(60)) });
      out.push({ name: 'ss', value: `0x${(u(64) & 0xffff).toString(16).padStart(4, '0')} (ring ${u(64) & 3})`, variablesReference: 0 });
    }
    ['edi', 'esi', 'ebp', 'oesp', 'ebx', 'edx', 'ecx', 'eax'].forEach((n, k) => out.push({ name: n, value: hex8(u(k * 4)), variablesReference: 0 }));
    out.push({ name: 'es', value: `0x${(u(32) & 0xffff).toString(16).padStart(4, '0')}`, variablesReference: 0 });
    out.push({ name: 'ds', value: `0x${(u(36) & 0xffff).toString(16).padStart(4, '0')}`, variablesReference: 0 });
    return out;
  }

  private dwarfVars(rt: Runtime, f: Frame, vars: readonly Variable[], hex: boolean): DebugProtocol.Variable[] {
    const sym = f.symbols!;
    const pc = f.caller ? f.pc - 1 : f.pc;
    const ctx = {
      reg: (n: number) => frameRegister(rt, f, ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eip'][n] ?? '') ?? 0,
      readMemory: (a: number, n: number) => readVirtual(rt.machine, a, n, f.cr3),
    };
    return vars.map((v): DebugProtocol.Variable => {
      let loc;
      try {
        loc = sym.locate(v, pc, ctx);
      } catch (e) {
        return { name: v.name, value: `<${(e as Error).message}>`, variablesReference: 0, type: typeName(v.type) };
      }
      const size = sizeOf(v.type) ?? 4;
      let bytes: Uint8Array | undefined;
      let address: number | undefined;
      if (loc.kind === 'memory') {
        address = loc.addr >>> 0;
        bytes = readVirtual(rt.machine, address, Math.min(size, 1 << 16), f.cr3);
      } else if (loc.kind === 'register') {
        const val = ctx.reg(loc.reg);
        bytes = new Uint8Array(new Uint32Array([val]).buffer);
      } else if (loc.kind === 'value') {
        bytes = new Uint8Array(new Uint32Array([loc.value >>> 0]).buffer);
      } else if (loc.kind === 'implicit') {
        bytes = loc.bytes;
      }
      this.space = f.cr3;
      return this.valueVariable(rt, sym, v.name, v.type, bytes, address, hex);
    });
  }

  /** One variable: its text, and children when it is a struct, array or pointer. */
  /** Address space the variables being listed live in (the frame's environment). */
  private space: number | null = null;

  valueVariable(rt: Runtime, sym: ProgramSymbols, name: string, type: CType, bytes: Uint8Array | undefined, address: number | undefined, hex: boolean): DebugProtocol.Variable {
    const space = this.space;
    const readVirtualHere = (a: number, n: number): Uint8Array | undefined => readVirtual(rt.machine, a, n, space);
    const t = strip(type);
    const tn = typeName(type);
    if (!bytes) return { name, value: address !== undefined ? `<unreadable at ${hex8(address)}>` : '<optimized out>', type: tn, variablesReference: 0 };
    // Name a pointer's target with the symbols of the space it points into (a kernel stack
    // address seen from user code gets the kernel's symbols, not the program's).
    let value = formatValue(type, bytes, { hex, symbolize: (a) => rt.symbolsAt(a)?.symbolize(a) });
    let ref = 0;
    if ((t.kind === 'struct' || t.kind === 'union') && address !== undefined) {
      ref = this.add((h) => t.members.filter((m) => m.name).map((m) => {
        const off = m.offset;
        const msize = sizeOf(m.type) ?? 4;
        const mb = readVirtualHere(address + off, msize);
        return this.valueVariable(rt, sym, m.name!, m.type, mb, address + off, h);
      }));
      value = `{${t.kind} ${t.name ?? ''}}`.replace(' }', '}');
    } else if (t.kind === 'array' && address !== undefined) {
      const esize = sizeOf(t.element) ?? 1;
      const count = Math.min(t.count ?? 0, MAX_ELEMENTS);
      ref = this.add((h) => Array.from({ length: count }, (_, k) => {
        const eb = readVirtualHere(address + k * esize, esize);
        return this.valueVariable(rt, sym, `[${k}]`, t.element, eb, address + k * esize, h);
      }));
      const et = strip(t.element);
      if (et.kind === 'base' && esize === 1) {
        const text = Array.from(bytes.subarray(0, Math.min(bytes.length, 64))).map((c) => (c === 0 ? '\0' : String.fromCharCode(c))).join('').split('\0')[0];
        value = JSON.stringify(text);
      } else value = `[${t.count ?? '?'}]`;
    } else if (t.kind === 'pointer' && bytes.length >= 4) {
      const target = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
      const pt = strip(t.target);
      const psize = pt.kind === 'void' || pt.kind === 'function' ? undefined : sizeOf(t.target);
      if (target && psize) {
        ref = this.add((h) => [this.valueVariable(rt, sym, `*${name}`, t.target, readVirtualHere(target, psize), target, h)]);
      }
      if (pt.kind === 'base' && psize === 1 && target) {
        const s = readVirtualHere(target, 64);
        if (s) value += ' ' + JSON.stringify(Array.from(s).map((c) => String.fromCharCode(c)).join('').split('\0')[0]);
      }
      return { name, value, type: tn, variablesReference: ref, memoryReference: hex8(target) };
    }
    return { name, value, type: tn, variablesReference: ref, memoryReference: address !== undefined ? hex8(address) : undefined };
  }
}

function symbolSuffix(rt: Runtime, addr: number): string {
  const s = rt.symbolsAt(addr);
  const name = s?.symbolize(addr);
  const loc = s?.lineForAddress(addr);
  return `${name ? ' <' + name + '>' : ''}${loc ? ` ${loc.file.split('/').pop()}:${loc.line}` : ''}`;
}


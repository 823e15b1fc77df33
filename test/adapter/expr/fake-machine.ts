// A small but real machine for the evaluator's tests: paged little-endian memory (reads that
// touch an unmapped page fail, as through the emulator's page walk), registers, variables and
// types. Everything the evaluator knows comes through the ExprContext interface.
import type { CType, ExprContext, VariableInfo } from '../../../adapter/expr/index.js';
import { sizeOf } from '../../../adapter/expr/index.js';

const PAGE = 4096;

export class FakeMachine implements ExprContext {
  private readonly pages = new Map<number, Uint8Array>();
  private readonly readOnly = new Set<number>();
  readonly regs = new Map<string, number>();
  readonly vars = new Map<string, VariableInfo>();
  readonly types = new Map<string, CType>();
  readonly symbols = new Map<number, string>();
  /** Counts reads, to check laziness. */
  reads = 0;

  map(addr: number, size: number, opts: { readOnly?: boolean } = {}): this {
    for (let p = Math.floor(addr / PAGE); p <= Math.floor((addr + size - 1) / PAGE); p++) {
      if (!this.pages.has(p)) this.pages.set(p, new Uint8Array(PAGE));
      if (opts.readOnly === true) this.readOnly.add(p);
    }
    return this;
  }

  /** Writes bytes, mapping the pages they need (test setup, not the guest). */
  poke(addr: number, bytes: ArrayLike<number>): this {
    this.map(addr, Math.max(1, bytes.length));
    for (let i = 0; i < bytes.length; i++) this.pages.get(Math.floor((addr + i) / PAGE))![(addr + i) % PAGE] = bytes[i]!;
    return this;
  }

  poke32(addr: number, ...words: number[]): this {
    const b = new Uint8Array(words.length * 4);
    const dv = new DataView(b.buffer);
    words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
    return this.poke(addr, b);
  }

  pokeString(addr: number, s: string): this {
    return this.poke(addr, [...Buffer.from(s, 'latin1'), 0]);
  }

  peek32(addr: number): number {
    const b = this.readMemory(addr, 4)!;
    return new DataView(b.buffer, b.byteOffset).getUint32(0, true);
  }

  /** A variable in memory; `init` bytes are written there. */
  global(name: string, type: CType, address: number, init?: ArrayLike<number>): this {
    this.vars.set(name, { type, location: { kind: 'memory', address } });
    this.map(address, Math.max(1, sizeOf(type) ?? 1));
    if (init !== undefined) this.poke(address, init);
    return this;
  }

  type(name: string, t: CType): this {
    this.types.set(name, t);
    return this;
  }

  register(name: string): number | undefined {
    return this.regs.get(name);
  }

  setRegister(name: string, value: number): void {
    this.regs.set(name, value >>> 0);
  }

  readMemory(addr: number, size: number): Uint8Array | undefined {
    this.reads++;
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const a = addr + i;
      if (a > 0xffffffff) return undefined;
      const page = this.pages.get(Math.floor(a / PAGE));
      if (page === undefined) return undefined;
      out[i] = page[a % PAGE]!;
    }
    return out;
  }

  writeMemory(addr: number, bytes: Uint8Array): boolean {
    for (let i = 0; i < bytes.length; i++) {
      const p = Math.floor((addr + i) / PAGE);
      if (!this.pages.has(p) || this.readOnly.has(p)) return false;
    }
    this.poke(addr, bytes);
    return true;
  }

  lookupVariable(name: string): VariableInfo | undefined {
    return this.vars.get(name);
  }

  lookupType(name: string): CType | undefined {
    return this.types.get(name);
  }

  symbolize(addr: number): string | undefined {
    return this.symbols.get(addr);
  }
}

import type { ExprContext } from './context.js';
import { POINTER_SIZE, array, pointer, sizeOf, strip, typeName, type CType, type FoundMember } from './ctype.js';
import { ExprError, hex8 } from './error.js';
import { REGISTER_NAMES, registerInfo } from './registers.js';
import { bigToBytes, bytesToBig, type LValue, type Location, type RValue, type Value } from './value.js';

/** Source span an error is reported against. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

const NOWHERE: Span = { start: 0, end: 0 };

/** A whole value is read at once only below this size: displays read prefixes instead. */
const MAX_LOAD = 1 << 20;

const PAGE = 4096;

/**
 * Reading and writing objects through the context: memory, registers, bit fields, members
 * and elements. In `dry` mode nothing is read or written (memory reads as zeros): that is how
 * sizeof and the unevaluated arm of ?: / && / || are type-checked without touching the machine
 * (sizeof(*p) must work when p is NULL, as in C).
 */
export class Access {
  constructor(
    readonly ctx: ExprContext,
    readonly dry = false,
  ) {}

  /** A copy of this accessor that only type-checks. */
  dryRun(): Access {
    return this.dry ? this : new Access(this.ctx, true);
  }

  readMemory(addr: number, size: number, at: Span = NOWHERE): Uint8Array {
    addr >>>= 0;
    if (this.dry || size === 0) return new Uint8Array(size);
    const bytes = this.ctx.readMemory(addr, size);
    if (bytes !== undefined && bytes.length >= size) return bytes.length === size ? bytes : bytes.subarray(0, size);
    throw new ExprError(`memory at ${hex8(this.firstUnmapped(addr, size))} is not mapped`, at.start, at.end);
  }

  /** The first unreadable address in [addr, addr+size), to name the page that is missing. */
  private firstUnmapped(addr: number, size: number): number {
    for (let a = addr, left = size; left > 0; ) {
      const chunk = Math.min(left, PAGE - (a % PAGE));
      const r = this.ctx.readMemory(a >>> 0, chunk);
      if (r === undefined || r.length < chunk) return a >>> 0;
      a += chunk;
      left -= chunk;
    }
    return addr;
  }

  /** A 32-bit register (or pseudo-register) by context name. */
  register(reg: string, at: Span = NOWHERE): number {
    const v = this.ctx.register(reg);
    if (v !== undefined) return v >>> 0;
    if (this.dry) return 0;
    if (registerInfo(reg)?.pseudo === true) throw new ExprError(`$${reg} is only available while a trap is being examined`, at.start, at.end);
    throw new ExprError(`register $${reg} is not available`, at.start, at.end);
  }

  /** The lvalue of `$name`. */
  registerValue(name: string, at: Span): LValue {
    const info = registerInfo(name);
    if (info === undefined) {
      const near = REGISTER_NAMES.filter((r) => r.startsWith(name.slice(0, 1))).map((r) => `$${r}`).slice(0, 8).join(' ');
      throw new ExprError(`unknown register '$${name}'${near !== '' ? ` (known: ${near} ...)` : ''}`, at.start, at.end);
    }
    this.register(info.reg, at); // unavailable is reported here, where the user typed it
    return { kind: 'lvalue', type: info.type, location: { kind: 'register', reg: info.reg, byteOffset: info.byteOffset } };
  }

  /** The bytes holding `size` bytes of an object at `loc` (the register's are little-endian). */
  private readLocation(loc: Location, size: number, at: Span): Uint8Array {
    if (loc.kind === 'memory') return this.readMemory(loc.address, size, at);
    if (loc.byteOffset + size > 4) throw new ExprError(`a value of ${size} bytes does not fit in register ${loc.reg}`, at.start, at.end);
    return bigToBytes(BigInt(this.register(loc.reg, at)), 4).slice(loc.byteOffset, loc.byteOffset + size);
  }

  private writeLocation(loc: Location, bytes: Uint8Array, at: Span): void {
    if (this.dry) return;
    if (loc.kind === 'memory') {
      if (this.ctx.writeMemory === undefined) throw new ExprError('memory cannot be written here', at.start, at.end);
      if (!this.ctx.writeMemory(loc.address >>> 0, bytes)) throw new ExprError(`cannot write memory at ${hex8(loc.address)}`, at.start, at.end);
      return;
    }
    if (this.ctx.setRegister === undefined) throw new ExprError('registers cannot be written here', at.start, at.end);
    if (loc.byteOffset + bytes.length > 4) throw new ExprError(`a value of ${bytes.length} bytes does not fit in register ${loc.reg}`, at.start, at.end);
    const all = bigToBytes(BigInt(this.register(loc.reg, at)), 4);
    all.set(bytes, loc.byteOffset);
    this.ctx.setRegister(loc.reg, Number(bytesToBig(all, false)));
  }

  /** The value of an object (no array decay: an array lvalue loads its bytes). */
  load(v: Value, at: Span = NOWHERE): RValue {
    if (v.kind === 'rvalue') return v;
    const size = sizeOf(v.type) ?? 0;
    if (v.bits !== undefined) {
      const { offset, size: width } = v.bits;
      const raw = bytesToBig(this.readLocation(v.location, Math.ceil((offset + width) / 8), at), false);
      const field = (raw >> BigInt(offset)) & ((1n << BigInt(width)) - 1n);
      const s = strip(v.type);
      const signed = s.kind === 'enum' ? s.signed : s.kind === 'base' && s.signed && s.encoding !== 'bool';
      return { kind: 'rvalue', type: v.type, bytes: bigToBytes(signed ? BigInt.asIntN(width, field) : field, size), bitSize: width };
    }
    if (size > MAX_LOAD) throw new ExprError(`the value of type ${typeName(v.type)} is too large to read at once (${size} bytes)`, at.start, at.end);
    return { kind: 'rvalue', type: v.type, bytes: this.readLocation(v.location, size, at), ...(v.indexBase !== undefined ? { indexBase: v.indexBase } : {}) };
  }

  /** Writes `bytes` (already of v's type) into the object v. */
  store(v: LValue, bytes: Uint8Array, at: Span): void {
    if (v.bits === undefined) return this.writeLocation(v.location, bytes, at);
    const { offset, size: width } = v.bits;
    const n = Math.ceil((offset + width) / 8);
    const old = bytesToBig(this.readLocation(v.location, n, at), false);
    const mask = ((1n << BigInt(width)) - 1n) << BigInt(offset);
    const merged = (old & ~mask) | ((bytesToBig(bytes, false) << BigInt(offset)) & mask);
    this.writeLocation(v.location, bigToBytes(merged, n), at);
  }

  /** The address of an lvalue in memory (not a register, not a bit field). */
  addressOf(v: Value, at: Span): number {
    if (v.kind === 'rvalue') throw new ExprError("'&' needs an lvalue: a variable, *p, a[i] or s.m", at.start, at.end);
    if (v.bits !== undefined) throw new ExprError('cannot take the address of a bit field', at.start, at.end);
    if (v.location.kind === 'register') throw new ExprError(`cannot take the address of a value held in register ${v.location.reg}`, at.start, at.end);
    return v.location.address;
  }

  /**
   * The value as an operand: arrays decay to a pointer to their first element and functions
   * to a pointer to themselves (C11 6.3.2.1); anything else is loaded.
   */
  decay(v: Value, at: Span = NOWHERE): RValue {
    const s = strip(v.type);
    if (s.kind === 'array' || s.kind === 'function') {
      if (v.kind === 'lvalue' && v.location.kind === 'memory' && v.bits === undefined) {
        const to = s.kind === 'array' ? pointer(s.element) : pointer(v.type);
        return { kind: 'rvalue', type: to, bytes: bigToBytes(BigInt(v.location.address), POINTER_SIZE) };
      }
      throw new ExprError(`this ${s.kind} is not in memory: it has no address to use as a pointer`, at.start, at.end);
    }
    return this.load(v, at);
  }

  /** *p for a pointer value at `address` to `target`. */
  deref(target: CType, address: number): LValue {
    return { kind: 'lvalue', type: target, location: { kind: 'memory', address: address >>> 0 } };
  }

  /** A member of a struct/union value (found with findMember/flatMembers on v's type). */
  member(v: Value, m: FoundMember, at: Span = NOWHERE): Value {
    const type = m.member.type;
    if (v.kind === 'lvalue') {
      if (m.bitOffset !== undefined) {
        const bits = { offset: m.bitOffset % 8, size: m.member.bitSize! };
        return { kind: 'lvalue', type, location: offsetLocation(v.location, Math.floor(m.bitOffset / 8)), bits };
      }
      return { kind: 'lvalue', type, location: offsetLocation(v.location, m.offset) };
    }
    if (m.bitOffset !== undefined) {
      // An rvalue struct: extract the field from its bytes as a load from memory would.
      const first = Math.floor(m.bitOffset / 8);
      const rv: LValue = { kind: 'lvalue', type, location: { kind: 'memory', address: 0 }, bits: { offset: m.bitOffset % 8, size: m.member.bitSize! } };
      return new Access({ ...NO_MACHINE, readMemory: (a, n) => sliceOrUndefined(v.bytes, first + a, n) }).load(rv, at);
    }
    const size = sizeOf(type) ?? 0;
    const bytes = sliceOrUndefined(v.bytes, m.offset, size);
    if (bytes === undefined) throw new ExprError(`member '${m.member.name ?? '?'}' lies outside its struct`, at.start, at.end);
    return { kind: 'rvalue', type, bytes };
  }

  /** Element i of an array value (lvalue or rvalue), or a slice of `count` elements from i. */
  element(v: Value, i: number, at: Span = NOWHERE, count?: number): Value {
    const s = strip(v.type);
    if (s.kind !== 'array') throw new ExprError(`cannot index a value of type ${typeName(v.type)}`, at.start, at.end);
    const esize = sizeOf(s.element);
    if (esize === undefined) throw new ExprError(`array element type ${typeName(s.element)} has no size`, at.start, at.end);
    const type = count === undefined ? s.element : array(s.element, count);
    const indexBase = count === undefined ? undefined : (v.indexBase ?? 0) + i;
    const extra = indexBase !== undefined ? { indexBase } : {};
    if (v.kind === 'lvalue') {
      if (v.location.kind === 'memory') return { kind: 'lvalue', type, location: { kind: 'memory', address: (v.location.address + i * esize) >>> 0 }, ...extra };
      return { kind: 'lvalue', type, location: offsetLocation(v.location, i * esize), ...extra };
    }
    const bytes = sliceOrUndefined(v.bytes, i * esize, esize * (count ?? 1));
    if (bytes === undefined) throw new ExprError(`index ${i} is outside an array that is not in memory`, at.start, at.end);
    return { kind: 'rvalue', type, bytes, ...extra };
  }
}

function offsetLocation(loc: Location, by: number): Location {
  return loc.kind === 'memory' ? { kind: 'memory', address: (loc.address + by) >>> 0 } : { kind: 'register', reg: loc.reg, byteOffset: loc.byteOffset + by };
}

function sliceOrUndefined(bytes: Uint8Array, from: number, n: number): Uint8Array | undefined {
  return from >= 0 && from + n <= bytes.length ? bytes.slice(from, from + n) : undefined;
}

/** A context with nothing in it, for reading fields out of bytes already in hand. */
const NO_MACHINE: ExprContext = {
  register: () => undefined,
  readMemory: () => undefined,
  lookupVariable: () => undefined,
  lookupType: () => undefined,
};

import { Access } from './access.js';
import { charLiteral, isTextChar, readCString, stringLiteral } from './chars.js';
import type { ExprContext } from './context.js';
import { flatMembers, sizeOf, strip, typeName, unqualified, type CType } from './ctype.js';
import { ExprError, hex8 } from './error.js';
import { bytesToBig, type RValue, type Value } from './value.js';

export interface FormatOptions {
  /** Integers in hex (the DAP "hex" value format). */
  readonly hex?: boolean;
}

export interface FormattedValue {
  /** C-like: 42, 65 'A', 0x00800100 "hello", {a = 1, b = 2}, [1, 2, 3], ENV_FREE, true. */
  readonly text: string;
  /** typeName of the value's type, for DAP's `type` field. */
  readonly type: string;
  /** How many children children() lists (before grouping big arrays); 0 = not expandable. */
  readonly childCount: number;
  /** Children are array elements (DAP indexedVariables) rather than named members. */
  readonly indexed: boolean;
  /** Where the bytes live (a pointer: where it points), as 0x%08x, for DAP memoryReference. */
  readonly memoryReference?: string;
}

/** Elements shown inline before "...": the variables tree lists them all. */
const MAX_ELEMENTS = 32;
/** Characters of a string preview (char * and char[]). */
export const MAX_STRING = 64;
/** Aggregates nested deeper than this show as {...}. */
const MAX_DEPTH = 3;
/** Rough cap on the whole text: a struct of arrays of structs must still fit a hover. */
const MAX_TEXT = 1000;
/** Aggregates up to this size are read in one request rather than member by member. */
const PREFETCH = 1 << 16;

export function formatValue(v: Value, ctx: ExprContext, opts: FormatOptions = {}): FormattedValue {
  const f = new Formatter(ctx, opts.hex === true);
  const type = typeName(v.type);
  let text: string;
  try {
    text = f.text(v, 0);
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    return { text: `<${e.message}>`, type, childCount: 0, indexed: false };
  }
  const ref = memoryReference(v, f.access);
  return { text, type, childCount: childCount(v, f.access), indexed: strip(v.type).kind === 'array', ...(ref !== undefined ? { memoryReference: ref } : {}) };
}

/** What children() will list: members, elements, or for a pointer its target (see children.ts). */
export function childCount(v: Value, access: Access): number {
  const t = strip(v.type);
  switch (t.kind) {
    case 'struct':
    case 'union':
      return t.incomplete === true ? 0 : flatMembers(t).length;
    case 'array':
      return t.count ?? 0;
    case 'pointer': {
      const target = strip(t.target);
      if (target.kind === 'function' || (target.kind === 'base' && target.encoding === 'void')) return 0;
      if ((target.kind === 'struct' || target.kind === 'union') && target.incomplete === true) return 0;
      try {
        if (bytesToBig(access.load(v).bytes, false) === 0n) return 0;
      } catch {
        return 0;
      }
      return target.kind === 'struct' || target.kind === 'union' ? flatMembers(target).length : 1;
    }
    default:
      return 0;
  }
}

function memoryReference(v: Value, access: Access): string | undefined {
  if (strip(v.type).kind === 'pointer') {
    try {
      const addr = Number(bytesToBig(access.load(v).bytes, false));
      return addr !== 0 ? hex8(addr) : undefined;
    } catch {
      return undefined;
    }
  }
  return v.kind === 'lvalue' && v.location.kind === 'memory' && v.bits === undefined ? hex8(v.location.address) : undefined;
}

class Formatter {
  readonly access: Access;
  private length = 0;

  constructor(
    private readonly ctx: ExprContext,
    private readonly hex: boolean,
  ) {
    this.access = new Access(ctx);
  }

  /** The text of v; read errors inside aggregates become <...> in place. */
  text(v: Value, depth: number): string {
    const t = strip(v.type);
    if (t.kind === 'struct' || t.kind === 'union') return this.struct(v, depth);
    if (t.kind === 'array') return this.array(v, depth);
    if (t.kind === 'function') {
      const addr = v.kind === 'lvalue' && v.location.kind === 'memory' ? v.location.address : 0;
      return `{${typeName(v.type)}} ${this.address(addr)}`;
    }
    return this.scalar(this.access.load(v));
  }

  private guarded(f: () => string): string {
    try {
      return f();
    } catch (e) {
      if (e instanceof ExprError) return `<${e.message}>`;
      throw e;
    }
  }

  /** Read a small aggregate in memory in one go; if only part is readable, fall back to piecewise reads. */
  private prefetch(v: Value): Value {
    if (v.kind !== 'lvalue' || v.location.kind !== 'memory') return v;
    const size = sizeOf(v.type);
    if (size === undefined || size > PREFETCH) return v;
    try {
      return this.access.load(v);
    } catch (e) {
      // Nothing readable at all: one error for the whole value rather than one per member.
      if (this.ctx.readMemory(v.location.address, 1) === undefined) throw e;
      return v;
    }
  }

  private struct(v: Value, depth: number): string {
    const t = strip(v.type) as Extract<CType, { kind: 'struct' | 'union' }>;
    if (t.incomplete === true) return '<incomplete type>';
    if (depth >= MAX_DEPTH) return '{...}';
    const whole = this.prefetch(v);
    const parts: string[] = [];
    for (const m of flatMembers(t)) {
      if (this.length > MAX_TEXT) {
        parts.push('...');
        break;
      }
      const s = `${m.member.name} = ${this.guarded(() => this.text(this.access.member(whole, m), depth + 1))}`;
      this.length += s.length + 2;
      parts.push(s);
    }
    return `{${parts.join(', ')}}`;
  }

  private array(v: Value, depth: number): string {
    const t = strip(v.type) as Extract<CType, { kind: 'array' }>;
    const count = t.count ?? 0;
    if (isTextChar(t.element)) return this.charArray(v, count);
    if (depth >= MAX_DEPTH) return '[...]';
    const whole = count <= MAX_ELEMENTS ? this.prefetch(v) : this.prefetch(this.access.element(v, 0, undefined, MAX_ELEMENTS));
    const parts: string[] = [];
    for (let i = 0; i < Math.min(count, MAX_ELEMENTS); i++) {
      if (this.length > MAX_TEXT) break;
      const s = this.guarded(() => this.text(this.access.element(whole, i), depth + 1));
      this.length += s.length + 2;
      parts.push(s);
    }
    if (parts.length < count) parts.push('...');
    return `[${parts.join(', ')}]`;
  }

  /** char buf[16] as a string up to its first NUL (the elements are in the tree). */
  private charArray(v: Value, count: number): string {
    const n = Math.min(count, MAX_STRING);
    const bytes = this.access.load(n === count ? v : this.access.element(v, 0, undefined, n)).bytes;
    const end = bytes.indexOf(0);
    const text = end >= 0 ? bytes.subarray(0, end) : bytes;
    return stringLiteral(text, end < 0 && count > n);
  }

  private scalar(r: RValue): string {
    const t = strip(r.type);
    switch (t.kind) {
      case 'pointer': {
        const addr = Number(bytesToBig(r.bytes, false));
        if (addr !== 0 && isTextChar(t.target)) {
          const s = readCString(this.ctx, addr, MAX_STRING);
          return `${hex8(addr)} ${s === undefined ? `<memory at ${hex8(addr)} is not mapped>` : stringLiteral(s.bytes, s.truncated)}`;
        }
        return this.address(addr);
      }
      case 'enum': {
        const v = bytesToBig(r.bytes, t.signed);
        const e = t.enumerators.find((x) => BigInt(x.value) === v);
        return e !== undefined ? e.name : this.integer(v, t.size);
      }
      case 'base':
        return this.base(r, t);
      default:
        return '?';
    }
  }

  private base(r: RValue, t: Extract<CType, { kind: 'base' }>): string {
    switch (t.encoding) {
      case 'void':
        return 'void';
      case 'float':
        return formatFloat(r.bytes);
      case 'bool': {
        const v = bytesToBig(r.bytes, false);
        return v === 0n ? 'false' : v === 1n ? 'true' : this.integer(v, t.size);
      }
      default: {
        const v = bytesToBig(r.bytes, t.signed);
        const num = this.integer(v, t.size, t.hex === true || holdsAddress(r.type), r.bitSize);
        return t.encoding === 'char' && isTextChar(r.type) ? `${num} ${charLiteral(Number(v))}` : num;
      }
    }
  }

  /** Decimal, or hex as the two's complement of the type's size (gdb's p/x). */
  private integer(v: bigint, size: number, hex = false, bits = size * 8): string {
    if (!this.hex && !hex) return v.toString();
    return '0x' + BigInt.asUintN(Math.max(bits, 1), v).toString(16); // a 4-bit field's -1 is 0xf
  }

  private address(addr: number): string {
    const sym = addr !== 0 ? this.ctx.symbolize?.(addr) : undefined;
    return `${hex8(addr)}${sym !== undefined ? ` <${sym}>` : ''}`;
  }
}

/**
 * Unsigned integers whose typedef says they hold an address or a page-table entry print in
 * hex, as the course notes write them (uintptr_t tf_eip, pte_t *pgdir entries...).
 */
function holdsAddress(t: CType): boolean {
  for (let i = 0; i < 64; i++) {
    t = unqualified(t);
    if (t.kind !== 'typedef') return false;
    if (/^(uintptr_t|physaddr_t|paddr_t|vaddr_t|pte_t|pde_t|pdpe_t|pml4e_t)$/.test(t.name)) return true;
    t = t.target;
  }
  return false;
}

/** IEEE single/double, and the x87 80-bit long double gcc -m32 stores in 12 bytes. */
function formatFloat(bytes: Uint8Array): string {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length === 4) return String(dv.getFloat32(0, true));
  if (bytes.length === 8) return String(dv.getFloat64(0, true));
  if (bytes.length >= 10) {
    const mantissa = dv.getBigUint64(0, true);
    const se = dv.getUint16(8, true);
    const sign = se & 0x8000 ? -1 : 1;
    const exp = se & 0x7fff;
    if (exp === 0x7fff) return (mantissa & 0x7fffffffffffffffn) === 0n ? (sign < 0 ? '-inf' : 'inf') : 'nan';
    return String(sign * Number(mantissa) * 2 ** (exp - 16383 - 63));
  }
  return '?';
}

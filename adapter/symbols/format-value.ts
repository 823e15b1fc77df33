import { DW_ATE } from './dwarf-constants.js';
import { sizeOf, strip } from './type-name.js';
import type { CType, Member } from './types.js';

export interface FormatOptions {
  /** Show every integer in hex (the DAP "hex" display format). */
  readonly hex?: boolean;
  /** Names a code or data address, e.g. "add" or "add+0x4"; appended to pointers as <name>. */
  readonly symbolize?: (addr: number) => string | undefined;
}

/**
 * A scalar as C programmers read it: int in decimal, char as `65 'A'`, pointers as 0x%08x,
 * enums by name, bool as true/false. Unsigned integers are decimal, except when their typedef
 * says they hold an address or page-table entry (uintptr_t, physaddr_t, pte_t, pde_t...), where
 * hex is what the course notes print. Aggregates come back as "{...}": the caller expands them.
 */
export function formatValue(type: CType, bytes: Uint8Array, opts: FormatOptions = {}): string {
  const t = strip(type);
  const size = sizeOf(t);
  if (t.kind === 'struct' || t.kind === 'union' || t.kind === 'array') return '{...}';
  if (t.kind === 'function') return '{function}';
  if (size === undefined || size === 0) return 'void';
  if (bytes.length < size) return '<unreadable>';
  switch (t.kind) {
    case 'pointer': {
      const addr = Number(le(bytes, size));
      const sym = addr !== 0 ? opts.symbolize?.(addr) : undefined;
      return `0x${addr.toString(16).padStart(8, '0')}${sym !== undefined ? ` <${sym}>` : ''}`;
    }
    case 'enum':
      return formatEnum(t.enumerators, t.signed ? signedLe(bytes, size) : le(bytes, size));
    case 'base':
      return formatBase(t.encoding, size, bytes, opts.hex === true || (!isSignedEncoding(t.encoding) && looksLikeAddress(type)));
    default:
      return '?';
  }
}

/** Little-endian unsigned integer of `size` bytes. */
function le(bytes: Uint8Array, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

function signedLe(bytes: Uint8Array, size: number): bigint {
  return BigInt.asIntN(size * 8, le(bytes, size));
}

function isSignedEncoding(e: number): boolean {
  return e === DW_ATE.signed || e === DW_ATE.signed_char;
}

/** Typedef names that announce an address or a page-table entry. */
function looksLikeAddress(t: CType): boolean {
  for (let i = 0; i < 16 && (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile'); i++) {
    if (t.kind === 'typedef' && /ptr|addr|pte|pde|^pa_t$|^va_t$/i.test(t.name)) return true;
    t = t.target;
  }
  return false;
}

function formatBase(encoding: number, size: number, bytes: Uint8Array, hex: boolean): string {
  switch (encoding) {
    case DW_ATE.boolean: {
      const v = le(bytes, size);
      return v === 0n ? 'false' : v === 1n ? 'true' : v.toString();
    }
    case DW_ATE.float:
      return formatFloat(bytes, size);
    case DW_ATE.signed_char:
    case DW_ATE.unsigned_char: {
      const v = encoding === DW_ATE.signed_char ? signedLe(bytes, size) : le(bytes, size);
      return `${hex ? hexOf(le(bytes, size)) : v.toString()} ${charLiteral(Number(le(bytes, 1)))}`;
    }
    case DW_ATE.signed:
      return hex ? hexOf(le(bytes, size)) : signedLe(bytes, size).toString();
    default:
      return hex ? hexOf(le(bytes, size)) : le(bytes, size).toString();
  }
}

function hexOf(v: bigint): string {
  return `0x${v.toString(16)}`;
}

const ESCAPES: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 39: "\\'", 92: '\\\\' };

/** 'A', '\n', '\033' (octal for other non-printables, as gdb prints them). */
export function charLiteral(c: number): string {
  const esc = ESCAPES[c];
  if (esc !== undefined) return `'${esc}'`;
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `'\\${c.toString(8).padStart(3, '0')}'`;
}

function formatFloat(bytes: Uint8Array, size: number): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 4) return String(view.getFloat32(0, true));
  if (size === 8) return String(view.getFloat64(0, true));
  if (size >= 10) return String(x87ToNumber(bytes));
  return '?';
}

/** An x87 80-bit extended value (long double, 12 bytes with padding on i386) as a double. */
function x87ToNumber(b: Uint8Array): number {
  const mantissa = le(b, 8);
  const se = b[8]! | (b[9]! << 8);
  const sign = se & 0x8000 ? -1 : 1;
  const exp = se & 0x7fff;
  if (exp === 0 && mantissa === 0n) return sign * 0;
  if (exp === 0x7fff) return (mantissa & 0x7fffffffffffffffn) === 0n ? sign * Infinity : NaN;
  return sign * Number(mantissa) * 2 ** (exp - 16383 - 63);
}

function formatEnum(enumerators: readonly { name: string; value: number }[], v: bigint): string {
  const n = Number(v);
  const exact = enumerators.find((e) => e.value === n);
  if (exact) return exact.name;
  // A flag enum (every enumerator a single bit): show the bits by name, as gdb does.
  const isFlag = enumerators.length > 0 && enumerators.every((e) => e.value > 0 && (e.value & (e.value - 1)) === 0);
  if (isFlag && n > 0) {
    const parts: string[] = [];
    let rest = n;
    for (const e of enumerators) {
      if ((rest & e.value) !== 0) {
        parts.push(e.name);
        rest &= ~e.value;
      }
    }
    if (parts.length > 0) {
      if (rest !== 0) parts.push(`unknown: 0x${(rest >>> 0).toString(16)}`);
      return `(${parts.join(' | ')})`;
    }
  }
  return v.toString();
}

/**
 * The bytes of one member of a struct value, ready for formatValue: a slice for an ordinary
 * member; for a bit field, its bits shifted down, sign-extended when the type is signed, in a
 * buffer of the member type's size.
 */
export function memberBytes(structBytes: Uint8Array, m: Member): Uint8Array {
  const size = sizeOf(m.type) ?? 0;
  if (m.bitSize === undefined || m.bitOffset === undefined || size > 8) return structBytes.subarray(m.offset, m.offset + size);
  const first = Math.floor(m.bitOffset / 8);
  const shift = BigInt(m.bitOffset % 8);
  const span = Math.ceil((Number(shift) + m.bitSize) / 8);
  let v = le(structBytes.subarray(first, first + span).length === span ? structBytes.subarray(first, first + span) : new Uint8Array(span), span);
  v = (v >> shift) & ((1n << BigInt(m.bitSize)) - 1n);
  const t = strip(m.type);
  const signed = (t.kind === 'base' && isSignedEncoding(t.encoding)) || (t.kind === 'enum' && t.signed);
  if (signed) v = BigInt.asIntN(m.bitSize, v);
  const out = new Uint8Array(size);
  let u = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++, u >>= 8n) out[i] = Number(u & 0xffn);
  return out;
}

import { INT, LLONG, LONG, POINTER_SIZE, UINT, ULLONG, ULONG, strip, type BaseType, type CType } from './ctype.js';

/**
 * C's integer conversions (C11 6.3.1) for gcc -m32: int and long are both 32 bits but
 * distinct types (long + unsigned int is unsigned long), long long is 64.
 */

/** The base type an enum behaves as: gcc uses unsigned int unless an enumerator is negative. */
function enumBase(size: number, signed: boolean): BaseType {
  if (size === 8) return signed ? LLONG : ULLONG;
  return signed || size < 4 ? INT : UINT;
}

/** Integer conversion rank: _Bool < char < short < int < long < long long. */
function rank(t: BaseType): number {
  if (t.encoding === 'bool') return 0;
  if (t.size === 1) return 1;
  if (t.size === 2) return 2;
  if (t.size >= 8) return 5;
  return /\blong\b/.test(t.name) ? 4 : 3;
}

/** The canonical type of a given rank and signedness (drops typedef names and display hints). */
function canonical(r: number, signed: boolean): BaseType {
  if (r >= 5) return signed ? LLONG : ULLONG;
  if (r === 4) return signed ? LONG : ULONG;
  return signed ? INT : UINT;
}

/**
 * Integer promotion: anything narrower than int becomes int; so does a bit field narrower than
 * int, even an unsigned one (gcc: `s.u4 - 5 < 0` is true).
 */
export function promote(t: CType, bitSize?: number): BaseType {
  const s = strip(t);
  if (s.kind === 'enum') return enumBase(s.size, s.signed);
  if (s.kind !== 'base') return INT; // callers only promote integers
  if (bitSize !== undefined && bitSize < 32 && s.size <= 4) return INT;
  const r = rank(s);
  if (r < 3) return INT;
  return canonical(r, s.signed);
}

/** Usual arithmetic conversions of two promoted integer types: the common type. */
export function commonType(a: BaseType, b: BaseType): BaseType {
  const ra = rank(a);
  const rb = rank(b);
  if (a.signed === b.signed) return canonical(Math.max(ra, rb), a.signed);
  const [u, ru, sr, ss] = a.signed ? [b, rb, ra, a] : [a, ra, rb, b];
  if (ru >= sr) return canonical(ru, false);
  // The signed type wins only if it can hold every value of the unsigned one.
  if (ss.size > u.size) return canonical(sr, true);
  return canonical(sr, false);
}

/** v converted to integer, enum or pointer type `t` (wrapping modulo 2^n, as gcc does). */
export function convertInteger(v: bigint, t: CType): bigint {
  const s = strip(t);
  if (s.kind === 'pointer') return BigInt.asUintN(POINTER_SIZE * 8, v);
  if (s.kind === 'base' && s.encoding === 'bool') return v !== 0n ? 1n : 0n;
  const size = s.kind === 'base' || s.kind === 'enum' ? s.size : 4;
  const signed = s.kind === 'base' || s.kind === 'enum' ? s.signed : false;
  return signed ? BigInt.asIntN(size * 8, v) : BigInt.asUintN(size * 8, v);
}

/** Bits of a promoted type (32 or 64): the range a shift count must stay in. */
export const widthOf = (t: BaseType): number => t.size * 8;

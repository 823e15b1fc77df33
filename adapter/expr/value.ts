import type { CType } from './ctype.js';

/** Where an lvalue lives. A register location may start at a byte inside it ($ah). */
export type Location =
  | { readonly kind: 'memory'; readonly address: number }
  | { readonly kind: 'register'; readonly reg: string; readonly byteOffset: number };

/**
 * An object that can be read, written and (in memory) have its address taken. Reading is lazy:
 * a struct or a big array is only read when a member is used or the value is displayed.
 */
export interface LValue {
  readonly kind: 'lvalue';
  readonly type: CType;
  readonly location: Location;
  /** A bit field: `size` bits starting `offset` bits after the location. */
  readonly bits?: { readonly offset: number; readonly size: number };
  /** Index of element 0 when this array is a slice of a bigger one (children's range groups). */
  readonly indexBase?: number;
}

/** A computed value: its bytes, little-endian, exactly sizeOf(type) of them. */
export interface RValue {
  readonly kind: 'rvalue';
  readonly type: CType;
  readonly bytes: Uint8Array;
  /** Loaded from a bit field of this width (C promotes narrow unsigned ones to int). */
  readonly bitSize?: number;
  readonly indexBase?: number;
}

export type Value = LValue | RValue;

/** Little-endian bytes as an integer; `signed` sign-extends from the top bit. */
export function bytesToBig(bytes: Uint8Array, signed: boolean): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return signed && bytes.length > 0 ? BigInt.asIntN(bytes.length * 8, v) : v;
}

/** The low `size` bytes of v, little-endian (two's complement for negatives). */
export function bigToBytes(v: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export const u32 = (v: bigint): number => Number(BigInt.asUintN(32, v));

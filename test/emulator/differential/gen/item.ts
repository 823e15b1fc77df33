// An item is a small self-contained piece of a case: the instruction under test plus the register
// or memory set-up it needs. Items declare nothing else; they ask the Gen for what they may use.
import type { Size } from './asm.js';
import type { Gen } from './context.js';

export interface Item {
  /** Family and form, e.g. 'alu.reg-mem'; failures are summarised by these names. */
  name: string;
  weight: number;
  /** Accesses the low window (16-bit addressing): left out where the host cannot map it. */
  needsLowWindow?: boolean;
  /** Emits the item, or returns false when it cannot be generated in the current context. */
  gen: (g: Gen) => boolean;
}

export function pickSize(g: Gen, allowByte = true): Size {
  if (!allowByte) return g.rng.bool(0.65) ? 4 : 2;
  return g.rng.weighted<Size>([[3, 4], [2, 2], [2, 1]]);
}

/** A random value of the operand size, as an immediate. */
export function value(g: Gen, size: Size): number {
  return g.rng.value(size * 8);
}

/** A 32-bit value whose low `size` bytes are `low` and whose upper bytes are random (they must not matter). */
export function withNoise(g: Gen, size: Size, low: number): number {
  if (size === 4) return low >>> 0;
  const m = size === 2 ? 0xffff : 0xff;
  return ((g.rng.u32() & ~m) | (low & m)) >>> 0;
}

// Shared decoding of registers made of named bits (EFLAGS, CR0, CR4). Text lists the set flags
// from the highest bit down, the order a person reads a hex value in ("IF ZF PF" for 0x246).

export interface BitDef {
  bit: number;
  name: string;
  description: string;
}

export interface FlagBit extends BitDef {
  set: boolean;
}

export interface DecodedBits {
  value: number;
  /** Every named bit, lowest first, with whether it is set. */
  bits: FlagBit[];
  /** Names of the set bits, highest first. */
  set: string[];
  /** Set bits that have no name here (reserved or unknown). */
  unknown: number[];
}

/** Decodes `value` against `defs`; bits in `ignore` (e.g. EFLAGS bit 1, always 1) are not reported. */
export function decodeBits(value: number, defs: readonly BitDef[], ignore = 0): DecodedBits {
  const v = value >>> 0;
  const bits = defs.map((d) => ({ ...d, set: ((v >>> d.bit) & 1) === 1 }));
  const set = bits.filter((b) => b.set).sort((a, b) => b.bit - a.bit).map((b) => b.name);
  let named = ignore;
  for (const d of defs) named |= 1 << d.bit;
  const unknown: number[] = [];
  for (let bit = 31; bit >= 0; bit--) if (((v & ~named) >>> bit) & 1) unknown.push(bit);
  return { value: v, bits, set, unknown };
}

/** "PG WP PE" plus "bitN" for unnamed set bits; "-" when nothing is set. */
export function bitsText(d: DecodedBits): string {
  const words = [...d.set, ...d.unknown.map((b) => `bit${b}`)];
  return words.length ? words.join(' ') : '-';
}

import { SymbolError, hex } from './error.js';

/**
 * Sequential little-endian reads over one DWARF section (or a slice of it) with every access
 * bounds-checked. Offsets are section-relative so error messages match what readelf shows.
 *
 * Values are JS numbers: the target is 32-bit, so addresses, offsets and lengths fit; the few
 * genuinely 64-bit quantities (data8 constants, LEB128 constants) have bigint readers.
 */
export class Cursor {
  private readonly view: DataView;
  /** Absolute position in `bytes` (not relative to `start`). */
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    /** File name, for errors. */
    readonly file: string,
    /** Section name, for errors. */
    readonly section: string,
    start = 0,
    /** Exclusive end: reads past it fail even if the section goes on (unit boundaries). */
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (end > bytes.length || end < 0) this.fail(`range end ${hex(end)} lies outside the section (${bytes.length} bytes)`, start);
    if (start < 0 || start > end) this.fail(`offset ${hex(start)} lies outside ${hex(end)} bytes`, 0);
    this.pos = start;
  }

  /** A cursor over [start, end) of the same section. */
  slice(start: number, end: number): Cursor {
    return new Cursor(this.bytes, this.file, this.section, start, end);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(problem: string, at = this.pos): never {
    throw new SymbolError(this.file, `${this.section} at offset ${hex(at)}: ${problem}`);
  }

  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.end) {
      this.fail(`read of ${n} bytes runs past the end (${hex(this.end)})`);
    }
    this.pos = at + n;
    return at;
  }

  skip(n: number): void {
    this.need(n);
  }

  seek(pos: number): void {
    if (pos < 0 || pos > this.end) this.fail(`seek to ${hex(pos)} lies outside [0, ${hex(this.end)}]`);
    this.pos = pos;
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }

  i8(): number {
    return this.view.getInt8(this.need(1));
  }

  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }

  i16(): number {
    return this.view.getInt16(this.need(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }

  u64big(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }

  /** An 8-byte value that must fit a JS number (offsets, lengths, addresses). */
  u64(): number {
    const at = this.pos;
    const v = this.u64big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`64-bit value ${hex(v)} is too large`, at);
    return Number(v);
  }

  /** An unsigned value of `size` bytes (1, 2, 4 or 8): addresses and offsets. */
  uN(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64();
      default: return this.fail(`unsupported value size ${size}`);
    }
  }

  /** A signed value of `size` bytes (1, 2, 4 or 8). */
  iN(size: number): number {
    switch (size) {
      case 1: return this.i8();
      case 2: return this.i16();
      case 4: return this.i32();
      case 8: {
        const at = this.pos;
        const v = this.view.getBigInt64(this.need(8), true);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) this.fail(`64-bit value ${v} is too large`, at);
        return Number(v);
      }
      default: return this.fail(`unsupported value size ${size}`);
    }
  }

  bytesOf(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }

  ulebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      // Only the first 64 bits count; later bytes of an over-long encoding are padding.
      if (shift < 64n) result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return result & 0xffff_ffff_ffff_ffffn;
    }
  }

  slebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.u8();
      if (shift < 64n) result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while ((b & 0x80) !== 0);
    if (shift < 64n && (b & 0x40) !== 0) result -= 1n << shift;
    return BigInt.asIntN(64, result);
  }

  /** An unsigned LEB128 that must fit a JS number (counts, offsets, indices). */
  uleb(): number {
    const at = this.pos;
    // Fast path: one or two bytes cover nearly every value in practice.
    const b0 = this.u8();
    if ((b0 & 0x80) === 0) return b0;
    this.pos = at;
    const v = this.ulebBig();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`LEB128 value ${hex(v)} is too large`, at);
    return Number(v);
  }

  sleb(): number {
    const at = this.pos;
    const v = this.slebBig();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) this.fail(`LEB128 value ${v} is too large`, at);
    return Number(v);
  }

  /** A NUL-terminated UTF-8 string; the NUL is consumed. */
  cstring(): string {
    const at = this.pos;
    const nul = this.bytes.indexOf(0, at);
    if (nul < 0 || nul >= this.end) this.fail('string has no terminating NUL');
    this.pos = nul + 1;
    return decoder.decode(this.bytes.subarray(at, nul));
  }

  /**
   * An initial length field: 32-bit DWARF, or 0xffffffff then 64 bits. Returns the unit's
   * length, the size of its offsets, and checks the unit fits in this cursor's range.
   */
  initialLength(what: string): { length: number; offsetSize: 4 | 8; end: number } {
    const at = this.pos;
    let length = this.u32();
    let offsetSize: 4 | 8 = 4;
    if (length === 0xffffffff) {
      length = this.u64();
      offsetSize = 8;
    } else if (length >= 0xfffffff0) {
      this.fail(`${what}: reserved initial length ${hex(length)}`, at);
    }
    const end = this.pos + length;
    if (end > this.end) this.fail(`${what}: length ${hex(length)} runs past the end of the section (${hex(this.end)})`, at);
    return { length, offsetSize, end };
  }
}

const decoder = new TextDecoder('utf-8');

/**
 * A string section (.debug_str, .debug_line_str). NUL positions are found once, so each lookup
 * is a binary search: a crafted file with a long NUL-free section and many string references
 * cannot make loading quadratic. Decoded strings are cached (the same names recur often).
 */
export class StringSection {
  private nuls: Uint32Array | undefined;
  private readonly cache = new Map<number, string>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
    private readonly name: string,
  ) {}

  get(offset: number): string {
    const cached = this.cache.get(offset);
    if (cached !== undefined) return cached;
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.bytes.length) {
      throw new SymbolError(this.file, `string offset ${hex(offset)} lies outside ${this.name} (${this.bytes.length} bytes)`);
    }
    const nuls = (this.nuls ??= findNuls(this.bytes));
    let lo = 0;
    let hi = nuls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nuls[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    const end = nuls[lo];
    if (end === undefined) throw new SymbolError(this.file, `string at offset ${hex(offset)} in ${this.name} has no terminating NUL`);
    const s = decoder.decode(this.bytes.subarray(offset, end));
    this.cache.set(offset, s);
    return s;
  }
}

function findNuls(bytes: Uint8Array): Uint32Array {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) count++;
  const out = new Uint32Array(count);
  for (let i = 0, k = 0; i < bytes.length; i++) if (bytes[i] === 0) out[k++] = i;
  return out;
}

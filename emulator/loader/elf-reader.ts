import { ElfError, hex } from './elf-error.js';

/**
 * Little-endian reads from the file with every access bounds-checked. The parser checks
 * ranges before it reads, so these checks should never fire; they are the backstop that turns
 * a missed check into an ElfError instead of a RangeError.
 */
export class ElfReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  fail(problem: string): never {
    throw new ElfError(this.file, problem);
  }

  /** True when [offset, offset + size) lies inside the file (sizes may be up to 2^32 and more). */
  contains(offset: number, size: number): boolean {
    return offset >= 0 && size >= 0 && offset + size <= this.bytes.length;
  }

  u8(offset: number): number {
    this.need(offset, 1);
    return this.view.getUint8(offset);
  }

  u16(offset: number): number {
    this.need(offset, 2);
    return this.view.getUint16(offset, true);
  }

  u32(offset: number): number {
    this.need(offset, 4);
    return this.view.getUint32(offset, true);
  }

  /** A copy of [offset, offset + size), so results never alias the caller's buffer. */
  copy(offset: number, size: number): Uint8Array {
    this.need(offset, size);
    return this.bytes.slice(offset, offset + size);
  }

  private need(offset: number, size: number): void {
    if (!this.contains(offset, size)) {
      this.fail(`read of ${size} bytes at offset ${hex(offset)} runs past the end of the file (${this.bytes.length} bytes)`);
    }
  }
}

/**
 * A string table section (.strtab, .shstrtab). The positions of its NUL bytes are found once,
 * so looking up many names costs a binary search each instead of a scan to the next NUL:
 * a crafted file with a long NUL-free table and many symbols cannot make parsing quadratic.
 */
export class StringTable {
  private readonly nuls: number[] = [];
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly reader: ElfReader,
    private readonly what: string,
    private readonly bytes: Uint8Array,
  ) {
    for (let i = bytes.indexOf(0); i !== -1; i = bytes.indexOf(0, i + 1)) this.nuls.push(i);
  }

  /** The NUL-terminated string at `offset`; `user` names who asked, for the error message. */
  get(offset: number, user: string): string {
    if (offset >= this.bytes.length) {
      this.reader.fail(`${user}: name offset ${hex(offset)} lies outside ${this.what} (${this.bytes.length} bytes)`);
    }
    const end = this.firstNulAtOrAfter(offset);
    if (end === undefined) this.reader.fail(`${user}: name at offset ${hex(offset)} in ${this.what} has no terminating NUL`);
    return this.decoder.decode(this.bytes.subarray(offset, end));
  }

  private firstNulAtOrAfter(offset: number): number | undefined {
    let lo = 0;
    let hi = this.nuls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.nuls[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return this.nuls[lo];
  }
}

import { claimRange, type WriteGuard } from '../snapshot/write-guard.js';

/**
 * Guest physical RAM: one ArrayBuffer with byte, word and dword views over it.
 * Addresses beyond the end read as all-ones (an open bus) and ignore writes, as on a PC.
 */
export class PhysicalMemory {
  readonly size: number;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  /**
   * Set while machine snapshots share pages of RAM (emulator/snapshot/). Every write that does not
   * go through a TLB entry with TLB_OWNED must call claim() first; the fast path needs no check.
   */
  guard: WriteGuard | null = null;

  constructor(sizeBytes: number) {
    if (!Number.isInteger(sizeBytes) || sizeBytes < 1 << 20 || sizeBytes % 4096 !== 0) {
      throw new RangeError(`guest memory size must be a whole number of 4 KiB pages and at least 1 MiB, got ${sizeBytes}`);
    }
    const buffer = new ArrayBuffer(sizeBytes);
    this.size = sizeBytes;
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.i32 = new Int32Array(buffer);
  }

  /** Copies bytes into RAM; throws when any byte would fall outside it. */
  load(phys: number, bytes: Uint8Array): void {
    if (phys < 0 || phys + bytes.length > this.size) {
      throw new RangeError(`cannot load ${bytes.length} bytes at 0x${phys.toString(16)}: guest memory ends at 0x${this.size.toString(16)}`);
    }
    this.claim(phys, bytes.length);
    this.u8.set(bytes, phys);
  }

  /** Announces a write of `length` bytes at `phys`, so that snapshots sharing the pages keep their bytes. */
  claim(phys: number, length = 1): void {
    if (this.guard !== null) claimRange(this.guard, phys, length);
  }

  /** True while a snapshot shares the page holding `phys` (a write must claim it first). */
  isShared(phys: number): boolean {
    return this.guard !== null && this.guard.guarded[phys >>> 12] === 1;
  }

  /** Side-effect-free copy of a range; bytes outside RAM read as 0xff. */
  peek(phys: number, length: number): Uint8Array {
    const out = new Uint8Array(length).fill(0xff);
    const start = Math.max(0, phys);
    const end = Math.min(this.size, phys + length);
    if (end > start) out.set(this.u8.subarray(start, end), start - phys);
    return out;
  }
}

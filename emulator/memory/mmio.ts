/**
 * Memory-mapped I/O above the end of RAM: a short list of physical ranges (the local APIC at
 * 0xFEE00000, the I/O APIC at 0xFEC00000) and the device that answers each. The CPU consults it
 * only on its out-of-RAM slow path (cpu.ts read8/16/32, write8/16/32), so RAM accesses pay
 * nothing for it. Addresses no device claims read as all-ones and ignore writes, as before.
 *
 * An access reaches a device whole (1, 2 or 4 bytes at the address the guest used, aligned or
 * not) unless it crosses a page, in which case the CPU splits it into smaller accesses first.
 * Devices decide what narrow or unaligned accesses mean (the APICs' registers are 32-bit).
 */
export interface MmioDevice {
  /** Reads `size` bytes at physical address `addr` (absolute); the result's low `size` bytes count. */
  mmioRead(addr: number, size: number): number;
  mmioWrite(addr: number, size: number, value: number): void;
}

export interface MmioRange {
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
  readonly device: MmioDevice;
}

export class MmioBus {
  private ranges: MmioRange[] = [];

  /** Claims [start, start + length) for `device`; ranges must not overlap. */
  register(start: number, length: number, device: MmioDevice): void {
    const end = start + length;
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length <= 0 || end > 2 ** 32) {
      throw new RangeError(`bad MMIO range 0x${start.toString(16)} + 0x${length.toString(16)}`);
    }
    for (const r of this.ranges) {
      if (start < r.end && r.start < end) {
        throw new Error(`MMIO range 0x${start.toString(16)}-0x${(end - 1).toString(16)} overlaps one already claimed at 0x${r.start.toString(16)}`);
      }
    }
    this.ranges = [...this.ranges, { start, end, device }].sort((a, b) => a.start - b.start);
  }

  /** The claimed ranges, lowest first. */
  list(): readonly MmioRange[] {
    return this.ranges;
  }

  /** The device claiming physical address `addr`, or null. */
  find(addr: number): MmioDevice | null {
    const rs = this.ranges;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i]!;
      if (addr >= r.start && addr < r.end) return r.device;
    }
    return null;
  }

  read(addr: number, size: number): number {
    const d = this.find(addr);
    if (d !== null) return d.mmioRead(addr, size);
    return size === 1 ? 0xff : size === 2 ? 0xffff : -1;
  }

  write(addr: number, size: number, value: number): void {
    this.find(addr)?.mmioWrite(addr, size, value);
  }
}

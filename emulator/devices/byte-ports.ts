// The PC's classic peripherals (8259A, 8254, 16550) are 8-bit ISA devices: they sit on the low
// data byte, so the bus turns a 16- or 32-bit `in`/`out` into byte cycles at consecutive ports,
// low byte first. These helpers do that split for devices that only know byte registers.

/** Reads `size` bytes starting at `port` through a byte-register reader, little-endian. */
export function readBytes(port: number, size: number, read8: (port: number) => number): number {
  if (size === 1) return read8(port) & 0xff;
  let v = 0;
  for (let i = 0; i < size; i++) v |= (read8(port + i) & 0xff) << (8 * i);
  return v >>> 0;
}

/** Writes the low `size` bytes of `value` to consecutive ports starting at `port`, low byte first. */
export function writeBytes(port: number, size: number, value: number, write8: (port: number, v: number) => void): void {
  if (size === 1) {
    write8(port, value & 0xff);
    return;
  }
  for (let i = 0; i < size; i++) write8(port + i, (value >>> (8 * i)) & 0xff);
}

// The inspectors' view of physical memory: reads only. Anything that can answer read8/read32
// without side effects will do (a snapshot, a test double); a PhysicalMemory is adapted directly.

/** Side-effect-free physical reads. Addresses at or beyond `size` read as all-ones (open bus). */
export interface PhysReader {
  readonly size: number;
  /** Little-endian dword, unsigned (0 .. 2^32-1). Need not be aligned. */
  read32(phys: number): number;
  read8(phys: number): number;
}

/** The shape of emulator/memory/physical.ts's PhysicalMemory that the adapter relies on. */
export interface RamLike {
  readonly size: number;
  readonly u8: Uint8Array;
}

/** What the inspectors accept as physical memory: a reader, or RAM to wrap. */
export type PhysSource = PhysReader | RamLike;

/**
 * Wraps RAM as a PhysReader. RAM is recognised by its byte array (checked first, so a RAM object
 * that one day grows its own read methods is still read through the plain array, never through
 * something that might touch devices).
 */
export function physReader(src: PhysSource): PhysReader {
  if ('u8' in src) return ramReader(src);
  return src;
}

function ramReader(ram: RamLike): PhysReader {
  const { size, u8 } = ram;
  // A DataView reads little-endian regardless of the host and never allocates per read.
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const read8 = (phys: number): number => (phys >= 0 && phys < size ? u8[phys] : 0xff);
  return {
    size,
    read8,
    read32(phys: number): number {
      if (phys >= 0 && phys + 4 <= size) return view.getUint32(phys, true);
      // Straddles the end of RAM (or lies beyond it): byte by byte, missing bytes are 0xff.
      return (read8(phys) | (read8(phys + 1) << 8) | (read8(phys + 2) << 16) | (read8(phys + 3) << 24)) >>> 0;
    },
  };
}

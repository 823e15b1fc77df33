import type { PhysicalMemory } from '../memory/physical.js';
import { ElfError, hex } from './elf-error.js';
import type { Elf32Image } from './elf-types.js';

export interface LoadOptions {
  /**
   * Load each segment at its physical address (p_paddr), as a boot loader does for a kernel
   * linked high; otherwise at its virtual address (p_vaddr), for code that runs unpaged or
   * identity-mapped.
   */
  readonly usePhysical: boolean;
}

/** Where a segment ended up in guest RAM. */
export interface LoadedSegment {
  readonly index: number;
  readonly start: number;
  /** End of the bytes copied from the file; from here to `end` was zero-filled (bss). */
  readonly fileEnd: number;
  readonly end: number;
}

/**
 * Copies the PT_LOAD segments of a parsed image into guest RAM and zero-fills their bss.
 * Every segment is checked before any byte is written, so a failed load leaves RAM untouched.
 */
export function loadElf(mem: PhysicalMemory, image: Elf32Image, options: LoadOptions): LoadedSegment[] {
  const placed = image.segments.map((s) => {
    const start = options.usePhysical ? s.paddr : s.vaddr;
    const where = `segment ${s.index}`;
    if (s.fileBytes.length > s.memSize) {
      throw new ElfError(image.name, `${where}: ${s.fileBytes.length} file bytes do not fit in p_memsz ${hex(s.memSize)}`);
    }
    // An empty segment occupies no memory, wherever it claims to be.
    if (s.memSize > 0 && start + s.memSize > mem.size) {
      const kind = options.usePhysical ? 'physical' : 'virtual';
      // A kernel linked high but loaded by virtual address is the usual mistake: say so.
      const hint =
        !options.usePhysical && s.paddr !== s.vaddr && s.paddr + s.memSize <= mem.size
          ? ` (its physical address ${hex(s.paddr)} would fit: load by p_paddr)`
          : '';
      throw new ElfError(
        image.name,
        `${where} (${kind} ${hex(start)}-${hex(start + s.memSize)}) lies outside guest memory, which ends at ${hex(mem.size)}${hint}`,
      );
    }
    return { segment: s, loaded: { index: s.index, start, fileEnd: start + s.fileBytes.length, end: start + s.memSize } };
  });
  for (const { segment, loaded } of placed) {
    if (loaded.end === loaded.start) continue;
    mem.load(loaded.start, segment.fileBytes);
    mem.claim(loaded.fileEnd, loaded.end - loaded.fileEnd); // snapshots keep their bytes
    mem.u8.fill(0, loaded.fileEnd, loaded.end);
  }
  return placed.map((p) => p.loaded);
}

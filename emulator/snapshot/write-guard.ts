/**
 * The contract between byte stores that snapshots share (guest RAM, disk images) and the code that
 * writes them. A store is cut into 4 KiB pages; while a snapshot still shares a page, its flag in
 * `guarded` is set and the writer must call claim(page) before changing any byte of it, which
 * saves the old bytes for the snapshot. Once claimed, a page is written freely until the next
 * snapshot or restore. Writers on hot paths do not consult the flags: the CPU's TLB keeps write
 * permission (TLB_OWNED) away from guarded pages, so only its slow path ever looks.
 */
export interface WriteGuard {
  /** 1 for a page that must be claimed before its next write, 0 otherwise; one byte per page. */
  readonly guarded: Uint8Array;
  /** Saves page `page` for the snapshots that share it; it is no longer guarded afterwards. */
  claim(page: number): void;
}

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** Claims every guarded page that bytes [offset, offset + length) touch (pages past the end are ignored). */
export function claimRange(guard: WriteGuard, offset: number, length: number): void {
  if (length <= 0) return;
  const flags = guard.guarded;
  // Division rather than >>>: disk images may exceed what a 32-bit shift can address.
  const first = Math.max(0, Math.floor(offset / PAGE_SIZE));
  const last = Math.min(flags.length - 1, Math.floor((offset + length - 1) / PAGE_SIZE));
  for (let p = first; p <= last; p++) if (flags[p] !== 0) guard.claim(p);
}

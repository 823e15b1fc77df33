// Access rights of a translated linear address (SDM vol. 3, 4.6), for 32-bit paging, which has no
// execute-disable bit. Kept apart from the walk so the rule can be read, and tested, on its own.

export type Access = 'read' | 'write' | 'execute';
export type Level = 'pde' | 'pte';

export const CR0_WP = 1 << 16;
export const CR4_SMEP = 1 << 20;
export const CR4_SMAP = 1 << 21;
export const EFLAGS_AC = 1 << 18;

/** U/S and R/W of one paging-structure entry on the path of a translation. */
export interface LevelRights {
  level: Level;
  user: boolean;
  writable: boolean;
}

export interface RightsQuery {
  access: Access;
  /**
   * A user-mode access: CPL 3 and not an implicit supervisor-mode access (descriptor-table and
   * TSS reads, stack pushes of an interrupt delivery are supervisor-mode even at CPL 3).
   */
  userMode: boolean;
  /** Only for SMAP: an implicit supervisor-mode access, for which EFLAGS.AC does not help. */
  implicit: boolean;
  /** Entries on the path, outermost first (PDE, then the PTE unless a 4 MiB page). */
  levels: readonly LevelRights[];
  cr0: number;
  cr4: number;
  /** Only EFLAGS.AC is read, and only under CR4.SMAP. */
  eflags: number;
}

/** Which rule of 4.6 refused the access. */
export type RightsCheck =
  | 'user-access-to-supervisor-page'
  | 'user-write-to-read-only-page'
  | 'supervisor-write-to-read-only-page-wp'
  | 'supervisor-fetch-from-user-page-smep'
  | 'supervisor-access-to-user-page-smap';

export interface RightsViolation {
  check: RightsCheck;
  reason: string;
  /** The first entry on the path whose bit caused the refusal. */
  level: Level;
}

/**
 * Checks an access against the combined rights. The SDM combines levels by AND: an address is a
 * user-mode address only if U/S=1 in every entry; it is writable only if R/W=1 in every entry.
 *  - User-mode reads and fetches: only user-mode addresses.
 *  - User-mode writes: only user-mode addresses with R/W=1 at every level (CR0.WP plays no part).
 *  - Supervisor-mode reads: any address (CR4.SMAP refuses user-mode addresses, see below).
 *  - Supervisor-mode writes: any address if CR0.WP=0; with CR0.WP=1 only R/W=1 at every level,
 *    user-mode and supervisor-mode addresses alike.
 *  - Supervisor-mode fetches: any address (no XD with 32-bit paging); CR4.SMEP refuses user-mode
 *    addresses.
 *  - CR4.SMAP: supervisor-mode data accesses to user-mode addresses are refused when implicit,
 *    or when explicit with EFLAGS.AC=0.
 * Returns undefined when the access is allowed.
 */
export function checkRights(q: RightsQuery): RightsViolation | undefined {
  const notUser = q.levels.find((l) => !l.user);
  const notWritable = q.levels.find((l) => !l.writable);
  const userAddress = notUser === undefined;
  if (q.userMode) {
    if (notUser) return { check: 'user-access-to-supervisor-page', reason: 'user access to a supervisor page', level: notUser.level };
    if (q.access === 'write' && notWritable) {
      return { check: 'user-write-to-read-only-page', reason: 'write to a read-only page from user mode', level: notWritable.level };
    }
    return undefined;
  }
  // Supervisor mode from here on.
  const lastLevel = q.levels[q.levels.length - 1]?.level ?? 'pde';
  if (q.access === 'execute') {
    if (userAddress && q.cr4 & CR4_SMEP) {
      return { check: 'supervisor-fetch-from-user-page-smep', reason: 'instruction fetch from a user page in supervisor mode with CR4.SMEP set', level: lastLevel };
    }
    return undefined;
  }
  if (userAddress && q.cr4 & CR4_SMAP && (q.implicit || !(q.eflags & EFLAGS_AC))) {
    const why = q.implicit ? 'an implicit access' : 'EFLAGS.AC clear';
    return { check: 'supervisor-access-to-user-page-smap', reason: `supervisor access to a user page with CR4.SMAP set (${why})`, level: lastLevel };
  }
  if (q.access === 'write' && notWritable && q.cr0 & CR0_WP) {
    return {
      check: 'supervisor-write-to-read-only-page-wp',
      reason: 'write to a read-only page in supervisor mode with CR0.WP set',
      level: notWritable.level,
    };
  }
  return undefined;
}

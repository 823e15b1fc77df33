// Custom DAP requests and events between the adapter and the extension. The extension imports this
// file for the types; the adapter implements them.

/** Sent whenever the machine's state may have changed (a stop, a step, a memory or register write). */
export const CUSTOM_EVENT_STATE_CHANGED = 'ringside/stateChanged';

/**
 * Output events: what the guest writes to its serial console comes with category 'stdout'; the
 * adapter's own messages use 'console' (logpoints) and 'stderr' (warnings). A terminal showing
 * the guest console takes 'stdout' only.
 *
 * Custom requests other than consoleInput need the guest stopped: while it runs they get an
 * error response saying "the guest is running: pause it first".
 */

/** Request "consoleInput": bytes typed into the guest console (its serial port). */
export interface ConsoleInputArguments {
  text: string;
}

/** The custom requests the views use (adapter/views.ts answers them), with their arguments. */
export interface CustomRequests {
  /** Directory entries of a page directory (default: the current CR3), or one table's entries (pde). */
  pageTable: { cr3?: number; pde?: number };
  /** The address space folded into runs ("0xf0000000-0xffffffff -> ..., kernel rw, 65536 pages"). */
  pageTableFolded: { cr3?: number };
  /** One address's walk, every step, and why it fails. */
  translate: { address: number; access?: 'read' | 'write' | 'execute'; cpl?: number; cr3?: number };
  idt: Record<string, never>;
  gdt: Record<string, never>;
  tss: Record<string, never>;
  /** The last `count` traps and system calls, strace-style. */
  trapLog: { count?: number };
  /** Physical frames mapped by environments, with the kernel's reference counts. */
  frames: { limit?: number };
  /**
   * The CGA text screen through the CGA device's reader: 25 rows of 80 characters, each cell's
   * attribute byte, the hardware cursor, and `used` (false while the kernel has not written to
   * the screen). Body: adapter/screen.ts ScreenBody.
   */
  screen: Record<string, never>;
  /** CPL, paging, CR3 and the running environment, for the status bar. */
  state: Record<string, never>;
  /** Bytes typed into the guest console. */
  consoleInput: ConsoleInputArguments;
}

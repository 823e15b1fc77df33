/**
 * The one error the ELF loader throws. Every malformed or unloadable file ends here, never in a
 * RangeError from a typed array, so callers (the CLI, the adapter's launch request) can show
 * the message to a student as it is: it names the file and what is wrong with it.
 */
export class ElfError extends Error {
  override readonly name = 'ElfError';

  constructor(
    /** The name the caller gave the file (usually its path). */
    readonly file: string,
    /** What is wrong, without the file name. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Formats an address or offset the way readelf and the course notes do. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

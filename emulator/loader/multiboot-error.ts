/**
 * The one error the multiboot loader throws. A kernel or module handed to the loader may be
 * anything a student built (a missing header, a wrong checksum, addresses past the end of RAM),
 * so each problem becomes a MultibootError whose message names the file and says what is wrong;
 * the CLI and the adapter show it as it is, without a stack trace.
 */
export class MultibootError extends Error {
  override readonly name = 'MultibootError';

  constructor(
    /** The name the caller gave the file (usually its path). */
    readonly file: string,
    /** What is wrong, without the file name. */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
  }
}

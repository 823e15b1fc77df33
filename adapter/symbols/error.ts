/**
 * The one error the symbol reader throws. A student's ELF may be truncated, built by an
 * unusual toolchain or simply corrupt; every such problem ends here (never in a RangeError or
 * a hang), names the file, and says where in which section the reader gave up, so the
 * adapter can show the message as it is and carry on without symbols.
 */
export class SymbolError extends Error {
  override readonly name = 'SymbolError';

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

export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

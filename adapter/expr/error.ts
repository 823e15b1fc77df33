/**
 * The one error the expression language throws. `start`/`end` are 0-based character offsets
 * into the expression text (end exclusive), so a UI can underline the culprit; syntax errors
 * also say "at column N" (1-based) in the message, where the user needs it to find the spot.
 */
export class ExprError extends Error {
  constructor(
    message: string,
    readonly start = 0,
    readonly end = start,
  ) {
    super(message);
    this.name = 'ExprError';
  }

  /** 1-based column of the start, as editors count. */
  get column(): number {
    return this.start + 1;
  }
}

/** 0x%08x: how addresses appear in messages and values. */
export const hex8 = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

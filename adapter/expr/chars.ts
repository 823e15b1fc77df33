import { unqualified, type CType } from './ctype.js';
import type { ExprContext } from './context.js';

/**
 * Characters and strings the way C (and gdb) write them: 65 'A', 10 '\n', "hi\n", and
 * octal escapes for other unprintable bytes.
 */

const ESCAPES: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 27: '\\e', 92: '\\\\' };

/** One byte inside quotes `quote` (' or "). */
export function escapeByte(b: number, quote: string): string {
  if (b === quote.charCodeAt(0)) return `\\${quote}`;
  const e = ESCAPES[b];
  if (e !== undefined) return e;
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return `\\${b.toString(8)}`;
}

export const charLiteral = (b: number): string => `'${escapeByte(b & 0xff, "'")}'`;

export function stringLiteral(bytes: ArrayLike<number>, truncated: boolean): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    // An octal escape followed by a digit would swallow it: "\0" then "1" must stay apart.
    const e = escapeByte(bytes[i]!, '"');
    s += e;
    if (e.startsWith('\\') && /[0-7]$/.test(e) && i + 1 < bytes.length && /[0-7]/.test(String.fromCharCode(bytes[i + 1]!))) s += '""';
  }
  return s + '"' + (truncated ? '...' : '');
}

/**
 * Does this type hold text? char, signed char and unsigned char do, unless they were reached
 * through a typedef that says "small integer" (uint8_t, int8_t, u8): a uint8_t buffer is bytes.
 */
export function isTextChar(t: CType): boolean {
  for (let i = 0; i < 64; i++) {
    t = unqualified(t);
    if (t.kind === 'typedef') {
      if (/int8|^[us]8$|^byte$/i.test(t.name)) return false;
      t = t.target;
      continue;
    }
    return t.kind === 'base' && t.encoding === 'char';
  }
  return false;
}

const PAGE = 4096;

/**
 * Up to `max` bytes of the NUL-terminated string at addr, read a page at a time so that a
 * string ending just before an unmapped page still reads. undefined if nothing is readable.
 */
export function readCString(ctx: ExprContext, addr: number, max: number): { bytes: number[]; truncated: boolean } | undefined {
  const bytes: number[] = [];
  let a = addr >>> 0;
  while (bytes.length < max) {
    const chunk = Math.min(max - bytes.length + 1, PAGE - (a % PAGE));
    const got = ctx.readMemory(a, chunk);
    if (got === undefined || got.length < chunk) {
      if (bytes.length === 0) return undefined;
      return { bytes, truncated: true };
    }
    for (const b of got.subarray(0, chunk)) {
      if (b === 0) return { bytes, truncated: false };
      if (bytes.length === max) return { bytes, truncated: true };
      bytes.push(b);
    }
    a = (a + chunk) >>> 0;
  }
  // Exactly max bytes read: it is complete only if a NUL follows.
  const next = ctx.readMemory(a, 1);
  return { bytes, truncated: !(next !== undefined && next[0] === 0) };
}

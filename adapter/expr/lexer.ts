import { INT, LLONG, LONG, UINT, ULLONG, ULONG, type BaseType } from './ctype.js';
import { ExprError } from './error.js';

export type TokenKind = 'num' | 'ident' | 'reg' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text; for 'reg' without the '$', lower-cased. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Integer and character constants: value and C type. */
  readonly value?: bigint;
  readonly type?: BaseType;
}

// Longest first, so that '<<=' wins over '<<' over '<'.
const PUNCTUATORS = [
  '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=',
  '(', ')', '[', ']', '.', '+', '-', '*', '/', '%', '<', '>', '&', '^', '|', '!', '~', '?', ':', '=', ',', '@', '{', '}', ';',
];

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

/** Splits an expression into tokens; the last one is always 'eof'. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const t = number(text, i);
      tokens.push(t);
      i = t.end;
    } else if (c === "'") {
      const t = charConstant(text, i);
      tokens.push(t);
      i = t.end;
    } else if (c === '"') {
      throw new ExprError(`string literals are not supported (column ${start + 1})`, start, start + 1);
    } else if (isIdentStart(c)) {
      while (i < text.length && isIdentChar(text[i]!)) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), start, end: i });
    } else if (c === '$') {
      i++;
      while (i < text.length && isIdentChar(text[i]!)) i++;
      if (i === start + 1) throw new ExprError(`expected a register name after '$' at column ${start + 1}`, start, i);
      tokens.push({ kind: 'reg', text: text.slice(start + 1, i).toLowerCase(), start, end: i });
    } else {
      const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
      if (p === undefined) throw new ExprError(`unexpected character '${printable(c)}' at column ${start + 1}`, start, start + 1);
      i += p.length;
      tokens.push({ kind: 'punct', text: p, start, end: i });
    }
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}

function printable(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code >= 0x20 && code < 0x7f ? c : `\\u{${code.toString(16)}}`;
}

const MAX_U64 = (1n << 64n) - 1n;

/** An integer constant and its C type (C11 6.4.4.1, with int and long both 32-bit). */
function number(text: string, start: number): Token {
  if (text[start] === '.') throw new ExprError(`floating-point constants are not supported (column ${start + 1})`, start, start + 1);
  const m = /^(0[xX][0-9a-fA-F]*|0[bB][01]*|[0-9]+)([A-Za-z0-9_.]*)/.exec(text.slice(start))!;
  const digits = m[1]!;
  const suffix = m[2]!;
  const end = start + m[0].length;
  const bad = (why: string): never => {
    throw new ExprError(`${why} '${m[0]}' at column ${start + 1}`, start, end);
  };
  if (suffix.includes('.') || (/^[0-9]+[eE]/.test(m[0]) && !/^0[xX]/.test(digits))) bad('floating-point constants are not supported:');
  if (digits.length === 2 && /^0[xXbB]$/.test(digits)) bad('invalid number');
  const octal = digits.length > 1 && digits[0] === '0' && /^[0-9]+$/.test(digits);
  if (octal && /[89]/.test(digits)) bad('invalid octal constant');
  const su = suffix.toLowerCase();
  if (!['', 'u', 'l', 'ul', 'lu', 'll', 'ull', 'llu'].includes(su) || (su.includes('ll') && !/ll|LL/.test(suffix))) bad('invalid suffix on integer constant');
  const value = octal ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  if (value > MAX_U64) bad('integer constant is too large:');
  const decimal = !octal && /^[0-9]/.test(digits) && !/^0[xXbB]/.test(digits);
  const unsigned = su.includes('u');
  const longs = (su.match(/l/g) ?? []).length;
  // Candidate types in order; the first that can hold the value is the constant's type.
  const candidates: BaseType[] = [];
  if (longs === 0) candidates.push(...(unsigned ? [UINT] : decimal ? [INT] : [INT, UINT]));
  if (longs <= 1) candidates.push(...(unsigned ? [ULONG] : decimal ? [LONG] : [LONG, ULONG]));
  candidates.push(...(unsigned ? [ULLONG] : decimal ? [LLONG] : [LLONG, ULLONG]));
  // gcc: a decimal constant too big for long long is unsigned long long (with a warning).
  const type = candidates.find((t) => value < 1n << BigInt(t.size * 8 - (t.signed ? 1 : 0))) ?? ULLONG;
  return { kind: 'num', text: m[0], start, end, value, type };
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };

/** 'a', '\n', '\x41', '\101'; type int. Several characters: gcc's multi-char value. */
function charConstant(text: string, start: number): Token {
  let i = start + 1;
  const chars: number[] = [];
  const fail = (why: string): never => {
    throw new ExprError(`${why} at column ${start + 1}`, start, Math.min(i + 1, text.length));
  };
  while (true) {
    if (i >= text.length) fail('unterminated character constant');
    const c = text[i]!;
    if (c === "'") break;
    if (c !== '\\') {
      const code = c.codePointAt(0)!;
      if (code > 0xff) fail('character constant does not fit in a char');
      chars.push(code);
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) fail('unterminated character constant');
    if (e === 'x') {
      const m = /^[0-9a-fA-F]+/.exec(text.slice(i + 2));
      if (!m) fail('\\x used with no following hex digits');
      const v = parseInt(m![0].slice(-8), 16);
      if (m![0].replace(/^0+/, '').length > 2) fail('hex escape sequence out of range');
      chars.push(v);
      i += 2 + m![0].length;
    } else if (/[0-7]/.test(e!)) {
      const m = /^[0-7]{1,3}/.exec(text.slice(i + 1))!;
      const v = parseInt(m[0], 8);
      if (v > 0xff) fail('octal escape sequence out of range');
      chars.push(v);
      i += 1 + m[0].length;
    } else if (e! in SIMPLE_ESCAPES) {
      chars.push(SIMPLE_ESCAPES[e!]!);
      i += 2;
    } else {
      fail(`unknown escape sequence '\\${e}'`);
    }
  }
  const end = i + 1;
  if (chars.length === 0) throw new ExprError(`empty character constant at column ${start + 1}`, start, end);
  // gcc: one char is sign-extended (plain char is signed); several are packed big-endian into an int.
  let value: bigint;
  if (chars.length === 1) value = BigInt.asIntN(8, BigInt(chars[0]!));
  else value = BigInt.asIntN(32, chars.reduce((v, c) => (v << 8n) | BigInt(c), 0n));
  return { kind: 'num', text: text.slice(start, end), start, end, value, type: INT };
}

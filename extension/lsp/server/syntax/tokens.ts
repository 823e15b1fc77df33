// Tokens of gas operands and expressions, with their columns: registers (%eax), symbols, numbers,
// gas's numeric local label references (1b, 2f), strings and punctuation.
import { skipLiteral } from './lines.js';

export type TokenType = 'register' | 'symbol' | 'number' | 'localRef' | 'string' | 'punct';

export interface Token {
  type: TokenType;
  text: string;
  /** Columns in the line: [start, end). */
  start: number;
  end: number;
}

/** A symbol name: gas allows letters, digits, `_`, `.` and `$`, not starting with a digit or `$`. */
export const SYMBOL_START = /[A-Za-z_.]/;
const SYMBOL_CHAR = /[\w.$]/;

/** Tokens of `line` between columns `from` and `to`. */
export function tokenize(line: string, from = 0, to = line.length): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      i = Math.min(skipLiteral(line, i), to);
      out.push({ type: 'string', text: line.slice(start, i), start, end: i });
    } else if (c === '%') {
      i++;
      while (i < to && /\w/.test(line[i])) i++;
      // %st(3): the x87 register stack element is one token.
      const st = /^\(\s*[0-7]\s*\)/.exec(line.slice(i, to));
      if (/^%st$/i.test(line.slice(start, i)) && st) i += st[0].length;
      out.push({ type: 'register', text: line.slice(start, i), start, end: i });
    } else if (/\d/.test(c)) {
      const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)/.exec(line.slice(i, to))!;
      i += m[0].length;
      const next = line[i];
      if ((next === 'b' || next === 'f') && /^\d+$/.test(m[0]) && !(i + 1 < to && SYMBOL_CHAR.test(line[i + 1]))) {
        i++;
        out.push({ type: 'localRef', text: line.slice(start, i), start, end: i });
      } else {
        while (i < to && /\w/.test(line[i])) i++; // suffixes such as 10h or 1e5: part of the number
        out.push({ type: 'number', text: line.slice(start, i), start, end: i });
      }
    } else if (SYMBOL_START.test(c)) {
      i++;
      while (i < to && SYMBOL_CHAR.test(line[i])) i++;
      out.push({ type: 'symbol', text: line.slice(start, i), start, end: i });
    } else {
      i++;
      out.push({ type: 'punct', text: c, start, end: i });
    }
  }
  return out;
}

/** Splits [from, to) at top-level commas (outside parentheses and literals): operand ranges. */
export function splitOperands(line: string, from: number, to: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let depth = 0;
  let start = from;
  let i = from;
  while (i < to) {
    const c = line[i];
    if (c === '"' || c === "'") {
      i = skipLiteral(line, i);
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(trim(line, start, i));
      start = i + 1;
    }
    i++;
  }
  const last = trim(line, start, Math.min(i, to));
  if (out.length > 0 || last.end > last.start) out.push(last);
  return out;
}

function trim(line: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /\s/.test(line[start])) start++;
  while (end > start && /\s/.test(line[end - 1])) end--;
  return { start, end };
}

/**
 * The symbols an expression refers to: symbol tokens that are not a relocation operator after
 * `@` (`foo@PLT`, `@function`), minus the names in `exclude` (cpp macros, macro parameters).
 */
export function symbolRefs(tokens: readonly Token[], exclude?: (name: string) => boolean): Token[] {
  return tokens.filter((t, k) => t.type === 'symbol' && tokens[k - 1]?.text !== '@' && tokens[k - 1]?.text !== '\\' && !exclude?.(t.text));
}

// One gas statement: labels, then an instruction (with prefixes), a directive, a symbol
// assignment, or a macro invocation. Statements are separated by newlines and `;`.
import { PREFIXES } from '../isa/prefixes.js';
import { skipLiteral } from './lines.js';
import { type Token } from './tokens.js';

export interface Span {
  start: number;
  end: number;
}

export interface LabelDef extends Span {
  name: string;
  /** gas numeric local label (`1:`), referred to as 1b / 1f. */
  numeric: boolean;
}

export type StatementBody =
  | {
    kind: 'instruction';
    /** Prefix words (rep, lock, cs, {disp32} ...), in order. */
    prefixes: Token[];
    /** The mnemonic (or a macro name: the document decides); absent for a prefix-only statement. */
    mnemonic?: Token;
    /** A branch hint glued to the mnemonic: `jne,pt`. */
    hint?: Token;
    /** `NAME(` with no space: a function-like cpp macro invocation. */
    call: boolean;
    operands: Span[];
    /** Everything after the mnemonic. */
    rest: Span;
  }
  | { kind: 'directive'; name: Token; args: Span }
  | { kind: 'assignment'; name: Token; expr: Span };

export interface Statement extends Span {
  line: number;
  labels: LabelDef[];
  body?: StatementBody;
}

/** Column ranges of the `;`-separated statements of a line (literals respected). */
export function statementSpans(code: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '"' || c === "'") {
      i = skipLiteral(code, i);
      continue;
    }
    if (c === ';') {
      out.push({ start, end: i });
      start = i + 1;
    }
    i++;
  }
  out.push({ start, end: code.length });
  return out;
}

const LABEL = /^([A-Za-z_.][\w.$]*|\d+)[ \t]*:(?!:)/;
const ASSIGN = /^([A-Za-z_.][\w.$]*)[ \t]*==?(?!=)/;
const WORD = /^[A-Za-z_][\w.$]*/;
const PSEUDO_PREFIX = /^\{[a-z0-9]+\}/i;
const HINT = /^,p[tn]\b/i;

function skipSpace(code: string, i: number, end: number): number {
  while (i < end && (code[i] === ' ' || code[i] === '\t')) i++;
  return i;
}

function token(code: string, start: number, len: number): Token {
  return { type: 'symbol', text: code.slice(start, start + len), start, end: start + len };
}

/** Parses the statement in columns [start, end) of line `line`. */
export function parseStatement(code: string, line: number, span: Span, splitOps: (from: number, to: number) => Span[]): Statement {
  const end = span.end;
  let i = skipSpace(code, span.start, end);
  const st: Statement = { line, start: i, end, labels: [] };
  for (;;) {
    const m = LABEL.exec(code.slice(i, end));
    if (!m) break;
    st.labels.push({ name: m[1], start: i, end: i + m[1].length, numeric: /^\d/.test(m[1]) });
    i = skipSpace(code, i + m[0].length, end);
  }
  if (i >= end) return st;
  const rest = code.slice(i, end);
  const assign = ASSIGN.exec(rest);
  if (assign) {
    const exprStart = skipSpace(code, i + assign[0].length, end);
    st.body = { kind: 'assignment', name: token(code, i, assign[1].length), expr: { start: exprStart, end } };
    return st;
  }
  if (rest.startsWith('.')) {
    const m = /^\.[\w.$]*/.exec(rest)!;
    st.body = { kind: 'directive', name: token(code, i, m[0].length), args: { start: skipSpace(code, i + m[0].length, end), end } };
    return st;
  }
  const prefixes: Token[] = [];
  let mnemonic: Token | undefined;
  let hint: Token | undefined;
  let call = false;
  while (i < end) {
    const pseudo = PSEUDO_PREFIX.exec(code.slice(i, end));
    if (pseudo) {
      prefixes.push(token(code, i, pseudo[0].length));
      i = skipSpace(code, i + pseudo[0].length, end);
      continue;
    }
    const w = WORD.exec(code.slice(i, end));
    if (!w) break;
    const t = token(code, i, w[0].length);
    i += w[0].length;
    if (PREFIXES.has(t.text.toLowerCase()) && code[i] !== '(') {
      prefixes.push(t);
      i = skipSpace(code, i, end);
      continue;
    }
    mnemonic = t;
    const h = HINT.exec(code.slice(i, end));
    if (h) {
      hint = token(code, i, h[0].length);
      i += h[0].length;
    }
    call = code[i] === '(';
    break;
  }
  const restSpan = { start: skipSpace(code, i, end), end };
  const operands = mnemonic && restSpan.start < end ? splitOps(restSpan.start, end) : [];
  st.body = { kind: 'instruction', prefixes, mnemonic, hint, call, operands, rest: restSpan };
  return st;
}

import { ExprError } from './error.js';
import type { Token } from './lexer.js';

/** Expressions this deep come from fuzzers, not people; the limit keeps recursion off the JS stack's edge. */
const MAX_DEPTH = 256;

/** A cursor over the tokens, shared by the expression and type-name parsers. */
export class TokenStream {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  /** Is the next token the punctuator or keyword `text`? */
  is(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }

  accept(text: string): Token | undefined {
    return this.is(text) ? this.next() : undefined;
  }

  expect(text: string): Token {
    const t = this.accept(text);
    if (t === undefined) throw this.unexpected(`expected '${text}'`);
    return t;
  }

  /** "unexpected ')' at column 7", optionally prefixed by what was expected instead. */
  unexpected(expected?: string, t: Token = this.peek()): ExprError {
    const what = t.kind === 'eof' ? 'unexpected end of expression' : `unexpected '${t.kind === 'reg' ? '$' : ''}${t.text}'`;
    return new ExprError(`${expected !== undefined ? `${expected}: ` : ''}${what} at column ${t.start + 1}`, t.start, Math.max(t.end, t.start + 1));
  }

  /** Runs `f` one level deeper; too deep is an error rather than a stack overflow. */
  nested<T>(f: () => T): T {
    this.enter();
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /**
   * One level deeper without recursing: a loop building a left-leaning tree (a + b + c...,
   * a[0][1]...) makes the evaluator recurse as deep as the chain is long. Undo with leave().
   */
  enter(): void {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek();
      throw new ExprError(`expression is nested too deeply at column ${t.start + 1}`, t.start, Math.max(t.end, t.start + 1));
    }
  }

  leave(levels: number): void {
    this.depth -= levels;
  }
}

import type { AssignOp, BinaryOp, Node, UnaryOp } from './ast.js';
import type { ExprContext } from './context.js';
import { ExprError } from './error.js';
import { tokenize } from './lexer.js';
import { TokenStream } from './stream.js';
import { isTypeKeyword, parseTypeName, startsTypeName } from './typename.js';

/**
 * Binding strength of the binary operators (C's, plus gdb's `a@n` array maker, which sits
 * between shifts and additive operators as in gdb's grammar).
 */
const PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8, '@': 9, '+': 10, '-': 10, '*': 11, '/': 11, '%': 11,
};
const ASSIGN_OPS = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);
const UNARY_OPS = new Set(['-', '+', '!', '~', '*', '&']);

/**
 * Parses a C expression. The context is needed because C's grammar is not context-free:
 * `(foo)*x` is a cast if foo names a type and a multiplication if it names a variable.
 */
export function parse(text: string, ctx: ExprContext): Node {
  const tokens = tokenize(text);
  const s = new TokenStream(tokens);
  if (s.peek().kind === 'eof') throw new ExprError('empty expression', 0, 0);
  const node = new Parser(s, ctx).expression();
  if (s.peek().kind !== 'eof') throw s.unexpected();
  return node;
}

class Parser {
  constructor(
    private readonly s: TokenStream,
    private readonly ctx: ExprContext,
  ) {}

  expression(): Node {
    let left = this.assignment();
    let levels = 0;
    try {
      while (this.s.accept(',')) {
        this.s.enter();
        levels++;
        const right = this.assignment();
        left = { k: 'comma', left, right, start: left.start, end: right.end };
      }
    } finally {
      this.s.leave(levels);
    }
    return left;
  }

  private assignment(): Node {
    return this.s.nested(() => {
      const target = this.conditional();
      const t = this.s.peek();
      if (t.kind !== 'punct' || !ASSIGN_OPS.has(t.text)) return target;
      this.s.next();
      const value = this.assignment(); // right-associative: a = b = 1
      return { k: 'assign', op: t.text as AssignOp, target, value, start: target.start, end: value.end };
    });
  }

  private conditional(): Node {
    const test = this.binary(1);
    if (!this.s.accept('?')) return test;
    return this.s.nested(() => {
      const then = this.expression();
      this.s.expect(':');
      const otherwise = this.conditional();
      return { k: 'cond', test, then, otherwise, start: test.start, end: otherwise.end };
    });
  }

  /** Precedence climbing over the left-associative binary operators. */
  private binary(minPrec: number): Node {
    let left = this.cast();
    let levels = 0;
    try {
      for (;;) {
        const t = this.s.peek();
        const prec = t.kind === 'punct' ? PRECEDENCE[t.text] : undefined;
        if (prec === undefined || prec < minPrec) return left;
        this.s.next();
        this.s.enter();
        levels++;
        const right = this.s.nested(() => this.binary(prec + 1));
        const span = { start: left.start, end: right.end };
        left = t.text === '&&' || t.text === '||'
          ? { k: 'logical', op: t.text, left, right, ...span }
          : { k: 'binary', op: t.text as BinaryOp, left, right, ...span };
      }
    } finally {
      this.s.leave(levels);
    }
  }

  private cast(): Node {
    return this.s.nested(() => {
      if (this.s.is('(') && startsTypeName(this.s, this.ctx, 1)) {
        const open = this.s.next();
        const type = parseTypeName(this.s, this.ctx);
        this.s.expect(')');
        if (this.s.is('{')) throw this.s.unexpected('compound literals are not supported');
        const operand = this.cast();
        return { k: 'cast', type, operand, start: open.start, end: operand.end };
      }
      return this.unary();
    });
  }

  private unary(): Node {
    const t = this.s.peek();
    if (t.kind === 'punct' && UNARY_OPS.has(t.text)) {
      this.s.next();
      const operand = this.cast();
      return { k: 'unary', op: t.text as UnaryOp, operand, start: t.start, end: operand.end };
    }
    if (t.kind === 'punct' && (t.text === '++' || t.text === '--')) {
      throw new ExprError(`'${t.text}' is not supported (use '= x ${t.text[0]} 1')`, t.start, t.end);
    }
    if (t.kind === 'ident' && t.text === 'sizeof') {
      this.s.next();
      if (this.s.is('(') && startsTypeName(this.s, this.ctx, 1)) {
        this.s.next();
        const type = parseTypeName(this.s, this.ctx);
        const close = this.s.expect(')');
        return { k: 'sizeofType', type, start: t.start, end: close.end };
      }
      const operand = this.s.nested(() => this.unary());
      return { k: 'sizeofExpr', operand, start: t.start, end: operand.end };
    }
    return this.postfix();
  }

  private postfix(): Node {
    let node = this.primary();
    let levels = 0;
    try {
      return this.postfixChain(node, () => {
        this.s.enter();
        levels++;
      });
    } finally {
      this.s.leave(levels);
    }
  }

  private postfixChain(node: Node, deeper: () => void): Node {
    for (;;) {
      const t = this.s.peek();
      if (t.kind !== 'punct') return node;
      if (t.text === '[' || t.text === '.' || t.text === '->') deeper();
      if (t.text === '[') {
        this.s.next();
        const index = this.s.nested(() => this.expression());
        const close = this.s.expect(']');
        node = { k: 'index', base: node, index, start: node.start, end: close.end };
      } else if (t.text === '.' || t.text === '->') {
        this.s.next();
        const name = this.s.next();
        if (name.kind !== 'ident' || isTypeKeyword(name.text)) throw this.s.unexpected(`expected a member name after '${t.text}'`, name);
        node = { k: 'member', base: node, name: name.text, arrow: t.text === '->', start: node.start, end: name.end };
      } else if (t.text === '(') {
        throw new ExprError(`function calls are not supported (column ${t.start + 1})`, node.start, t.end);
      } else if (t.text === '++' || t.text === '--') {
        throw new ExprError(`'${t.text}' is not supported (use '= x ${t.text[0]} 1')`, t.start, t.end);
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const t = this.s.peek();
    switch (t.kind) {
      case 'num':
        this.s.next();
        return { k: 'num', value: t.value!, type: t.type!, start: t.start, end: t.end };
      case 'reg':
        this.s.next();
        return { k: 'reg', name: t.text, start: t.start, end: t.end };
      case 'ident':
        if (isTypeKeyword(t.text) || t.text === 'sizeof') throw this.s.unexpected('expected an expression');
        this.s.next();
        return { k: 'ident', name: t.text, start: t.start, end: t.end };
      case 'punct':
        if (t.text === '(') {
          this.s.next();
          const inner = this.s.nested(() => this.expression());
          const close = this.s.expect(')');
          // The span grows to cover the parentheses, for error underlining.
          return { ...inner, start: t.start, end: close.end };
        }
        throw this.s.unexpected();
      case 'eof':
        throw this.s.unexpected();
    }
  }
}

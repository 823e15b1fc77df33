import type { ExprContext } from './context.js';
import {
  BOOL, CHAR, DOUBLE, FLOAT, INT, LDOUBLE, LLONG, LONG, SCHAR, SHORT, UCHAR, UINT, ULLONG, ULONG, USHORT, VOID,
  array, func, pointer, qualified, strip, type CType,
} from './ctype.js';
import { ExprError } from './error.js';
import type { TokenStream } from './stream.js';

/** Words that make up a base type; any mix of them is checked by baseFromWords. */
const BASE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', '_Bool', 'float', 'double']);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict']);
const TAGS = new Set(['struct', 'union', 'enum']);

/** Identifiers that can never name a variable: seeing one after '(' means a cast. */
export const isTypeKeyword = (w: string): boolean => BASE_WORDS.has(w) || QUALIFIERS.has(w) || TAGS.has(w);

/**
 * Does the token at `ahead` start a type name? Keywords do; an identifier does when the
 * program knows it as a typedef and not as a variable (a variable in scope hides a typedef of
 * the same name, as in C).
 */
export function startsTypeName(s: TokenStream, ctx: ExprContext, ahead = 0): boolean {
  const t = s.peek(ahead);
  if (t.kind !== 'ident') return false;
  if (isTypeKeyword(t.text)) return true;
  return ctx.lookupVariable(t.text) === undefined && ctx.lookupType(t.text) !== undefined;
}

/** type-name: specifier-qualifier-list abstract-declarator? (C11 6.7.7). */
export function parseTypeName(s: TokenStream, ctx: ExprContext): CType {
  const first = s.peek();
  const words: string[] = [];
  const quals = new Set<string>();
  let named: CType | undefined;
  for (;;) {
    const t = s.peek();
    if (t.kind !== 'ident') break;
    if (QUALIFIERS.has(t.text)) {
      quals.add(s.next().text);
    } else if (BASE_WORDS.has(t.text)) {
      words.push(s.next().text);
    } else if (TAGS.has(t.text) && named === undefined && words.length === 0) {
      s.next();
      const tag = s.next();
      if (tag.kind !== 'ident' || isTypeKeyword(tag.text)) throw s.unexpected(`expected a tag name after '${t.text}'`, tag);
      const name = `${t.text} ${tag.text}`;
      named = ctx.lookupType(name);
      if (named === undefined) throw new ExprError(`unknown type '${name}'`, t.start, tag.end);
    } else if (named === undefined && words.length === 0 && startsTypeName(s, ctx)) {
      named = ctx.lookupType(s.next().text);
    } else {
      break;
    }
  }
  const last = s.peek();
  if (named === undefined && words.length === 0) {
    if (quals.size === 0) throw s.unexpected('expected a type name');
    words.push('int'); // `const` alone means const int (C89 implicit int); harmless here
  }
  if (named !== undefined && words.length > 0) throw new ExprError(`invalid type: '${words.join(' ')}' combined with a type name`, first.start, last.start);
  let t = named ?? baseFromWords(words, first.start, last.start);
  if (quals.has('volatile')) t = qualified('volatile', t);
  if (quals.has('const')) t = qualified('const', t);
  return abstractDeclarator(s, ctx)(t);
}

/** C11 6.7.2p2: the multisets of specifiers that name each base type. */
function baseFromWords(words: readonly string[], start: number, end: number): CType {
  const n = (w: string): number => words.filter((x) => x === w).length;
  const signed = n('signed');
  const unsigned = n('unsigned');
  const longs = n('long');
  const bad = (): never => {
    throw new ExprError(`invalid type '${words.join(' ')}'`, start, end);
  };
  if (signed + unsigned > 1 || longs > 2 || n('short') > 1 || n('int') > 1 || n('char') > 1) bad();
  const core = words.filter((w) => w !== 'signed' && w !== 'unsigned');
  const key = [...core].sort().join(' ');
  const sign = unsigned > 0 ? 'u' : signed > 0 ? 's' : '';
  const noSign = (t: CType): CType => (sign === '' ? t : bad());
  switch (key) {
    case 'void':
      return noSign(VOID);
    case '_Bool':
      return noSign(BOOL);
    case 'float':
      return noSign(FLOAT);
    case 'double':
      return noSign(DOUBLE);
    case 'double long':
      return noSign(LDOUBLE);
    case 'char':
      return sign === 'u' ? UCHAR : sign === 's' ? SCHAR : CHAR;
    case 'short':
    case 'int short':
      return sign === 'u' ? USHORT : SHORT;
    case '':
    case 'int':
      return sign === 'u' ? UINT : INT;
    case 'long':
    case 'int long':
      return sign === 'u' ? ULONG : LONG;
    case 'long long':
    case 'int long long':
      return sign === 'u' ? ULLONG : LLONG;
    default:
      return bad();
  }
}

type Wrap = (t: CType) => CType;

/**
 * abstract-declarator: pointer? direct-abstract-declarator?, returned as the function that
 * builds the declared type from the specifiers' type. `int (*)[3]` parses the parenthesised
 * part first, but its '*' applies last: the inner wrap is applied to the outer result.
 */
function abstractDeclarator(s: TokenStream, ctx: ExprContext): Wrap {
  return s.nested(() => {
    const pointers: Set<string>[] = [];
    while (s.accept('*')) {
      const q = new Set<string>();
      while (s.peek().kind === 'ident' && QUALIFIERS.has(s.peek().text)) q.add(s.next().text);
      pointers.push(q);
    }
    let inner: Wrap | undefined;
    // '(' starts a nested declarator only before '*' or '(': otherwise it is a parameter list.
    if (s.is('(') && (s.is('*', 1) || s.is('(', 1))) {
      s.next();
      inner = abstractDeclarator(s, ctx);
      s.expect(')');
    }
    const suffixes: Wrap[] = [];
    for (;;) {
      if (s.accept('[')) {
        const n = s.peek();
        let count: number | undefined;
        if (n.kind === 'num') {
          s.next();
          if (n.value! > 0x7fffffffn) throw new ExprError('array size is too large', n.start, n.end);
          count = Number(n.value);
        }
        s.expect(']');
        suffixes.push((t) => arrayOf(t, count, n.start, n.end));
      } else if (s.is('(')) {
        s.next();
        const { params, variadic } = parameterList(s, ctx);
        suffixes.push((t) => func(t, params, variadic));
      } else {
        break;
      }
    }
    return (t: CType): CType => {
      for (const q of pointers) {
        t = pointer(t);
        if (q.has('volatile')) t = qualified('volatile', t);
        if (q.has('const')) t = qualified('const', t);
      }
      // int [2][3] is an array of 2 arrays of 3: the rightmost suffix is innermost.
      for (let i = suffixes.length - 1; i >= 0; i--) t = suffixes[i]!(t);
      return inner !== undefined ? inner(t) : t;
    };
  });
}

function arrayOf(t: CType, count: number | undefined, start: number, end: number): CType {
  const k = strip(t).kind;
  if (k === 'function') throw new ExprError('array of functions is not a type', start, end);
  return array(t, count);
}

function parameterList(s: TokenStream, ctx: ExprContext): { params: CType[]; variadic: boolean } {
  const params: CType[] = [];
  let variadic = false;
  if (s.accept(')')) return { params, variadic };
  for (;;) {
    if (s.accept('...')) {
      variadic = true;
      break;
    }
    params.push(parseTypeName(s, ctx));
    // A parameter name is allowed in a prototype; it means nothing here.
    if (s.peek().kind === 'ident' && !isTypeKeyword(s.peek().text)) s.next();
    if (!s.accept(',')) break;
  }
  s.expect(')');
  // (void) means no parameters.
  if (params.length === 1 && params[0]!.kind === 'base' && params[0]!.encoding === 'void') params.length = 0;
  return { params, variadic };
}

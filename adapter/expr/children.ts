import { Access } from './access.js';
import type { ExprContext } from './context.js';
import { flatMembers, strip } from './ctype.js';
import { tokenize } from './lexer.js';
import { bytesToBig, type Value } from './value.js';

export interface Child {
  /** What the variables tree shows: a member name, [3], [100..199] or *p. */
  readonly name: string;
  readonly value: Value;
  /** An expression evaluate() turns back into this value (DAP evaluateName), when the parent's is known. */
  readonly evaluateName?: string;
}

export interface ChildrenOptions {
  /** Only these elements of an array (DAP's paged `indexed` variables request). */
  readonly start?: number;
  readonly count?: number;
  /** The parent's expression, to build the children's evaluateName. */
  readonly expression?: string;
}

/** Arrays longer than this are listed as groups of ranges ([0..99], [100..199]...). */
export const GROUP = 100;

/**
 * The children of a value for the variables tree, without reading anything but pointers:
 * struct/union members (anonymous ones flattened), array elements, and what a pointer points
 * to (a struct's members directly, as most C debuggers do; any other target as a single *p).
 * The values are lazy lvalues; format each with formatValue.
 */
export function children(v: Value, ctx: ExprContext, opts: ChildrenOptions = {}): Child[] {
  const access = new Access(ctx);
  const t = strip(v.type);
  const expr = opts.expression;
  const name = (suffix: (e: string) => string): { evaluateName?: string } => (expr !== undefined ? { evaluateName: suffix(expr) } : {});
  switch (t.kind) {
    case 'struct':
    case 'union':
      if (t.incomplete === true) return [];
      return flatMembers(t).map((m) => ({ name: m.member.name!, value: access.member(v, m), ...name((e) => `${postfix(e)}.${m.member.name!}`) }));
    case 'array': {
      const n = t.count ?? 0;
      const base = v.indexBase ?? 0;
      const element = (i: number): Child => ({ name: `[${base + i}]`, value: access.element(v, i), ...name((e) => `${postfix(e)}[${i}]`) });
      if (opts.start !== undefined || opts.count !== undefined) {
        const from = Math.max(0, opts.start ?? 0);
        const to = Math.min(n, from + Math.max(0, opts.count ?? n));
        return range(from, to).map(element);
      }
      if (n <= GROUP) return range(0, n).map(element);
      // Groups of GROUP^k elements, so that no level has more than GROUP entries.
      let size = GROUP;
      while (n / size > GROUP) size *= GROUP;
      return range(0, Math.ceil(n / size)).map((g) => {
        const from = g * size;
        const count = Math.min(size, n - from);
        return {
          name: `[${base + from}..${base + from + count - 1}]`,
          value: access.element(v, from, undefined, count),
          ...name((e) => `${postfix(e)}[${from}]@${count}`),
        };
      });
    }
    case 'pointer': {
      const target = strip(t.target);
      if (target.kind === 'function' || (target.kind === 'base' && target.encoding === 'void')) return [];
      let address: number;
      try {
        address = Number(bytesToBig(access.load(v).bytes, false));
      } catch {
        return []; // the pointer itself is unreadable: formatValue says why
      }
      if (address === 0) return [];
      const pointee = access.deref(t.target, address);
      if (target.kind === 'struct' || target.kind === 'union') {
        if (target.incomplete === true) return [];
        return flatMembers(target).map((m) => ({ name: m.member.name!, value: access.member(pointee, m), ...name((e) => `${postfix(e)}->${m.member.name!}`) }));
      }
      return [{ name: expr !== undefined ? `*${postfix(expr)}` : '*', value: pointee, ...name((e) => `*${postfix(e)}`) }];
    }
    default:
      return [];
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/**
 * `e` ready to take a postfix operator or a unary '*': unchanged if it already is a primary
 * or postfix expression (x, $eax, p->a[3].b, (x + 1)), parenthesised otherwise.
 */
export function postfix(e: string): string {
  let tokens;
  try {
    tokens = tokenize(e);
  } catch {
    return `(${e})`;
  }
  let i = 0;
  // Skips a balanced (...) or [...] group starting at i; false if unbalanced.
  const group = (): boolean => {
    let depth = 0;
    for (; i < tokens.length; i++) {
      const x = tokens[i]!.text;
      if (tokens[i]!.kind === 'punct' && (x === '(' || x === '[')) depth++;
      else if (tokens[i]!.kind === 'punct' && (x === ')' || x === ']')) {
        if (--depth === 0) {
          i++;
          return true;
        }
      }
    }
    return false;
  };
  const first = tokens[0]!;
  if (first.kind === 'ident' || first.kind === 'reg' || first.kind === 'num') i = 1;
  else if (first.kind === 'punct' && first.text === '(') {
    if (!group()) return `(${e})`;
  } else return `(${e})`;
  while (i < tokens.length && tokens[i]!.kind !== 'eof') {
    const x = tokens[i]!;
    if (x.kind === 'punct' && (x.text === '.' || x.text === '->') && tokens[i + 1]?.kind === 'ident') i += 2;
    else if (x.kind === 'punct' && x.text === '[') {
      if (!group()) return `(${e})`;
    } else return `(${e})`;
  }
  return e;
}

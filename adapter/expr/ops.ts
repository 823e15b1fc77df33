import type { Span } from './access.js';
import { commonType, convertInteger, promote, widthOf } from './arith.js';
import type { BinaryOp } from './ast.js';
import { INT, isInteger, isPointer, sizeOf, strip, typeName, type BaseType, type CType } from './ctype.js';
import { ExprError } from './error.js';

/** An operand reduced to a number: integers and pointers (as unsigned 32-bit addresses). */
export interface Scalar {
  readonly type: CType;
  readonly v: bigint;
  /** Width when it came from a bit field (it changes how it promotes). */
  readonly bitSize?: number;
}

const err = (msg: string, at: Span): ExprError => new ExprError(msg, at.start, at.end);
const int = (b: boolean): Scalar => ({ type: INT, v: b ? 1n : 0n });

export function truthy(s: Scalar): boolean {
  return s.v !== 0n;
}

/** The value after integer promotion, converted to the promoted type. */
function promoted(s: Scalar): { type: BaseType; v: bigint } {
  const type = promote(s.type, s.bitSize);
  return { type, v: convertInteger(s.v, type) };
}

export function unary(op: '-' | '+' | '~' | '!', a: Scalar, at: Span): Scalar {
  if (op === '!') return int(!truthy(a));
  if (!isInteger(a.type)) throw err(`invalid operand to unary '${op}' (have ${typeName(a.type)})`, at);
  const p = promoted(a);
  const v = op === '-' ? -p.v : op === '~' ? ~p.v : p.v;
  return { type: p.type, v: convertInteger(v, p.type) };
}

/** Size that p + 1 advances by: void* and function pointers step by 1, as in GNU C. */
function stride(p: CType, at: Span): number {
  const t = strip(p);
  const target = t.kind === 'pointer' ? strip(t.target) : t;
  if (target.kind === 'function' || (target.kind === 'base' && target.encoding === 'void')) return 1;
  const size = sizeOf(target);
  if (size === undefined) throw err(`arithmetic on a pointer to incomplete type ${typeName(target)}`, at);
  return size;
}

const COMPARE: Record<string, (x: bigint, y: bigint) => boolean> = {
  '<': (x, y) => x < y, '<=': (x, y) => x <= y, '>': (x, y) => x > y, '>=': (x, y) => x >= y, '==': (x, y) => x === y, '!=': (x, y) => x !== y,
};

/**
 * A binary operator over two scalars with C's rules: usual arithmetic conversions, pointer
 * arithmetic scaled by the pointee size, comparisons giving int 0/1. `dry` (type-checking
 * only) makes division by zero quietly 0.
 */
export function binary(op: Exclude<BinaryOp, '@'>, a: Scalar, b: Scalar, at: Span, dry = false): Scalar {
  const ap = isPointer(a.type);
  const bp = isPointer(b.type);
  const invalid = (): ExprError => err(`invalid operands to '${op}' (have ${typeName(a.type)} and ${typeName(b.type)})`, at);
  if (op in COMPARE) {
    // A pointer compares with a pointer or an integer by address, as gdb allows.
    if (ap || bp) return int(COMPARE[op]!(BigInt.asUintN(32, a.v), BigInt.asUintN(32, b.v)));
    const t = commonType(promote(a.type, a.bitSize), promote(b.type, b.bitSize));
    return int(COMPARE[op]!(convertInteger(a.v, t), convertInteger(b.v, t)));
  }
  if (op === '+' || op === '-') {
    if (ap && bp) {
      if (op === '+') throw invalid();
      const size = stride(a.type, at);
      if (stride(b.type, at) !== size) throw err(`cannot subtract pointers to different types (${typeName(a.type)} and ${typeName(b.type)})`, at);
      const diff = BigInt.asIntN(32, a.v - b.v) / BigInt(size); // ptrdiff_t is int on i386
      return { type: INT, v: convertInteger(diff, INT) };
    }
    if (ap || (bp && op === '+')) {
      const [p, n] = ap ? [a, b] : [b, a];
      if (!isInteger(n.type)) throw invalid();
      const delta = BigInt.asIntN(64, n.v) * BigInt(stride(p.type, at));
      return { type: p.type, v: BigInt.asUintN(32, p.v + (op === '-' ? -delta : delta)) };
    }
    if (bp) throw invalid();
  }
  if (!isInteger(a.type) || !isInteger(b.type)) throw invalid();
  if (op === '<<' || op === '>>') {
    // Each operand is promoted on its own; the result has the left one's type.
    const l = promoted(a);
    const count = convertInteger(b.v, promote(b.type, b.bitSize));
    if (count < 0n || count >= BigInt(widthOf(l.type))) throw err(`shift count ${count} is out of range for ${typeName(l.type)}`, at);
    const v = op === '<<' ? l.v << count : l.v >> count; // >> on a signed value is arithmetic, as gcc does
    return { type: l.type, v: convertInteger(v, l.type) };
  }
  const t = commonType(promote(a.type, a.bitSize), promote(b.type, b.bitSize));
  const x = convertInteger(a.v, t);
  const y = convertInteger(b.v, t);
  let v: bigint;
  switch (op) {
    case '*': v = x * y; break;
    case '/':
    case '%':
      if (y === 0n) {
        if (!dry) throw err(op === '/' ? 'division by zero' : 'remainder by zero', at);
        v = 0n;
      } else {
        v = op === '/' ? x / y : x % y; // BigInt truncates toward zero, like C99
      }
      break;
    case '+': v = x + y; break;
    case '-': v = x - y; break;
    case '&': v = x & y; break;
    case '^': v = x ^ y; break;
    case '|': v = x | y; break;
    default: throw invalid();
  }
  return { type: t, v: convertInteger(v, t) }; // wraps: INT_MIN / -1 is INT_MIN, like -fwrapv
}

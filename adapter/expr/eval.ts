import { Access, type Span } from './access.js';
import { commonType, convertInteger, promote } from './arith.js';
import type { AssignOp, BinaryOp, Node } from './ast.js';
import {
  INT, POINTER_SIZE, UINT, VOID, array, findMember, isFloat, isInteger, isPointer, pointer, sameType, sizeOf, strip, typeName, type CType,
} from './ctype.js';
import { ExprError } from './error.js';
import { binary, truthy, unary, type Scalar } from './ops.js';
import { bigToBytes, bytesToBig, type LValue, type RValue, type Value } from './value.js';

const err = (msg: string, at: Span): ExprError => new ExprError(msg, at.start, at.end);

/** The largest array gdb's `a@n` may make: displays only show a prefix anyway. */
const MAX_REPEAT = 1 << 24;

/** Evaluates a parsed expression against the machine, through an Access (possibly dry). */
export class Evaluator {
  constructor(readonly access: Access) {}

  private get ctx() {
    return this.access.ctx;
  }

  eval(n: Node): Value {
    switch (n.k) {
      case 'num':
        return rvalue(n.type, n.value);
      case 'ident':
        return this.identifier(n.name, n);
      case 'reg':
        return this.access.registerValue(n.name, n);
      case 'unary':
        return this.unary(n);
      case 'sizeofType':
        return rvalue(UINT, BigInt(sizeForSizeof(n.type, n)));
      case 'sizeofExpr': {
        // The operand is not evaluated (C11 6.5.3.4p2): only its type matters.
        const v = new Evaluator(this.access.dryRun()).eval(n.operand);
        if (v.kind === 'lvalue' && v.bits !== undefined) throw err('sizeof applied to a bit field', n);
        return rvalue(UINT, BigInt(sizeForSizeof(v.type, n)));
      }
      case 'cast':
        return this.cast(n.type, this.eval(n.operand), n);
      case 'binary':
        return n.op === '@' ? this.repeat(n.left, n.right) : this.binary(n.op, this.eval(n.left), this.eval(n.right), n);
      case 'logical': {
        const left = truthy(this.scalar(this.eval(n.left), n.left));
        const decided = n.op === '&&' ? !left : left;
        // The skipped operand is still type-checked, without touching the machine.
        const ev = decided ? new Evaluator(this.access.dryRun()) : this;
        const right = truthy(ev.scalar(ev.eval(n.right), n.right));
        return rvalue(INT, (decided ? n.op === '||' : right) ? 1n : 0n);
      }
      case 'cond':
        return this.conditional(n.test, n.then, n.otherwise, n);
      case 'assign':
        return this.assign(n.op, n.target, n.value, n);
      case 'comma':
        this.eval(n.left);
        return this.eval(n.right);
      case 'index':
        return this.index(this.eval(n.base), this.eval(n.index), n);
      case 'member':
        return this.member(this.eval(n.base), n.name, n.arrow, n);
    }
  }

  private identifier(name: string, at: Span): Value {
    const info = this.ctx.lookupVariable(name);
    if (info === undefined) {
      // What <stddef.h> and <stdbool.h> would have defined, when the program does not.
      if (name === 'NULL') return rvalue(pointer(VOID), 0n);
      if (name === 'true' || name === 'false') return rvalue(INT, name === 'true' ? 1n : 0n);
      throw err(`unknown identifier '${name}'`, at);
    }
    const loc = info.location;
    if (loc.kind === 'memory') return { kind: 'lvalue', type: info.type, location: { kind: 'memory', address: loc.address >>> 0 } };
    if (loc.kind === 'register') return { kind: 'lvalue', type: info.type, location: { kind: 'register', reg: loc.reg, byteOffset: 0 } };
    const v = Number.isFinite(loc.value) ? BigInt(Math.trunc(loc.value)) : 0n;
    // An enumeration constant has type int in C (C11 6.4.4.3): `GREEN * 2` is int even when the
    // enum is unsigned. The enum marked signed keeps its name for display and computes as int.
    const s = strip(info.type);
    const type = s.kind === 'enum' && !s.signed && s.size === 4 ? { ...s, signed: true } : info.type;
    return { kind: 'rvalue', type, bytes: bigToBytes(v, sizeOf(type) ?? 4) };
  }

  /** An operand as a number: decays arrays/functions, rejects aggregates and floats. */
  scalar(v: Value, at: Span): Scalar {
    const r = this.access.decay(v, at);
    const t = strip(r.type);
    if (isFloat(t)) throw err('floating-point values are not supported in expressions', at);
    if (t.kind === 'pointer') return { type: r.type, v: bytesToBig(r.bytes, false) };
    if (!isInteger(t)) throw err(`a value of type ${typeName(r.type)} cannot be used as a number`, at);
    const signed = (t.kind === 'base' && t.signed && t.encoding !== 'bool') || (t.kind === 'enum' && t.signed);
    return { type: r.type, v: bytesToBig(r.bytes, signed), ...(r.bitSize !== undefined ? { bitSize: r.bitSize } : {}) };
  }

  private unary(n: Extract<Node, { k: 'unary' }>): Value {
    const v = this.eval(n.operand);
    switch (n.op) {
      case '&': {
        const address = this.access.addressOf(v, n);
        return rvalue(pointer(v.type), BigInt(address));
      }
      case '*':
        return this.deref(this.scalar(v, n.operand), n);
      default:
        return fromScalar(unary(n.op, this.scalar(v, n.operand), n));
    }
  }

  private deref(p: Scalar, at: Span): LValue {
    const t = strip(p.type);
    if (t.kind !== 'pointer') throw err(`cannot dereference a non-pointer of type ${typeName(p.type)}`, at);
    const target = strip(t.target);
    if (target.kind === 'base' && target.encoding === 'void') throw err(`cannot dereference a pointer to void (cast it first, e.g. *(int *)p)`, at);
    return this.access.deref(t.target, Number(p.v));
  }

  private binary(op: Exclude<BinaryOp, '@'>, l: Value, r: Value, at: Extract<Node, { k: 'binary' }> | Span): Value {
    const spanL = 'left' in at ? at.left : at;
    const spanR = 'right' in at ? at.right : at;
    return fromScalar(binary(op, this.scalar(l, spanL), this.scalar(r, spanR), at, this.access.dry));
  }

  /** gdb's `x@n`: the n objects starting at x, as an array. */
  private repeat(left: Node, right: Node): Value {
    const l = this.eval(left);
    const n = this.scalar(this.eval(right), right);
    if (!isInteger(n.type)) throw err("the count after '@' must be an integer", right);
    if (n.v <= 0n || n.v > BigInt(MAX_REPEAT)) throw err(`the count after '@' must be between 1 and ${MAX_REPEAT}`, right);
    if (l.kind !== 'lvalue' || l.location.kind !== 'memory' || l.bits !== undefined) throw err("'@' needs an object in memory on its left", left);
    if (sizeOf(l.type) === undefined) throw err(`'@' needs an object with a size (have ${typeName(l.type)})`, left);
    return { kind: 'lvalue', type: array(l.type, Number(n.v)), location: l.location };
  }

  private cast(to: CType, v: Value, at: Span): Value {
    const t = strip(to);
    if (t.kind === 'base' && t.encoding === 'void') return { kind: 'rvalue', type: to, bytes: new Uint8Array(0) };
    if (t.kind === 'struct' || t.kind === 'union') {
      if (sameType(v.type, to)) return { ...v, type: to };
      throw err(`cannot cast ${typeName(v.type)} to ${typeName(to)}`, at);
    }
    if (t.kind === 'array' || t.kind === 'function') throw err(`cannot cast to ${t.kind} type ${typeName(to)}`, at);
    if (isFloat(t)) throw err('floating-point values are not supported in expressions', at);
    const s = this.scalar(v, at);
    return rvalue(to, convertInteger(s.v, to));
  }

  /** C's ?: evaluates one arm; the other only contributes its type (ints: the common type). */
  private conditional(test: Node, then: Node, otherwise: Node, at: Span): Value {
    const cond = truthy(this.scalar(this.eval(test), test));
    const [chosen, other] = cond ? [then, otherwise] : [otherwise, then];
    const value = this.eval(chosen);
    const shadow = new Evaluator(this.access.dryRun()).eval(other);
    if (isInteger(value.type) && isInteger(shadow.type)) {
      const a = this.scalar(value, chosen);
      const b = new Evaluator(this.access.dryRun()).scalar(shadow, other);
      const t = commonType(promote(a.type, a.bitSize), promote(b.type, b.bitSize));
      return rvalue(t, convertInteger(a.v, t));
    }
    // int and pointer mix (p ? p : 0); int and struct do not. Arrays and functions act as pointers.
    const pointerLike = (t: CType): boolean => isPointer(t) || strip(t).kind === 'array' || strip(t).kind === 'function';
    if (isInteger(value.type) !== isInteger(shadow.type) && !(pointerLike(value.type) || pointerLike(shadow.type))) {
      throw err(`the arms of '?:' have incompatible types (${typeName(cond ? value.type : shadow.type)} and ${typeName(cond ? shadow.type : value.type)})`, at);
    }
    // As operands of ?:, arrays and functions decay (c ? arr : p is an int *).
    return pointerLike(value.type) ? this.access.decay(value, chosen) : value;
  }

  private assign(op: AssignOp, targetNode: Node, valueNode: Node, at: Span): Value {
    const target = this.eval(targetNode);
    if (target.kind !== 'lvalue') throw err('the left side of an assignment must be an lvalue (a variable, register, *p, a[i] or s.m)', targetNode);
    let value = this.eval(valueNode);
    if (op !== '=') value = this.binary(op.slice(0, -1) as Exclude<BinaryOp, '@'>, target, value, at);
    return this.store(target, value, at);
  }

  /** target = value with C's conversions; returns the target (an lvalue: re-read it to display). */
  store(target: LValue, value: Value, at: Span): LValue {
    this.access.store(target, this.converted(value, target.type, at), at);
    return target;
  }

  /** The bytes of `v` as an object of type `to`, for storing (C's assignment conversions, loosely). */
  private converted(v: Value, to: CType, at: Span): Uint8Array {
    const t = strip(to);
    if (t.kind === 'struct' || t.kind === 'union') {
      if (!sameType(v.type, to)) throw err(`cannot assign ${typeName(v.type)} to ${typeName(to)}`, at);
      return this.access.load(v, at).bytes;
    }
    if (t.kind === 'array') throw err(`cannot assign to an array (${typeName(to)}); assign its elements`, at);
    if (t.kind === 'function') throw err('cannot assign to a function', at);
    if (isFloat(t) || (t.kind === 'base' && t.encoding === 'void')) throw err(`cannot assign to an object of type ${typeName(to)}`, at);
    return bigToBytes(convertInteger(this.scalar(v, at).v, to), sizeOf(to) ?? POINTER_SIZE);
  }

  private index(base: Value, idx: Value, at: Span): Value {
    // a[i] on an array not in memory (a struct rvalue's member) indexes its bytes directly.
    const bs = strip(base.type);
    if (bs.kind === 'array' && !(base.kind === 'lvalue' && base.location.kind === 'memory')) {
      const i = this.scalar(idx, at);
      if (!isInteger(i.type)) throw err('array index is not an integer', at);
      return this.access.element(base, Number(BigInt.asIntN(32, i.v)), at);
    }
    let p = this.scalar(base, at);
    let i = this.scalar(idx, at);
    if (!isPointer(p.type) && isPointer(i.type)) [p, i] = [i, p]; // C allows i[a]
    if (!isPointer(p.type)) throw err(`cannot index a value of type ${typeName(base.type)}`, at);
    if (!isInteger(i.type)) throw err(`array index is not an integer (have ${typeName(i.type)})`, at);
    const target = strip((strip(p.type) as { target: CType }).target);
    if (target.kind === 'base' && target.encoding === 'void') throw err('cannot index a pointer to void', at);
    return this.deref(binary('+', p, i, at), at);
  }

  private member(base: Value, name: string, arrow: boolean, at: Span): Value {
    let obj = base;
    if (arrow) {
      const k = strip(base.type).kind;
      const p = k === 'pointer' || k === 'array' ? this.scalar(base, at) : undefined;
      if (p === undefined || !isPointer(p.type)) throw err(`'->' needs a pointer to a struct or union (have ${typeName(base.type)}); use '.'`, at);
      obj = this.deref(p, at);
    } else if (isPointer(base.type)) {
      throw err(`'.' on a pointer (${typeName(base.type)}); use '->'`, at);
    }
    const t = strip(obj.type);
    if (t.kind !== 'struct' && t.kind !== 'union') throw err(`'${arrow ? '->' : '.'}${name}' needs a struct or union (have ${typeName(obj.type)})`, at);
    if (t.incomplete === true) throw err(`${typeName(obj.type)} is incomplete here (declared but not defined)`, at);
    const m = findMember(t, name);
    if (m === undefined) throw err(`${typeName(obj.type)} has no member named '${name}'`, at);
    return this.access.member(obj, m, at);
  }
}

export function rvalue(type: CType, v: bigint): RValue {
  return { kind: 'rvalue', type, bytes: bigToBytes(v, sizeOf(type) ?? 0) };
}

function fromScalar(s: Scalar): RValue {
  return rvalue(s.type, s.v);
}

/** sizeof: GNU C gives 1 for void and functions; incomplete types are an error. */
function sizeForSizeof(t: CType, at: Span): number {
  const s = strip(t);
  if (s.kind === 'function' || (s.kind === 'base' && s.encoding === 'void')) return 1;
  const size = sizeOf(t);
  if (size === undefined) throw err(`sizeof applied to incomplete type ${typeName(t)}`, at);
  return size;
}

/**
 * The C expression language of watches, the Debug Console, hovers, conditional breakpoints,
 * logpoints and exception-filter conditions.
 *
 *   evaluate('curenv->env_tf.tf_eip', ctx)        -> Value (lazy lvalue or computed rvalue)
 *   formatValue(v, ctx, { hex })                   -> { text, type, childCount, indexed, memoryReference? }
 *   children(v, ctx, { start, count, expression }) -> the variables tree below v
 *   evaluateCondition('$vector == 14 && ($err & 4)', ctx) -> boolean
 *   assign(child.value, '42', ctx)                 -> setVariable
 *   interpolate('eip={$eip} env={curenv->env_id}', ctx) -> logpoint text
 *
 * Every entry point throws only ExprError, whatever the input.
 */
import { Access } from './access.js';
import type { ExprContext } from './context.js';
import { isScalar } from './ctype.js';
import { ExprError } from './error.js';
import { Evaluator } from './eval.js';
import { children as childrenOf, type Child, type ChildrenOptions } from './children.js';
import { formatValue as format, type FormatOptions, type FormattedValue } from './format.js';
import { truthy } from './ops.js';
import { parse } from './parser.js';
import type { Value } from './value.js';

export { ExprError } from './error.js';
export type { ExprContext, VariableInfo, VariableLocation } from './context.js';
export * from './ctype.js';
export type { LValue, Location, RValue, Value } from './value.js';
export type { FormatOptions, FormattedValue } from './format.js';
export type { Child, ChildrenOptions } from './children.js';

/** Turns any stray exception (a bug, a stack overflow) into an ExprError: callers never crash. */
function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ExprError) throw e;
    throw new ExprError(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * A value as text for the variables tree, hovers and the console. Never throws: what cannot be
 * read shows as <memory at 0x... is not mapped>, in place.
 */
export function formatValue(v: Value, ctx: ExprContext, opts: FormatOptions = {}): FormattedValue {
  try {
    return guard(() => format(v, ctx, opts));
  } catch (e) {
    return { text: `<${(e as Error).message}>`, type: '?', childCount: 0, indexed: false };
  }
}

/** The children of a value for the variables tree (see children.ts). Throws only ExprError. */
export function children(v: Value, ctx: ExprContext, opts: ChildrenOptions = {}): Child[] {
  return guard(() => childrenOf(v, ctx, opts));
}

/**
 * A parsed expression, reusable while the program's symbols stay the same (a conditional
 * breakpoint is parsed once and evaluated at every hit). Type names were resolved at parse time.
 */
export interface CompiledExpression {
  readonly text: string;
  evaluate(ctx: ExprContext): Value;
  /** The value as a C condition: nonzero scalar. */
  test(ctx: ExprContext): boolean;
}

export function compile(text: string, ctx: ExprContext): CompiledExpression {
  const node = guard(() => parse(text, ctx));
  return {
    text,
    evaluate: (c) =>
      guard(() => {
        const access = new Access(c);
        const v = new Evaluator(access).eval(node);
        // A scalar result is read now, so that `*p` with p dangling fails here with the reason
        // rather than later in formatting; aggregates stay lazy (they may be big).
        if (v.kind === 'lvalue' && isScalar(v.type)) access.load(v, node);
        return v;
      }),
    test: (c) =>
      guard(() => {
        const ev = new Evaluator(new Access(c));
        return truthy(ev.scalar(ev.eval(node), node));
      }),
  };
}

export function evaluate(text: string, ctx: ExprContext): Value {
  return compile(text, ctx).evaluate(ctx);
}

export function evaluateCondition(text: string, ctx: ExprContext): boolean {
  return compile(text, ctx).test(ctx);
}

/** The value of an integer or pointer expression as a bigint (e.g. for a hit count or an address). */
export function evaluateNumber(text: string, ctx: ExprContext): bigint {
  return guard(() => {
    const node = parse(text, ctx);
    const ev = new Evaluator(new Access(ctx));
    return ev.scalar(ev.eval(node), node).v;
  });
}

/** An integer or pointer value (from evaluate or children) as a bigint, signed per its type. */
export function toNumber(v: Value, ctx: ExprContext): bigint {
  return guard(() => new Evaluator(new Access(ctx)).scalar(v, { start: 0, end: 0 }).v);
}

/**
 * setVariable: stores the value of `text` into `target` (a value from evaluate or children)
 * with C's conversions, and returns the target to be formatted afresh.
 */
export function assign(target: Value, text: string, ctx: ExprContext): Value {
  return guard(() => {
    if (target.kind !== 'lvalue') throw new ExprError('this value cannot be changed: it is not stored anywhere');
    const node = parse(text, ctx);
    const ev = new Evaluator(new Access(ctx));
    return ev.store(target, ev.eval(node), node);
  });
}

/**
 * A logpoint message: each {expression} is replaced by its formatted value (or <error>);
 * {{ and }} stand for literal braces.
 */
export function interpolate(template: string, ctx: ExprContext, opts: FormatOptions = {}): string {
  return guard(() =>
    template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, expr: string | undefined) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      try {
        return formatValue(evaluate(expr!, ctx), ctx, opts).text;
      } catch (e) {
        return `<${e instanceof Error ? e.message : String(e)}>`;
      }
    }),
  );
}

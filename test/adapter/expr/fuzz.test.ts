// No input may crash the expression language: random character soup, random token soup and
// random well-formed expressions over the kernel fixture either evaluate or throw ExprError,
// and whatever evaluates can be formatted and expanded.
import { describe, expect, it } from 'vitest';
import { ExprError, children, evaluate, evaluateCondition, formatValue, interpolate } from '../../../adapter/expr/index.js';
import type { FakeMachine } from './fake-machine.js';
import { kernelMachine } from './kernel-fixture.js';

/** xorshift32: the same cases on every run, so a failure can be replayed. */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const IDENTS = ['curenv', 'envs', 'ints', 'msg', 'counter', 'll', 'fnptr', 'bogus', 'constp', 'big', 'huge', 'i386_init', 'in_ebx', 'small_in_ecx', 'folded', 'ENV_RUNNABLE', 'NULL', 'nope'];
const REGS = ['$eax', '$esp', '$al', '$ah', '$cs', '$cr2', '$err', '$vector', '$pc', '$nope'];
const MEMBERS = ['env_tf', 'tf_eip', 'env_link', 'env_id', 'env_status', 'env_name', 'env_runs', 'env_cpu', 'env_prio', 'env_word', 'env_bytes', 'zz'];
const TYPES = ['int', 'char *', 'struct Env *', 'unsigned char', 'long long', 'void *', 'Env_t', 'uint8_t (*)[4]', 'struct Opaque *', 'enum EnvStatus', '_Bool', 'void', 'struct Env', 'unsigned long long', 'int (*)(int)', 'short[2]'];
const BINOPS = ['+', '-', '*', '/', '%', '<<', '>>', '<', '<=', '>', '>=', '==', '!=', '&', '^', '|', '&&', '||', '@', ',', '=', '+=', '>>='];
const NUMBERS = ['0', '1', '-1', '4', '31', '32', '0x7fffffff', '0x80000000', '0xffffffff', '4294967296', '0xf01c0000', "'a'", "'\\0'", '9223372036854775807', '18446744073709551615u', '010', '1ULL'];

function expression(r: (n: number) => number, depth: number): string {
  const leaf = (): string => {
    switch (r(3)) {
      case 0: return IDENTS[r(IDENTS.length)]!;
      case 1: return REGS[r(REGS.length)]!;
      default: return NUMBERS[r(NUMBERS.length)]!;
    }
  };
  if (depth <= 0) return leaf();
  const sub = (): string => expression(r, depth - 1 - r(2));
  switch (r(11)) {
    case 0: return leaf();
    case 1: return `${['-', '~', '!', '*', '&', '+'][r(6)]}${sub()}`;
    case 2: return `(${TYPES[r(TYPES.length)]})${sub()}`;
    case 3: return `${sub()}${r(2) ? '.' : '->'}${MEMBERS[r(MEMBERS.length)]}`;
    case 4: return `${sub()}[${sub()}]`;
    case 5: return `${sub()} ? ${sub()} : ${sub()}`;
    case 6: return r(2) ? `sizeof ${sub()}` : `sizeof(${TYPES[r(TYPES.length)]})`;
    case 7: return `(${sub()})`;
    default: return `${sub()} ${BINOPS[r(BINOPS.length)]} ${sub()}`;
  }
}

/** Everything a caller might do with an input; only ExprError may come out of evaluate. */
function exercise(m: FakeMachine, text: string): void {
  let v;
  try {
    v = evaluate(text, m);
  } catch (e) {
    if (!(e instanceof ExprError)) throw new Error(`'${text}' threw ${String(e)}`);
    expect(e.start).toBeGreaterThanOrEqual(0);
    expect(e.end).toBeLessThanOrEqual(text.length + 1); // +1: "unexpected end" points just past the text
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.message, text.slice(0, 80)).not.toMatch(/^internal error/); // a bug, or the JS stack ran out
    return;
  }
  // formatValue reports problems in its text; children only throws ExprError.
  const f = formatValue(v, m);
  formatValue(v, m, { hex: true });
  expect(typeof f.text).toBe('string');
  try {
    const kids = children(v, m, { expression: text });
    for (const k of kids.slice(0, 20)) formatValue(k.value, m);
    expect(kids.length).toBeLessThanOrEqual(Math.max(100, f.childCount));
  } catch (e) {
    if (!(e instanceof ExprError)) throw new Error(`children of '${text}' threw ${String(e)}`);
  }
}

describe('fuzz', () => {
  it('random characters', () => {
    const r = rng(0x5eed);
    const alphabet = "0123456789abcdefxXuUlL$_()[]{}*&+-<>=!~?:.,'\"\\ @#;^|%/ \t\n\u00e9\u{1F600}";
    const m = kernelMachine();
    for (let k = 0; k < 20000; k++) {
      const len = r(24);
      let s = '';
      for (let j = 0; j < len; j++) s += [...alphabet][r([...alphabet].length)];
      exercise(m, s);
    }
  });

  it('random tokens', () => {
    const r = rng(0xc0ffee);
    const tokens = [...IDENTS, ...REGS, ...MEMBERS, ...NUMBERS, ...BINOPS, 'sizeof', 'struct', 'Env', 'int', 'char', 'unsigned', 'const', '(', ')', '[', ']', '.', '->', '?', ':', '*', '&', '~', '!', '...'];
    const m = kernelMachine();
    for (let k = 0; k < 20000; k++) {
      const n = 1 + r(10);
      const parts: string[] = [];
      for (let j = 0; j < n; j++) parts.push(tokens[r(tokens.length)]!);
      exercise(m, parts.join(r(2) ? ' ' : ''));
    }
  });

  it('random well-formed expressions', () => {
    const r = rng(0xbadf00d);
    let m = kernelMachine();
    let evaluated = 0;
    for (let k = 0; k < 20000; k++) {
      if (k % 500 === 0) m = kernelMachine(); // assignments scribble over the state
      const text = expression(r, 5);
      exercise(m, text);
      try {
        evaluate(text, m);
        evaluated++;
      } catch {
        // counted below: most must evaluate, or this fuzzer tests only the error paths
      }
    }
    expect(evaluated).toBeGreaterThan(3000);
  });

  it('pathological inputs', () => {
    const m = kernelMachine();
    for (const text of ['('.repeat(100000), '-'.repeat(100000) + '1', '!~'.repeat(50000) + '1', '1' + '+1'.repeat(50000), 'a'.repeat(100000), '(int)'.repeat(20000) + '1',
      'ints' + '[0]'.repeat(10000), 'curenv' + '->env_link'.repeat(5000), '*'.repeat(100000) + 'msg', '1 ? '.repeat(10000) + '1' + ' : 1'.repeat(10000),
      '(' + 'int ('.repeat(5000), 'x = '.repeat(100000) + '1', "'\\", '$', '0x', '1e', '.', '\u0000', 'sizeof sizeof sizeof 1', '(int *[])0', '(char[0])x']) {
      exercise(m, text);
    }
    for (const text of ['('.repeat(100000), '1' + '+1'.repeat(50000), 'ints' + '[0]'.repeat(10000), '- '.repeat(100000) + '1']) {
      expect(() => evaluate(text, m)).toThrow(/nested too deeply/);
    }
    expect(evaluate('1' + '+1'.repeat(200), m)).toMatchObject({ kind: 'rvalue' });
  });

  it('conditions and logpoints never throw anything but ExprError / text', () => {
    const r = rng(42);
    const m = kernelMachine();
    for (let k = 0; k < 2000; k++) {
      const text = expression(r, 4);
      try {
        evaluateCondition(text, m);
      } catch (e) {
        expect(e).toBeInstanceOf(ExprError);
      }
      expect(typeof interpolate(`v={${text}} {{x}} {`, m)).toBe('string');
    }
  });
});

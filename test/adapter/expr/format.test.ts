// Values as the variables tree, hovers and the Debug Console show them, and the tree below them.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CHAR, DOUBLE, FLOAT, INT, LDOUBLE, array, children, evaluate, formatValue, pointer, struct, type Value,
} from '../../../adapter/expr/index.js';
import { postfix } from '../../../adapter/expr/children.js';
import type { FakeMachine } from './fake-machine.js';
import { ENVS, HUGE, STRING, kernelMachine } from './kernel-fixture.js';

let m: FakeMachine;
beforeEach(() => {
  m = kernelMachine();
});

const fmt = (e: string, hex = false) => formatValue(evaluate(e, m), m, { hex });
const show = (e: string, hex = false): string => fmt(e, hex).text;
const names = (v: Value, opts = {}): string[] => children(v, m, opts).map((c) => c.name);

const ENV1 =
  '{env_tf = {tf_trapno = 14, tf_err = 7, tf_eip = 0x800021, tf_cs = 27, tf_padding = 0}, env_link = 0xf01c0058, env_id = 4097, ' +
  'env_status = ENV_RUNNING, env_name = "env1", env_runs = 107, env_cpu = 1, env_prio = -1, env_word = 1144201762, env_bytes = [34, 34, 51, 68]}';

describe('formatValue', () => {
  it.each([
    ['ints[1]', '-2', '0xfffffffe'],
    ['ints', '[1, -2, 3, -4, 5]', '[0x1, 0xfffffffe, 0x3, 0xfffffffc, 0x5]'],
    ['counter', '3000000000', '0xb2d05e00'],
    ['ll', '-2', '0xfffffffffffffffe'],
    ['envs[0].env_name[0]', "101 'e'", "0x65 'e'"],
    ['(char)0', "0 '\\0'", "0x0 '\\0'"],
    ['(char)10', "10 '\\n'", "0xa '\\n'"],
    ["(char)'\\''", "39 '\\''", "0x27 '\\''"],
    ['(char)-56', "-56 '\\310'", "0xc8 '\\310'"],
    ['(unsigned char)200', "200 '\\310'", "0xc8 '\\310'"],
    ['(uint8_t)65', '65', '0x41'],
    ['(_Bool)1', 'true', 'true'],
    ['(_Bool)0', 'false', 'false'],
    ['msg', '0x00800100 "hello\\n"', '0x00800100 "hello\\n"'],
    ['constp', '0x00000000', '0x00000000'],
    ['bogus', '0xdead0000', '0xdead0000'],
    ['(char *)0xdead0000', '0xdead0000 <memory at 0xdead0000 is not mapped>', '0xdead0000 <memory at 0xdead0000 is not mapped>'],
    ['envs[2].env_status', 'ENV_RUNNABLE', 'ENV_RUNNABLE'],
    ['(enum EnvStatus)9', '9', '0x9'],
    ['envs[1].env_prio', '-1', '0xf'],
    ['curenv->env_tf.tf_eip', '0x800021', '0x800021'],
    ['envs[1]', ENV1, undefined],
    ['*curenv', ENV1, undefined],
    ['envs[1].env_name', '"env1"', '"env1"'],
    ['*(char (*)[4])msg', '"hell"', '"hell"'],
    ['fnptr', '0xf0100020 <i386_init>', '0xf0100020 <i386_init>'],
    ['i386_init', '{void (void)} 0xf0100020 <i386_init>', undefined],
    ['$eflags', '0x246', '0x246'],
    ['$fs', '0x23', '0x23'],
    ['$al', '255', '0xff'],
    ['(void)0', 'void', 'void'],
  ])('%s', (e, text, hexText) => {
    expect(show(e)).toBe(text);
    if (hexText !== undefined) expect(show(e, true)).toBe(hexText);
  });

  it('previews strings up to 64 characters and escapes them', () => {
    m.pokeString(STRING, 'x'.repeat(70));
    expect(show('msg')).toBe(`0x00800100 "${'x'.repeat(64)}"...`);
    m.pokeString(STRING, 'x'.repeat(64));
    expect(show('msg')).toBe(`0x00800100 "${'x'.repeat(64)}"`);
    m.poke(STRING, [0x22, 0x5c, 0x09, 0x01, 0x31, 0xe9, 0]);
    expect(show('msg')).toBe('0x00800100 "\\"\\\\\\t\\1""1\\351"');
  });

  it('stops a string preview where the memory ends', () => {
    m.map(0x00900000, 4096);
    m.poke(0x00900ffd, [0x61, 0x62, 0x63]); // the NUL would be on the next page, which is not mapped
    m.poke32(0xf0120004, 0x00900ffd);
    expect(show('msg')).toBe('0x00900ffd "abc"...');
  });

  it('truncates long arrays and long texts', () => {
    expect(show('big')).toBe(`[${Array.from({ length: 32 }, (_, i) => i).join(', ')}, ...]`);
    expect(show('huge').startsWith('[0, 0, 0')).toBe(true);
    const envs = show('envs');
    expect(envs.startsWith('[{env_tf = {tf_trapno = 48')).toBe(true);
    expect(envs.endsWith('...]')).toBe(true);
    expect(envs.length).toBeLessThan(1500);
  });

  it('shows deep nesting as {...}', () => {
    const inner = struct('struct', 'A', 4, [{ name: 'x', offset: 0, type: INT }]);
    const b = struct('struct', 'B', 4, [{ name: 'a', offset: 0, type: inner }]);
    const c = struct('struct', 'C', 4, [{ name: 'b', offset: 0, type: b }]);
    const d = struct('struct', 'D', 4, [{ name: 'c', offset: 0, type: c }]);
    m.global('deep', d, 0xf0130000, [5, 0, 0, 0]);
    expect(show('deep')).toBe('{c = {b = {a = {...}}}}');
    expect(show('deep.c.b')).toBe('{a = {x = 5}}');
  });

  it('reports unreadable members in place and unreadable values as <...>', () => {
    m.map(0xf0140000, 4096);
    const two = struct('struct', 'Two', 8, [{ name: 'a', offset: 0, type: INT }, { name: 'b', offset: 4, type: INT }]);
    m.vars.set('straddle', { type: two, location: { kind: 'memory', address: 0xf0140ffc } });
    expect(show('straddle')).toBe('{a = 0, b = <memory at 0xf0141000 is not mapped>}');
    expect(formatValue(evaluate('*(struct Env *)0x1000', m), m)).toEqual({ text: '<memory at 0x00001000 is not mapped>', type: 'struct Env', childCount: 0, indexed: false });
    expect(show('*(int (*)[3])0x1000')).toBe('<memory at 0x00001000 is not mapped>');
    m.vars.set('two', { type: array(two, 2), location: { kind: 'memory', address: 0xf0140ff8 } });
    expect(show('two')).toBe('[{a = 0, b = 0}, <memory at 0xf0141000 is not mapped>]');
  });

  it('formats floating-point variables', () => {
    const bytes = (f: (dv: DataView) => void, n: number): Uint8Array => {
      const b = new Uint8Array(n);
      f(new DataView(b.buffer));
      return b;
    };
    m.global('f', FLOAT, 0xf0150000, bytes((dv) => dv.setFloat32(0, 1.5, true), 4));
    m.global('d', DOUBLE, 0xf0150008, bytes((dv) => dv.setFloat64(0, -0.25, true), 8));
    // 3.0 as an x87 extended: mantissa 0xc000000000000000, exponent 16384
    m.global('ld', LDOUBLE, 0xf0150010, [0, 0, 0, 0, 0, 0, 0, 0xc0, 0x00, 0x40, 0, 0]);
    expect(show('f')).toBe('1.5');
    expect(show('d')).toBe('-0.25');
    expect(show('ld')).toBe('3');
    expect(() => evaluate('f + 1', m)).toThrow('floating-point values are not supported in expressions');
  });

  it('gives type names, child counts and memory references', () => {
    expect(fmt('envs')).toMatchObject({ type: 'struct Env[4]', childCount: 4, indexed: true, memoryReference: '0xf01c0000' });
    expect(fmt('curenv')).toMatchObject({ type: 'struct Env *', childCount: 10, indexed: false, memoryReference: '0xf01c002c' });
    expect(fmt('msg')).toMatchObject({ childCount: 1, memoryReference: '0x00800100' });
    expect(fmt('constp')).toMatchObject({ type: 'const char *', childCount: 0 });
    expect(fmt('constp').memoryReference).toBeUndefined();
    expect(fmt('fnptr')).toMatchObject({ type: 'void (*)(int)', childCount: 0 });
    expect(fmt('(void *)msg')).toMatchObject({ type: 'void *', childCount: 0 });
    expect(fmt('ints[2]')).toMatchObject({ type: 'int', childCount: 0, memoryReference: '0xf0120018' });
    expect(fmt('1 + 1').memoryReference).toBeUndefined();
    expect(fmt('$eax').memoryReference).toBeUndefined();
    expect(fmt('envs[0].env_word').type).toBe('uint32_t');
  });
});

describe('children', () => {
  it('lists struct members with their evaluateName, flattening anonymous unions', () => {
    const kids = children(evaluate('envs[1]', m), m, { expression: 'envs[1]' });
    expect(kids.map((c) => c.name)).toEqual(['env_tf', 'env_link', 'env_id', 'env_status', 'env_name', 'env_runs', 'env_cpu', 'env_prio', 'env_word', 'env_bytes']);
    expect(kids.map((c) => c.evaluateName)).toContain('envs[1].env_word');
    for (const k of kids) expect(formatValue(evaluate(k.evaluateName!, m), m).text).toBe(formatValue(k.value, m).text);
  });

  it('expands a pointer to a struct into its members, other pointers into *p', () => {
    const kids = children(evaluate('curenv', m), m, { expression: 'curenv' });
    expect(kids[2]).toMatchObject({ name: 'env_id', evaluateName: 'curenv->env_id' });
    expect(formatValue(kids[2]!.value, m).text).toBe('4097');
    const star = children(evaluate('msg', m), m, { expression: 'msg' });
    expect(star.map((c) => [c.name, c.evaluateName, formatValue(c.value, m).text])).toEqual([['*msg', '*msg', "104 'h'"]]);
    expect(children(evaluate('curenv + 1', m), m, { expression: 'curenv + 1' })[2]!.evaluateName).toBe('(curenv + 1)->env_id');
    expect(names(evaluate('constp', m))).toEqual([]);
    expect(names(evaluate('fnptr', m))).toEqual([]);
    expect(names(evaluate('(void *)msg', m))).toEqual([]);
    expect(names(evaluate('ints[0]', m))).toEqual([]);
  });

  it('lists array elements, or a requested range of them', () => {
    expect(names(evaluate('ints', m))).toEqual(['[0]', '[1]', '[2]', '[3]', '[4]']);
    const kids = children(evaluate('big', m), m, { start: 10, count: 3, expression: 'big' });
    expect(kids.map((c) => [c.name, c.evaluateName, formatValue(c.value, m).text])).toEqual([['[10]', 'big[10]', '10'], ['[11]', 'big[11]', '11'], ['[12]', 'big[12]', '12']]);
    expect(names(evaluate('big', m), { start: 298, count: 10 })).toEqual(['[298]', '[299]']);
  });

  it('groups big arrays in ranges, lazily, at every level', () => {
    m.poke32(HUGE + 4 * 12345, 77);
    m.reads = 0;
    const top = children(evaluate('huge', m), m, { expression: 'huge' });
    expect(m.reads).toBe(0);
    expect(top.map((c) => c.name)).toEqual(['[0..9999]', '[10000..19999]', '[20000..24999]']);
    expect(formatValue(top[1]!.value, m).childCount).toBe(10000);
    const mid = children(top[1]!.value, m, { expression: top[1]!.evaluateName! });
    expect(mid).toHaveLength(100);
    expect(mid[23]!.name).toBe('[12300..12399]');
    const leaf = children(mid[23]!.value, m, { expression: mid[23]!.evaluateName! });
    expect(leaf).toHaveLength(100);
    expect(leaf[45]!.name).toBe('[12345]');
    expect(formatValue(leaf[45]!.value, m).text).toBe('77');
    // The chain of evaluateNames still means that element.
    expect(formatValue(evaluate(leaf[45]!.evaluateName!, m), m).text).toBe('77');
    expect(big300Groups()).toEqual(['[0..99]', '[100..199]', '[200..299]']);
  });

  it('lists the members of a struct held in a register and of an rvalue', () => {
    const small = struct('struct', 'Small', 4, [{ name: 'lo', offset: 0, type: CHAR }, { name: 'hi', offset: 1, type: CHAR }, { name: 'top', offset: 2, type: array(CHAR, 2) }]);
    m.vars.set('s', { type: small, location: { kind: 'register', reg: 'ecx' } });
    expect(show('s')).toBe('{lo = 66 \'B\', hi = 65 \'A\', top = ""}');
    expect(show('s.hi')).toBe("65 'A'");
    expect(names(evaluate('s', m))).toEqual(['lo', 'hi', 'top']);
    evaluate('s.hi = 0x43', m);
    expect(m.regs.get('ecx')).toBe(0x4342);
    expect(show('(struct Env)envs[1]')).toBe(ENV1);
  });

  it('children of a dangling pointer are lazy values that fail when read', () => {
    const kids = children(evaluate('bogus', m), m, { expression: 'bogus' });
    expect(kids).toHaveLength(1);
    expect(formatValue(kids[0]!.value, m).text).toBe('<memory at 0xdead0000 is not mapped>');
  });
});

function big300Groups(): string[] {
  const v = evaluate('*(char (*)[300])0xf0121000', m);
  return names(v);
}

describe('postfix (building evaluateName)', () => {
  it.each([
    ['x', 'x'], ['$eax', '$eax'], ['p->a[3].b', 'p->a[3].b'], ['(x + 1)', '(x + 1)'], ['a[i + 1]', 'a[i + 1]'],
    ['*p', '(*p)'], ['a + b', '(a + b)'], ['(int)x', '((int)x)'], ['(a)(b)', '((a)(b))'], ['x[0]@3', '(x[0]@3)'], ['"', '(")'],
  ])('%s -> %s', (e, out) => {
    expect(postfix(e)).toBe(out);
  });
});

it('ENVS is where envs is', () => {
  expect(evaluate('envs', m)).toMatchObject({ kind: 'lvalue', location: { kind: 'memory', address: ENVS } });
  expect(evaluate('&envs[0]', m).type).toEqual(pointer(evaluate('envs[0]', m).type));
});

// The evaluator over a hand-made kernel state: C semantics of every operator, lvalues in
// memory and registers, bit fields, casts through the program's types, and errors.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ExprError, assign, compile, evaluate, evaluateCondition, evaluateNumber, formatValue, interpolate, typeName,
} from '../../../adapter/expr/index.js';
import type { FakeMachine } from './fake-machine.js';
import { CURENV, ENVS, ENV_SIZE, INTS, STRING, kernelMachine } from './kernel-fixture.js';

let m: FakeMachine;
beforeEach(() => {
  m = kernelMachine();
});

const num = (e: string): bigint => evaluateNumber(e, m);
const type = (e: string): string => typeName(evaluate(e, m).type);
const show = (e: string, hex = false): string => formatValue(evaluate(e, m), m, { hex }).text;

function error(e: string): ExprError {
  try {
    evaluate(e, m);
  } catch (x) {
    expect(x).toBeInstanceOf(ExprError);
    return x as ExprError;
  }
  throw new Error(`'${e}' evaluated without an error`);
}

describe('literals and arithmetic', () => {
  it.each([
    ['1 + 2 * 3', 7n, 'int'],
    ['(1 + 2) * 3', 9n, 'int'],
    ['0x10 + 010 + 0b11', 27n, 'int'],
    ["'a'", 97n, 'int'],
    ["'\\n' + '\\x41' + '\\101' + '\\0'", 140n, 'int'],
    ["'\\xff'", -1n, 'int'],
    ["'ab'", 0x6162n, 'int'],
    ['2147483647 + 1', -2147483648n, 'int'],
    ['2147483648', 2147483648n, 'long long'],
    ['0x80000000', 0x80000000n, 'unsigned int'],
    ['4294967295u + 1', 0n, 'unsigned int'],
    ['1ULL << 40', 1n << 40n, 'unsigned long long'],
    ['-7 / 2', -3n, 'int'],
    ['-7 % 2', -1n, 'int'],
    ['7 % -2', 1n, 'int'],
    ['-1 >> 1', -1n, 'int'],
    ['0xffffffff >> 1', 0x7fffffffn, 'unsigned int'],
    ['-1 < 0u', 0n, 'int'],
    ['-1 < 0L', 1n, 'int'],
    ['-1L < 0u', 0n, 'int'],
    ['1L + 1u', 2n, 'unsigned long'],
    ['-1LL < 0u', 1n, 'int'],
    ['~0', -1n, 'int'],
    ['~0u', 0xffffffffn, 'unsigned int'],
    ['!5', 0n, 'int'],
    ['-(unsigned char)1', -1n, 'int'],
    ['(char)300', 44n, 'char'],
    ['(unsigned char)-1', 255n, 'unsigned char'],
    ['(short)0x18000', -32768n, 'short'],
    ['(_Bool)42', 1n, '_Bool'],
    ['(long long)-1 * 3', -3n, 'long long'],
    ['0x7fffffffffffffffLL + 1', -(1n << 63n), 'long long'],
    ['(-2147483647 - 1) / -1', -2147483648n, 'int'],
    ['3 > 2 > 1', 0n, 'int'],
    ['1 ? 2 : 3u', 2n, 'unsigned int'],
    ['0 ? 2 : (char)-3', -3n, 'int'],
    ['5 & 3 | 8 ^ 1', 9n, 'int'],
    ['0 && 1 / 0', 0n, 'int'],
    ['1 || 1 / 0', 1n, 'int'],
    ['(1, 2)', 2n, 'int'],
    ['0xffffffffffffffff', (1n << 64n) - 1n, 'unsigned long long'],
    ['0x100000000', 1n << 32n, 'long long'],
    ['4294967296', 1n << 32n, 'long long'],
    ['1l', 1n, 'long'],
    ['1lu', 1n, 'unsigned long'],
    ['1LLU', 1n, 'unsigned long long'],
    ['0x80000000l', 0x80000000n, 'unsigned long'],
    ['2147483648u', 2147483648n, 'unsigned int'],
    ['017', 15n, 'int'],
    ['0', 0n, 'int'],
    ['sizeof(int)', 4n, 'unsigned int'],
    ['sizeof(long long) + sizeof(char *) + sizeof(short[3])', 18n, 'unsigned int'],
    ['sizeof (struct Env)', 44n, 'unsigned int'],
    ['sizeof envs', 176n, 'unsigned int'],
    ['sizeof envs[0].env_name', 8n, 'unsigned int'],
    ['sizeof(int (*)[3])', 4n, 'unsigned int'],
    ['sizeof(int *[3])', 12n, 'unsigned int'],
    ['sizeof(void)', 1n, 'unsigned int'],
    ['NULL == 0', 1n, 'int'],
    ['true + true', 2n, 'int'],
  ])('%s = %s (%s)', (e, value, t) => {
    expect(num(e)).toBe(value);
    expect(type(e)).toBe(t);
  });

  it('sizeof does not evaluate its operand', () => {
    expect(num('sizeof(*(struct Env *)0)')).toBe(44n);
    expect(num('sizeof(1 / 0)')).toBe(4n);
    expect(num('sizeof *bogus')).toBe(4n);
  });
});

describe('variables, pointers and members', () => {
  it('reads globals, members and array elements', () => {
    expect(num('ints[1]')).toBe(-2n);
    expect(num('ints[4] + ints[3]')).toBe(1n);
    expect(num('2[ints]')).toBe(3n);
    expect(num('*(ints + 2)')).toBe(3n);
    expect(num('curenv->env_id')).toBe(0x1001n);
    expect(num('(*curenv).env_id')).toBe(0x1001n);
    expect(num('envs[2].env_tf.tf_eip')).toBe(0x00800022n);
    expect(num('curenv->env_link->env_link->env_id')).toBe(0x1003n);
    expect(num('envs[1].env_tf.tf_cs')).toBe(0x1bn);
    expect(type('curenv->env_tf.tf_eip')).toBe('uintptr_t');
    expect(type('envs[0].env_name')).toBe('char[8]');
  });

  it('scales pointer arithmetic by the pointee size', () => {
    expect(num('curenv + 1')).toBe(BigInt(ENVS + 2 * ENV_SIZE));
    expect(num('(curenv + 2)->env_id')).toBe(0x1003n);
    expect(num('curenv - envs')).toBe(1n);
    expect(type('curenv - envs')).toBe('int');
    expect(num('&envs[3] - curenv')).toBe(2n);
    expect(num('(char *)curenv - (char *)envs')).toBe(44n);
    expect(num('(void *)curenv + 1')).toBe(BigInt(ENVS + ENV_SIZE + 1));
    expect(num('&ints[4]')).toBe(BigInt(INTS + 16));
    expect(num('(int *)curenv + 1 == (void *)&curenv->env_tf.tf_err')).toBe(1n);
    expect(num('curenv > envs && curenv < envs + 4')).toBe(1n);
    expect(num('curenv == &envs[1]')).toBe(1n);
    expect(num('-1 + ints')).toBe(BigInt(INTS - 4));
    expect(type('&envs')).toBe('struct Env (*)[4]');
    expect(num('&envs + 1')).toBe(BigInt(ENVS + 176));
    expect(num('*&*&ints[2]')).toBe(3n);
  });

  it('reads bit fields with their sign, and promotes narrow unsigned ones to int', () => {
    // env 2: runs 207, cpu 2, prio 0; env 1: prio -1 (0xf)
    expect(num('envs[2].env_runs')).toBe(207n);
    expect(num('envs[2].env_cpu')).toBe(2n);
    expect(num('envs[1].env_prio')).toBe(-1n);
    expect(num('envs[3].env_prio')).toBe(1n);
    expect(num('envs[2].env_cpu - 5 < 0')).toBe(1n); // unsigned:4 promotes to int
    expect(type('envs[2].env_cpu')).toBe('unsigned int');
  });

  it('reaches into anonymous unions', () => {
    expect(num('envs[0].env_word')).toBe(0x44332211n);
    expect(num('envs[0].env_bytes[1]')).toBe(0x22n);
    expect(num('curenv->env_bytes[0]')).toBe(0x22n);
  });

  it('compares enums with their enumerators', () => {
    expect(num('curenv->env_status == ENV_RUNNING')).toBe(1n);
    expect(num('envs[0].env_status')).toBe(0n);
    expect(show('envs[2].env_status')).toBe('ENV_RUNNABLE');
    expect(type('ENV_RUNNABLE')).toBe('enum EnvStatus');
    expect(num('ENV_RUNNABLE - 3')).toBe(-1n); // an enumeration constant is an int...
    expect(num('envs[2].env_status - 3')).toBe(0xffffffffn); // ...but gcc makes an enum object without negatives unsigned
    expect(num('(enum EnvStatus)4 == ENV_NOT_RUNNABLE')).toBe(1n);
  });

  it('reads variables held in registers and folded constants', () => {
    expect(num('in_ebx * 2')).toBe(2468n);
    expect(num('small_in_ecx')).toBe(0x42n);
    expect(num('folded + 1')).toBe(43n);
  });

  it('casts through the program types', () => {
    expect(num('((struct Env *)0xf01c0058)->env_id')).toBe(0x1002n);
    expect(num('((Env_t *)curenv)->env_id')).toBe(0x1001n);
    expect(num('(uint8_t)0x1ff')).toBe(0xffn);
    expect(num('*(uint32_t *)&curenv->env_tf.tf_cs')).toBe(0x1bn);
    expect(num('((unsigned char *)&ints[1])[3]')).toBe(0xffn);
    expect(num('*(int *)(0xf0120010 + 4)')).toBe(-2n);
    expect(num('(unsigned)curenv')).toBe(BigInt(ENVS + ENV_SIZE));
    expect(num('(int)curenv')).toBe(BigInt(ENVS + ENV_SIZE - 2 ** 32));
    expect(type('(struct Env *)0')).toBe('struct Env *');
    expect(type('(const char *)msg')).toBe('const char *');
    expect(type('(char * const)msg')).toBe('char *const');
    expect(type('(void (*)(int))0')).toBe('void (*)(int)');
    expect(type('(int (*)[3])0')).toBe('int (*)[3]');
    expect(type('(unsigned long long)1')).toBe('unsigned long long');
    expect(type('(long unsigned int)1')).toBe('unsigned long');
    expect(type('(signed)1')).toBe('int');
    expect(type('(struct Env)envs[1]')).toBe('struct Env');
    expect(type('(struct Env const *)0')).toBe('const struct Env *');
    expect(type('(const volatile int *)0')).toBe('const volatile int *');
    expect(type('(char **)0')).toBe('char **');
    expect(type('(int (*)(void))0')).toBe('int (*)(void)');
    expect(type('(void (*)(int, char *, ...))0')).toBe('void (*)(int, char *, ...)');
    expect(type('(int (*)(int x))0')).toBe('int (*)(int)');
    expect(type('(char (*)[2][3])0')).toBe('char (*)[2][3]');
    expect(type('(long int)1')).toBe('long');
    expect(type('(short unsigned)1')).toBe('unsigned short');
    expect(type('(signed char)1')).toBe('signed char');
    expect(type('(unsigned)1')).toBe('unsigned int');
    expect(type('(uint32_t *)0')).toBe('uint32_t *');
  });

  it('takes the address of functions and calls through nothing', () => {
    expect(num('i386_init')).toBe(0xf0100020n);
    expect(num('&i386_init == fnptr')).toBe(1n);
    expect(show('fnptr')).toBe('0xf0100020 <i386_init>');
    expect(show('i386_init')).toBe('{void (void)} 0xf0100020 <i386_init>');
  });

  it('makes arrays with gdb\'s @', () => {
    expect(type('*ints@3')).toBe('int[3]');
    expect(show('*ints@3')).toBe('[1, -2, 3]');
    expect(show('ints[1]@2')).toBe('[-2, 3]');
    expect(show('envs[0].env_tf.tf_eip@2')).toBe('[0x800020, 0x1b]'); // tf_cs follows tf_eip; uintptr_t shows in hex
  });
});

describe('registers', () => {
  it('reads 32-, 16- and 8-bit registers and the trap pseudo-registers', () => {
    expect(num('$eax')).toBe(-1n);
    expect(type('$eax')).toBe('int');
    expect(num('$EAX == -1')).toBe(1n);
    expect(num('$esp')).toBe(0xf0117fd0n);
    expect(num('$sp == $esp && $pc == $eip && $fp == $ebp')).toBe(1n);
    expect(num('$ax')).toBe(0xffffn);
    expect(num('$cl')).toBe(0x42n);
    expect(num('$ch')).toBe(0x41n);
    expect(num('$dx')).toBe(0x5678n);
    expect(num('$cs')).toBe(8n);
    expect(num('$cr0 >> 31')).toBe(1n);
    expect(num('$vector == 14 && ($err & 2) != 0')).toBe(1n);
    expect(num('$cpl')).toBe(0n);
    expect(num('*(int *)$esp == 0')).toBe(1n);
    expect(show('$eip')).toBe('0xf0100042');
    expect(show('$cs')).toBe('0x8');
    expect(show('$eax')).toBe('-1');
    expect(show('$eax', true)).toBe('0xffffffff');
  });

  it('says when a register is unknown or not available', () => {
    expect(error('$foo').message).toMatch(/unknown register '\$foo'/);
    m.regs.delete('err');
    expect(error('$err & 4').message).toBe('$err is only available while a trap is being examined');
    m.regs.delete('cr3');
    expect(error('$cr3').message).toBe('register $cr3 is not available');
  });

  it('writes registers, including sub-registers', () => {
    evaluate('$eax = 5', m);
    expect(m.regs.get('eax')).toBe(5);
    evaluate('$ah = 0x12', m);
    expect(m.regs.get('eax')).toBe(0x1205);
    evaluate('$ax = -1', m);
    expect(m.regs.get('eax')).toBe(0xffff);
    evaluate('in_ebx += 6', m);
    expect(m.regs.get('ebx')).toBe(1240);
    expect(error('&$eax').message).toBe('cannot take the address of a value held in register eax');
  });
});

describe('assignment', () => {
  it('stores through memory with conversions', () => {
    expect(show('ints[0] = 300')).toBe('300');
    expect(num('ints[0]')).toBe(300n);
    evaluate('envs[0].env_name[0] = 0x1234', m);
    expect(show('envs[0].env_name')).toBe('"4nv0"');
    evaluate('curenv->env_status = ENV_DYING', m);
    expect(show('curenv->env_status')).toBe('ENV_DYING');
    evaluate('curenv->env_link = 0', m);
    expect(show('curenv->env_link')).toBe('0x00000000');
    evaluate('ints[1] = ints[2] = 9', m);
    expect(num('ints[1] + ints[2]')).toBe(18n);
    evaluate('ints[3] <<= 2', m);
    expect(num('ints[3]')).toBe(-16n);
  });

  it('writes bit fields without touching their neighbours', () => {
    evaluate('envs[2].env_cpu = 0x1f', m);
    expect(num('envs[2].env_cpu')).toBe(0xfn);
    expect(num('envs[2].env_runs')).toBe(207n);
    expect(num('envs[2].env_prio')).toBe(0n);
    evaluate('envs[2].env_prio = -3', m);
    expect(num('envs[2].env_prio')).toBe(-3n);
    expect(num('envs[2].env_cpu')).toBe(0xfn);
  });

  it('copies whole structs', () => {
    evaluate('envs[0] = envs[3]', m);
    expect(num('envs[0].env_id')).toBe(0x1003n);
    expect(error('envs[0] = 1').message).toBe('cannot assign int to struct Env');
  });

  it('assign() sets a value found in the tree (setVariable)', () => {
    const target = evaluate('curenv->env_tf.tf_eip', m);
    assign(target, '0x00801000', m);
    expect(m.peek32(ENVS + ENV_SIZE + 8)).toBe(0x00801000);
    expect(() => assign(evaluate('1 + 1', m), '3', m)).toThrow(/not stored anywhere/);
  });

  it('reports memory that cannot be written', () => {
    expect(error('*(int *)0xf0100020 = 1').message).toBe('cannot write memory at 0xf0100020');
    expect(error('1 = 2').message).toMatch(/must be an lvalue/);
    const ro = { ...m, readMemory: m.readMemory.bind(m), lookupVariable: m.lookupVariable.bind(m), lookupType: m.lookupType.bind(m), register: m.register.bind(m), writeMemory: undefined, setRegister: undefined };
    expect(() => evaluate('ints[0] = 1', ro)).toThrow('memory cannot be written here');
    expect(() => evaluate('$eax = 1', ro)).toThrow('registers cannot be written here');
  });
});

describe('errors', () => {
  it.each([
    ['foo', "unknown identifier 'foo'", 0, 3],
    ['1 + foo', "unknown identifier 'foo'", 4, 7],
    ['*ints[0]', 'cannot dereference a non-pointer of type int', 0, 8],
    ['*bogus', 'memory at 0xdead0000 is not mapped', 0, 6],
    ['*(int *)0xf0121ffe', 'memory at 0xf0122000 is not mapped', 0, 18],
    ['1 / 0', 'division by zero', 0, 5],
    ['ints[0] % (ints[1] + 2)', 'remainder by zero', 0, 23],
    ['(ints[1] + 2) / 0', 'division by zero', 0, 17],
    ['(1 + 2))', "unexpected ')' at column 8", 7, 8],
    ['1 +', 'unexpected end of expression at column 4', 3, 4],
    ['1 << 32', 'shift count 32 is out of range for int', 0, 7],
    ['1 << -1', 'shift count -1 is out of range for int', 0, 7],
    ['curenv.env_id', "'.' on a pointer (struct Env *); use '->'", 0, 13],
    ['envs[0]->env_id', "'->' needs a pointer to a struct or union (have struct Env); use '.'", 0, 15],
    ['curenv->nothing', "struct Env has no member named 'nothing'", 0, 15],
    ['ints.x', "'.x' needs a struct or union (have int[5])", 0, 6],
    ['*(void *)curenv', 'cannot dereference a pointer to void (cast it first, e.g. *(int *)p)', 0, 15],
    ['envs + envs', "invalid operands to '+' (have struct Env * and struct Env *)", 0, 11],
    ['curenv * 2', "invalid operands to '*' (have struct Env * and int)", 0, 10],
    ['envs[0] + 1', 'a value of type struct Env cannot be used as a number', 0, 7],
    ['(struct Nope *)0', "unknown type 'struct Nope'", 1, 12],
    ['((struct Opaque *)0)->x', 'struct Opaque is incomplete here (declared but not defined)', 0, 23],
    ['(struct Opaque *)0 + 1', 'arithmetic on a pointer to incomplete type struct Opaque', 0, 22],
    ['sizeof(struct Opaque)', 'sizeof applied to incomplete type struct Opaque', 0, 21],
    ['i386_init(1)', 'function calls are not supported (column 10)', 0, 10],
    ['ints[0]++', "'++' is not supported (use '= x + 1')", 7, 9],
    ['"str"', 'string literals are not supported (column 1)', 0, 1],
    ['1.5', "floating-point constants are not supported: '1.5' at column 1", 0, 3],
    ['09', "invalid octal constant '09' at column 1", 0, 2],
    ['12abc', "invalid suffix on integer constant '12abc' at column 1", 0, 5],
    ['1lL', "invalid suffix on integer constant '1lL' at column 1", 0, 3],
    ['0x', "invalid number '0x' at column 1", 0, 2],
    ['99999999999999999999', "integer constant is too large: '99999999999999999999' at column 1", 0, 20],
    ["''", 'empty character constant at column 1', 0, 2],
    ["'a", 'unterminated character constant at column 1', 0, 2],
    ['#', "unexpected character '#' at column 1", 0, 1],
    ['', 'empty expression', 0, 0],
    ['(int)', 'unexpected end of expression at column 6', 5, 6],
    ['int', "expected an expression: unexpected 'int' at column 1", 0, 3],
    ['(unsigned float)1', "invalid type 'unsigned float'", 1, 15],
    ['curenv->', "expected a member name after '->': unexpected end of expression at column 9", 8, 9],
    ['a ? 1', "expected ':': unexpected end of expression at column 6", 5, 6],
    ['&1', "'&' needs an lvalue: a variable, *p, a[i] or s.m", 0, 2],
    ['&envs[0].env_cpu', 'cannot take the address of a bit field', 0, 16],
    ['1 ? envs[0] : 2', "the arms of '?:' have incompatible types (struct Env and int)", 0, 15],
    ['*ints@0', "the count after '@' must be between 1 and 16777216", 6, 7],
  ])('%s -> %s', (e, message, start, end) => {
    const x = error(e);
    expect(x.message).toBe(message);
    expect([x.start, x.end]).toEqual([start, end]);
  });

  it('a conditional type-checks the arm it does not evaluate', () => {
    expect(num('curenv ? curenv->env_id : 0')).toBe(0x1001n);
    expect(num('curenv->env_link ? 1 : *(int *)0')).toBe(1n); // the other arm would fault
    expect(error('1 ? 2 : nope').message).toBe("unknown identifier 'nope'");
    expect(num('0 && *(int *)0')).toBe(0n);
    expect(num('counter ? ints : 0')).toBe(BigInt(INTS));
    expect(num('counter ? 0 : ints')).toBe(0n);
  });
});

describe('conditions, compiled expressions and logpoints', () => {
  it('evaluates conditions as C truth values', () => {
    expect(evaluateCondition('curenv->env_status == ENV_RUNNING', m)).toBe(true);
    expect(evaluateCondition('$cr2 >= 0xf0000000 && ($err & 2) != 0', m)).toBe(true);
    expect(evaluateCondition('$cr2 >= 0xf0000000 && ($err & 8) != 0', m)).toBe(false);
    expect(evaluateCondition('msg', m)).toBe(true);
    expect(evaluateCondition('constp', m)).toBe(false);
    expect(() => evaluateCondition('envs[0]', m)).toThrow('a value of type struct Env cannot be used as a number');
  });

  it('a compiled expression sees later machine states', () => {
    const c = compile('ints[0] > 10', m);
    expect(c.test(m)).toBe(false);
    m.poke32(INTS, 11);
    expect(c.test(m)).toBe(true);
  });

  it('reads nothing until a value is needed', () => {
    m.reads = 0;
    const v = evaluate('envs[2].env_tf', m);
    expect(v.kind).toBe('lvalue');
    expect(m.reads).toBe(0);
  });

  it('interpolates logpoint messages', () => {
    expect(interpolate('env {curenv->env_id} at {$eip} {{literal}} {nope} {msg}', m, { hex: true })).toBe(
      `env 0x1001 at 0xf0100042 {literal} <unknown identifier 'nope'> 0x${STRING.toString(16).padStart(8, '0')} "hello\\n"`,
    );
  });

  it('curenv lives where the fixture put it', () => {
    expect(num('&curenv')).toBe(BigInt(CURENV));
  });
});

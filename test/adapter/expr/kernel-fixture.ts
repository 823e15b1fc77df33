// A JOS-like kernel state built by hand: struct Env with a nested trap frame, a self-pointer,
// an enum, a char array, bit fields and an anonymous union; an envs[] array, curenv, strings,
// a function and its pointer, registers and a trap being examined.
import {
  CHAR, INT, LLONG, UCHAR, UINT, USHORT, VOID,
  array, enumeration, func, pointer, qualified, struct, typedef, type Member, type StructType,
} from '../../../adapter/expr/index.js';
import { FakeMachine } from './fake-machine.js';

export const uint32_t = typedef('uint32_t', UINT);
export const uint16_t = typedef('uint16_t', USHORT);
export const uint8_t = typedef('uint8_t', UCHAR);
export const uintptr_t = typedef('uintptr_t', UINT);
export const envid_t = typedef('envid_t', INT);

export const Trapframe = struct('struct', 'Trapframe', 16, [
  { name: 'tf_trapno', offset: 0, type: uint32_t },
  { name: 'tf_err', offset: 4, type: uint32_t },
  { name: 'tf_eip', offset: 8, type: uintptr_t },
  { name: 'tf_cs', offset: 12, type: uint16_t },
  { name: 'tf_padding', offset: 14, type: uint16_t },
]);

export const EnvStatus = enumeration('EnvStatus', 4, [
  { name: 'ENV_FREE', value: 0 },
  { name: 'ENV_DYING', value: 1 },
  { name: 'ENV_RUNNABLE', value: 2 },
  { name: 'ENV_RUNNING', value: 3 },
  { name: 'ENV_NOT_RUNNABLE', value: 4 },
]);

const Word = struct('union', undefined, 4, [
  { name: 'env_word', offset: 0, type: uint32_t },
  { name: 'env_bytes', offset: 0, type: array(uint8_t, 4) },
]);

// Built mutable first so that env_link can point back at the struct itself.
const envMembers: Member[] = [];
export const Env: StructType = struct('struct', 'Env', 44, envMembers);
envMembers.push(
  { name: 'env_tf', offset: 0, type: Trapframe },
  { name: 'env_link', offset: 16, type: pointer(Env) },
  { name: 'env_id', offset: 20, type: envid_t },
  { name: 'env_status', offset: 24, type: EnvStatus },
  { name: 'env_name', offset: 28, type: array(CHAR, 8) },
  // unsigned env_runs:20; unsigned env_cpu:4; int env_prio:4; (gcc packs them from bit 288)
  { name: 'env_runs', offset: 36, type: UINT, bitOffset: 288, bitSize: 20 },
  { name: 'env_cpu', offset: 36, type: UINT, bitOffset: 308, bitSize: 4 },
  { name: 'env_prio', offset: 36, type: INT, bitOffset: 312, bitSize: 4 },
  { name: undefined, offset: 40, type: Word },
);

export const ENVS = 0xf01c0000;
export const ENV_SIZE = 44;
export const CURENV = 0xf0120000;
export const MSG = 0xf0120004;
export const INTS = 0xf0120010;
export const COUNTER = 0xf0120030;
export const LL = 0xf0120038;
export const FNPTR = 0xf0120040;
export const BOGUS = 0xf0120044;
export const CONSTP = 0xf0120048;
export const BIG = 0xf0121000;
export const HUGE = 0xf0200000;
export const I386_INIT = 0xf0100020;
export const STRING = 0x00800100;

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const le16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];

function envBytes(i: number): number[] {
  const name = [...Buffer.from(`env${i}`, 'latin1')];
  const packed = (100 * i + 7) | ((i & 0xf) << 20) | (((i - 2) & 0xf) << 24); // runs, cpu, prio
  return [
    ...le32(i === 1 ? 14 : 48), ...le32(i === 1 ? 7 : 0), ...le32(0x00800020 + i), ...le16(0x1b), ...le16(0),
    ...le32(i < 3 ? ENVS + (i + 1) * ENV_SIZE : 0), // env_link
    ...le32(0x1000 + i), // env_id
    ...le32(i === 0 ? 0 : i === 1 ? 3 : 2), // env_status
    ...name, ...new Array(8 - name.length).fill(0),
    ...le32(packed),
    0x11 * (i + 1), 0x22, 0x33, 0x44, // the anonymous union
  ];
}

export function kernelMachine(): FakeMachine {
  const m = new FakeMachine();
  m.type('struct Env', Env).type('struct Trapframe', Trapframe).type('enum EnvStatus', EnvStatus)
    .type('uint32_t', uint32_t).type('uint16_t', uint16_t).type('uint8_t', uint8_t).type('uintptr_t', uintptr_t)
    .type('envid_t', envid_t).type('Env_t', typedef('Env_t', Env)).type('struct Opaque', { kind: 'struct', name: 'Opaque', size: 0, members: [], incomplete: true });
  m.global('envs', array(Env, 4), ENVS, [0, 1, 2, 3].flatMap(envBytes));
  m.global('curenv', pointer(Env), CURENV, le32(ENVS + ENV_SIZE));
  m.global('msg', pointer(CHAR), MSG, le32(STRING));
  m.pokeString(STRING, 'hello\n');
  m.global('ints', array(INT, 5), INTS, [1, -2, 3, -4, 5].flatMap(le32));
  m.global('counter', UINT, COUNTER, le32(3000000000));
  m.global('ll', LLONG, LL, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]); // -2
  const fn = func(VOID, [INT]);
  m.vars.set('i386_init', { type: func(VOID, []), location: { kind: 'memory', address: I386_INIT } });
  m.map(I386_INIT, 16, { readOnly: true });
  m.symbols.set(I386_INIT, 'i386_init');
  m.global('fnptr', pointer(fn), FNPTR, le32(I386_INIT));
  m.global('bogus', pointer(INT), BOGUS, le32(0xdead0000));
  m.global('constp', pointer(qualified('const', CHAR)), CONSTP, le32(0));
  m.global('big', array(uint8_t, 300), BIG, Array.from({ length: 300 }, (_, i) => i & 0xff));
  m.global('huge', array(INT, 25000), HUGE);
  m.vars.set('in_ebx', { type: INT, location: { kind: 'register', reg: 'ebx' } });
  m.vars.set('small_in_ecx', { type: CHAR, location: { kind: 'register', reg: 'ecx' } });
  m.vars.set('folded', { type: qualified('const', INT), location: { kind: 'value', value: 42 } });
  for (const e of EnvStatus.enumerators) m.vars.set(e.name, { type: EnvStatus, location: { kind: 'value', value: e.value } });
  const regs: Record<string, number> = {
    eax: 0xffffffff, ebx: 1234, ecx: 0x4142, edx: 0x12345678, esi: 0, edi: 0, esp: 0xf0117fd0, ebp: 0xf0117ff8, eip: 0xf0100042,
    eflags: 0x246, cs: 0x8, ds: 0x10, ss: 0x10, es: 0x10, fs: 0x23, gs: 0x23, cr0: 0x80050033, cr2: 0xf0100064, cr3: 0x3ff000, cr4: 0x10,
    err: 7, vector: 14, trapno: 14, cpl: 0,
  };
  for (const [k, v] of Object.entries(regs)) m.regs.set(k, v);
  m.map(0xf0117000, 0x1000); // the kernel stack
  return m;
}


// Functions, variables and their locations against readelf, nm-style symbol tables and gdb.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exprAt, findMember, formatExpr, loadSymbols, sizeOf, strip, typeName,
  type CType, type EnumType, type FunctionInfo, type Scope, type StructType, type Variable,
} from '../../../adapter/symbols/index.js';
import { blockExpr, gdbWhatis, listOffset, readelfDies, readelfLocLists, readelfSymbols } from './binutils.js';
import { FIXTURE_DIR, buildFixtures, hasTool } from './toolchain.js';

const fixtures = buildFixtures();
const hasGdb = hasTool('gdb');
const PROG = join(FIXTURE_DIR, 'prog.c');
const source = readFileSync(PROG, 'utf8').split('\n');
const lineOf = (text: string) => source.findIndex((l) => l.includes(text)) + 1;

function allVariables(fn: FunctionInfo): Variable[] {
  const out = [...fn.params];
  const walk = (s: Scope) => {
    out.push(...s.variables);
    s.children.forEach(walk);
  };
  walk(fn.body);
  return out;
}

const hex = (n: number) => `0x${n.toString(16)}`;

describe.each(fixtures)('debug info of $variant.name', ({ path, bytes, variant }) => {
  const syms = loadSymbols(bytes, path);
  const elfSyms = readelfSymbols(path);
  const dies = readelfDies(path);
  const optimised = variant.name.includes('Og');

  it('reads the three compilation units', () => {
    expect(syms.units.map((u) => u.name)).toEqual(['prog.c', 'other.c', 'stub.S']);
    expect(syms.units.every((u) => u.version === Number(variant.name[5]))).toBe(true);
    expect(syms.units[0]!.compDir).toBe(FIXTURE_DIR);
    expect(syms.units[0]!.producer).toMatch(/^GNU C/);
  });

  it('gives every C function the range readelf -s gives its STT_FUNC symbol', () => {
    const funcs = elfSyms.filter((s) => s.type === 'FUNC' && s.size > 0);
    const ours = syms.functions.map((f) => `${f.name} ${hex(f.lowPc)} ${f.highPc - f.lowPc}`).sort();
    // gas describes trap_stub with a DW_TAG_subprogram only when assembling DWARF 5.
    const described = funcs.filter((s) => s.name !== 'trap_stub' || syms.functionNamed('trap_stub') !== undefined);
    expect(ours).toEqual(described.map((s) => `${s.name} ${hex(s.value)} ${s.size}`).sort());
    for (const s of funcs) {
      const f = syms.functionAt(s.value + s.size - 1);
      expect(f, s.name).toMatchObject({ name: s.name, start: s.value, end: s.value + s.size });
      expect(syms.symbolize(s.value)).toBe(s.name);
      expect(syms.symbolize(s.value + 3)).toBe(`${s.name}+0x3`);
    }
  });

  it('falls back to ELF symbols for assembly: sized functions and plain labels', () => {
    const stub = elfSyms.find((s) => s.name === 'trap_stub')!;
    const common = elfSyms.find((s) => s.name === 'trap_common')!;
    expect(common.type).toBe('NOTYPE');
    expect(syms.functionAt(stub.value + 2)).toMatchObject({ name: 'trap_stub', start: stub.value, end: stub.value + stub.size });
    const text = syms.elf.sections.find((s) => s.name === '.text')!;
    expect(syms.functionAt(common.value + 1)).toMatchObject({ name: 'trap_common', start: common.value, end: text.addr + text.size, source: 'symbol' });
    expect(syms.symbolize(common.value + 2)).toBe('trap_common+0x2');
    expect(syms.functionAt(text.addr + text.size)).toBeUndefined();
  });

  it('names data addresses by their object symbols', () => {
    const origin = elfSyms.find((s) => s.name === 'origin')!;
    expect(syms.symbolize(origin.value + 4)).toBe('origin+0x4');
  });

  it('knows where functions are declared and what their type is', () => {
    const sum = syms.functionNamed('sum')!;
    expect(sum.declFile).toBe(PROG);
    expect(sum.declLine).toBe(lineOf('int sum(struct point *p, int n)'));
    expect(sum.external).toBe(true);
    expect(typeName(sum.type)).toBe('int (struct point *, int)');
    expect(sum.params.map((p) => `${typeName(p.type)} ${p.name}`)).toEqual(['struct point * p', 'int n']);
    expect(typeName(syms.functionNamed('widen')!.type)).toBe('long long (long long, int)');
    expect(typeName(syms.functionNamed('_start')!.type)).toBe('void (void)');
    expect(syms.functionNamed('add')!.external).toBe(false);
    expect(formatExpr((sum.frameBase as { expr: Uint8Array }).expr)).toBe('DW_OP_call_frame_cfa');
  });

  it('has every parameter and local readelf shows, with the same location', () => {
    const lists = readelfLocLists(path);
    const vars = syms.functions.flatMap(allVariables).concat(syms.globals);
    const withLocation = [...dies.values()].filter((d) => (d.tag === 'DW_TAG_variable' || d.tag === 'DW_TAG_formal_parameter') && d.attrs.has('DW_AT_location'));
    expect(vars.filter((v) => v.location.kind === 'expr' || v.location.kind === 'list').map((v) => v.dieOffset).sort()).toEqual(withLocation.map((d) => d.offset).sort());
    let listed = 0;
    for (const v of vars) {
      const die = dies.get(v.dieOffset)!;
      const text = die.attrs.get('DW_AT_location');
      const what = `${v.name} <${v.dieOffset.toString(16)}>`;
      if (v.location.kind === 'expr') expect(formatExpr(v.location.expr), what).toBe(blockExpr(text!));
      else if (v.location.kind === 'list') {
        listed++;
        const theirs = lists.get(listOffset(text!)!);
        expect(theirs, what).toBeDefined();
        expect(v.location.entries.map((e) => ({ start: e.start, end: e.end, expr: formatExpr(e.expr) })), what).toEqual(theirs);
      } else expect(text, what).toBeUndefined();
    }
    if (optimised) expect(listed).toBeGreaterThan(5);
    else expect(listed).toBe(0);
  });

  it('uses DW_OP_fbreg for -O0 locals and pieces for a long long in registers at -Og', () => {
    const widen = syms.functionNamed('widen')!;
    const acc = allVariables(widen).find((v) => v.name === 'acc')!;
    if (!optimised) {
      expect(acc.location.kind).toBe('expr');
      expect(formatExpr(exprAt(acc.location, widen.lowPc)!)).toMatch(/^DW_OP_fbreg: -\d+$/);
    } else {
      expect(acc.location.kind).toBe('list');
      const exprs = acc.location.kind === 'list' ? acc.location.entries.map((e) => formatExpr(e.expr)) : [];
      expect(exprs.some((e) => /DW_OP_piece: 4.*DW_OP_piece: 4/.test(e))).toBe(true);
    }
  });

  it('sees static locals and nested blocks', () => {
    const sum = syms.functionNamed('sum')!;
    const vars = allVariables(sum);
    const calls = vars.find((v) => v.name === 'calls')!;
    expect(calls.isStatic).toBe(true);
    expect(formatExpr((calls.location as { expr: Uint8Array }).expr)).toMatch(/^DW_OP_addr: 80[0-9a-f]{4}$/);
    const c = vars.find((v) => v.name === 'c')!;
    expect(typeName(c.type)).toBe('char');
    // Innermost block first: at a pc inside the inner block, c and calls come before sq and i.
    const inner = sum.body.children[0]?.children[0]?.children[0] ?? sum.body.children[0]!.children[0]!;
    const pc = inner.ranges[0]!.start;
    const scope = syms.scopeAt(pc)!;
    expect(scope.function.name).toBe('sum');
    const names = scope.locals.map((v) => v.name);
    expect(names.indexOf('c')).toBeLessThan(names.indexOf('sq'));
    expect(names).toEqual(expect.arrayContaining(['calls', 'c', 'sq', 'i', 'total']));
    expect(syms.scopeAt(sum.lowPc)!.locals.map((v) => v.name)).toEqual(['total']);
  });

  it('reads globals with their addresses and C types', () => {
    const expected: Record<string, string> = {
      matrix: 'int[3][4]', buffer: 'unsigned char[16]', counter: 'int', greeting: 'const char *const',
      origin: 'struct point', handler: 'handler_t', big: 'long long', favorite: 'enum color', perms: 'enum perm',
      wordv: 'union word', pte: 'struct flags', head: 'struct node', ratio: 'double', ratio_f: 'float',
      ratio_l: 'long double', ready: '_Bool', entry: 'pte_t', where: 'uintptr_t', hidden: 'struct opaque *',
      row_ptr: 'int (*)[4]', grid: 'struct point[2][3]', table: 'int (*[2])(int, char *)',
      logger: 'int (*)(const char *, ...)', anything: 'void *', status: 'const volatile unsigned short',
      argv_like: 'char *restrict *', shared: 'int', local_count: 'int',
    };
    const got = Object.fromEntries(syms.globals.filter((g) => g.name in expected).map((g) => [g.name, typeName(g.type)]));
    expect(got).toEqual(expected);
    expect(typeName(strip(syms.globalNamed('handler')!.type))).toBe('int (*)(int, char *)');
    expect(syms.globalNamed('counter')!.isStatic).toBe(true);
    expect(syms.globalNamed('shared')!.external).toBe(true);
    const origin = elfSyms.find((s) => s.name === 'origin')!;
    expect(formatExpr((syms.globalNamed('origin')!.location as { expr: Uint8Array }).expr)).toBe(`DW_OP_addr: ${origin.value.toString(16)}`);
  });

  it.skipIf(!hasGdb)('renders every global and function type as gdb whatis does', () => {
    const names = [...new Set(syms.globals.map((g) => g.name).concat(syms.functions.filter((f) => f.unit.language !== 0x8001).map((f) => f.name)))]
      .filter((n) => n !== 'twice' && n !== 'local_count' && n !== 'counter');
    const gdb = gdbWhatis(path, names).map((t) => t.replace(/ \[/g, '[').replace(/\* (const|volatile|restrict)/g, '*$1'));
    const ours = names.map((n) => typeName(syms.globalNamed(n)?.type ?? syms.functionNamed(n)!.type));
    expect(ours).toEqual(gdb);
  });

  it('lays out structs, unions, bit fields and arrays as the source says', () => {
    const flags = strip(syms.globalNamed('pte')!.type) as StructType;
    expect(flags.size).toBe(4);
    expect(flags.members.map((m) => [m.name, m.bitOffset, m.bitSize, typeName(m.type)])).toEqual([
      ['present', 0, 1, 'unsigned int'], ['write', 1, 1, 'unsigned int'], ['user', 2, 1, 'unsigned int'],
      ['level', 3, 3, 'int'], ['frame', 6, 20, 'unsigned int'],
    ]);
    const node = strip(syms.globalNamed('head')!.type) as StructType;
    expect(node.members.map((m) => [m.name, m.offset, typeName(m.type)])).toEqual([
      ['next', 0, 'struct node *'], ['name', 4, 'const char *'], ['count', 8, 'volatile int'],
    ]);
    expect((node.members[0]!.type as { target: CType }).target).toBe(node); // the cycle is one object
    const word = strip(syms.globalNamed('wordv')!.type) as StructType;
    expect(word.members.map((m) => [m.name, m.offset, typeName(m.type)])).toEqual([['w', 0, 'uint32_t'], ['b', 0, 'uint8_t[4]']]);
    expect(sizeOf(syms.globalNamed('matrix')!.type)).toBe(48);
    expect(sizeOf(syms.globalNamed('grid')!.type)).toBe(48);
    expect(sizeOf(syms.globalNamed('ratio_l')!.type)).toBe(12);
    expect(sizeOf(syms.globalNamed('hidden')!.type)).toBe(4);
    expect((strip((strip(syms.globalNamed('hidden')!.type) as { target: CType }).target) as { declaration: boolean }).declaration).toBe(true);
  });

  it('reads enumerators with their signs', () => {
    const color = strip(syms.globalNamed('favorite')!.type) as EnumType;
    expect(color.enumerators).toEqual([{ name: 'RED', value: 0 }, { name: 'GREEN', value: 5 }, { name: 'BLUE', value: -2 }]);
    expect(color.signed).toBe(true);
    const perm = strip(syms.globalNamed('perms')!.type) as EnumType;
    expect(perm.enumerators.at(-1)).toEqual({ name: 'PERM_BIG', value: 0x80 });
    expect(perm.signed).toBe(false);
  });

  it('finds members of anonymous unions and structs, and flexible arrays', () => {
    const packet = strip((syms.globalNamed('last_packet')!.type as { target: CType }).target) as StructType;
    expect(typeName(packet)).toBe('struct packet');
    expect(packet.size).toBe(8);
    expect(packet.members.map((m) => [m.name, m.offset, typeName(m.type)])).toEqual([
      ['kind', 0, 'uint8_t'], [undefined, 4, 'union {...}'], ['payload', 8, 'char[]'],
    ]);
    expect(findMember(packet, 'raw')?.offset).toBe(4);
    expect(findMember(packet, 'hi')?.offset).toBe(6);
    expect(typeName(findMember(packet, 'hi')!.member.type)).toBe('unsigned short');
    expect(findMember(packet, 'nope')).toBeUndefined();
    expect(sizeOf(packet.members[2]!.type)).toBeUndefined();
  });
});

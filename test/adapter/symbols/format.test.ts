// formatValue and memberBytes on the fixture's globals, with their initial bytes from the ELF.
import { describe, expect, it } from 'vitest';
import { formatValue, loadSymbols, memberBytes, strip, typeName, charLiteral, type ArrayType, type CType, type StructType, type Variable } from '../../../adapter/symbols/index.js';
import { buildFixtures } from './toolchain.js';

const { path, bytes } = buildFixtures().find((f) => f.variant.name === 'dwarf5-O0')!;
const syms = loadSymbols(bytes, path);

/** A global's initial value: its bytes in the ELF's segments (zeros for .bss). */
function initial(v: Variable, size: number): Uint8Array {
  const loc = syms.locate(v, 0, { reg: () => 0, readMemory: () => undefined });
  if (loc.kind !== 'memory') throw new Error(`${v.name} is not in memory`);
  const s = syms.elf.segments.find((seg) => loc.addr >= seg.vaddr && loc.addr + size <= seg.vaddr + seg.memSize)!;
  const out = new Uint8Array(size); // the part past fileBytes (bss) stays zero
  out.set(s.fileBytes.subarray(loc.addr - s.vaddr, loc.addr - s.vaddr + size));
  return out;
}

const global = (name: string) => syms.globalNamed(name)!;
const show = (name: string, size: number, opts = {}) => formatValue(global(name).type, initial(global(name), size), opts);
const le = (...words: number[]) => new Uint8Array(Uint32Array.from(words).buffer);
const typeOf = (name: string): CType => global(name).type;

describe('formatValue', () => {
  it('prints initialised globals as C programmers read them', () => {
    expect(show('counter', 4)).toBe('3');
    expect(show('big', 8)).toBe(String(0x123456789abc));
    expect(show('favorite', 4)).toBe('GREEN');
    expect(show('perms', 4)).toBe('(PERM_R | PERM_X)');
    expect(show('ratio', 8)).toBe('1.5');
    expect(show('ratio_f', 4)).toBe('0.25');
    expect(show('ratio_l', 12)).toBe('2.5');
    expect(show('ready', 1)).toBe('true');
    expect(show('status', 2)).toBe('7');
    expect(show('shared', 4)).toBe('42');
    expect(show('greeting', 4)).toMatch(/^0x0080[0-9a-f]{4}$/);
    expect(show('origin', 8)).toBe('{...}');
  });

  it('shows address-like unsigned typedefs in hex, other unsigned values in decimal', () => {
    expect(show('entry', 4)).toBe('0xf0100063');
    expect(show('where', 4)).toBe('0xeebfd000');
    const word = strip(typeOf('wordv')) as StructType;
    expect(formatValue(word.members[0]!.type, le(0xf0100063))).toBe('4027580515'); // plain uint32_t
    expect(formatValue(word.members[0]!.type, le(255), { hex: true })).toBe('0xff');
  });

  it('prints chars with their character and signed values with their sign', () => {
    const c = syms.functionNamed('sum')!.body.children[0]!.children[0]!.children[0]!.variables.find((v) => v.name === 'c')!;
    expect(typeName(c.type)).toBe('char');
    expect(formatValue(c.type, Uint8Array.of(65))).toBe("65 'A'");
    expect(formatValue(c.type, Uint8Array.of(10))).toBe("10 '\\n'");
    expect(formatValue(c.type, Uint8Array.of(0xc8))).toBe("-56 '\\310'");
    const buffer = strip(typeOf('buffer')) as ArrayType;
    expect(formatValue(buffer.element, Uint8Array.of(0xc8))).toBe("200 '\\310'");
    expect(formatValue(typeOf('counter'), le(0xfffffffb))).toBe('-5');
    expect(charLiteral(0)).toBe("'\\0'");
  });

  it('prints pointers as 0x%08x with an optional symbol', () => {
    const origin = syms.elf.symbols.find((s) => s.name === 'origin')!.value;
    expect(formatValue(typeOf('hidden'), le(0))).toBe('0x00000000');
    expect(formatValue(typeOf('anything'), le(origin), { symbolize: (a) => syms.symbolize(a) })).toBe(`0x${origin.toString(16).padStart(8, '0')} <origin>`);
    const add = syms.functionNamed('add')!.lowPc;
    expect(formatValue(typeOf('handler'), le(add), { symbolize: (a) => syms.symbolize(a) })).toBe(`0x${add.toString(16).padStart(8, '0')} <add>`);
  });

  it('prints unknown enum values as numbers and unknown flag bits as such', () => {
    expect(formatValue(typeOf('favorite'), le(0xfffffffe))).toBe('BLUE');
    expect(formatValue(typeOf('favorite'), le(7))).toBe('7');
    expect(formatValue(typeOf('perms'), le(0x80 | 8 | 2))).toBe('(PERM_W | PERM_BIG | unknown: 0x8)');
    expect(formatValue(typeOf('perms'), le(0))).toBe('0');
  });

  it('says when there are too few bytes', () => {
    expect(formatValue(typeOf('counter'), Uint8Array.of(1, 2))).toBe('<unreadable>');
  });
});

describe('memberBytes', () => {
  it('extracts bit fields, sign-extending signed ones', () => {
    const flags = strip(typeOf('pte')) as StructType;
    // present=1, write=0, user=1, level=-2 (0b110), frame=0x12345: as gcc lays them out.
    const word = 1 | (1 << 2) | (0b110 << 3) | (0x12345 << 6);
    const s = le(word);
    const values = Object.fromEntries(flags.members.map((m) => [m.name, formatValue(m.type, memberBytes(s, m))]));
    expect(values).toEqual({ present: '1', write: '0', user: '1', level: '-2', frame: String(0x12345) });
  });

  it('slices ordinary members', () => {
    const point = strip(typeOf('origin')) as StructType;
    const bytesOf = initial(global('origin'), 8);
    expect(point.members.map((m) => formatValue(m.type, memberBytes(bytesOf, m)))).toEqual(['1', '2']);
  });
});

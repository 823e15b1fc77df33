// The evaluator against gcc -m32 on the host: the same globals (bytes and addresses taken from
// the compiled program, struct layouts from its offsetof/sizeof), the same expressions; the
// value and the C type of every result must match what the compiled code computed.
import { describe, expect, it } from 'vitest';
import {
  CHAR, INT, LLONG, LONG, SCHAR, SHORT, UCHAR, UINT, ULLONG, ULONG, USHORT, BOOL,
  array, enumeration, evaluate, pointer, toNumber, strip, typeName, type CType, type Member, type StructType,
} from '../../../adapter/expr/index.js';
import { FakeMachine } from './fake-machine.js';
import { canRunGcc32, runGcc, type GccResult } from './gcc-truth.js';

const EXPRESSIONS = [
  // usual arithmetic conversions, signed and unsigned
  'i + u32', 'i * u32', 'i < u32', 'i < (int)u32', 'u32 > i', 's * us', 'sc + uc', 'uc * uc * uc * uc', 'c + 1', 'c * c',
  '~uc', '-uc', '~us', '-us', 'l + u32', 'l < u32', 'l + ul', 'ul * 2', 'll + u32', 'll < u32', 'ull - 1', 'll * ll', 'll / i', 'll % i',
  'ull / ll', 'ull % 1000', 'ull >> 60', 'll >> 3', 'll << 3', 'ull > ll', 'u32 + ll', 'i + ull', 's + ull', 'l * 3', 'ul + 1', 'sc * 1000000000',
  // conversions by cast
  '(unsigned char)(uc + 100)', '(short)us', '(signed char)uc', '(char)300', '(unsigned short)-1', '(int)ull', '(long long)u32', '(long long)i',
  '(unsigned long long)i', '(_Bool)ll', '(_Bool)0.0 == 0', '(short)(us + 1000)', '(unsigned)sc', '(unsigned long long)(unsigned)i',
  // division and shifts of negatives
  'i / 2', 'i % 3', '-i / 2', 'i / -2', 'i % -2', '-i % 4', 'i >> 1', '(-7) >> 1', 'u32 >> 3', 'u32 / i', 'u32 % i', 'i >> 31', '(unsigned)us << 16',
  'sc >> 1', 'sc << 4', 'uc << 24', '1 << 31', '1u << 31', '-1 >> 31', 'ull << 63',
  // _Bool, enums, logic, ?:
  'b + b', '!b', '~b', 'color + 1', 'color == BLUE', 'color - 100', 'sign < 0', 'color < sign', 'sign + 0', 'GREEN * 2', 'NEG - 1',
  'zero ? i : u32', 'i ? sc : uc', 'i ? s : ll', 'zero ? 1 : 2u', 'i == -7 && u32 > 0 || zero', '!zero + !!i', 'i & u32', 'i | sc', 'i ^ ~i',
  // sizeof and layout
  'sizeof(struct Point)', 'sizeof pts', 'sizeof pts[0].tag', 'sizeof(union U)', 'sizeof(struct Node)', 'sizeof nodes[0].big', 'sizeof str',
  'sizeof(enum Color)', 'sizeof i + sizeof(char)', 'sizeof(long double)', 'sizeof(pts) / sizeof(pts[0])',
  // pointers and members
  'pp + 1', '&pts[3] - pp', 'pp - &pts[3]', 'pp->y', '(pp + 2)->tag', 'pp[1].x', 'pp[-1].y', '(char *)&pts[2] - (char *)pts', '&pts[1].tag',
  '*ip', 'ip[-1]', 'ip - arr', '*(ip + 2)', '2[ip]', '(char *)ip + 3', '*((char *)ip + 1)', '*((unsigned char *)ip + 3)', 'sp[7]', '*sp', 'sp + 5',
  '*(short *)str', '*(int *)(str + 1)', '((unsigned char *)&u32)[3]', 'np->next->value', 'np->next->next->flags', 'np->next->next->next',
  'nodes[1].bits', 'nodes[0].bits', 'nodes[2].sbits', 'nodes[0].sbits', 'nodes[1].sbits', 'nodes[2].sbits - 1', 'nodes[1].bits - 32', 'nodes[0].bits * -1',
  'np->big >> 32', 'nodes[1].big', 'np[1].big % 1000000007', 'u.b[2]', 'u.h[1]', 'u.w', 'u.h[0] + u.b[0]', '&nodes[2] > np', 'np < &nodes[0]',
  '(void *)ip == (void *)&arr[2]', '(struct Node *)0 + 1', '&((struct Point *)0)->tag', '&((struct Node *)0)->big', 'arr + 6 - ip', '&arr[5] - &arr[1]',
  '*&arr[3]', '(short *)ip + 1', '*((short *)ip + 1)', '(long)ip == (long)&arr[2]', 'str[zero]', 'pts[i + 8].y', 'arr[u32 % 6]',
  'zero ? ip : arr', 'i ? &pts[2] : pp', '(i < 0 ? -i : i)', 'pts[1].x * pts[2].y', '(unsigned char)pts[0].tag', "c == 'A'", "'\\xff' == (char)255",
  "str[4] - 'a'", "str[5] == ','", '(unsigned)(pp - pts) * sizeof *pp', '(char *)(pp + 1) - (char *)pp', 'sizeof(pp->x) + sizeof pp->y + sizeof(*pp)',
  '&pts[0].y - &pts[1].y', '*(unsigned *)&pts[1] & 0xffff', '(np + 1)->next == &nodes[2]', '(*np).next->big >> 60', 'ip[u.b[0] - 0xee] + 1',
  // assignments evaluate to the converted value (they run last in C too, see below)
];

/** Run after the others: they change the globals, in the same order in C and here. */
const ASSIGNMENTS = ['uc = 300', 'sc = 200', 'us = -1', 'i = u32', 'nodes[0].bits = 45', 'nodes[0].sbits = 5', 'pts[0].tag = 1000', 'color = 2', 'l += u32', 'ull -= 1'];

/** The expressions' value after the assignments: the side effects landed. */
const AFTER = ['uc', 'sc', 'us', 'i', 'nodes[0].bits', 'nodes[0].sbits', 'nodes[0].flags', 'pts[0].tag', 'color', 'l', 'ull', 'nodes[0].value'];

const LAYOUT = {
  offsets: [
    ['struct Point', 'x'], ['struct Point', 'y'], ['struct Point', 'tag'],
    ['struct Node', 'value'], ['struct Node', 'next'], ['struct Node', 'flags'], ['struct Node', 'big'],
  ] as [string, string][],
  sizes: ['struct Point', 'struct Node', 'union U', 'enum Color', 'enum Sign'],
  bitFields: [['struct Node', 'bits'], ['struct Node', 'sbits']] as [string, string][],
};

/** The program's types, hand-written here but laid out by the numbers gcc printed. */
function machineFrom(r: GccResult): FakeMachine {
  const off = (k: string): number => r.offsets.get(k)!;
  const bf = (k: string): Pick<Member, 'bitOffset' | 'bitSize'> => ({ bitOffset: r.bitFields.get(k)!.offset, bitSize: r.bitFields.get(k)!.size });
  const Point: StructType = {
    kind: 'struct', name: 'Point', size: r.sizes.get('struct Point')!,
    members: [{ name: 'x', offset: off('struct Point.x'), type: SHORT }, { name: 'y', offset: off('struct Point.y'), type: INT }, { name: 'tag', offset: off('struct Point.tag'), type: CHAR }],
  };
  const nodeMembers: Member[] = [];
  const Node: StructType = { kind: 'struct', name: 'Node', size: r.sizes.get('struct Node')!, members: nodeMembers };
  nodeMembers.push(
    { name: 'value', offset: off('struct Node.value'), type: INT },
    { name: 'next', offset: off('struct Node.next'), type: pointer(Node) },
    { name: 'flags', offset: off('struct Node.flags'), type: UCHAR },
    { name: 'bits', offset: 0, type: UINT, ...bf('struct Node.bits') },
    { name: 'sbits', offset: 0, type: INT, ...bf('struct Node.sbits') },
    { name: 'big', offset: off('struct Node.big'), type: ULLONG },
  );
  const U: StructType = { kind: 'union', name: 'U', size: r.sizes.get('union U')!, members: [{ name: 'w', offset: 0, type: UINT }, { name: 'b', offset: 0, type: array(UCHAR, 4) }, { name: 'h', offset: 0, type: array(SHORT, 2) }] };
  const Color = enumeration('Color', r.sizes.get('enum Color')!, [{ name: 'RED', value: 0 }, { name: 'GREEN', value: 5 }, { name: 'BLUE', value: 6 }]);
  const Sign = enumeration('Sign', r.sizes.get('enum Sign')!, [{ name: 'NEG', value: -1 }, { name: 'POS', value: 1 }]);
  const types: Record<string, CType> = {
    pts: array(Point, 4), nodes: array(Node, 3), u: U, i: INT, u32: UINT, s: SHORT, us: USHORT, sc: SCHAR, uc: UCHAR, c: CHAR, l: LONG, ul: ULONG,
    ll: LLONG, ull: ULLONG, b: BOOL, color: Color, sign: Sign, arr: array(INT, 6), ip: pointer(INT), str: array(CHAR, 13), sp: pointer(CHAR),
    pp: pointer(Point), np: pointer(Node), zero: INT,
  };
  const m = new FakeMachine();
  for (const [name, type] of Object.entries(types)) {
    const g = r.globals.get(name)!;
    m.global(name, type, g.address, g.bytes);
  }
  m.type('struct Point', Point).type('struct Node', Node).type('union U', U).type('enum Color', Color).type('enum Sign', Sign);
  for (const e of [...Color.enumerators.map((x) => [x, Color] as const), ...Sign.enumerators.map((x) => [x, Sign] as const)]) {
    m.vars.set(e[0].name, { type: e[1], location: { kind: 'value', value: e[0].value } });
  }
  return m;
}

/** gcc's _Generic sees an enum as its compatible integer type, a bit field as its declared one. */
function cTypeName(t: CType): string {
  const s = strip(t);
  if (s.kind === 'enum') return s.signed ? 'int' : 'unsigned int';
  return typeName(t);
}

// A float constant is there to check it is refused, not compared.
const UNSUPPORTED = new Set(['(_Bool)0.0 == 0']);

describe.skipIf(!canRunGcc32())('expressions agree with gcc -m32', () => {
  const all = [...EXPRESSIONS, ...ASSIGNMENTS, ...AFTER];
  const truth = runGcc(all, LAYOUT);
  const m = machineFrom(truth);

  it('the layout came through', () => {
    expect(truth.sizes.get('struct Point')).toBe(12);
    expect(truth.bitFields.get('struct Node.bits')!.size).toBe(5);
  });

  // In order: the assignments must run after the expressions, as in the C program.
  it.each(all.map((e, k) => [e, k] as const))('%s', (e, k) => {
    if (UNSUPPORTED.has(e)) {
      expect(() => evaluate(e, m)).toThrow(/floating-point/);
      return;
    }
    const want = truth.results[k]!;
    const got = evaluate(e, m); // once: assignments have side effects
    const bits = BigInt.asUintN(64, toNumber(got, m)).toString(16);
    // 'other': a type _Generic does not list (gcc gives bit fields their own "unsigned int:5").
    const type = want.type === 'other' ? 'other' : cTypeName(got.type);
    expect({ type, bits }).toEqual({ type: want.type, bits: want.bits.toString(16) });
  });
});

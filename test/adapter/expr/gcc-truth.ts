// The outside truth for the evaluator: a C program compiled by the host's gcc -m32 that holds
// some globals, prints their bytes and addresses, the layout of its structs (offsetof, sizeof,
// and bit-field positions found by setting bits), and the value and type of every expression
// we ask about, as computed by the real compiler and CPU.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const C_GLOBALS = `
enum Color { RED, GREEN = 5, BLUE };
enum Sign { NEG = -1, POS = 1 };
struct Point { short x; int y; char tag; };
struct Node { int value; struct Node *next; unsigned char flags; unsigned bits : 5; int sbits : 3; unsigned long long big; };
union U { unsigned int w; unsigned char b[4]; short h[2]; };

struct Point pts[4] = { { 1, -10, 'a' }, { -2, 20, 'b' }, { 3, -30, 'c' }, { -4, 40, 'd' } };
struct Node nodes[3] = {
  { 100, &nodes[1], 0x81, 17, -3, 0x123456789abcdefULL },
  { -200, &nodes[2], 0x7f, 31, 3, 0xfedcba9876543210ULL },
  { 300, 0, 0xff, 0, -4, 1 },
};
union U u = { 0xdeadbeef };
int i = -7;
unsigned u32 = 3000000000u;
short s = -300;
unsigned short us = 65000;
signed char sc = -5;
unsigned char uc = 200;
char c = 'A';
long l = -100000;
unsigned long ul = 4000000000ul;
long long ll = -5000000000LL;
unsigned long long ull = 18000000000000000000ULL;
_Bool b = 1;
enum Color color = BLUE;
enum Sign sign = NEG;
int arr[6] = { 10, -20, 30, -40, 50, -60 };
int *ip = &arr[2];
char str[] = "hello, world";
char *sp = str;
struct Point *pp = &pts[1];
struct Node *np = &nodes[0];
int zero = 0;
`;

/** The globals dumped, by name. */
export const C_VARIABLES = ['pts', 'nodes', 'u', 'i', 'u32', 's', 'us', 'sc', 'uc', 'c', 'l', 'ul', 'll', 'ull', 'b', 'color', 'sign', 'arr', 'ip', 'str', 'sp', 'pp', 'np', 'zero'];

const C_MAIN = `
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#define TN(e) _Generic((e), _Bool: "_Bool", char: "char", signed char: "signed char", unsigned char: "unsigned char", \\
  short: "short", unsigned short: "unsigned short", int: "int", unsigned int: "unsigned int", long: "long", \\
  unsigned long: "unsigned long", long long: "long long", unsigned long long: "unsigned long long", \\
  int *: "int *", char *: "char *", void *: "void *", short *: "short *", unsigned char *: "unsigned char *", \\
  struct Point *: "struct Point *", struct Node *: "struct Node *", default: "other")
#define ISPTR(e) _Generic((e), int *: 1, char *: 1, void *: 1, short *: 1, unsigned char *: 1, struct Point *: 1, struct Node *: 1, default: 0)
#define SHOW(n, e) printf("E %d %s %llx\\n", n, TN(e), ISPTR(e) ? (unsigned long long)(unsigned long)(e) : (unsigned long long)(e))
#define DUMP(v) dump(#v, &v, sizeof v)
#define OFF(t, m) printf("O %s %s %u\\n", #t, #m, (unsigned)offsetof(t, m))
#define SIZE(t) printf("S %s %u\\n", #t, (unsigned)sizeof(t))
/* A bit field's position: set it to all ones in a zeroed struct and look at which bits changed. */
#define BITS(t, m) do { t z; memset(&z, 0, sizeof z); z.m = -1; bits(#t, #m, (unsigned char *)&z, sizeof z); } while (0)

static void dump(const char *name, void *p, unsigned n) {
  printf("G %s %lx", name, (unsigned long)p);
  for (unsigned k = 0; k < n; k++) printf(" %02x", ((unsigned char *)p)[k]);
  printf("\\n");
}

static void bits(const char *t, const char *m, unsigned char *z, unsigned n) {
  int first = -1, count = 0;
  for (unsigned k = 0; k < n * 8; k++) if (z[k / 8] >> (k % 8) & 1) { if (first < 0) first = k; count++; }
  printf("B %s %s %d %d\\n", t, m, first, count);
}
`;

export interface GccResult {
  /** Address and bytes of each global. */
  readonly globals: Map<string, { address: number; bytes: number[] }>;
  /** "struct Point.y" -> offset; "struct Point" -> size. */
  readonly offsets: Map<string, number>;
  readonly sizes: Map<string, number>;
  /** "struct Node.bits" -> bit offset and width. */
  readonly bitFields: Map<string, { offset: number; size: number }>;
  /** Per expression: gcc's type name and the value as 64 bits (sign-extended from its type). */
  readonly results: { type: string; bits: bigint }[];
}

export interface Layout {
  readonly offsets: readonly [string, string][];
  readonly sizes: readonly string[];
  readonly bitFields: readonly [string, string][];
}

/** Whether this host can build and run 32-bit programs (gcc-multilib). */
export function canRunGcc32(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-expr-probe-'));
  try {
    writeFileSync(join(dir, 'p.c'), 'int main(void) { return sizeof(void *) == 4 ? 0 : 1; }\n');
    const cc = spawnSync('gcc', ['-m32', '-o', join(dir, 'p'), join(dir, 'p.c')], { encoding: 'utf8' });
    if (cc.error !== undefined || cc.status !== 0) return false;
    return spawnSync(join(dir, 'p')).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runGcc(expressions: readonly string[], layout: Layout): GccResult {
  const lines: string[] = [];
  for (const [t, m] of layout.offsets) lines.push(`OFF(${t}, ${m});`);
  for (const t of layout.sizes) lines.push(`SIZE(${t});`);
  for (const [t, m] of layout.bitFields) lines.push(`BITS(${t}, ${m});`);
  for (const v of C_VARIABLES) lines.push(`DUMP(${v});`);
  expressions.forEach((e, k) => lines.push(`SHOW(${k}, ${e});`));
  const source = `${C_GLOBALS}\n${C_MAIN}\nint main(void) {\n  ${lines.join('\n  ')}\n  return 0;\n}\n`;
  const dir = mkdtempSync(join(tmpdir(), 'ringside-expr-'));
  try {
    writeFileSync(join(dir, 'truth.c'), source);
    // -fwrapv: signed overflow wraps, as the evaluator's does, instead of being undefined.
    const cc = spawnSync('gcc', ['-m32', '-O0', '-fwrapv', '-w', '-o', join(dir, 'truth'), join(dir, 'truth.c')], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`gcc failed:\n${cc.stderr}`);
    const run = spawnSync(join(dir, 'truth'), { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`the truth program failed: ${run.stderr}`);
    return parseOutput(run.stdout, expressions.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseOutput(out: string, count: number): GccResult {
  const r: GccResult = { globals: new Map(), offsets: new Map(), sizes: new Map(), bitFields: new Map(), results: [] };
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const tag = line[0];
    const rest = line.slice(2);
    if (tag === 'E') {
      const m = /^(\d+) (.+) ([0-9a-f]+)$/.exec(rest)!;
      r.results[Number(m[1])] = { type: m[2]!, bits: BigInt('0x' + m[3]!) };
    } else if (tag === 'G') {
      const [name, addr, ...bytes] = rest.split(' ');
      r.globals.set(name!, { address: parseInt(addr!, 16), bytes: bytes.map((x) => parseInt(x, 16)) });
    } else if (tag === 'O' || tag === 'B') {
      // "struct Point y 4": the type name has a space in it.
      const parts = rest.split(' ');
      if (tag === 'O') r.offsets.set(`${parts[0]} ${parts[1]}.${parts[2]}`, Number(parts[3]));
      else r.bitFields.set(`${parts[0]} ${parts[1]}.${parts[2]}`, { offset: Number(parts[3]), size: Number(parts[4]) });
    } else if (tag === 'S') {
      const parts = rest.split(' ');
      r.sizes.set(parts.slice(0, -1).join(' '), Number(parts.at(-1)));
    }
  }
  if (r.results.length !== count) throw new Error(`expected ${count} results, got ${r.results.length}`);
  return r;
}

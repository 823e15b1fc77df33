/*
 * Ordinary C the emulator must run exactly as the host does, compiled at several optimisation
 * levels: hashing, sorting, big-number arithmetic, CRC32, 64-bit division, a jump-table state
 * machine, recursion and bit tricks. Every kernel appends its results to `results`; the test
 * compares that array, read natively from stdout and in the emulator from memory.
 * SEED comes from the test (-DSEED=...), so inputs change with it but stay reproducible.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;

#define MAX_RESULTS 4096
u32 results[MAX_RESULTS];
u32 result_count;

static void put(u32 v)
{
	if (result_count < MAX_RESULTS)
		results[result_count++] = v;
}

static void put64(u64 v)
{
	put((u32)v);
	put((u32)(v >> 32));
}

static u32 rng_state = SEED;

static u32 rnd(void)
{
	u32 x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* ---- hashing and checksums ---------------------------------------------------------------- */

static u8 buffer[2048];

static u32 fnv1a(const u8 *p, u32 n)
{
	u32 h = 2166136261u;
	for (u32 i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

static u64 fnv1a64(const u8 *p, u32 n)
{
	u64 h = 14695981039346656037ull;
	for (u32 i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static u32 crc32_bitwise(const u8 *p, u32 n)
{
	u32 c = 0xffffffffu;
	for (u32 i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}

static u32 crc_table[256];

static u32 crc32_table(const u8 *p, u32 n)
{
	if (!crc_table[1])
		for (u32 i = 0; i < 256; i++) {
			u32 c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			crc_table[i] = c;
		}
	u32 c = 0xffffffffu;
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

static void hashes(void)
{
	for (u32 i = 0; i < sizeof buffer; i++)
		buffer[i] = (u8)rnd();
	put(fnv1a(buffer, sizeof buffer));
	put64(fnv1a64(buffer, 512));
	put(crc32_bitwise(buffer, 256));
	put(crc32_table(buffer, sizeof buffer));
	put(crc32_table((const u8 *)"123456789", 9)); /* the standard check value 0xcbf43926 */
}

/* ---- sorting -------------------------------------------------------------------------------- */

static i32 values[400];

static void insertion_sort(i32 *a, int n)
{
	for (int i = 1; i < n; i++) {
		i32 v = a[i];
		int j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void quicksort(i32 *a, int lo, int hi)
{
	while (lo < hi) {
		i32 pivot = a[lo + (hi - lo) / 2];
		int i = lo, j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				i32 t = a[i];
				a[i++] = a[j];
				a[j--] = t;
			}
		}
		if (j - lo < hi - i) {
			quicksort(a, lo, j);
			lo = i;
		} else {
			quicksort(a, i, hi);
			hi = j;
		}
	}
}

static int cmp_u16(const void *x, const void *y)
{
	return (int)*(const u16 *)x - (int)*(const u16 *)y;
}

/* A generic sort through a function pointer and byte swaps: indirect calls, memcpy. */
static void shell_sort(void *base, int n, int size, int (*cmp)(const void *, const void *))
{
	u8 tmp[16];
	u8 *b = base;
	for (int gap = n / 2; gap > 0; gap /= 2)
		for (int i = gap; i < n; i++)
			for (int j = i; j >= gap && cmp(b + (j - gap) * size, b + j * size) > 0; j -= gap) {
				__builtin_memcpy(tmp, b + j * size, size);
				__builtin_memcpy(b + j * size, b + (j - gap) * size, size);
				__builtin_memcpy(b + (j - gap) * size, tmp, size);
			}
}

static void sorting(void)
{
	int n = 150;
	for (int i = 0; i < n; i++)
		values[i] = (i32)rnd() >> (rnd() & 15);
	insertion_sort(values, n);
	u32 h = 0;
	for (int i = 0; i < n; i++)
		h = h * 31 + (u32)values[i];
	put(h);
	put((u32)values[0]);
	put((u32)values[n - 1]);

	n = 400;
	for (int i = 0; i < n; i++)
		values[i] = (i32)(rnd() % 1000) - 500;
	quicksort(values, 0, n - 1);
	int sorted = 1;
	for (int i = 1; i < n; i++)
		sorted &= values[i - 1] <= values[i];
	put((u32)sorted);
	put(fnv1a((const u8 *)values, n * 4));

	u16 shorts[100];
	for (int i = 0; i < 100; i++)
		shorts[i] = (u16)rnd();
	shell_sort(shorts, 100, 2, cmp_u16);
	put(fnv1a((const u8 *)shorts, sizeof shorts));
}

/* ---- big numbers (little-endian 32-bit limbs) ---------------------------------------------- */

#define LIMBS 12

static u32 big_add(u32 *r, const u32 *a, const u32 *b, int n)
{
	u32 carry = 0;
	for (int i = 0; i < n; i++) {
		u64 s = (u64)a[i] + b[i] + carry;
		r[i] = (u32)s;
		carry = (u32)(s >> 32);
	}
	return carry;
}

static u32 big_sub(u32 *r, const u32 *a, const u32 *b, int n)
{
	u32 borrow = 0;
	for (int i = 0; i < n; i++) {
		u64 d = (u64)a[i] - b[i] - borrow;
		r[i] = (u32)d;
		borrow = (u32)(d >> 63);
	}
	return borrow;
}

static void big_mul(u32 *r, const u32 *a, const u32 *b, int n)
{
	for (int i = 0; i < 2 * n; i++)
		r[i] = 0;
	for (int i = 0; i < n; i++) {
		u32 carry = 0;
		for (int j = 0; j < n; j++) {
			u64 t = (u64)a[i] * b[j] + r[i + j] + carry;
			r[i + j] = (u32)t;
			carry = (u32)(t >> 32);
		}
		r[i + n] = carry;
	}
}

/* Divides a big number by a small one in place; returns the remainder (uses 64/32 division). */
static u32 big_divsmall(u32 *a, int n, u32 d)
{
	u64 rem = 0;
	for (int i = n - 1; i >= 0; i--) {
		u64 cur = (rem << 32) | a[i];
		a[i] = (u32)(cur / d);
		rem = cur % d;
	}
	return (u32)rem;
}

static void bignum(void)
{
	u32 a[LIMBS], b[LIMBS], s[LIMBS], p[2 * LIMBS];
	for (int i = 0; i < LIMBS; i++) {
		a[i] = rnd();
		b[i] = i & 1 ? 0xffffffffu : rnd();
	}
	put(big_add(s, a, b, LIMBS));
	put(fnv1a((const u8 *)s, sizeof s));
	put(big_sub(s, b, a, LIMBS));
	put(fnv1a((const u8 *)s, sizeof s));
	big_mul(p, a, b, LIMBS);
	put(fnv1a((const u8 *)p, sizeof p));
	put(p[0]);
	put(p[2 * LIMBS - 1]);
	/* Decimal digits of the product: repeated division by 10^9. */
	u32 h = 0;
	for (int k = 0; k < 6; k++)
		h = h * 1000003u + big_divsmall(p, 2 * LIMBS, 1000000000u);
	put(h);
}

/* ---- 64-bit arithmetic -------------------------------------------------------------------- */

static volatile u64 sink64;

static void arith64(void)
{
	u64 acc = 0;
	for (int i = 0; i < 60; i++) {
		u64 n = ((u64)rnd() << 32) | rnd();
		u64 d;
		switch (i % 4) {
		case 0: d = rnd() | 1; break;                       /* 32-bit divisor */
		case 1: d = ((u64)(rnd() >> (rnd() & 31)) << 32) | rnd(); break; /* wide divisor */
		case 2: d = (rnd() & 15) + 1; break;                /* tiny divisor */
		default: d = n >> (rnd() & 7); if (!d) d = 3; break; /* close to n */
		}
		u64 q = n / d, r = n % d;
		acc = acc * 3 + q + (r << 1);
		if (q * d + r != n)
			put(0xbad0000u + i);
		i64 sn = (i64)n >> (rnd() & 7), sd = (i64)(d | 1) * (rnd() & 1 ? -1 : 1);
		i64 sq = sn / sd, sr = sn % sd;
		acc ^= (u64)sq + (u64)sr * 7;
		acc += (n << (i & 63)) ^ (n >> ((i * 7) & 63)) ^ (u64)((i64)n >> (i & 63));
		acc += (u64)((i64)(i32)rnd() * (i64)(i32)rnd());
	}
	sink64 = acc;
	put64(acc);
	/* Comparisons of 64-bit values, signed and unsigned, become setcc/cmov/jcc chains. */
	u32 bits = 0;
	for (int i = 0; i < 32; i++) {
		u64 x = ((u64)rnd() << 32) | rnd(), y = i & 1 ? x + (rnd() & 3) - 1 : ((u64)rnd() << 32) | rnd();
		bits = bits << 1 ^ (x < y) ^ ((i64)x < (i64)y) << 1 ^ (x == y) << 2;
	}
	put(bits);
}

/* ---- control flow: a jump-table state machine, recursion ---------------------------------- */

static u32 machine(const u8 *p, int n)
{
	u32 state = 0, acc = 1;
	for (int i = 0; i < n; i++) {
		switch ((p[i] + state) & 15) {
		case 0: acc += 3; state = 2; break;
		case 1: acc *= 5; break;
		case 2: acc ^= acc >> 3; state = 7; break;
		case 3: acc -= p[i]; break;
		case 4: acc = acc << 1 | acc >> 31; state = 1; break;
		case 5: acc += i; break;
		case 6: state = p[i] & 3; break;
		case 7: acc = ~acc; break;
		case 8: acc += acc / (p[i] | 1); break;
		case 9: acc -= (u32)((i32)acc >> 5); state = 9; break;
		case 10: acc |= 1u << (p[i] & 31); break;
		case 11: acc &= ~(1u << (p[i] & 31)); break;
		default: acc += state * 17; state = (state + 5) & 15; break;
		}
	}
	return acc ^ state;
}

static u32 ackermann(u32 m, u32 n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

static u32 fib(u32 n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static void control(void)
{
	put(machine(buffer, 1024));
	put(ackermann(2, 3 + (SEED & 3)));
	put(fib(16 + (SEED & 3)));
}

/* ---- bit tricks ------------------------------------------------------------------------- */

static void bit_tricks(void)
{
	u32 h = 0;
	for (int i = 0; i < 64; i++) {
		u32 x = rnd() >> (i & 31);
		int pop = 0;
		for (u32 y = x; y; y &= y - 1)
			pop++;
		int lz = x ? __builtin_clz(x) : 32;
		int tz = x ? __builtin_ctz(x) : 32;
		u32 rot = (x << (i & 31)) | (x >> ((32 - (i & 31)) & 31));
		u32 sw = __builtin_bswap32(x);
		u16 sw16 = (u16)((x >> 8 & 0xff) | (x << 8 & 0xff00));
		i32 sx = (i32)(signed char)x + (i32)(short)x;
		h = h * 31 + (u32)pop + ((u32)lz << 8) + ((u32)tz << 16) + rot + sw + sw16 + (u32)sx;
		h ^= (u32)((i32)x < 0) + (x > 0x80000000u) + (u32)((i32)h % 7) + h / 13;
	}
	put(h);
}

void run_all(void)
{
	result_count = 0;
	hashes();
	sorting();
	bignum();
	arith64();
	control();
	bit_tricks();
}

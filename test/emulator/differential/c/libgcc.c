/*
 * The pieces of libgcc and libc that gcc -m32 code calls even when freestanding: 64-bit division
 * (i386 has no 64/64 divide instruction) and memcpy/memset/memmove/memcmp (struct copies, array
 * initialisers). The host has no 32-bit libgcc, and the CPU under test should run them anyway.
 */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long i64;

/* n / d and n % d, unsigned. One DIV when the quotient fits in 32 bits, else shift and subtract. */
u64 __udivmoddi4(u64 n, u64 d, u64 *rem)
{
	u64 q = 0;
	if ((d >> 32) == 0 && (u32)(n >> 32) < (u32)d) {
		u32 qq, rr;
		__asm__("divl %4" : "=a"(qq), "=d"(rr) : "a"((u32)n), "d"((u32)(n >> 32)), "rm"((u32)d));
		if (rem)
			*rem = rr;
		return qq;
	}
	int shift = 0;
	while ((i64)d > 0 && d < n) {
		d <<= 1;
		shift++;
	}
	for (; shift >= 0; shift--) {
		q <<= 1;
		if (n >= d) {
			n -= d;
			q |= 1;
		}
		d >>= 1;
	}
	if (rem)
		*rem = n;
	return q;
}

u64 __udivdi3(u64 n, u64 d)
{
	return __udivmoddi4(n, d, 0);
}

u64 __umoddi3(u64 n, u64 d)
{
	u64 r;
	__udivmoddi4(n, d, &r);
	return r;
}

/* Signed: the quotient truncates toward zero, the remainder takes the dividend's sign (C99). */
i64 __divdi3(i64 a, i64 b)
{
	int neg = (a < 0) != (b < 0);
	u64 q = __udivmoddi4(a < 0 ? -(u64)a : (u64)a, b < 0 ? -(u64)b : (u64)b, 0);
	return neg ? -(i64)q : (i64)q;
}

i64 __moddi3(i64 a, i64 b)
{
	u64 r;
	__udivmoddi4(a < 0 ? -(u64)a : (u64)a, b < 0 ? -(u64)b : (u64)b, &r);
	return a < 0 ? -(i64)r : (i64)r;
}

void *memcpy(void *dst, const void *src, unsigned n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, unsigned n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s)
		while (n--)
			*d++ = *s++;
	else
		while (n--)
			d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, unsigned n)
{
	unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, unsigned n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/* Quotient and remainder together (gcc emits this for a / b and a % b side by side). */
i64 __divmoddi4(i64 a, i64 b, i64 *rem)
{
	u64 r;
	u64 q = __udivmoddi4(a < 0 ? -(u64)a : (u64)a, b < 0 ? -(u64)b : (u64)b, &r);
	if (rem)
		*rem = a < 0 ? -(i64)r : (i64)r;
	return (a < 0) != (b < 0) ? -(i64)q : (i64)q;
}

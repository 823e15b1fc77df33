/*
 * rep stos / rep movs over a buffer of several pages, with random sizes, counts, alignments,
 * overlaps (both ways) and directions: what a kernel's memset/memcpy and page fills do. After each
 * operation the program records the final ECX, ESI and EDI (as offsets into the buffer) and a
 * CRC of the buffer, so a run natively and a run in the emulator must give the same words.
 */
typedef unsigned int u32;
typedef unsigned char u8;

#define MAX_RESULTS 4096
#define PAGES 6
#define BUF_BYTES (PAGES * 4096)

u32 results[MAX_RESULTS];
u32 result_count;
static u8 buf[BUF_BYTES] __attribute__((aligned(4096)));
static u32 rng = SEED;

static void put(u32 v)
{
	if (result_count < MAX_RESULTS)
		results[result_count++] = v;
}

static u32 next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static u32 crc32(const u8 *p, u32 n)
{
	u32 c = 0xffffffffu;
	for (u32 i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}

/* One rep string instruction; op: 0 stosb 1 stosw 2 stosl 3 movsb 4 movsw 5 movsl. */
static void rep_op(int op, int backwards, u32 dst, u32 src, u32 count, u32 value)
{
	u8 *d = buf + dst, *s = buf + src;
	u32 c = count;
	if (backwards)
		__asm__ volatile("std");
	switch (op) {
	case 0: __asm__ volatile("rep stosb" : "+D"(d), "+c"(c) : "a"(value) : "memory"); break;
	case 1: __asm__ volatile("rep stosw" : "+D"(d), "+c"(c) : "a"(value) : "memory"); break;
	case 2: __asm__ volatile("rep stosl" : "+D"(d), "+c"(c) : "a"(value) : "memory"); break;
	case 3: __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(c) : : "memory"); break;
	case 4: __asm__ volatile("rep movsw" : "+D"(d), "+S"(s), "+c"(c) : : "memory"); break;
	default: __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(c) : : "memory"); break;
	}
	__asm__ volatile("cld");
	put(c);
	put((u32)(d - buf));
	put((u32)(s - buf));
}

void run_all(void)
{
	result_count = 0;
	for (u32 i = 0; i < BUF_BYTES; i++)
		buf[i] = (u8)(i * 7 + 3);
	for (int n = 0; n < 300; n++) {
		u32 r = next();
		int op = (int)(r % 6);
		int size = op % 3 == 0 ? 1 : op % 3 == 1 ? 2 : 4;
		int backwards = (next() % 5) == 0;
		/* Mostly long runs (page fills and copies), sometimes short ones. */
		u32 bytes = (next() % 4 == 0) ? next() % 64 : next() % (3 * 4096);
		u32 count = bytes / (u32)size;
		u32 span = count * (u32)size;
		/* Keep the whole run inside the buffer, in either direction. */
		u32 room = BUF_BYTES - span - 8;
		u32 dst = next() % room, src;
		u32 mode = next() % 4;
		if (mode == 0)
			src = dst + 1 + next() % 7; /* overlapping, source ahead */
		else if (mode == 1)
			src = dst >= 8 ? dst - 1 - next() % 7 : dst + 9; /* overlapping, source behind */
		else
			src = next() % room;
		if (src > room)
			src = room;
		if (backwards) {
			/* The first element is the highest one. */
			dst += span ? span - (u32)size : 0;
			src += span ? span - (u32)size : 0;
		}
		rep_op(op, backwards, dst, src, count, next());
		if (n % 10 == 9)
			put(crc32(buf, BUF_BYTES));
	}
	put(crc32(buf, BUF_BYTES));
}

/*
 * Native side of the differential CPU test. For every generated case it copies the case's initial
 * data and stack windows into place, enters the case through the trampoline (which loads all
 * registers and EFLAGS), and writes the final registers, EFLAGS and both windows to stdout.
 * Built with -nostdlib: the only contact with the kernel is write(2) and exit(2).
 * The layout constants come from layout.ts through -D options, so both sides agree.
 */
#define CASE_STATE_BYTES (9 * 4 + DATA_SIZE + STACK_SIZE + LOW_SIZE)

struct state {
	unsigned regs[8];
	unsigned eflags;
	unsigned char data[DATA_SIZE];
	unsigned char stack[STACK_SIZE];
	unsigned char low[LOW_SIZE];
};

extern const struct state case_init[];
extern void *const case_entry[];
extern const unsigned case_count;
extern unsigned case_out[9];
void enter_case(const unsigned *regs, void *entry);

static unsigned char *const data_win = (unsigned char *)DATA_WIN;
static unsigned char *const stack_win = (unsigned char *)STACK_WIN;
#ifdef LOW_WIN
/* Only linked when the host allows mappings below 64 KiB (see layout.ts). */
static unsigned char *const low_win = (unsigned char *)LOW_WIN;
#endif

static int sys_write(int fd, const void *buf, unsigned len)
{
	int ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "0"(4), "b"(fd), "c"(buf), "d"(len) : "memory");
	return ret;
}

static void __attribute__((noreturn)) sys_exit(int code)
{
	__asm__ volatile("int $0x80" : : "a"(1), "b"(code));
	__builtin_unreachable();
}

/* A pipe may take fewer bytes than asked; keep writing until all are out. */
static void write_all(const void *buf, unsigned len)
{
	const unsigned char *p = buf;
	while (len > 0) {
		int n = sys_write(1, p, len);
		if (n <= 0)
			sys_exit(3);
		p += n;
		len -= (unsigned)n;
	}
}

static void copy(unsigned char *dst, const unsigned char *src, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		dst[i] = src[i];
}

static unsigned short read_selector(int which)
{
	unsigned short s = 0;
	switch (which) {
	case 0: __asm__ volatile("movw %%es, %0" : "=r"(s)); break;
	case 1: __asm__ volatile("movw %%cs, %0" : "=r"(s)); break;
	case 2: __asm__ volatile("movw %%ss, %0" : "=r"(s)); break;
	case 3: __asm__ volatile("movw %%ds, %0" : "=r"(s)); break;
	case 4: __asm__ volatile("movw %%fs, %0" : "=r"(s)); break;
	default: __asm__ volatile("movw %%gs, %0" : "=r"(s)); break;
	}
	return s;
}

static struct state result;

void __attribute__((noreturn, used)) runner_main(void)
{
	/* Header: magic, case count, the six selectors (the emulator must push the same values). */
	unsigned header[6];
	unsigned short *sel = (unsigned short *)&header[2];
	header[0] = OUT_MAGIC;
	header[1] = case_count;
	for (int k = 0; k < 6; k++)
		sel[k] = read_selector(k);
	header[5] = 0;
	write_all(header, sizeof header);

	for (unsigned c = 0; c < case_count; c++) {
		const struct state *init = &case_init[c];
		copy(data_win, init->data, DATA_SIZE);
		copy(stack_win, init->stack, STACK_SIZE);
#ifdef LOW_WIN
		copy(low_win, init->low, LOW_SIZE);
#endif
		enter_case(init->regs, case_entry[c]);
		copy((unsigned char *)&result, (const unsigned char *)case_out, sizeof case_out);
		copy(result.data, data_win, DATA_SIZE);
		copy(result.stack, stack_win, STACK_SIZE);
#ifdef LOW_WIN
		copy(result.low, low_win, LOW_SIZE);
#else
		copy(result.low, init->low, LOW_SIZE);
#endif
		write_all(&result, CASE_STATE_BYTES);
	}
	sys_exit(0);
}

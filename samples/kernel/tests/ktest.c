/*
 * ktest: a self-contained program (no C library) that exercises the kernel, one scenario
 * per argument: ktest.elf hello | fault | stack | cow | swap N | efault | gp | sysenter |
 * exec | wait | utime | all. Run it as a multiboot module:
 *
 *   ringside run build/kernel/kernel.elf --module "build/kernel/tests/ktest.elf cow"
 *
 * Each scenario prints "ktest NAME: ok" or "ktest NAME: FAIL ..." lines that the kernel
 * tests (test/samples/kernel-*.test.ts) look for.
 */
#include "abi.h"

typedef unsigned int uint32_t;
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define NULL ((void *) 0)
#define PGSIZE 4096

/* ---- the three ways into the kernel ---- */

static int
int30(int n, int a1, int a2, int a3, int a4, int a5)
{
	int ret;
	asm volatile("int $0x30" : "=a" (ret)
		     : "a" (n), "d" (a1), "c" (a2), "b" (a3), "D" (a4), "S" (a5) : "cc", "memory");
	return ret;
}

static int
int80(int n, int a1, int a2, int a3)
{
	int ret;
	asm volatile("int $0x80" : "=a" (ret) : "a" (n), "b" (a1), "c" (a2), "d" (a3) : "cc", "memory");
	return ret;
}

/* sysenter: return eip in esi, esp in ebp; sysexit clobbers ecx and edx. */
static int
sysenter(int n, int a1, int a2, int a3)
{
	int ret;
	asm volatile("pushl %%ebp\n\t"
		     "pushl %%esi\n\t"
		     "movl $1f, %%esi\n\t"
		     "movl %%esp, %%ebp\n\t"
		     "sysenter\n"
		     "1:\tpopl %%esi\n\t"
		     "popl %%ebp"
		     : "=a" (ret), "+d" (a1), "+c" (a2)
		     : "a" (n), "b" (a3) : "cc", "memory");
	return ret;
}

void sys_exit(int status) { int30(SYS_exit, status, 0, 0, 0, 0); for (;;) ; }
static int sys_write(int fd, const void *b, int n) { return int30(SYS_write, fd, (int) b, n, 0, 0); }
static int sys_read(int fd, void *b, int n) { return int30(SYS_read, fd, (int) b, n, 0, 0); }
static int sys_getpid(void) { return int30(SYS_getpid, 0, 0, 0, 0, 0); }
static int sys_fork(void) { return int30(SYS_fork, 0, 0, 0, 0, 0); }
static int sys_wait(int pid, int *st) { return int30(SYS_wait, pid, (int) st, 0, 0, 0); }
static int sys_yield(void) { return int30(SYS_yield, 0, 0, 0, 0, 0); }
static int sys_exec(const char *n, char *const *argv) { return int30(SYS_exec, (int) n, (int) argv, 0, 0, 0); }
static int sys_time(void) { return int30(SYS_time, 0, 0, 0, 0, 0); }
static char *sys_sbrk(int inc) { return (char *) int30(SYS_sbrk, inc, 0, 0, 0, 0); }

/* ---- a tiny printf ---- */

static int
streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static char outbuf[256];
static int outlen;

static void
putch(int c)
{
	outbuf[outlen++] = c;
	if (c == '\n' || outlen == sizeof(outbuf)) {
		sys_write(1, outbuf, outlen);
		outlen = 0;
	}
}

static void
printnum(uint32_t v, int base, int width, char pad)
{
	char buf[16];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width-- > n)
		putch(pad);
	while (n)
		putch(buf[--n]);
}

static void
printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		int width = 0;
		char pad = ' ';
		if (*fmt != '%') {
			putch(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		switch (*fmt) {
		case 'd': {
			int v = va_arg(ap, int);
			if (v < 0)
				putch('-'), v = -v;
			printnum(v, 10, width, pad);
			break;
		}
		case 'u': printnum(va_arg(ap, uint32_t), 10, width, pad); break;
		case 'x': printnum(va_arg(ap, uint32_t), 16, width, pad); break;
		case 's': { const char *s = va_arg(ap, const char *); while (*s) putch(*s++); break; }
		default: putch(*fmt);
		}
	}
	va_end(ap);
}

static int failures;
#define CHECK(name, cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("ktest %s: FAIL line %d: ", name, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

/* ---- scenarios ---- */

static void
t_hello(void)
{
	const char msg1[] = "hello via int $0x30\n", msg2[] = "hello via int $0x80\n";
	const char msg3[] = "hello via sysenter\n";
	int id = sys_getpid();

	CHECK("hello", int30(SYS_write, 1, (int) msg1, sizeof(msg1) - 1, 0, 0) == sizeof(msg1) - 1, "int30");
	CHECK("hello", int80(SYS_write, 1, (int) msg2, sizeof(msg2) - 1) == sizeof(msg2) - 1, "int80");
	CHECK("hello", sysenter(SYS_write, 1, (int) msg3, sizeof(msg3) - 1) == sizeof(msg3) - 1, "sysenter");
	CHECK("hello", int80(SYS_getpid, 0, 0, 0) == id && sysenter(SYS_getpid, 0, 0, 0) == id, "getpid");
	CHECK("hello", int30(999, 0, 0, 0, 0, 0) == -ENOSYS, "ENOSYS");
	CHECK("hello", sys_write(7, "x", 1) == -EBADF, "EBADF");
	printf("ktest hello: ok, i am environment %08x\n", id);
}

/* The lecture's write into kernel memory: one movb to 0xf0100064. */
static void
t_fault(void)
{
	asm volatile("movb $0x21, 0xf0100064");
	printf("ktest fault: FAIL survived\n");
}

/* The stack starts with one page; bigger frames fault new pages in. */
static int
recurse(int depth)
{
	volatile char pad[1000];
	pad[0] = depth;
	pad[999] = depth;
	if (depth == 0)
		return 0;
	return recurse(depth - 1) + pad[0] + pad[999] - 2 * depth + 1;
}

static void
t_stack(void)
{
	volatile char buf[8192];
	int i, sum = 0;
	uint32_t esp;

	asm volatile("movl %%esp, %0" : "=r" (esp));
	for (i = 0; i < (int) sizeof(buf); i++)
		buf[i] = i;
	for (i = 0; i < (int) sizeof(buf); i++)
		sum += (unsigned char) buf[i];
	CHECK("stack", sum == 8192 / 256 * (255 * 256 / 2), "sum %d", sum);
	CHECK("stack", recurse(100) == 100, "recursion");
	printf("ktest stack: ok, esp was %08x\n", esp);
}

static int shared_value = 1;
static char shared_pages[4 * PGSIZE] = { 1 };

static void
t_cow(void)
{
	int parent = sys_getpid(), child, status = 12345, r;

	shared_pages[PGSIZE] = 'p';
	child = sys_fork();
	CHECK("cow", child >= 0, "fork returned %d", child);
	if (child == 0) {
		CHECK("cow", shared_value == 1 && shared_pages[PGSIZE] == 'p', "child sees parent's data");
		shared_value = 2;
		shared_pages[PGSIZE] = 'c';
		shared_pages[3 * PGSIZE] = 'c';
		CHECK("cow", sys_getpid() != parent, "child id");
		sys_exit(failures ? 1 : 42);
	}
	sys_yield();
	r = sys_wait(child, &status);
	CHECK("cow", r == child, "wait returned %d, not %d", r, child);
	CHECK("cow", status == 42, "status %d", status);
	CHECK("cow", shared_value == 1 && shared_pages[PGSIZE] == 'p' && shared_pages[3 * PGSIZE] == 0,
	      "parent's data changed: %d %d", shared_value, shared_pages[PGSIZE]);
	shared_value = 3;	/* the parent's own copy-on-write fault (or none if the child is gone) */
	CHECK("cow", sys_wait(-1, NULL) == -ECHILD, "no more children");
	printf("ktest cow: ok\n");
}

static void
t_swap(int mib)
{
	int n = mib * 256;
	char *base = sys_sbrk(n * PGSIZE);
	int bad = 0;

	CHECK("swap", (int) base > 0, "sbrk returned %d", (int) base);
	for (int i = 0; i < n; i++) {
		unsigned int *p = (unsigned int *) (base + i * PGSIZE);
		p[0] = 0x5a000000 + i;
		p[1023] = ~i;
	}
	for (int i = 0; i < n; i++) {
		unsigned int *p = (unsigned int *) (base + i * PGSIZE);
		if (p[0] != (unsigned) 0x5a000000 + i || p[1023] != (unsigned) ~i)
			bad++;
	}
	CHECK("swap", bad == 0, "%d pages corrupted", bad);
	CHECK("swap", sys_sbrk(-n * PGSIZE) == base + n * PGSIZE, "sbrk back");
	printf("ktest swap: ok, %d pages verified\n", n);
}

/* Swapping and copy-on-write together: a big heap, forked, written by both sides. */
static void
t_swapfork(int mib)
{
	int n = mib * 256, bad = 0, status = 0;
	char *base = sys_sbrk(n * PGSIZE);
	int child;

	for (int i = 0; i < n; i++)
		*(unsigned int *) (base + i * PGSIZE) = 0x11000000 + i;
	child = sys_fork();
	CHECK("swapfork", child >= 0, "fork %d", child);
	for (int i = 0; i < n; i++) {
		unsigned int *p = (unsigned int *) (base + i * PGSIZE);
		if (*p != 0x11000000u + i)
			bad++;
		if (i % 2 == (child == 0))
			*p = (child == 0 ? 0x22000000u : 0x33000000u) + i;
	}
	for (int i = 0; i < n; i++) {
		unsigned int *p = (unsigned int *) (base + i * PGSIZE);
		unsigned int want = 0x11000000u + i;
		if (i % 2 == (child == 0))
			want = (child == 0 ? 0x22000000u : 0x33000000u) + i;
		if (*p != want)
			bad++;
	}
	CHECK("swapfork", bad == 0, "%d pages wrong in %s", bad, child == 0 ? "child" : "parent");
	if (child == 0)
		sys_exit(bad ? 1 : 0);
	CHECK("swapfork", sys_wait(child, &status) == child && status == 0, "child status %d", status);
	printf("ktest swapfork: ok, %d pages\n", n);
}

static void
t_efault(void)
{
	char buf[16];
	int r1 = sys_read(0, (void *) 0x01000000, 512);	/* (void *) 0xffffffff01000000 on 32 bits */
	int r2 = sys_read(0, (void *) 0xf0100000, 512);	/* the kernel's code */
	int r3 = sys_read(0, (void *) 0xeebfdff0, 512);	/* runs past USTACKTOP */
	int r4 = sys_write(1, (void *) 0xf0100000, 16);
	int r5 = sys_read(0, (void *) 0x00800020, 16);	/* read-only text */
	int r6 = int30(SYS_time, 0xf0000000, 0, 0, 0, 0);
	int r7 = sys_wait(-1, (int *) 0xf0000000);
	int r8 = sys_exec((const char *) 0xf0100000, NULL);

	CHECK("efault", r1 == -EFAULT, "read(0, 0x01000000) = %d", r1);
	CHECK("efault", r2 == -EFAULT, "read(0, 0xf0100000) = %d", r2);
	CHECK("efault", r3 == -EFAULT, "read past USTACKTOP = %d", r3);
	CHECK("efault", r4 == -EFAULT, "write(1, 0xf0100000) = %d", r4);
	CHECK("efault", r5 == -EFAULT, "read into text = %d", r5);
	CHECK("efault", r6 == -EFAULT, "time(0xf0000000) = %d", r6);
	CHECK("efault", r7 == -EFAULT, "wait(-1, 0xf0000000) = %d", r7);
	CHECK("efault", r8 == -EFAULT, "exec(0xf0100000) = %d", r8);
	CHECK("efault", sys_exec("no-such-program", NULL) == -ENOENT, "exec ENOENT");
	(void) buf;
	printf("ktest efault: ok\n");
}

/* Console input: print each line read() returns, until end of file (^D). */
static void
t_read(void)
{
	char buf[64];
	int n, lines = 0;

	while ((n = sys_read(0, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		printf("ktest read: %d bytes: %s", n, buf);
		if (buf[n - 1] != '\n')
			printf("\n");
		lines++;
	}
	CHECK("read", n == 0, "read returned %d", n);
	printf("ktest read: ok, %d lines, then end of file\n", lines);
}

static void
t_gp(void)
{
	asm volatile("int $14");
	printf("ktest gp: FAIL survived\n");
}

static void
t_sysenter(void)
{
	int id = sys_getpid();

	for (int i = 0; i < 100; i++)
		CHECK("sysenter", sysenter(SYS_getpid, 0, 0, 0) == id, "getpid %d", i);
	CHECK("sysenter", sysenter(SYS_yield, 0, 0, 0) == 0, "yield");
	printf("ktest sysenter: ok\n");
}

static void
t_wait(void)
{
	int kids[3], seen = 0, status;

	for (int k = 0; k < 3; k++) {
		kids[k] = sys_fork();
		if (kids[k] == 0) {
			/* Spin across several timer ticks: preemption interleaves the children. */
			int t0 = *(volatile unsigned int *) UTIME;
			while (*(volatile unsigned int *) UTIME < (unsigned) t0 + 3)
				;
			sys_exit(10 + k);
		}
	}
	for (int k = 0; k < 3; k++) {
		int r = sys_wait(-1, &status);
		for (int j = 0; j < 3; j++)
			if (r == kids[j] && status == 10 + j)
				seen |= 1 << j;
	}
	CHECK("wait", seen == 7, "seen %x", seen);
	printf("ktest wait: ok\n");
}

/* Fill the process table: fork until the kernel says -EAGAIN, then reap everybody. */
static void
t_many(void)
{
	int n = 0, r, status, reaped = 0;

	for (;;) {
		r = sys_fork();
		if (r == 0) {
			while (*(volatile unsigned int *) UTIME < 20)
				sys_yield();
			sys_exit(7);
		}
		if (r < 0)
			break;
		n++;
	}
	CHECK("many", r == -EAGAIN && n == 63, "fork returned %d after %d children", r, n);
	while ((r = sys_wait(-1, &status)) > 0)
		reaped += status == 7;
	CHECK("many", r == -ECHILD && reaped == n, "reaped %d of %d, then %d", reaped, n, r);
	printf("ktest many: ok, %d children\n", n);
}

static void
t_utime(void)
{
	const struct utime_page *u = (const struct utime_page *) UTIME;
	unsigned int t0 = u->ticks;

	while (u->ticks < t0 + 2)
		;
	CHECK("utime", u->hz == 100, "hz %u", u->hz);
	CHECK("utime", sys_time() == (int) u->seconds || sys_time() == (int) u->seconds + 1, "time()");
	printf("ktest utime: ok, ticks %u\n", u->ticks);
}

/* Run a scenario that must kill the environment in a child; the status is -1. */
static void
expect_killed(const char *name, void (*fn)(void))
{
	int status = 0, child = sys_fork();

	if (child == 0) {
		fn();
		sys_exit(0);
	}
	CHECK(name, sys_wait(child, &status) == child && status == -1, "status %d", status);
	printf("ktest %s: ok (killed)\n", name);
}

int
main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";

	if (streq(what, "hello"))
		t_hello();
	else if (streq(what, "fault"))
		t_fault();
	else if (streq(what, "stack"))
		t_stack();
	else if (streq(what, "cow"))
		t_cow();
	else if (streq(what, "swap"))
		t_swap(argc > 2 ? argv[2][0] - '0' : 6);
	else if (streq(what, "swapfork"))
		t_swapfork(argc > 2 ? argv[2][0] - '0' : 3);
	else if (streq(what, "efault"))
		t_efault();
	else if (streq(what, "read"))
		t_read();
	else if (streq(what, "gp"))
		t_gp();
	else if (streq(what, "sysenter"))
		t_sysenter();
	else if (streq(what, "wait"))
		t_wait();
	else if (streq(what, "many"))
		t_many();
	else if (streq(what, "utime"))
		t_utime();
	else if (streq(what, "exec")) {
		char *args[] = { "ktest", "hello", NULL };
		int r = sys_exec("ktest", args);
		printf("ktest exec: FAIL exec returned %d\n", r);
	} else if (streq(what, "all")) {
		t_hello();
		t_efault();
		t_stack();
		t_cow();
		t_sysenter();
		t_wait();
		t_utime();
		expect_killed("fault", t_fault);
		expect_killed("gp", t_gp);
	} else {
		printf("ktest: unknown scenario %s\n", what);
		return 2;
	}
	if (failures)
		printf("ktest: %d failures\n", failures);
	return failures ? 1 : 0;
}

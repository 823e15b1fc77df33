/*
 * stack_growth: the kernel grows the user stack on demand, through page faults.
 *
 * The environment starts with one stack page, 0xeebfd000..0xeebfe000 (USTACKTOP). When the
 * program touches the page below, the CPU raises #PF with cr2 = the address touched and
 * err 0x6 [user, write, not-present]; the kernel sees a fault just below the stack, maps a
 * fresh zeroed page there and returns with iret; the CPU runs the faulting instruction again,
 * and this time it works. The program never notices.
 *
 * Two cases from the lecture:
 *   1. func(): char buf[32] straddling the end of the first page, buf = 0xeebfcff0: the first
 *      iteration of the loop, buf[0] = '1', faults at 0xeebfcff0 and the kernel maps the page
 *      0xeebfc000; the other 31 iterations run without a fault.
 *   2. big(): char buf[8192]: buf[0] is two pages below the frame, on 0xeebfb000.
 *
 * In the debugger: break on `buf[i] = '1' + i` and step (F11): the first step lands in the
 * kernel's page-fault handler with CR2 = 0xeebfcff0; the Page Tables view shows no PTE for
 * 0xeebfc000 yet. Step out: after the iret the same line runs again and the PTE is there.
 * Later iterations step normally. (To see the stack page appear, watch the PTE with a data
 * breakpoint, or compare the Page Tables view before and after.)
 */
#include <stdio.h>

#define FIRST_STACK_PAGE 0xeebfd000	/* USTACKTOP - 4096: mapped when the program starts */

static unsigned long buf_seen;		/* where func() put its buf, for the dry run */

/* The lecture's function, with a switch so it can be measured without touching buf. */
static void func(int touch)
{
	char buf[32];

	buf_seen = (unsigned long)buf;
	if (!touch)
		return;
	for (int i = 0; i < 32; ++i) {
		buf[i] = '1' + i;	/* i = 0: #PF at 0xeebfcff0, the kernel maps 0xeebfc000 */
	}
	printf("func: buf = %p..%p holds \"%.32s\"\n", buf, buf + 31, buf);
}

/*
 * Calls fn(arg) with esp set to `esp`, then puts esp back. The slide supposes "the current
 * value of esp is 0xeebfd010" when func runs; a real program is rarely exactly there, so we
 * put it there: everything below our own esp is free stack, so moving further down is safe.
 */
static void call_with_esp(unsigned long esp, void (*fn)(int), int arg)
{
	asm volatile("movl %%esp, %%ebx\n\t"	/* remember our esp (ebx survives the call) */
		     "movl %0, %%esp\n\t"
		     "pushl %2\n\t"
		     "call *%1\n\t"
		     "movl %%ebx, %%esp"
		     :
		     : "r"(esp), "m"(fn), "m"(arg)
		     : "eax", "ebx", "ecx", "edx", "cc", "memory");
}

static void big(void)
{
	char buf[8192];

	/* buf[0] is the lowest byte of the array, 8 KiB below the frame. */
	buf[0] = '1';
	printf("big: buf = %p..%p, buf[0] = '%c' (on page %p)\n", buf, buf + sizeof(buf) - 1, buf[0],
	       (void *)((unsigned long)buf & ~0xfffUL));
}

int main(void)
{
	char here;
	unsigned long probe_esp, offset;

	/* Dry run a little below our frame (on the first page, so nothing faults) to learn how
	 * far below esp func() places buf; then run it for real with buf at 0xeebfcff0. */
	probe_esp = ((unsigned long)&here - 256) & ~0xfUL;
	call_with_esp(probe_esp, func, 0);
	offset = probe_esp - buf_seen;

	printf("the stack is one page, %p..%p; buf will be at %p\n", (void *)FIRST_STACK_PAGE,
	       (void *)(FIRST_STACK_PAGE + 4095), (void *)(FIRST_STACK_PAGE - 16));
	call_with_esp(FIRST_STACK_PAGE - 16 + offset, func, 1);

	big();
	printf("the stack grew by 2 pages, and the program never knew\n");
	return 0;
}

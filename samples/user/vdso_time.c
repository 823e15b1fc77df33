/*
 * vdso_time: the time without a system call.
 *
 * time() enters the kernel (SYS_time), which reads its tick counter and returns. But the
 * kernel also keeps the time in a page mapped read-only into every environment at UTIME
 * (0xef7ff000), updated on every timer interrupt: reading it is one memory load, with no ring
 * switch at all. That is the idea of Linux's vDSO, which lets gettimeofday() run in user space.
 *
 * The program reads the time both ways and compares the instruction counts (rdtsc counts
 * instructions in this emulator), then spins until the page's tick count has changed three
 * times, to show the kernel updating the page under the program's feet.
 *
 * In the debugger: the Page Tables view shows UTIME's PTE with U set and W clear; put a data
 * breakpoint on utime()->ticks and continue: it stops in the kernel's timer interrupt handler,
 * where the page is written.
 */
#include <ringside.h>
#include <stdio.h>
#include <time.h>

int main(void)
{
	const struct utime_page *page = utime();
	unsigned long long t0, t1, t2;
	time_t by_syscall;
	unsigned by_page, last, changes = 0;

	t0 = rdtsc();
	by_syscall = time(NULL);
	t1 = rdtsc();
	by_page = page->seconds;
	t2 = rdtsc();

	printf("the UTIME page is at %p; the timer runs at %u Hz\n", page, page->hz);
	printf("time() says %s the UTIME page\n",
	       (unsigned)by_syscall == by_page ? "the same as" : "something else than");
	printf("time():           %u instructions\n", (unsigned)(t1 - t0));
	printf("page->seconds:    %u instructions\n", (unsigned)(t2 - t1));

	last = page->ticks;
	while (changes < 3) {
		if (page->ticks != last) {	/* volatile: read memory every time */
			last = page->ticks;
			changes++;
		}
	}
	printf("the page's tick count changed %u times while we spun, with no system call\n",
	       changes);
	return 0;
}

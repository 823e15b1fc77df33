/*
 * sysenter_vs_int: one system call (getpid) through the three ways into the kernel, and what
 * each costs, counted with rdtsc.
 *
 *   int $0x30   the JOS gate: the CPU reads the IDT entry, checks its DPL, loads ss0:esp0 from
 *               the TSS, pushes ss, esp, eflags, cs and eip on the kernel stack; the kernel
 *               saves the other registers in a trap frame and returns with iret.
 *   int $0x80   the same mechanism through another gate, with Linux's register convention.
 *   sysenter    the fast path: cs, eip, ss and esp come straight from MSRs, nothing is pushed
 *               and nothing is checked beyond that; the kernel returns with sysexit.
 *
 * In this emulator the time-stamp counter counts retired instructions (user and kernel), so
 * the numbers are exact and the same on every run. They count instructions, not cycles: on a
 * real CPU `int` and `iret` are single instructions that each take hundreds of cycles, which
 * is most of why sysenter was invented. Each figure is the smallest of several tries, so that
 * a timer interrupt landing inside one measurement does not count.
 *
 * In the debugger: step into each of the three calls: int $0x30 and int $0x80 land in trap
 * entry code that builds a trap frame; sysenter lands on the kernel's sysenter entry (see the
 * IA32_SYSENTER_EIP MSR) with no trap frame pushed by the CPU.
 */
#include <ringside.h>
#include <stdio.h>
#include <unistd.h>

#define TRIES 5

enum path { INT30, INT80, SYSENTER };

static const char *const names[] = { "int $0x30", "int $0x80", "sysenter " };

/* One getpid() through `path`; stores the instructions it took in *cost. */
static long getpid_via(enum path path, unsigned *cost)
{
	unsigned long long start, stop;
	long pid;

	start = rdtsc();
	if (path == INT30)
		pid = int30_syscall(SYS_getpid, 0, 0, 0, 0, 0);
	else if (path == INT80)
		pid = int80_syscall(SYS_getpid, 0, 0, 0, 0, 0);
	else
		pid = sysenter_syscall(SYS_getpid, 0, 0, 0, 0);
	stop = rdtsc();
	*cost = (unsigned)(stop - start);
	return pid;
}

int main(void)
{
	unsigned best[3];

	printf("getpid() = %d\n", getpid());
	for (int path = INT30; path <= SYSENTER; path++) {
		long pid = 0;

		best[path] = (unsigned)-1;
		for (int i = 0; i < TRIES; i++) {
			unsigned cost;

			pid = getpid_via(path, &cost);
			if (cost < best[path])
				best[path] = cost;
		}
		printf("%s: getpid() = %ld in %u instructions\n", names[path], pid, best[path]);
	}
	/* This kernel sends all three through the same trap frame and trap(), so the counts are
	 * close; what sysenter saves on real hardware is cycles inside the `int` and `iret`. */
	printf("(instructions, not cycles: on a real CPU int and iret cost far more than sysenter "
	       "and sysexit)\n");
	return 0;
}

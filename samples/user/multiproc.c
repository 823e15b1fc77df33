/*
 * multiproc: several environments sharing one CPU, switched by the timer.
 *
 * The parent forks three children. Each child prints three lines and burns CPU between them,
 * never giving the CPU away itself (no yield, no sleep): only the timer interrupt takes it
 * away. On each tick the kernel's scheduler picks the next runnable environment, round robin,
 * so the children's lines interleave. The parent waits for all three and reports.
 *
 * Each line takes WORK iterations, about 17.5 million instructions: some 17 time slices
 * (a tick is about a million instructions). The children take turns slice by slice, so their
 * lines come out round by round: B, C, A. A is last although it was forked first: it started
 * with what was left of the parent's slice when the parent blocked in wait(), and stays that
 * far behind. The emulator is deterministic (the timer counts instructions), so the
 * interleaving is the same on every run; change WORK (or what the kernel spends per printed
 * character) and it may change: WORK is chosen so that the last line of each round ends well
 * away from a timer tick.
 *
 * In the debugger: the Threads view lists the environments; pause at any time and the stopped
 * thread is the one on the CPU. An exception breakpoint on the timer interrupt (IRQ 0), or a
 * breakpoint in the scheduler, shows each switch: a different CR3 after each.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN	3
#define LINES		3
#define WORK		3500000	/* loop iterations between two lines */

static void busy(void)
{
	/* volatile: the loop must really run, one memory access per iteration. */
	for (volatile int i = 0; i < WORK; i++)
		;
}

static void child(char name)
{
	for (int line = 1; line <= LINES; line++) {
		busy();
		printf("child %c: line %d of %d\n", name, line, LINES);
	}
}

int main(void)
{
	for (int i = 0; i < CHILDREN; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			child('A' + i);
			return 0;
		}
	}
	for (int i = 0; i < CHILDREN; i++)
		wait(NULL);
	printf("parent: all %d children finished\n", CHILDREN);
	return 0;
}

/*
 * divzero: dividing by zero is a fault, #DE (vector 0, "Divide error").
 *
 * The idiv instruction cannot produce a result, so the CPU raises an exception instead: it
 * pushes a trap frame whose eip is the idiv itself (a fault, unlike a trap, points at the
 * instruction that failed, so that it could be restarted) and enters the kernel. There is
 * nothing the kernel can fix, so it prints the trap frame and destroys the environment: the
 * second printf never runs.
 *
 * In the debugger: break on the division and step into it: you land in the kernel's handler
 * for vector 0; the trap frame's eip is the idiv's address (compare with the Disassembly view).
 * The exception breakpoint "#DE divide error" stops there without a line breakpoint.
 */
#include <stdio.h>

int main(void)
{
	/* volatile: the compiler must load both from memory and really divide. (With a
	 * constant dividend of 1, gcc would not even divide: 1 / x is 0 unless x is 1 or -1,
	 * and it compares instead.) */
	volatile int dividend = 42, zero = 0;
	int result;

	printf("dividing %d by %d...\n", dividend, zero);
	result = dividend / zero;	/* idiv: #DE, the kernel destroys the environment */
	printf("42 / 0 = %d (never printed)\n", result);
	return 0;
}

/*
 * breakpoint: int3, the one-byte breakpoint instruction, raises #BP (vector 3).
 *
 * #BP is a trap, not a fault: the trap frame's eip is the instruction *after* int3, so when
 * the kernel returns the program simply continues. (A debugger's software breakpoints are
 * int3 bytes patched over the code; this is how the CPU tells the debugger it got there.)
 * The IDT gate for vector 3 has DPL 3, so ring 3 may raise it with int3; the kernel prints
 * the trap frame and resumes the program.
 *
 * In the debugger: with the exception breakpoint "#BP breakpoint" on, Ringside stops at the
 * trap; step and you are in the kernel's handler for vector 3; the trap frame's eip is the
 * address after the int3. Step out: the program prints its second line.
 */
#include <stdio.h>

int main(void)
{
	printf("before int3\n");
	asm volatile("int3");
	printf("after int3: the kernel returned to the next instruction\n");
	return 0;
}

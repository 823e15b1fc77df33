/*
 * hello: printf -> write -> int $0x30 -> the kernel -> iret.
 *
 * The first example of the lecture (Operating Systems II, "System Calls and Page Faults"):
 * printf() is a library call that stays in ring 3; it formats the text and calls write(),
 * which loads the system-call number (SYS_write) and its arguments into registers and runs
 * `int $0x30`. The CPU switches to ring 0 through the IDT, the kernel's sys_write prints the
 * text, and `iret` returns to the instruction after the `int`, back in ring 3.
 *
 * In the debugger:
 *   - set a breakpoint on the printf line and press F5;
 *   - step into (F11) through printf and write until the `int $0x30` in int30_syscall
 *     (lib/syscall.c): the next step lands in the kernel's trap entry, and the status bar
 *     shows CPL 0; the Trap frame scope shows the registers the CPU and the entry code saved;
 *   - step out until `iret`: CPL is 3 again and eax holds write's result (6).
 */
#include <stdio.h>

int main(void)
{
	printf("CS444\n");
	return 0;
}

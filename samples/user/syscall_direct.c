/*
 * syscall_direct: a system call without the wrapper, as in the lecture "Isolation and System
 * Calls": syscall(SYS_write, 1, msg, 14) names the call by its number.
 *
 * The lecture's slide is for x86-64 Linux, where write is number 1 and the instruction is
 * `syscall`; here (IA-32) SYS_write is 4 and syscall() enters with `int $0x80`, the Linux
 * i386 way, with the number in eax and the arguments in ebx, ecx, edx.
 *
 * In the debugger: step into syscall() and on to the `int $0x80` in int80_syscall
 * (lib/syscall.c); before the `int`, the registers view shows eax = 4, ebx = 1, ecx = msg,
 * edx = 14. After the kernel returns, eax holds 14, the number of bytes written.
 */
#include <stdio.h>
#include <sys/syscall.h>	/* for SYS_xxx definitions */
#include <unistd.h>

int main(void)
{
	char msg[] = "Hello, world!\n";
	ssize_t bytes_written;	/* ssize_t write(int fd, const void *msg, size_t count); */

	bytes_written = syscall(SYS_write, 1, msg, 14);
	/*                      |          |  +-- fd: standard output
	 *                      |          +-- the message and its length
	 *                      +-- write's system-call number */
	printf("syscall(SYS_write, 1, msg, 14) returned %d\n", bytes_written);
	return 0;
}

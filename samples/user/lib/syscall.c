/*
 * Entering the kernel with a software interrupt. Each function loads the system-call number
 * and the arguments into the registers the kernel expects (samples/include/abi.h) and runs
 * `int $0x30` or `int $0x80`: the CPU switches to ring 0 through the IDT gate, the kernel's
 * handler runs, and `iret` brings us back to the instruction after the `int` with the result
 * in eax.
 *
 * In the debugger: step into the `int` line and you land in the kernel's trap entry, with CPL 0
 * in the status bar; step out of the handler and you are back here, at CPL 3.
 */
#include <errno.h>
#include <ringside.h>
#include <stdarg.h>
#include <unistd.h>

#include "libc.h"

int errno;

long __syscall_result(long ret)
{
	if ((unsigned long)ret >= (unsigned long)-4095) {
		errno = -ret;
		return -1;
	}
	return ret;
}

/* JOS's convention: number in eax, arguments in edx, ecx, ebx, edi, esi. */
long int30_syscall(long n, long a1, long a2, long a3, long a4, long a5)
{
	long ret;

	/* "memory": the kernel may read or write memory we passed a pointer to (read(), write()). */
	asm volatile("int $0x30"
		     : "=a"(ret)
		     : "a"(n), "d"(a1), "c"(a2), "b"(a3), "D"(a4), "S"(a5)
		     : "cc", "memory");
	return ret;
}

/* Linux i386's convention: number in eax, arguments in ebx, ecx, edx, esi, edi. */
long int80_syscall(long n, long a1, long a2, long a3, long a4, long a5)
{
	long ret;

	asm volatile("int $0x80"
		     : "=a"(ret)
		     : "a"(n), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
		     : "cc", "memory");
	return ret;
}

/*
 * syscall(SYS_write, 1, msg, 14), as in the lecture. Like Linux's, it always passes five
 * arguments; the kernel looks only at the ones the call takes (reading the unused ones from
 * our caller's frame is harmless: they are just stack words).
 */
long syscall(long number, ...)
{
	va_list ap;
	long a1, a2, a3, a4, a5;

	va_start(ap, number);
	a1 = va_arg(ap, long);
	a2 = va_arg(ap, long);
	a3 = va_arg(ap, long);
	a4 = va_arg(ap, long);
	a5 = va_arg(ap, long);
	va_end(ap);
	return __syscall_result(int80_syscall(number, a1, a2, a3, a4, a5));
}

/*
 * hello_asm: "Hello, world!" in assembly, with no C library at all: two system calls made by
 * hand with `int $0x80`, the IA-32 version of the lecture's hello-asm.S (which uses x86-64's
 * `syscall` instruction and registers rax, rdi, rsi, rdx).
 *
 * Linux i386 convention (samples/include/abi.h): number in eax, arguments in ebx, ecx, edx.
 *
 * In the debugger: set a breakpoint on _start, step over each mov and watch the registers;
 * step into the `int $0x80` to land in the kernel's trap entry (CPL 0), and step out to come
 * back to the next line at CPL 3 with the result (14) in eax.
 */
#include "abi.h"

	.data
msg:
	.ascii	"Hello, world!\n"
	len = . - msg

	.text
	.globl	_start
_start:
	movl	$SYS_write, %eax	/* syscall id: write (4) */
	movl	$1, %ebx		/* 1st arg: fd (standard output) */
	movl	$msg, %ecx		/* 2nd arg: msg */
	movl	$len, %edx		/* 3rd arg: length of msg */
	int	$0x80			/* switch from user space to kernel space */

	movl	$SYS_exit, %eax		/* syscall id: exit (1) */
	xorl	%ebx, %ebx		/* 1st arg: 0 */
	int	$0x80			/* switch from user space to kernel space */

1:	jmp	1b			/* exit does not return */

	/* No executable stack: this object needs none (silences ld). */
	.section .note.GNU-stack, "", @progbits

/*
 * long sysenter_syscall(long n, long a1, long a2, long a3, long a4)
 *
 * The fast way in: `sysenter` jumps straight to the kernel entry point held in the
 * IA32_SYSENTER_EIP MSR, with the stack from IA32_SYSENTER_ESP, without reading the IDT or the
 * TSS and without saving anything on a stack. So the CPU forgets where we were, and we must tell
 * the kernel (abi.h): our return address in esi and our stack pointer in ebp. The kernel comes
 * back with `sysexit`, which sets eip from edx and esp from ecx: both are lost on return.
 *
 * Written in assembly rather than C because ebp is used for the stack pointer: C code compiled
 * with frame pointers cannot give it away.
 */
	.text
	.globl	sysenter_syscall
	.type	sysenter_syscall, @function
sysenter_syscall:
	pushl	%ebp
	movl	%esp, %ebp
	pushl	%ebx			/* ebx, esi and edi belong to our caller (cdecl) */
	pushl	%esi
	pushl	%edi

	movl	8(%ebp), %eax		/* n */
	movl	12(%ebp), %edx		/* a1 */
	movl	16(%ebp), %ecx		/* a2 */
	movl	20(%ebp), %ebx		/* a3 */
	movl	24(%ebp), %edi		/* a4 */

	pushl	%ebp			/* our frame pointer: ebp is about to carry esp */
	movl	$1f, %esi		/* where sysexit will return to */
	movl	%esp, %ebp		/* the stack sysexit will return to */
	sysenter
1:	popl	%ebp			/* back at CPL 3, result in eax */

	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret
	.size	sysenter_syscall, . - sysenter_syscall

	/* No executable stack: this object needs none (silences ld). */
	.section .note.GNU-stack, "", @progbits

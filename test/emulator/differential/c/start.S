/*
 * Entry of the compiled-C programs: a private stack, the computation, then done(). Natively done()
 * prints the results and exits; the emulator stops on a breakpoint at done, before any system call.
 */
	.text
	.globl _start
_start:
	movl $c_stack_top, %esp
	xorl %ebp, %ebp
	call run_all
	call done
	hlt

	.bss
	.balign 16
	.skip 65536
c_stack_top:
	.skip 16

	.section .note.GNU-stack, "", @progbits

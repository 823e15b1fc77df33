/*
 * crt0: the first instructions of every C sample. The kernel starts a program at its ELF entry
 * point, _start, which user.ld places at UTEXT (0x800020), with esp at the top of the user stack.
 * _start calls main(argc, argv) and hands main's return value to exit().
 *
 * Arguments: the kernel leaves argc at 0(%esp) and argv at 4(%esp) (argc 0 and argv NULL when
 * there are none, so esp starts at USTACKTOP - 8). A kernel that starts programs with nothing
 * on the stack, esp = USTACKTOP, gets argc = 0 and argv = NULL pushed here instead, as JOS's
 * lib/entry.S does.
 *
 * This code is 25 bytes long, so the first function of a sample starts at 0x800039: in
 * kernel_write that function is main, and its first instruction is the lecture's
 *     0x00800039   movb $0x21, 0xf0100064
 * Keep the size in mind before adding an instruction here.
 */
#include "abi.h"

	.text
	.globl	_start
	.type	_start, @function
_start:
	/* A zero frame pointer marks the outermost frame: a debugger's stack walk stops here. */
	xorl	%ebp, %ebp
	cmpl	$USTACKTOP, %esp
	jne	1f
	pushl	$0			/* argv */
	pushl	$0			/* argc */
1:	call	main
	pushl	%eax			/* main's return value is the exit status */
	call	exit			/* exit() never returns: it loops if the kernel ever came back */
	.size	_start, . - _start

	/* No executable stack: this object needs none (silences ld). */
	.section .note.GNU-stack, "", @progbits

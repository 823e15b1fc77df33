/*
 * _start for the kernel's test program, at 0x800020. As JOS's lib/entry.S: if the kernel
 * passed no arguments (esp == USTACKTOP) push argc = 0 and argv = NULL.
 */
#include "abi.h"

	.text
	.globl	_start
_start:
	xorl	%ebp, %ebp
	cmpl	$USTACKTOP, %esp
	jne	1f
	pushl	$0
	pushl	$0
1:	call	main
	pushl	%eax
	call	sys_exit
2:	jmp	2b

	.section .note.GNU-stack, "", @progbits

/*
 * usercopy.S: the only instructions in the kernel that touch user memory.
 *
 * If one of them page-faults and the fault cannot be resolved (fault.c), the page-fault
 * handler changes the trap frame's eip to uaccess_fault, and the interrupted copy
 * "returns" -EFAULT to its caller. Both functions have the same stack layout (ebp, esi and
 * edi saved), so one recovery path serves both. This is Linux's exception table in
 * miniature.
 */
#include "../include/abi.h"

.text
.globl uaccess_start
uaccess_start:

/* int uaccess_copy(void *dst, const void *src, size_t len): 0 or -EFAULT */
.globl uaccess_copy
.type uaccess_copy, @function
uaccess_copy:
	pushl	%ebp
	movl	%esp, %ebp
	pushl	%esi
	pushl	%edi
	movl	8(%ebp), %edi
	movl	12(%ebp), %esi
	movl	16(%ebp), %ecx
	cld
	rep movsb		/* may fault: then continues at uaccess_fault */
	xorl	%eax, %eax
	jmp	uaccess_return

/*
 * int uaccess_copystr(char *dst, const char *src, size_t max): copy a string with its
 * terminating NUL; returns its length, -EINVAL if it is max bytes or longer, or -EFAULT.
 */
.globl uaccess_copystr
.type uaccess_copystr, @function
uaccess_copystr:
	pushl	%ebp
	movl	%esp, %ebp
	pushl	%esi
	pushl	%edi
	movl	8(%ebp), %edi
	movl	12(%ebp), %esi
	movl	16(%ebp), %ecx
	xorl	%edx, %edx	/* length so far */
	cld
1:	testl	%ecx, %ecx
	jz	2f
	lodsb			/* may fault */
	stosb
	testb	%al, %al
	jz	3f
	incl	%edx
	decl	%ecx
	jmp	1b
2:	movl	$-EINVAL, %eax	/* no NUL within max bytes */
	jmp	uaccess_return
3:	movl	%edx, %eax
	jmp	uaccess_return

.globl uaccess_end
uaccess_end:

/* The recovery point: the page-fault handler sends unresolvable faults here. */
.globl uaccess_fault
uaccess_fault:
	movl	$-EFAULT, %eax
uaccess_return:
	popl	%edi
	popl	%esi
	popl	%ebp
	ret

/* No executable stack needed (keeps ld quiet). */
.section .note.GNU-stack, "", @progbits

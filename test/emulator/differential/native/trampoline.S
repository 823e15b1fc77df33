/*
 * Enters a generated case with exactly the registers and EFLAGS of its initial state, and collects
 * the final state when the case jumps to `collect`. Both steps avoid touching the case's stack
 * window: EFLAGS are loaded and saved on a private stack, so the only stack writes the window sees
 * are the case's own.
 */
	.text
	.globl _start
_start:
	movl $runner_stack_top, %esp
	call runner_main
	hlt

/* void enter_case(const unsigned regs_and_eflags[9], void *entry) */
	.globl enter_case
enter_case:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, host_esp
	movl 20(%esp), %eax
	movl 24(%esp), %ecx
	movl %ecx, case_target
	movl $private_stack_top, %esp
	pushl 32(%eax)
	popfl
	/* mov leaves the flags alone, so EFLAGS stay as just loaded. */
	movl 4(%eax), %ecx
	movl 8(%eax), %edx
	movl 12(%eax), %ebx
	movl 16(%eax), %esp
	movl 20(%eax), %ebp
	movl 24(%eax), %esi
	movl 28(%eax), %edi
	movl 0(%eax), %eax
	jmp *case_target

/* Every case ends with `jmp collect`. The emulator stops on a breakpoint here. */
	.globl collect
collect:
	movl %eax, case_out+0
	movl %ecx, case_out+4
	movl %edx, case_out+8
	movl %ebx, case_out+12
	movl %esp, case_out+16
	movl %ebp, case_out+20
	movl %esi, case_out+24
	movl %edi, case_out+28
	movl $private_stack_top, %esp
	pushfl
	popl case_out+32
	/* The C side expects DF clear (ABI). */
	cld
	movl host_esp, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

	.bss
	.balign 16
	.globl case_out
case_out:	.skip 36
host_esp:	.skip 4
case_target:	.skip 4
	.balign 16
	.skip 256
private_stack_top:
	.skip 16
	.balign 16
	.skip 16384
runner_stack_top:
	.skip 16

/* The windows live at fixed addresses (ld --section-start=.windows=DATA_WIN). */
	.section .windows, "aw", @nobits
	.globl data_win, stack_win
data_win:	.skip DATA_SIZE
	.balign 4096
stack_win:	.skip STACK_SIZE

#ifdef LOW_WIN
/* ld --section-start=.lowwin=LOW_WIN, only where the host can map it. */
	.section .lowwin, "aw", @nobits
	.globl low_win
low_win:	.skip LOW_SIZE
#endif

	.section .note.GNU-stack, "", @progbits

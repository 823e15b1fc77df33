/*
 * trapentry.S: the way into the kernel, and the way back out.
 *
 * In: for every vector the IDT points at a small entry stub below. When the CPU delivers a
 * trap from ring 3 it switches to the kernel stack (ss0:esp0 from the TSS, i.e. KSTACKTOP)
 * and pushes ss, esp, eflags, cs, eip and, for some exceptions, an error code. The stub
 * pushes a 0 in place of a missing error code and the trap number, then _alltraps pushes
 * ds, es and the general registers: the result is a struct Trapframe (trap.h), whose
 * address is passed to trap() (trap.c).
 *
 * sysenter does not push anything: sysenter_entry builds the same frame by hand.
 *
 * Out: env_pop_tf() (env.c) calls trapret_iret or trapret_sysexit with a frame to restore.
 */
#include "mmu.h"
#include "memlayout.h"
#include "trap.h"

/*
 * TRAPHANDLER(name, num) defines a stub for a trap where the CPU pushes an error code;
 * TRAPHANDLER_NOEC for one where it does not. Each also adds its address to the `vectors`
 * table (in .data), in the order they appear: vectors[n] is the stub for vector n.
 */
#define TRAPHANDLER(name, num)						\
	.text;								\
	.globl name;							\
	.type name, @function;						\
	.p2align 2;							\
name:									\
	pushl $(num);							\
	jmp _alltraps;							\
	.data;								\
	.long name

#define TRAPHANDLER_NOEC(name, num)					\
	.text;								\
	.globl name;							\
	.type name, @function;						\
	.p2align 2;							\
name:									\
	pushl $0;							\
	pushl $(num);							\
	jmp _alltraps;							\
	.data;								\
	.long name

.data
.p2align 2
.globl vectors
vectors:
/* The CPU's exceptions, 0-31. */
TRAPHANDLER_NOEC(divide_error, T_DIVIDE)
TRAPHANDLER_NOEC(debug_exception, T_DEBUG)
TRAPHANDLER_NOEC(nmi_interrupt, T_NMI)
TRAPHANDLER_NOEC(breakpoint, T_BRKPT)
TRAPHANDLER_NOEC(overflow, T_OFLOW)
TRAPHANDLER_NOEC(bound_range, T_BOUND)
TRAPHANDLER_NOEC(invalid_opcode, T_ILLOP)
TRAPHANDLER_NOEC(device_not_available, T_DEVICE)
TRAPHANDLER(double_fault, T_DBLFLT)
TRAPHANDLER_NOEC(coprocessor_overrun, T_COPROC)
TRAPHANDLER(invalid_tss, T_TSS)
TRAPHANDLER(segment_not_present, T_SEGNP)
TRAPHANDLER(stack_fault, T_STACK)
TRAPHANDLER(general_protection, T_GPFLT)
TRAPHANDLER(page_fault, T_PGFLT)
TRAPHANDLER_NOEC(reserved_15, T_RES)
TRAPHANDLER_NOEC(fpu_error, T_FPERR)
TRAPHANDLER(alignment_check, T_ALIGN)
TRAPHANDLER_NOEC(machine_check, T_MCHK)
TRAPHANDLER_NOEC(simd_error, T_SIMDERR)
TRAPHANDLER_NOEC(virtualization_exception, 20)
TRAPHANDLER(control_protection, 21)
TRAPHANDLER_NOEC(reserved_22, 22)
TRAPHANDLER_NOEC(reserved_23, 23)
TRAPHANDLER_NOEC(reserved_24, 24)
TRAPHANDLER_NOEC(reserved_25, 25)
TRAPHANDLER_NOEC(reserved_26, 26)
TRAPHANDLER_NOEC(reserved_27, 27)
TRAPHANDLER_NOEC(reserved_28, 28)
TRAPHANDLER(vmm_communication, 29)
TRAPHANDLER(security_exception, 30)
TRAPHANDLER_NOEC(reserved_31, 31)
/* Hardware interrupts from the 8259As, 32-47 (picirq.c remaps them there). */
TRAPHANDLER_NOEC(irq0_timer, IRQ_OFFSET + 0)
TRAPHANDLER_NOEC(irq1, IRQ_OFFSET + 1)
TRAPHANDLER_NOEC(irq2, IRQ_OFFSET + 2)
TRAPHANDLER_NOEC(irq3, IRQ_OFFSET + 3)
TRAPHANDLER_NOEC(irq4_serial, IRQ_OFFSET + 4)
TRAPHANDLER_NOEC(irq5, IRQ_OFFSET + 5)
TRAPHANDLER_NOEC(irq6, IRQ_OFFSET + 6)
TRAPHANDLER_NOEC(irq7_spurious, IRQ_OFFSET + 7)
TRAPHANDLER_NOEC(irq8, IRQ_OFFSET + 8)
TRAPHANDLER_NOEC(irq9, IRQ_OFFSET + 9)
TRAPHANDLER_NOEC(irq10, IRQ_OFFSET + 10)
TRAPHANDLER_NOEC(irq11, IRQ_OFFSET + 11)
TRAPHANDLER_NOEC(irq12, IRQ_OFFSET + 12)
TRAPHANDLER_NOEC(irq13, IRQ_OFFSET + 13)
TRAPHANDLER_NOEC(irq14, IRQ_OFFSET + 14)
TRAPHANDLER_NOEC(irq15_spurious, IRQ_OFFSET + 15)
/* System calls: int $0x30 (JOS) is vector 48, right after the IRQs... */
TRAPHANDLER_NOEC(syscall_jos, T_SYSCALL_JOS)
/* ... int $0x80 (Linux) is out of sequence: trap_init() installs it by name. */
TRAPHANDLER_NOEC(syscall_linux, T_SYSCALL_LINUX)

.text

/*
 * Everything a stub started: save the rest of the frame, switch to the kernel's data
 * segments, and call trap(tf).
 */
.globl _alltraps
.type _alltraps, @function
_alltraps:
	pushl	%ds
	pushl	%es
	pushal
	movw	$GD_KD, %ax
	movw	%ax, %ds
	movw	%ax, %es
	pushl	%esp		/* trap(struct Trapframe *tf) */
	call	trap
	/*
	 * trap() returns only for a trap taken in the kernel itself that it has dealt with:
	 * a page fault in copyin/copyout. Fall through: restore and return to that code.
	 */
	addl	$4, %esp
	jmp	trapret

/*
 * sysenter: the fast system call. The CPU loads cs, ss, esp and eip from the MSRs that
 * trap_init_percpu() set (esp = KSTACKTOP, eip = sysenter_entry), clears IF, and saves
 * nothing. The user's stub put its return address in esi and its stack pointer in ebp
 * (abi.h), so the frame a trap from ring 3 would have had can be rebuilt here.
 */
.globl sysenter_entry
.type sysenter_entry, @function
sysenter_entry:
	pushl	$(GD_UD | 3)	/* tf_ss */
	pushl	%ebp		/* tf_esp: the user's stack pointer */
	pushfl			/* tf_eflags: the user's, except IF (cleared by sysenter) */
	orl	$FL_IF, (%esp)	/* user code always runs with interrupts on */
	pushl	$(GD_UT | 3)	/* tf_cs */
	pushl	%esi		/* tf_eip: where sysexit will return */
	pushl	$0		/* tf_err */
	pushl	$T_SYSENTER	/* tf_trapno */
	/*
	 * sysenter keeps the user's other flags (an interrupt gate would clear them): start
	 * the kernel with clean ones, so a user's TF, NT or DF cannot follow us in.
	 */
	pushl	$0x2
	popfl
	jmp	_alltraps

/*
 * void trapret_iret(struct Trapframe *tf): restore the registers from tf and iret. Also
 * the path back for a trap taken in the kernel (with tf on the stack already).
 */
.globl trapret_iret
.type trapret_iret, @function
trapret_iret:
	movl	4(%esp), %esp
.globl trapret
trapret:
	popal
	popl	%es
	popl	%ds
	addl	$8, %esp	/* skip tf_trapno and tf_err */
	iret

/*
 * void trapret_sysexit(struct Trapframe *tf): leave by sysexit, which loads eip from edx
 * and esp from ecx (env_pop_tf put them there) and the user's cs and ss from the MSR.
 * eflags is restored with IF still clear, then sti: its one-instruction delay means no
 * interrupt can arrive before sysexit has left ring 0.
 */
.globl trapret_sysexit
.type trapret_sysexit, @function
trapret_sysexit:
	movl	4(%esp), %esp
	popal
	popl	%es
	popl	%ds
	addl	$16, %esp	/* skip tf_trapno, tf_err, tf_eip, tf_cs */
	popfl			/* tf_eflags, IF clear */
	sti
	sysexit

/* No executable stack needed (keeps ld quiet). */
.section .note.GNU-stack, "", @progbits

/*
 * Traps: the segment and interrupt descriptor tables, the task state segment, and trap(),
 * where every interrupt, exception and system call arrives (from trapentry.S).
 */
#include "kernel.h"
#include "x86.h"
#include "trap.h"
#include "env.h"
#include "sched.h"
#include "syscall.h"
#include "picirq.h"
#include "timer.h"
#include "console.h"

/*
 * The global descriptor table: flat 4 GiB segments for kernel and user code and data,
 * differing only in their privilege level, plus the TSS. Paging does the real protection.
 */
struct Segdesc gdt[] = {
	[0] = { 0 },					/* the null descriptor */
	[GD_KT >> 3] = SEG(STA_X | STA_R, 0x0, 0xffffffff, 0),	/* 0x08 kernel code */
	[GD_KD >> 3] = SEG(STA_W, 0x0, 0xffffffff, 0),		/* 0x10 kernel data */
	[GD_UT >> 3] = SEG(STA_X | STA_R, 0x0, 0xffffffff, 3),	/* 0x18 user code */
	[GD_UD >> 3] = SEG(STA_W, 0x0, 0xffffffff, 3),		/* 0x20 user data */
	[GD_TSS >> 3] = { 0 },				/* 0x28 TSS, filled in below */
};

struct Pseudodesc gdt_pd = { sizeof(gdt) - 1, (uint32_t) gdt };

/* The task state segment: only ts_esp0/ts_ss0 matter, the stack for traps from ring 3. */
struct Taskstate ts;

/* The interrupt descriptor table: one gate per vector. */
struct Gatedesc idt[256] = { { 0 } };
struct Pseudodesc idt_pd = { sizeof(idt) - 1, (uint32_t) idt };

/* The most recent trap frame and its CR2, for print_trapframe. */
static struct Trapframe *last_tf;
static uint32_t last_cr2;

/* Stubs in trapentry.S: vectors[n] handles vector n, for n = 0 .. T_SYSCALL_JOS. */
extern uint32_t vectors[];
extern void syscall_linux(void);
extern void sysenter_entry(void);

const char *
trapname(int trapno)
{
	static const char *const excnames[] = {
		"Divide error",
		"Debug",
		"Non-Maskable Interrupt",
		"Breakpoint",
		"Overflow",
		"BOUND Range Exceeded",
		"Invalid Opcode",
		"Device Not Available",
		"Double Fault",
		"Coprocessor Segment Overrun",
		"Invalid TSS",
		"Segment Not Present",
		"Stack Fault",
		"General Protection",
		"Page Fault",
		"(unknown trap)",
		"x87 FPU Floating-Point Error",
		"Alignment Check",
		"Machine-Check",
		"SIMD Floating-Point Exception",
		"Virtualization Exception",
		"Control Protection Exception",
	};

	if (trapno >= 0 && trapno < (int) ARRAY_SIZE(excnames))
		return excnames[trapno];
	if (trapno == T_SYSCALL_JOS || trapno == T_SYSCALL_LINUX)
		return "System call";
	if (trapno == T_SYSENTER)
		return "System call (sysenter)";
	if (trapno >= IRQ_OFFSET && trapno < IRQ_OFFSET + 16)
		return "Hardware Interrupt";
	return "(unknown trap)";
}

void
trap_init(void)
{
	/* Exceptions and IRQs: interrupt gates (IF cleared on entry), only the kernel may `int`. */
	for (int i = 0; i <= T_SYSCALL_JOS; i++)
		SETGATE(idt[i], 0, GD_KT, vectors[i], 0);
	/* int3 from user mode must work (a debugger's breakpoint instruction): DPL 3. */
	SETGATE(idt[T_BRKPT], 0, GD_KT, vectors[T_BRKPT], 3);
	/* The system-call gates: DPL 3, so ring 3 may use `int $0x30` and `int $0x80`. */
	SETGATE(idt[T_SYSCALL_JOS], 0, GD_KT, vectors[T_SYSCALL_JOS], 3);
	SETGATE(idt[T_SYSCALL_LINUX], 0, GD_KT, syscall_linux, 3);
	/*
	 * Everything else keeps DPL 0: `int $14` from user mode does not reach the page-fault
	 * handler, the CPU raises a General Protection fault (error code 14*8+2) instead.
	 */

	trap_init_percpu();
}

/* Load the GDT, the TSS, the IDT and the sysenter MSRs. */
void
trap_init_percpu(void)
{
	/* Traps from ring 3 switch to this stack. */
	ts.ts_esp0 = KSTACKTOP;
	ts.ts_ss0 = GD_KD;
	ts.ts_iomb = sizeof(struct Taskstate);	/* no I/O bitmap: user in/out faults */

	gdt[GD_TSS >> 3] = SEG16(STS_T32A, (uint32_t) (&ts), sizeof(struct Taskstate) - 1, 0);
	gdt[GD_TSS >> 3].sd_s = 0;

	lgdt(&gdt_pd);
	/* Reload every segment register so the CPU caches our descriptors, not the loader's. */
	asm volatile("movw %%ax,%%gs" : : "a" (GD_UD | 3));
	asm volatile("movw %%ax,%%fs" : : "a" (GD_UD | 3));
	asm volatile("movw %%ax,%%es" : : "a" (GD_KD));
	asm volatile("movw %%ax,%%ds" : : "a" (GD_KD));
	asm volatile("movw %%ax,%%ss" : : "a" (GD_KD));
	asm volatile("ljmp %0,$1f\n 1:\n" : : "i" (GD_KT));	/* reload cs */
	ltr(GD_TSS);
	lidt(&idt_pd);

	/*
	 * sysenter jumps to MSR_SYSENTER_EIP with esp = MSR_SYSENTER_ESP, cs = MSR_SYSENTER_CS
	 * and ss = that + 8; sysexit returns to cs = MSR_SYSENTER_CS + 16 and ss = + 24, with
	 * RPL 3. Our GDT has exactly that order: 0x08, 0x10, 0x18, 0x20.
	 */
	wrmsr(MSR_SYSENTER_CS, GD_KT, 0);
	wrmsr(MSR_SYSENTER_ESP, KSTACKTOP, 0);
	wrmsr(MSR_SYSENTER_EIP, (uint32_t) sysenter_entry, 0);
}

void
print_regs(struct PushRegs *regs)
{
	cprintf("  edi  0x%08x\n", regs->reg_edi);
	cprintf("  esi  0x%08x\n", regs->reg_esi);
	cprintf("  ebp  0x%08x\n", regs->reg_ebp);
	cprintf("  oesp 0x%08x\n", regs->reg_oesp);
	cprintf("  ebx  0x%08x\n", regs->reg_ebx);
	cprintf("  edx  0x%08x\n", regs->reg_edx);
	cprintf("  ecx  0x%08x\n", regs->reg_ecx);
	cprintf("  eax  0x%08x\n", regs->reg_eax);
}

/* JOS's printout, field for field. */
void
print_trapframe(struct Trapframe *tf)
{
	cprintf("TRAP frame at 0x%08x\n", (uint32_t) tf);
	print_regs(&tf->tf_regs);
	cprintf("  es   0x----%04x\n", tf->tf_es);
	cprintf("  ds   0x----%04x\n", tf->tf_ds);
	cprintf("  trap 0x%08x %s\n", tf->tf_trapno, trapname(tf->tf_trapno));
	/* CR2 is only meaningful for the page fault being handled now. */
	if (tf == last_tf && tf->tf_trapno == T_PGFLT)
		cprintf("  cr2  0x%08x\n", last_cr2);
	cprintf("  err  0x%08x", tf->tf_err);
	/* A page fault's error code, decoded (mmu.h FEC_*). */
	if (tf->tf_trapno == T_PGFLT)
		cprintf(" [%s, %s, %s]\n",
			tf->tf_err & FEC_U ? "user" : "kernel",
			tf->tf_err & FEC_WR ? "write" : "read",
			tf->tf_err & FEC_PR ? "protection" : "not-present");
	else
		cprintf("\n");
	cprintf("  eip  0x%08x\n", tf->tf_eip);
	cprintf("  cs   0x----%04x\n", tf->tf_cs);
	cprintf("  flag 0x%08x\n", tf->tf_eflags);
	/* esp and ss were pushed only if the trap came from another ring. */
	if ((tf->tf_cs & 3) != 0) {
		cprintf("  esp  0x%08x\n", tf->tf_esp);
		cprintf("  ss   0x----%04x\n", tf->tf_ss);
	}
}

static void
trap_dispatch(struct Trapframe *tf)
{
	bool from_user = (tf->tf_cs & 3) == 3;

	switch (tf->tf_trapno) {
	case T_PGFLT:
		page_fault_handler(tf);
		return;

	case T_SYSCALL_JOS:
	case T_SYSCALL_LINUX:
	case T_SYSENTER:
		curenv->env_syscalls++;
		syscall_trap(tf);
		return;

	case T_BRKPT:
	case T_DEBUG:
		if (!from_user) {
			if (tf->tf_trapno == T_BRKPT)
				break;
			/* A stray single-step trap in the kernel: stop stepping and go on. */
			tf->tf_eflags &= ~FL_TF;
			return;
		}
		/* No debugger inside this kernel: report and carry on after the int3. */
		cprintf("[%08x] %s at eip %08x\n", curenv->env_id, trapname(tf->tf_trapno),
			tf->tf_eip);
		print_trapframe(tf);
		tf->tf_eflags &= ~FL_TF;	/* do not single-step forever */
		return;

	case IRQ_OFFSET + IRQ_TIMER:
		timer_tick();
		irq_eoi(IRQ_TIMER);
		/* Preemption: the time slice is over, let the next environment run. */
		sched_yield();

	case IRQ_OFFSET + IRQ_SERIAL:
		serial_intr();
		irq_eoi(IRQ_SERIAL);
		return;

	case IRQ_OFFSET + IRQ_SPURIOUS:
		/* A spurious interrupt: the 8259A wants no end-of-interrupt for it. */
		return;

	case IRQ_OFFSET + 15:
		/* Spurious from the slave (nothing uses IRQ 15): only the master saw an IRQ 2. */
		irq_eoi(IRQ_SLAVE);
		return;

	default:
		if (tf->tf_trapno >= IRQ_OFFSET && tf->tf_trapno < IRQ_OFFSET + 16) {
			irq_eoi(tf->tf_trapno - IRQ_OFFSET);
			return;
		}
		break;
	}

	/* An unexpected trap: the environment did something bad, or the kernel has a bug. */
	print_trapframe(tf);
	if (!from_user)
		panic("unhandled trap in kernel");
	env_destroy(curenv);
}

/*
 * Every trap comes here, with interrupts disabled (all gates are interrupt gates).
 */
void
trap(struct Trapframe *tf)
{
	/* The environment may have set DF, and gcc assumes it is clear. */
	asm volatile("cld" ::: "cc");

	if ((read_eflags() & FL_IF) != 0)
		panic("trap: interrupts enabled in the kernel");

	if ((tf->tf_cs & 3) == 3) {
		/*
		 * From user mode. Copy the frame from the kernel stack into the environment,
		 * so that the stack can be reused: the next trap, from any environment, lands
		 * on the same KSTACKTOP. From here on the saved state is curenv->env_tf.
		 */
		assert(curenv);
		curenv->env_tf = *tf;
		tf = &curenv->env_tf;
	}

	last_tf = tf;
	if (tf->tf_trapno == T_PGFLT)
		last_cr2 = rcr2();

	trap_dispatch(tf);

	if ((tf->tf_cs & 3) == 0) {
		/*
		 * From the kernel: either a page fault in copyin/copyout that has been dealt
		 * with (return to it through _alltraps), or an interrupt that woke the idle loop
		 * (sched_halt): then look for something to run.
		 */
		if (tf->tf_trapno >= IRQ_OFFSET && tf->tf_trapno < IRQ_OFFSET + 16)
			sched_yield();
		return;
	}

	/* Back to the environment, if it is still running; otherwise to another one. */
	if (curenv && curenv->env_status == ENV_RUNNING)
		env_run(curenv);
	sched_yield();
}

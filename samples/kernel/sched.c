/*
 * The scheduler: round robin. sched_yield() picks the next ENV_RUNNABLE environment after
 * the current one in envs[], wrapping around; the timer interrupt calls it HZ times a
 * second (preemption), and so does a system call that blocks, exits or yields.
 *
 * There is one kernel stack (at KSTACKTOP), shared by everybody: an environment's state
 * lives in its env_tf, never on the stack. So a blocked system call cannot wait in the
 * middle of the kernel as in xv6; instead the environment is marked ENV_NOT_RUNNABLE with
 * env_restart set, and when it is woken up env_run() runs the same system call again from
 * the saved registers. sched_yield() always starts from an empty stack.
 */
#include "kernel.h"
#include "x86.h"
#include "pmap.h"
#include "env.h"
#include "sched.h"
#include "swap.h"

static void sched_halt(void) __attribute__((noreturn));

/* Choose an environment and run it. Called on an empty kernel stack. */
static void __attribute__((noreturn, used))
sched_run(void)
{
	int start = curenv ? ENVX(curenv->env_id) + 1 : 0;

	for (int i = 0; i < NENV; i++) {
		struct Env *e = &envs[(start + i) % NENV];
		if (e->env_status == ENV_RUNNABLE)
			env_run(e);
	}
	/* Nobody else wants the CPU: keep running the current one if it can. */
	if (curenv && curenv->env_status == ENV_RUNNING)
		env_run(curenv);
	sched_halt();
}

void
sched_yield(void)
{
	/*
	 * Nothing on the kernel stack is needed any more (the environment's registers are in
	 * its env_tf), so start again at its top: a blocked call that is restarted, blocks,
	 * is restarted ... never piles up frames.
	 */
	asm volatile("movl %0, %%esp\n\t"
		     "xorl %%ebp, %%ebp\n\t"
		     "jmp sched_run"
		     : : "i" (KSTACKTOP));
	__builtin_unreachable();
}

/*
 * No environment is runnable. If none exists at all, we are done: shut the machine down.
 * Otherwise wait, with interrupts on, for one that will wake something up (a timer tick,
 * or console input for a read()).
 */
static void
sched_halt(void)
{
	bool alive = false;

	for (int i = 0; i < NENV; i++)
		if (envs[i].env_status == ENV_RUNNABLE || envs[i].env_status == ENV_RUNNING
		    || envs[i].env_status == ENV_NOT_RUNNABLE)
			alive = true;
	if (!alive) {
		if (swap_total_outs)
			cprintf("[kernel] swap: %u pages swapped out, %u swapped in\n",
				swap_total_outs, swap_total_ins);
		cprintf("[kernel] all environments exited\n");
		shutdown(0);
	}

	curenv = NULL;
	lcr3(PADDR(kern_pgdir));
	/* The next interrupt arrives on an empty stack, and trap() calls sched_yield(). */
	asm volatile("movl %0, %%esp\n\t"
		     "xorl %%ebp, %%ebp\n\t"
		     "sti\n"
		     "1:\thlt\n\t"
		     "jmp 1b"
		     : : "i" (KSTACKTOP));
	__builtin_unreachable();
}

/*
 * Block curenv in the current system call until env_wakeup(reason). The call is run
 * again from the start when the environment next runs.
 */
void
env_block(uint32_t reason)
{
	curenv->env_status = ENV_NOT_RUNNABLE;
	curenv->env_wait = reason;
	curenv->env_restart = 1;
	sched_yield();
}

void
env_wakeup_one(struct Env *e)
{
	e->env_status = ENV_RUNNABLE;
	e->env_wait = WAIT_NONE;
}

/* Make every environment blocked for `reason` runnable again. */
void
env_wakeup(uint32_t reason)
{
	for (int i = 0; i < NENV; i++)
		if (envs[i].env_status == ENV_NOT_RUNNABLE && envs[i].env_wait == reason)
			env_wakeup_one(&envs[i]);
}

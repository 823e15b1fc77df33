/*
 * Environments (JOS's name for processes): the process table envs[] and curenv.
 *
 * A debugger reads these two symbols to know which programs exist, which address space
 * (env_cr3) and which program (env_name) each one has, and where its registers are saved
 * (env_tf) while it is not on the CPU. samples/kernel/README.md documents the layout.
 */
#ifndef KERN_ENV_H
#define KERN_ENV_H

#include "memlayout.h"
#include "trap.h"
#include "multiboot.h"

typedef int32_t envid_t;

/*
 * An environment id has three parts:
 *
 * +1+---------------21-----------------+--------10--------+
 * |0|          Uniqueifier             |   Environment    |
 * | |                                  |      Index       |
 * +------------------------------------+------------------+
 *                                       \--- ENVX(eid) --/
 *
 * The index is the slot in envs[]; the uniqueifier grows each time a slot is reused, so
 * an old id never names a new environment. The first environment is 0x00001000.
 */
#define LOG2NENV	6
#define NENV		(1 << LOG2NENV)	/* 64 environments */
#define ENVGENSHIFT	12		/* >= LOG2NENV */
#define ENVX(envid)	((envid) & (NENV - 1))

/* Values of env_status (JOS's first five). */
enum {
	ENV_FREE = 0,		/* slot unused, on env_free_list */
	ENV_DYING = 1,		/* (JOS's; not used here) */
	ENV_RUNNABLE = 2,	/* ready to run, waiting for the CPU */
	ENV_RUNNING = 3,	/* on the CPU: this is curenv */
	ENV_NOT_RUNNABLE = 4,	/* blocked in a system call: see env_wait */
	ENV_ZOMBIE = 5,		/* exited; its address space is gone, its parent has not waited */
	ENV_EMBRYO = 6,		/* being created by fork or at boot, not ready yet */
};

/* Why an ENV_NOT_RUNNABLE environment is blocked. */
enum {
	WAIT_NONE = 0,
	WAIT_CONSOLE = 1,	/* read(0, ...) with no complete input line yet */
	WAIT_CHILD = 2,		/* wait() with no exited child yet */
};

struct Env {
	struct Trapframe env_tf;	/*   0: registers saved when it last entered the kernel */
	struct Env *env_link;		/*  68: next free Env (on env_free_list) */
	envid_t env_id;			/*  72: unique id; getpid() returns it */
	envid_t env_parent_id;		/*  76: env_id of the parent (0: none) */
	uint32_t env_status;		/*  80: ENV_* above */
	uint32_t env_runs;		/*  84: times it was put on the CPU */
	pde_t *env_pgdir;		/*  88: kernel virtual address of its page directory */
	physaddr_t env_cr3;		/*  92: physical address of the same: what CR3 holds */
	char env_name[32];		/*  96: program name (the module, e.g. "hello") */

	/* Blocking and exiting. */
	uint32_t env_wait;		/* 128: WAIT_* while ENV_NOT_RUNNABLE */
	int32_t env_restart;		/* 132: 1: redo the system call in env_tf when it runs */
	int32_t env_exit_status;	/* 136: exit() status (for wait), valid when ENV_ZOMBIE */

	/* Memory: the heap is [env_heap_start, env_brk), pages appear on first touch. */
	uintptr_t env_heap_start;	/* 140: page after the program's last segment */
	uintptr_t env_brk;		/* 144: current break (sbrk) */

	/* Statistics: what the page-fault handler and the system-call layer did for it. */
	uint32_t env_syscalls;		/* 148: system calls made */
	uint32_t env_stack_faults;	/* 152: stack pages grown on demand */
	uint32_t env_heap_faults;	/* 156: heap pages allocated on first touch */
	uint32_t env_cow_faults;	/* 160: copy-on-write faults resolved */
	uint32_t env_swap_ins;		/* 164: pages brought back from swap */
	uint32_t env_swap_outs;		/* 168: pages written out to swap */
};

extern struct Env envs[NENV];		/* all environments, at 0xf01c0000 */
extern struct Env *curenv;		/* the one on the CPU, or NULL when idle */

void env_init(void);
int env_alloc(struct Env **e, envid_t parent_id, const char *name);
int envid2env(envid_t envid, struct Env **env_store, bool checkperm);
int env_create(const struct Module *m);
int env_fork(struct Env *parent);
int env_exec(struct Env *e, const struct Module *m, char *const argv[], int argc);
void env_exit(struct Env *e, int status);
void env_destroy(struct Env *e);
void env_reap(struct Env *e);
void env_run(struct Env *e) __attribute__((noreturn));
void env_pop_tf(struct Trapframe *tf) __attribute__((noreturn));

/* trapentry.S */
void trapret_iret(struct Trapframe *tf) __attribute__((noreturn));
void trapret_sysexit(struct Trapframe *tf) __attribute__((noreturn));

#endif

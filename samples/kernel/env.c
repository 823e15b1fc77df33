/*
 * Environments: creating them (from a multiboot module, by fork, by exec), running them,
 * and taking them apart when they exit or are killed.
 *
 * Each environment has its own page directory. Below UTOP it holds the program, its heap
 * and its stack; from UTOP up it has the same entries as kern_pgdir, so the kernel is
 * mapped (supervisor-only) in every address space and a trap needs no CR3 switch.
 */
#include "kernel.h"
#include "x86.h"
#include "pmap.h"
#include "env.h"
#include "elf.h"
#include "sched.h"
#include "swap.h"
#include "syscall.h"

/* The process table: its own section, which the linker script puts at 0xf01c0000. */
struct Env envs[NENV] __attribute__((section(".envs"), aligned(PGSIZE)));
struct Env *curenv;			/* the environment on the CPU, NULL when idle */
static struct Env *env_free_list;	/* free slots, linked through env_link */

/* The layout samples/kernel/README.md documents, and a debugger relies on. */
static_assert(sizeof(struct Trapframe) == 68);
static_assert(offsetof(struct Env, env_id) == 72);
static_assert(offsetof(struct Env, env_status) == 80);
static_assert(offsetof(struct Env, env_pgdir) == 88);
static_assert(offsetof(struct Env, env_cr3) == 92);
static_assert(offsetof(struct Env, env_name) == 96);
static_assert(offsetof(struct Env, env_swap_outs) == 168);
static_assert(sizeof(struct Env) == 172);

#define MAXARGS 16			/* exec: arguments, and ... */
#define MAXARGBYTES 1024		/* ... their total size with NULs */

/* Put every slot on the free list, in order, so the first environment is envs[0]. */
void
env_init(void)
{
	env_free_list = NULL;
	for (int i = NENV - 1; i >= 0; i--) {
		envs[i].env_id = 0;
		envs[i].env_status = ENV_FREE;
		envs[i].env_link = env_free_list;
		env_free_list = &envs[i];
	}
}

/*
 * The environment with id envid (0 means curenv). With checkperm, only curenv itself or
 * one of its children. Returns 0 or -ESRCH.
 */
int
envid2env(envid_t envid, struct Env **env_store, bool checkperm)
{
	struct Env *e;

	if (envid == 0) {
		*env_store = curenv;
		return 0;
	}
	e = &envs[ENVX(envid)];
	if (e->env_status == ENV_FREE || e->env_id != envid) {
		*env_store = NULL;
		return -ESRCH;
	}
	if (checkperm && e != curenv && e->env_parent_id != curenv->env_id) {
		*env_store = NULL;
		return -EPERM;
	}
	*env_store = e;
	return 0;
}

/* A new page directory: empty below UTOP, the kernel's entries above. NULL if no memory. */
static pde_t *
pgdir_create(void)
{
	struct PageInfo *pp = page_alloc(ALLOC_ZERO);
	pde_t *pgdir;

	if (!pp)
		return NULL;
	pp->pp_ref++;
	pgdir = page2kva(pp);
	for (int i = PDX(UTOP); i < NPDENTRIES; i++)
		pgdir[i] = kern_pgdir[i];
	return pgdir;
}

/* Free everything below UTOP in pgdir (pages, swap slots, page tables), then pgdir itself. */
static void
pgdir_free(pde_t *pgdir)
{
	/* Never free the page directory the CPU is using. */
	if (rcr3() == PADDR(pgdir))
		lcr3(PADDR(kern_pgdir));

	for (int pdx = 0; pdx < (int) PDX(UTOP); pdx++) {
		pte_t *pt;

		if (!(pgdir[pdx] & PTE_P))
			continue;
		pt = KADDR(PTE_ADDR(pgdir[pdx]));
		for (int ptx = 0; ptx < NPTENTRIES; ptx++) {
			if (pt[ptx] & PTE_P)
				page_decref(pa2page(PTE_ADDR(pt[ptx])));
			else if (PTE_IS_SWAPPED(pt[ptx]))
				swap_slot_decref(PTE_SWAP_SLOT(pt[ptx]));
			pt[ptx] = 0;
		}
		pgdir[pdx] = 0;
		page_decref(pa2page(PADDR(pt)));
	}
	page_decref(pa2page(PADDR(pgdir)));
}

/*
 * Allocate an environment with an empty address space, in state ENV_EMBRYO: the caller
 * fills it in and makes it ENV_RUNNABLE. Returns 0, -EAGAIN (no free slot) or -ENOMEM.
 */
int
env_alloc(struct Env **newenv_store, envid_t parent_id, const char *name)
{
	struct Env *e = env_free_list;
	int32_t generation;

	if (!e)
		return -EAGAIN;
	if (!(e->env_pgdir = pgdir_create()))
		return -ENOMEM;
	e->env_cr3 = PADDR(e->env_pgdir);

	/* A new id: the slot index plus a generation number that grows on every reuse. */
	generation = (e->env_id + (1 << ENVGENSHIFT)) & ~(NENV - 1);
	if (generation <= 0)
		generation = 1 << ENVGENSHIFT;
	e->env_id = generation | (e - envs);

	e->env_parent_id = parent_id;
	e->env_status = ENV_EMBRYO;
	e->env_runs = 0;
	strlcpy(e->env_name, name, sizeof(e->env_name));
	e->env_wait = WAIT_NONE;
	e->env_restart = 0;
	e->env_exit_status = 0;
	e->env_heap_start = e->env_brk = 0;
	e->env_syscalls = 0;
	e->env_stack_faults = e->env_heap_faults = e->env_cow_faults = 0;
	e->env_swap_ins = e->env_swap_outs = 0;

	/*
	 * The registers it starts with. The low 2 bits of each selector are the requested
	 * privilege level: 3, user mode. Interrupts are on (FL_IF), so the timer can
	 * preempt it. eip and esp come from the program (env_exec).
	 */
	memset(&e->env_tf, 0, sizeof(e->env_tf));
	e->env_tf.tf_ds = GD_UD | 3;
	e->env_tf.tf_es = GD_UD | 3;
	e->env_tf.tf_ss = GD_UD | 3;
	e->env_tf.tf_cs = GD_UT | 3;
	e->env_tf.tf_eflags = FL_IF;

	env_free_list = e->env_link;
	e->env_link = NULL;
	*newenv_store = e;

	cprintf("[%08x] new env %08x\n", curenv ? curenv->env_id : 0, e->env_id);
	return 0;
}

/* Put a finished environment's slot back on the free list (it keeps its id for the next). */
void
env_reap(struct Env *e)
{
	assert(e->env_pgdir == NULL);
	e->env_status = ENV_FREE;
	e->env_link = env_free_list;
	env_free_list = e;
}

/*
 * Load the ELF program in module m into pgdir: map each loadable segment's pages (with
 * PTE_W only for writeable segments), copy the bytes from the file and leave the rest
 * zero. The program's bytes are copied through the kernel's mapping of each new page,
 * so pgdir need not be the page directory in use.
 */
static int
load_icode(pde_t *pgdir, const struct Module *m, uintptr_t *entry, uintptr_t *heap_start)
{
	const uint8_t *file = KADDR(m->start);
	uint32_t size = m->end - m->start;
	const struct Elf *elf = (const struct Elf *) file;
	const struct Proghdr *ph;
	uintptr_t top = UTEXT;

	if (size < sizeof(struct Elf) || elf->e_magic != ELF_MAGIC
	    || elf->e_elf[0] != ELF_CLASS_32 || elf->e_machine != ELF_MACHINE_386
	    || elf->e_phentsize != sizeof(struct Proghdr)
	    || elf->e_phoff > size || elf->e_phnum > (size - elf->e_phoff) / sizeof(struct Proghdr))
		return -EINVAL;	/* not an i386 ELF executable */

	ph = (const struct Proghdr *) (file + elf->e_phoff);
	for (int i = 0; i < elf->e_phnum; i++, ph++) {
		int perm = PTE_U | ((ph->p_flags & ELF_PROG_FLAG_WRITE) ? PTE_W : 0);
		uintptr_t seg_end = ph->p_va + ph->p_memsz;

		if (ph->p_type != ELF_PROG_LOAD || ph->p_memsz == 0)
			continue;
		if (ph->p_filesz > ph->p_memsz || ph->p_offset > size
		    || ph->p_filesz > size - ph->p_offset
		    || ph->p_va < PGSIZE || seg_end < ph->p_va || seg_end > UHEAPMAX)
			return -EINVAL;

		for (uintptr_t va = ROUNDDOWN(ph->p_va, PGSIZE); va < seg_end; va += PGSIZE) {
			pte_t *pte;
			struct PageInfo *pp = page_lookup(pgdir, (void *) va, &pte);
			uintptr_t lo = MAX(va, ph->p_va);
			uintptr_t hi = MIN(va + PGSIZE, ph->p_va + ph->p_filesz);

			if (!pp) {
				if (!(pp = page_alloc(ALLOC_ZERO)))
					return -ENOMEM;
				if (page_insert(pgdir, pp, (void *) va, perm) < 0) {
					page_free(pp);
					return -ENOMEM;
				}
			} else if (perm & PTE_W) {
				*pte |= PTE_W;	/* a page shared by two segments */
			}
			if (lo < hi)
				memcpy((char *) page2kva(pp) + (lo - va), file + ph->p_offset + (lo - ph->p_va),
				       hi - lo);
		}
		top = MAX(top, seg_end);
	}
	if (elf->e_entry >= top || elf->e_entry < PGSIZE)
		return -EINVAL;
	*entry = elf->e_entry;
	*heap_start = ROUNDUP(top, PGSIZE);
	return 0;
}

/*
 * Give pgdir its first stack page, just below USTACKTOP, and put the arguments on it.
 * The program starts with esp pointing at argc, followed by argv:
 *
 *      USTACKTOP ->  +----------------------+
 *                    | "arg1\0" "hello\0"   |  the strings
 *                    | argv[0..argc-1], 0   |  the argv array
 *                    | argv (pointer)       |
 *      esp ------->  | argc                 |
 *
 * With no arguments, esp is USTACKTOP itself, as in JOS: the program's start code sees
 * esp == USTACKTOP and pushes argc = 0 and argv = NULL itself (JOS's lib/entry.S).
 */
static int
setup_stack(pde_t *pgdir, int argc, char *const argv[], uintptr_t *esp)
{
	struct PageInfo *pp = page_alloc(ALLOC_ZERO);
	uintptr_t base = USTACKTOP - PGSIZE;
	char *kbase;
	uintptr_t strings, *uargv;
	size_t total = 0;

	if (!pp)
		return -ENOMEM;
	if (page_insert(pgdir, pp, (void *) base, PTE_U | PTE_W) < 0) {
		page_free(pp);
		return -ENOMEM;
	}
	kbase = page2kva(pp);
	if (argc == 0) {
		*esp = USTACKTOP;
		return 0;
	}

	for (int i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	strings = ROUNDDOWN(USTACKTOP - total, 4);
	/* The argv array, then argv and argc below it. The kernel writes through kbase. */
	uargv = (uintptr_t *) (kbase + (strings - base)) - (argc + 1);
	for (int i = 0; i < argc; i++) {
		int n = strlen(argv[i]) + 1;
		memcpy(kbase + (strings - base), argv[i], n);
		uargv[i] = strings;
		strings += n;
	}
	uargv[argc] = 0;
	uargv[-1] = base + ((char *) uargv - kbase);
	uargv[-2] = argc;
	*esp = base + ((char *) &uargv[-2] - kbase);
	return 0;
}

/*
 * Replace e's program with module m (exec). The new address space is built completely
 * before the old one is freed, so a failure leaves e as it was. Returns 0, -EINVAL (not
 * an executable) or -ENOMEM.
 */
int
env_exec(struct Env *e, const struct Module *m, char *const argv[], int argc)
{
	pde_t *pgdir, *old = e->env_pgdir;
	uintptr_t entry, heap_start, esp;
	int r;

	if (!(pgdir = pgdir_create()))
		return -ENOMEM;
	if ((r = load_icode(pgdir, m, &entry, &heap_start)) < 0
	    || (r = setup_stack(pgdir, argc, argv, &esp)) < 0) {
		pgdir_free(pgdir);
		return r;
	}

	e->env_pgdir = pgdir;
	e->env_cr3 = PADDR(pgdir);
	if (e == curenv)
		lcr3(e->env_cr3);
	pgdir_free(old);

	strlcpy(e->env_name, m->name, sizeof(e->env_name));
	e->env_heap_start = e->env_brk = heap_start;
	/* Fresh registers: all zero, and the program's entry point and stack. */
	memset(&e->env_tf.tf_regs, 0, sizeof(e->env_tf.tf_regs));
	e->env_tf.tf_trapno = 0;
	e->env_tf.tf_err = 0;
	e->env_tf.tf_ds = e->env_tf.tf_es = e->env_tf.tf_ss = GD_UD | 3;
	e->env_tf.tf_cs = GD_UT | 3;
	e->env_tf.tf_eflags = FL_IF;
	e->env_tf.tf_eip = entry;
	e->env_tf.tf_esp = esp;
	return 0;
}

/*
 * Boot: start module m as a new environment, with the module's arguments (the words after
 * its file name in the boot loader's module line) as argv[1..].
 */
int
env_create(const struct Module *m)
{
	struct Env *e;
	char args[MODARGSLEN];
	char *argv[MAXARGS + 1];
	int argc = 0, r;

	/* Split the arguments at spaces; argv[0] is the program's name. */
	strlcpy(args, m->args, sizeof(args));
	if (args[0]) {
		argv[argc++] = (char *) m->name;
		for (char *p = args; *p && argc < MAXARGS;) {
			while (*p == ' ')
				*p++ = '\0';
			if (!*p)
				break;
			argv[argc++] = p;
			while (*p && *p != ' ')
				p++;
		}
	}
	argv[argc] = NULL;

	if ((r = env_alloc(&e, 0, m->name)) < 0)
		return r;
	if ((r = env_exec(e, m, argv, argc)) < 0) {
		pgdir_free(e->env_pgdir);
		e->env_pgdir = NULL;
		env_reap(e);
		return r;
	}
	e->env_status = ENV_RUNNABLE;
	return e->env_id;
}

/*
 * fork: a child with a copy of parent's address space, made copy-on-write. Every present
 * user page becomes shared: writeable pages (and pages already copy-on-write) are mapped
 * read-only with PTE_COW in *both* page tables, and the page's reference count goes up.
 * Read-only pages are simply shared. Swapped-out pages share their swap slot. The first
 * write to a PTE_COW page, by either side, faults, and fault.c makes a private copy.
 *
 * Returns the child's id, or -EAGAIN / -ENOMEM.
 */
int
env_fork(struct Env *parent)
{
	struct Env *child;
	int r;

	if ((r = env_alloc(&child, parent->env_id, parent->env_name)) < 0)
		return r;

	for (int pdx = 0; pdx < (int) PDX(UTOP); pdx++) {
		if (!(parent->env_pgdir[pdx] & PTE_P))
			continue;
		for (int ptx = 0; ptx < NPTENTRIES; ptx++) {
			void *va = PGADDR(pdx, ptx, 0);
			pte_t *ppte = (pte_t *) KADDR(PTE_ADDR(parent->env_pgdir[pdx])) + ptx;
			pte_t *cpte, pte;

			if (!*ppte)
				continue;
			/*
			 * The child's page table first: allocating it may swap out pages, the
			 * parent's among them, so read the parent's entry only afterwards.
			 */
			if (!(cpte = pgdir_walk(child->env_pgdir, va, 1))) {
				pgdir_free(child->env_pgdir);
				child->env_pgdir = NULL;
				env_reap(child);
				lcr3(parent->env_cr3);
				return -ENOMEM;
			}
			pte = *ppte;
			if (pte & PTE_P) {
				if (pte & (PTE_W | PTE_COW)) {
					pte = (pte & ~PTE_W) | PTE_COW;
					*ppte = pte;
				}
				pa2page(PTE_ADDR(pte))->pp_ref++;
			} else if (PTE_IS_SWAPPED(pte)) {
				swap_slot_incref(PTE_SWAP_SLOT(pte));
			}
			*cpte = pte;
		}
	}
	/* The parent's pages just became read-only: flush its stale writeable TLB entries. */
	lcr3(parent->env_cr3);

	child->env_tf = parent->env_tf;
	child->env_tf.tf_regs.reg_eax = 0;	/* fork() returns 0 in the child */
	child->env_heap_start = parent->env_heap_start;
	child->env_brk = parent->env_brk;
	child->env_status = ENV_RUNNABLE;
	return child->env_id;
}

/* Free e's address space, with JOS's message. */
static void
env_free(struct Env *e)
{
	if (e->env_cow_faults || e->env_swap_outs || e->env_swap_ins)
		cprintf("[%08x] paging: %u copy-on-write faults, %u pages swapped out, %u swapped in\n",
			e->env_id, e->env_cow_faults, e->env_swap_outs, e->env_swap_ins);
	cprintf("[%08x] free env %08x\n", curenv ? curenv->env_id : 0, e->env_id);
	pgdir_free(e->env_pgdir);
	e->env_pgdir = NULL;
	e->env_cr3 = 0;
}

/* Is the parent of e alive (so it may still wait for e)? */
static struct Env *
env_parent(struct Env *e)
{
	struct Env *p = &envs[ENVX(e->env_parent_id)];

	if (e->env_parent_id == 0 || p->env_id != e->env_parent_id || p->env_status == ENV_FREE
	    || p->env_status == ENV_ZOMBIE)
		return NULL;
	return p;
}

/*
 * e is finished, with an exit status. Its memory is freed now; the slot stays, as
 * ENV_ZOMBIE, until the parent collects the status with wait() (if there is no parent,
 * the slot is freed at once). Its own children lose their parent.
 */
void
env_exit(struct Env *e, int status)
{
	struct Env *parent;

	env_free(e);
	e->env_exit_status = status;
	e->env_wait = WAIT_NONE;
	e->env_restart = 0;

	for (int i = 0; i < NENV; i++) {
		struct Env *c = &envs[i];
		if (c->env_status == ENV_FREE || c->env_parent_id != e->env_id)
			continue;
		if (c->env_status == ENV_ZOMBIE)
			env_reap(c);
		else
			c->env_parent_id = 0;
	}

	if ((parent = env_parent(e))) {
		e->env_status = ENV_ZOMBIE;
		if (parent->env_status == ENV_NOT_RUNNABLE && parent->env_wait == WAIT_CHILD)
			env_wakeup_one(parent);
	} else {
		env_reap(e);
	}
	if (e == curenv)
		curenv = NULL;
}

/* The kernel kills e (a fault it cannot resolve). If it was running, run something else. */
void
env_destroy(struct Env *e)
{
	bool running = (e == curenv);

	env_exit(e, -1);
	if (running)
		sched_yield();
}

/*
 * Restore tf, entering user mode. tf is the environment's saved frame in envs[], so
 * iret pops it from there. sysexit needs two registers changed (it takes eip from edx and
 * esp from ecx) and interrupts held off to the very end: that is done on a copy, on the
 * kernel stack.
 */
void
env_pop_tf(struct Trapframe *tf)
{
	if (tf->tf_trapno == T_SYSENTER) {
		struct Trapframe copy = *tf;

		copy.tf_regs.reg_edx = tf->tf_eip;
		copy.tf_regs.reg_ecx = tf->tf_esp;
		copy.tf_eflags &= ~FL_IF;	/* trapret_sysexit does sti just before sysexit */
		trapret_sysexit(&copy);
	}
	trapret_iret(tf);
}

/*
 * Context switch to e: make it curenv, switch to its address space, and return to user
 * mode with its saved registers. If it was blocked in a system call that can now
 * complete (env_restart), run that system call again first, in e's address space.
 */
void
env_run(struct Env *e)
{
	if (curenv && curenv != e && curenv->env_status == ENV_RUNNING)
		curenv->env_status = ENV_RUNNABLE;
	curenv = e;
	e->env_status = ENV_RUNNING;
	e->env_runs++;
	if (rcr3() != e->env_cr3)
		lcr3(e->env_cr3);

	if (e->env_restart) {
		e->env_restart = 0;
		syscall_trap(&e->env_tf);	/* may block again: then it never returns */
	}
	env_pop_tf(&e->env_tf);
}

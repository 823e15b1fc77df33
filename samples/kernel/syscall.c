/*
 * System calls. A program asks the kernel for a service in one of three ways (abi.h):
 *
 *   int $0x30   JOS's gate      eax = number, arguments in edx, ecx, ebx, edi, esi
 *   int $0x80   Linux's gate    eax = number, arguments in ebx, ecx, edx, esi, edi
 *   sysenter    the fast way    eax = number, arguments in edx, ecx, ebx, edi
 *
 * All three arrive in trap() with a trap frame; syscall_trap() takes the arguments out of
 * the saved registers, calls syscall(), and puts the result in the saved eax, which the
 * program sees when the kernel returns. Errors are negative errno values (-EFAULT ...).
 *
 * Never trust a pointer from user space: every one goes through copyin/copyout/copyinstr
 * (uaccess.c), which refuse kernel addresses and survive unmapped ones.
 */
#include "kernel.h"
#include "pmap.h"
#include "env.h"
#include "sched.h"
#include "console.h"
#include "timer.h"
#include "uaccess.h"
#include "syscall.h"

#define WNOHANG 1

/* write(fd, buf, n): fd 1 and 2 go to the console. */
static int32_t
sys_write(int fd, uintptr_t buf, size_t n)
{
	char kbuf[128];

	if (fd != 1 && fd != 2)
		return -EBADF;
	if (user_mem_check(curenv, buf, n, false) < 0)
		return -EFAULT;
	for (size_t done = 0; done < n;) {
		size_t chunk = MIN(n - done, sizeof(kbuf));
		if (copyin(kbuf, buf + done, chunk) < 0)
			return done ? (int32_t) done : -EFAULT;
		cons_write(kbuf, chunk);
		done += chunk;
	}
	return n;
}

/*
 * read(fd, buf, n): fd 0 reads a line typed on the console. Blocks until a whole line (or
 * ^D) has arrived. The buffer is checked first, so read(0, kernel address, n) fails with
 * -EFAULT at once, before waiting and without touching the kernel.
 */
static int32_t
sys_read(int fd, uintptr_t buf, size_t n)
{
	char kbuf[256];
	int r;

	if (fd != 0)
		return -EBADF;
	if (n == 0)
		return 0;
	if (user_mem_check(curenv, buf, n, true) < 0)
		return -EFAULT;
	r = cons_read(kbuf, MIN(n, sizeof(kbuf)));
	if (r < 0)
		env_block(WAIT_CONSOLE);	/* runs this call again when input arrives */
	if (copyout(buf, kbuf, r) < 0)
		return -EFAULT;
	return r;
}

/* exit(status): never returns. */
static void __attribute__((noreturn))
sys_exit(int status)
{
	if (status == 0)
		cprintf("[%08x] exiting gracefully\n", curenv->env_id);
	else
		cprintf("[%08x] exiting with status %d\n", curenv->env_id, status);
	env_exit(curenv, status);
	sched_yield();
}

/*
 * wait(pid, status, options) -- Linux's waitpid: wait for the child pid to exit (pid -1 or
 * 0: any child). Returns the child's id and stores its exit status (the value it gave to
 * exit(), or -1 if the kernel killed it) in *status unless status is NULL. With options
 * WNOHANG (1) it returns 0 instead of blocking. -ECHILD: no such child.
 */
static int32_t
sys_wait(envid_t pid, uintptr_t status, int options)
{
	bool have_child = false;

	if (status && user_mem_check(curenv, status, sizeof(int), true) < 0)
		return -EFAULT;
	for (int i = 0; i < NENV; i++) {
		struct Env *c = &envs[i];

		if (c->env_status == ENV_FREE || c->env_parent_id != curenv->env_id)
			continue;
		if (pid > 0 && c->env_id != pid)
			continue;
		have_child = true;
		if (c->env_status == ENV_ZOMBIE) {
			envid_t id = c->env_id;
			if (status && copyout(status, &c->env_exit_status, sizeof(int)) < 0)
				return -EFAULT;
			env_reap(c);
			return id;
		}
	}
	if (!have_child)
		return -ECHILD;
	if (options & WNOHANG)
		return 0;
	env_block(WAIT_CHILD);
}

/*
 * exec(name, argv): replace this program with the multiboot module called name ("hello",
 * "hello.elf" or ".../hello.elf"), with the NULL-terminated argument vector argv (or none
 * if argv is NULL). Returns only on failure: -ENOENT if no module has that name.
 */
static int32_t
sys_exec(uintptr_t uname, uintptr_t uargv)
{
	static char name[MODNAMELEN + 8];
	static char strings[1024];
	static char *argv[17];
	const struct Module *m;
	int argc = 0, r;
	size_t used = 0;

	if ((r = copyinstr(name, uname, sizeof(name))) < 0)
		return r == -EINVAL ? -ENOENT : r;
	if (!(m = module_find(name)))
		return -ENOENT;
	if (uargv) {
		for (;;) {
			uintptr_t p;

			if (copyin(&p, uargv + argc * sizeof(p), sizeof(p)) < 0)
				return -EFAULT;
			if (!p)
				break;
			if (argc == (int) ARRAY_SIZE(argv) - 1)
				return -EINVAL;
			if ((r = copyinstr(strings + used, p, sizeof(strings) - used)) < 0)
				return r;
			argv[argc++] = strings + used;
			used += r + 1;
		}
	}
	argv[argc] = NULL;
	/* On success the program is gone: env_exec set up fresh registers for the new one. */
	return env_exec(curenv, m, argv, argc);
}

/* time(t): seconds since boot, also stored in *t unless t is NULL. */
static int32_t
sys_time(uintptr_t t)
{
	uint32_t seconds = ticks / HZ;

	if (t && copyout(t, &seconds, sizeof(seconds)) < 0)
		return -EFAULT;
	return seconds;
}

/*
 * sbrk(increment): move the end of the heap; returns the old end. Pages are not
 * allocated here: the page-fault handler gives each heap page a zeroed frame on first
 * touch. A negative increment gives memory back.
 */
static int32_t
sys_sbrk(int32_t increment)
{
	uintptr_t old = curenv->env_brk, new = old + increment;

	if (increment > 0 && (new < old || new > UHEAPMAX))
		return -ENOMEM;
	if (increment < 0) {
		if (new > old || new < curenv->env_heap_start)
			return -EINVAL;
		for (uintptr_t va = ROUNDUP(new, PGSIZE); va < ROUNDUP(old, PGSIZE); va += PGSIZE)
			page_remove(curenv->env_pgdir, (void *) va);
	}
	curenv->env_brk = new;
	return old;
}

int32_t
syscall(uint32_t num, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
	(void) a4;
	(void) a5;

	switch (num) {
	case SYS_write:
		return sys_write(a1, a2, a3);
	case SYS_read:
		return sys_read(a1, a2, a3);
	case SYS_getpid:
		return curenv->env_id;
	case SYS_exit:
		sys_exit(a1);
	case SYS_yield:
		curenv->env_tf.tf_regs.reg_eax = 0;
		sched_yield();
	case SYS_fork:
		return env_fork(curenv);
	case SYS_wait:
		return sys_wait(a1, a2, a3);
	case SYS_exec:
		return sys_exec(a1, a2);
	case SYS_time:
		return sys_time(a1);
	case SYS_sbrk:
		return sys_sbrk(a1);
	default:
		return -ENOSYS;
	}
}

/* Take the arguments from the registers the way the entry path says, and return in eax. */
void
syscall_trap(struct Trapframe *tf)
{
	struct PushRegs *r = &tf->tf_regs;
	int32_t ret;

	if (tf->tf_trapno == T_SYSCALL_LINUX)
		ret = syscall(r->reg_eax, r->reg_ebx, r->reg_ecx, r->reg_edx, r->reg_esi, r->reg_edi);
	else	/* int $0x30 and sysenter: JOS's order (sysenter has no 5th argument) */
		ret = syscall(r->reg_eax, r->reg_edx, r->reg_ecx, r->reg_ebx, r->reg_edi,
			      tf->tf_trapno == T_SYSENTER ? 0 : r->reg_esi);
	r->reg_eax = ret;
}

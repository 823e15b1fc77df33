/*
 * privileged: what ring 3 may not do. Each attempt is a general-protection fault (#GP,
 * vector 13) and the kernel destroys the environment that tried:
 *
 *   cli              clearing IF needs CPL <= IOPL (IOPL is 0)              #GP(0)
 *   hlt              a ring 0 instruction                                   #GP(0)
 *   mov %eax, %cr3   control registers are ring 0's                         #GP(0)
 *   int $14          the page-fault gate has DPL 0, so software in ring 3   #GP(0x72)
 *                    may not raise it: the error code names the IDT entry,
 *                    (14 << 3) | 2 (the IDT bit), 0x72
 *
 * A destroyed environment cannot try again, so each attempt runs in a child made with fork();
 * the parent waits for it and goes on to the next.
 *
 * In the debugger: enable the exception breakpoint "#GP general protection" and run: each
 * stop shows the faulting instruction in the child, the trap frame's error code decoded, and
 * the CPL (3) that made the instruction illegal.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void do_cli(void)
{
	asm volatile("cli");
}

static void do_hlt(void)
{
	asm volatile("hlt");
}

static void do_mov_cr3(void)
{
	asm volatile("movl %0, %%cr3" : : "r"(0) : "memory");
}

static void do_int14(void)
{
	asm volatile("int $14");
}

static const struct attempt {
	const char *what;
	void (*run)(void);
} attempts[] = {
	{ "cli", do_cli },
	{ "hlt", do_hlt },
	{ "mov %eax, %cr3", do_mov_cr3 },
	{ "int $14", do_int14 },
};

int main(void)
{
	for (unsigned i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		const struct attempt *a = &attempts[i];
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			printf("child: trying %s in ring 3\n", a->what);
			a->run();
			printf("child: %s did not fault!\n", a->what);
			return 1;
		}
		wait(NULL);
		printf("parent: the child that tried %s is gone\n", a->what);
	}
	return 0;
}

/*
 * The system-call wrappers: the library functions a program calls (write, read, fork, ...),
 * each one a single trip into the kernel through `int $0x30` (int30_syscall in syscall.c).
 * This is the "library call -> system call" step of the lecture: printf() is a library call in
 * ring 3; write() is where the program asks the kernel, and the kernel alone, to do the work.
 */
#include <errno.h>
#include <ringside.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libc.h"

ssize_t write(int fd, const void *buf, size_t count)
{
	return __syscall_result(int30_syscall(SYS_write, fd, (long)buf, count, 0, 0));
}

ssize_t read(int fd, void *buf, size_t count)
{
	return __syscall_result(int30_syscall(SYS_read, fd, (long)buf, count, 0, 0));
}

pid_t getpid(void)
{
	return __syscall_result(int30_syscall(SYS_getpid, 0, 0, 0, 0, 0));
}

/* Returns twice: the child's id in the parent, 0 in the child. */
pid_t fork(void)
{
	return __syscall_result(int30_syscall(SYS_fork, 0, 0, 0, 0, 0));
}

int yield(void)
{
	return __syscall_result(int30_syscall(SYS_yield, 0, 0, 0, 0, 0));
}

void *sbrk(intptr_t increment)
{
	/* The old end of the heap is an address, not a count: only -errno values are errors. */
	return (void *)__syscall_result(int30_syscall(SYS_sbrk, increment, 0, 0, 0, 0));
}

int exec(const char *path, char *const argv[])
{
	return __syscall_result(int30_syscall(SYS_exec, (long)path, (long)argv, 0, 0, 0));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return __syscall_result(int30_syscall(SYS_wait, pid, (long)status, options, 0, 0));
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

time_t time(time_t *tloc)
{
	time_t t = __syscall_result(int30_syscall(SYS_time, 0, 0, 0, 0, 0));

	if (tloc != NULL && t != -1)
		*tloc = t;
	return t;
}

void _exit(int status)
{
	int30_syscall(SYS_exit, status, 0, 0, 0, 0);
	/* SYS_exit does not return. If a kernel bug ever let it, stay here rather than run on
	 * into whatever follows in memory. */
	for (;;)
		;
}

void exit(int status)
{
	_exit(status);
}

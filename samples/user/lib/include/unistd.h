/*
 * The system calls, one C function each. Every wrapper enters the kernel with `int $0x30`
 * (the JOS vector); syscall() uses `int $0x80` as Linux's does. A failing call sets errno and
 * returns -1.
 */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
pid_t getpid(void);
pid_t fork(void);
/* Gives the CPU to another environment; returns 0. */
int yield(void);
/* Moves the end of the heap by `increment` bytes; returns the old end, or (void *)-1. */
void *sbrk(intptr_t increment);
/* Replaces this program with the program `path` (a module the kernel was booted with). */
int exec(const char *path, char *const argv[]);
/* Ends the program at once (exit() is the same here: there are no stdio buffers to flush). */
void _exit(int status) __attribute__((noreturn));

/* Any system call by number, through `int $0x80` as on Linux i386:
 * syscall(SYS_write, 1, msg, 14). Returns the result, or -1 with errno set. */
long syscall(long number, ...);

#endif

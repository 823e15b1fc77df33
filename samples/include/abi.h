/*
 * The system-call ABI shared by the teaching kernel (samples/kernel) and the user library
 * (samples/user/lib). Both sides include this file; nothing else defines these numbers.
 *
 * Three ways into the kernel, all reaching the same table:
 *   int $0x30   (JOS):          eax = number; arguments in edx, ecx, ebx, edi, esi; result in eax.
 *   int $0x80   (Linux i386):   eax = number; arguments in ebx, ecx, edx, esi, edi; result in eax.
 *   sysenter    (fast path):    eax = number; arguments in edx, ecx, ebx, edi; the user's return
 *                               eip in esi and its esp in ebp (the kernel returns with sysexit,
 *                               which takes eip from edx and esp from ecx); result in eax.
 * A failing call returns -errno (e.g. -EFAULT); the library stores errno and returns -1.
 * The numbers are Linux i386's, so `syscall(SYS_write, 1, msg, 14)` reads as in the lecture notes.
 */
#ifndef RINGSIDE_ABI_H
#define RINGSIDE_ABI_H

#define T_SYSCALL_JOS    0x30
#define T_SYSCALL_LINUX  0x80

#define SYS_exit     1
#define SYS_fork     2
#define SYS_read     3
#define SYS_write    4
#define SYS_wait     7
#define SYS_exec     11
#define SYS_time     13
#define SYS_getpid   20
#define SYS_sbrk     45
#define SYS_yield    158

#define EPERM   1
#define ENOENT  2
#define ESRCH   3
#define EINTR   4
#define EIO     5
#define EBADF   9
#define ECHILD  10
#define EAGAIN  11
#define ENOMEM  12
#define EFAULT  14
#define EINVAL  22
#define ENOSYS  38

/* Memory layout (JOS): see samples/kernel/memlayout.h for the whole map. */
#define UTEXT        0x00800020   /* user programs are linked here (0x800000 + 0x20) */
#define USTACKTOP    0xeebfe000   /* the user stack grows down from here; one page at first */
#define UTOP         0xeec00000
#define ULIM         0xef800000
/* A read-only page mapped into every process holding the current time (the vDSO idea). */
#define UTIME        0xef7ff000

#ifndef __ASSEMBLER__
/* The layout of the page at UTIME. The kernel updates it on every timer interrupt. */
struct utime_page {
	volatile unsigned int ticks;       /* timer interrupts since boot */
	volatile unsigned int seconds;     /* ticks / HZ */
	volatile unsigned int hz;          /* timer interrupts per second */
};
#endif

/*
 * What each call does, as samples/kernel implements it (added by the kernel; see also
 * samples/kernel/README.md):
 *   exit(status)                never returns; status is kept for the parent's wait().
 *   fork()                      copy-on-write child: the child's id in the parent, 0 in the
 *                               child; -EAGAIN (no free environment) or -ENOMEM.
 *   read(fd, buf, n)            fd 0 only (else -EBADF): blocks until a whole line has been
 *                               typed; returns at most n bytes, up to and including the '\n';
 *                               0 at end of file (^D on an empty line). The console echoes what
 *                               is typed, turns '\r' into '\n' and handles backspace.
 *   write(fd, buf, n)           fd 1 and 2: the console (else -EBADF); returns n.
 *   wait(pid, status, options)  Linux's waitpid: pid -1 (or 0) = any child. Returns the child's
 *                               id and stores the value it passed to exit() (-1 if the kernel
 *                               killed it) in *status unless status is NULL; with options 1
 *                               (WNOHANG) returns 0 instead of blocking; -ECHILD: no such child.
 *   exec(name, argv)            replaces the caller with the multiboot module `name` ("hello",
 *                               "hello.elf" or a path ending in it), with the NULL-terminated
 *                               argv (none if argv is NULL). Returns only on failure: -ENOENT
 *                               (no such module), -EINVAL (not an ELF program), -ENOMEM.
 *   time(t)                     seconds since boot, also stored in *t unless t is NULL.
 *   getpid()                    the environment's id: 0x1000, 0x1001, ... (JOS's env ids).
 *   sbrk(increment)             moves the end of the heap and returns the old end (-ENOMEM);
 *                               heap pages are allocated, zeroed, on first touch.
 *   yield()                     lets the next runnable environment run; returns 0.
 * Every pointer is checked: one into the kernel (or unmapped) gives -EFAULT, never a crash.
 *
 * How a program starts: eip = its ELF entry point. Without arguments esp = USTACKTOP, as in
 * JOS (the start code pushes argc = 0 and argv = NULL itself). With arguments (exec's argv, or
 * words after the file name in the multiboot module line) esp points at argc, followed by
 * argv: a pointer to the argv[] array, stored with the strings just below USTACKTOP.
 */

#endif

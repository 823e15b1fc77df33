/*
 * Touching user memory from the kernel (uaccess.c, usercopy.S).
 *
 * A system call's pointer arguments come from the user and must never be trusted: a
 * pointer into the kernel (read(0, (void *) 0xf0100000, 512)) would let a program
 * overwrite the kernel. Every access goes through these functions, which
 *   1. check the range: it must lie below UTOP (below ULIM for reading), and every page
 *      must be one the user could access (or one the page-fault handler would provide);
 *   2. copy with a recovery point: a page fault during the copy is handled like a user's
 *      (swap-in, stack growth, copy-on-write), and if it cannot be, the copy stops and
 *      returns -EFAULT instead of crashing the kernel (trap.c, fault.c).
 */
#ifndef KERN_UACCESS_H
#define KERN_UACCESS_H

#include "env.h"

int user_mem_check(struct Env *e, uintptr_t va, size_t len, bool write);
int copyin(void *dst, uintptr_t usrc, size_t len);
int copyout(uintptr_t udst, const void *src, size_t len);
int copyinstr(char *dst, uintptr_t usrc, size_t max);

/* usercopy.S: the raw copies. A fault between uaccess_start and uaccess_end is recovered. */
int uaccess_copy(void *dst, const void *src, size_t len);
int uaccess_copystr(char *dst, const char *src, size_t max);
extern char uaccess_start[], uaccess_end[], uaccess_fault[];

#endif

/*
 * What this system has beyond a Unix C library: the three ways into the kernel as plain
 * functions, the UTIME page (the vDSO idea), and the instruction counter.
 *
 * The raw entry functions return what the kernel put in eax: the result, or -errno on failure
 * (they do not touch errno), so a sample can show exactly what came back.
 */
#ifndef _RINGSIDE_H
#define _RINGSIDE_H

#include "abi.h"

/* int $0x30 (JOS): eax = n, then edx, ecx, ebx, edi, esi. What read(), write(), ... use. */
long int30_syscall(long n, long a1, long a2, long a3, long a4, long a5);
/* int $0x80 (Linux i386): eax = n, then ebx, ecx, edx, esi, edi. What syscall() uses. */
long int80_syscall(long n, long a1, long a2, long a3, long a4, long a5);
/* sysenter: eax = n, then edx, ecx, ebx, edi; the kernel returns with sysexit. Four arguments. */
long sysenter_syscall(long n, long a1, long a2, long a3, long a4);

/* The read-only page at UTIME that the kernel updates on every timer interrupt: reading the
 * time there needs no system call at all. */
const struct utime_page *utime(void);

/* The time-stamp counter. In Ringside's emulator it counts retired instructions (user and
 * kernel alike), so the difference of two readings is exact and the same on every run. */
static inline unsigned long long rdtsc(void)
{
	unsigned long long t;

	/* "=A": the 64-bit result in edx:eax, which is where rdtsc leaves it. */
	asm volatile("rdtsc" : "=A"(t));
	return t;
}

#endif

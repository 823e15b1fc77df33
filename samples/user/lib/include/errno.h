/*
 * errno: the error number of the last failing call. The kernel returns -EFAULT (say) in eax;
 * the system-call wrappers store EFAULT here and return -1, as a Unix C library does.
 * The E* values are those of samples/include/abi.h (Linux's numbers).
 */
#ifndef _ERRNO_H
#define _ERRNO_H

#include "abi.h"

/* One program, one thread: a plain global is enough (no thread-local storage). */
extern int errno;

#endif

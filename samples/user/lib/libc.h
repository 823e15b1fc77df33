/* Declarations shared by the library's own files (not for programs). */
#ifndef _LIBC_INTERNAL_H
#define _LIBC_INTERNAL_H

/*
 * The kernel reports failure as a small negative number, -errno. Turns such a result into
 * errno and -1; any other value (including large "negative" addresses from sbrk) is returned
 * as it is. Linux's C library draws the line at -4095 in the same way.
 */
long __syscall_result(long ret);

#endif

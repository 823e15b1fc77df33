/*
 * System-call numbers, as in Linux's <sys/syscall.h>: SYS_write, SYS_read, ... They come from
 * samples/include/abi.h, the one file the kernel and this library share.
 */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#include "abi.h"

#endif

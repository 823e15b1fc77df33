/*
 * The few integer types the library's prototypes use. On IA-32 int, long and pointers are all
 * 32 bits wide, so these are plain typedefs; <stddef.h> and <stdint.h> come from gcc itself
 * (they are part of a freestanding C implementation).
 */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>	/* size_t, NULL, offsetof */
#include <stdint.h>	/* intptr_t, uint32_t, ... */

typedef int ssize_t;	/* a byte count, or -1 for an error */
typedef int pid_t;	/* an environment id: what getpid() and fork() return */
typedef long time_t;	/* seconds since the machine booted (there is no real-time clock) */

#endif

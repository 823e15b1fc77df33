/*
 * Basic types for a freestanding 32-bit kernel: there is no C library here, so the kernel
 * defines the few fixed-width types and helper macros it needs itself.
 */
#ifndef KERN_TYPES_H
#define KERN_TYPES_H

#ifndef NULL
#define NULL ((void *) 0)
#endif

typedef _Bool bool;
#define true 1
#define false 0

typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;

/* Pointers and addresses are 32 bits wide on IA-32. */
typedef int32_t intptr_t;
typedef uint32_t uintptr_t;
typedef uint32_t physaddr_t;	/* a physical address: never dereference it directly */

typedef uint32_t ppn_t;		/* a physical page number */
typedef uint32_t size_t;
typedef int32_t ssize_t;
typedef int32_t off_t;

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Round down / up to a multiple of n (n need not be a power of 2). */
#define ROUNDDOWN(a, n) ((uint32_t) (a) - (uint32_t) (a) % (n))
#define ROUNDUP(a, n) ROUNDDOWN((uint32_t) (a) + (n) - 1, (n))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define offsetof(type, member) __builtin_offsetof(type, member)

#endif

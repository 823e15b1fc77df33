/*
 * The virtual memory map every environment sees: JOS's layout, so the addresses in the JOS
 * lecture notes (0xf0100064, 0xeebfd000, 0x00800039 ...) mean the same thing here.
 *
 *  4 GiB -------->  +------------------------------+
 *                   |                              | RW/--
 *                   |  all of physical memory,     |        4 MiB pages (PTE_PS), 256 MiB
 *                   |  mapped at KERNBASE + pa     |
 *                   |                              |
 *  KERNBASE ----->  +------------------------------+ 0xf0000000 = KSTACKTOP
 *                   |     kernel stack (32 KiB)    | RW/--  KSTKSIZE
 *                   | - - - - - - - - - - - - - - -|
 *                   |  invalid (stack overflow     | --/--  KSTKGAP
 *                   |  hits this and faults)       |
 *                   +------------------------------+ 0xefbf8000
 *                   :           unused             :
 *  ULIM --------->  +------------------------------+ 0xef800000
 *                   |  UTIME: the clock page       | R-/R-  PGSIZE  (struct utime_page)
 *  UTIME -------->  +------------------------------+ 0xef7ff000
 *                   :   unused (JOS's UVPT slot)   :
 *                   +------------------------------+ 0xef400000
 *                   |  RO copy of pages[]          | R-/R-  PTSIZE
 *  UPAGES ------->  +------------------------------+ 0xef000000
 *                   |  RO copy of envs[]           | R-/R-  PTSIZE
 *  UTOP, UENVS -->  +------------------------------+ 0xeec00000
 *                   :   (JOS's exception stack)    :
 *                   +------------------------------+ 0xeebff000
 *                   |  empty page: catches the     | --/--  PGSIZE
 *                   |  program running off the top |
 *  USTACKTOP ---->  +------------------------------+ 0xeebfe000
 *                   |  user stack: one page at     | RW/RW  grows on demand, down to
 *                   |  first, then grown by page   |        USTACKTOP - USTACKMAX
 *                   |  faults (see fault.c)        |
 *                   +------------------------------+ 0xeebfe000 - USTACKMAX
 *                   :                              :
 *                   |  heap (sbrk), demand-zero    | RW/RW
 *                   +------------------------------+ env_heap_start
 *                   |  program: .text .data .bss   |
 *  UTEXT -------->  +------------------------------+ 0x00800000 (entry at 0x00800020)
 *                   |  unmapped: null pointers     |
 *  0 ------------>  +------------------------------+
 *
 * "RW/--" means kernel read-write, user no access. Everything below UTOP belongs to the
 * environment; everything at or above it is the same in every address space (the kernel
 * copies those page-directory entries from kern_pgdir into each new page directory).
 */
#ifndef KERN_MEMLAYOUT_H
#define KERN_MEMLAYOUT_H

#include "../include/abi.h"	/* UTEXT, USTACKTOP, UTOP, ULIM, UTIME */
#include "mmu.h"

/* Global descriptor numbers (byte offsets into the GDT). */
#define GD_KT	0x08	/* kernel text */
#define GD_KD	0x10	/* kernel data */
#define GD_UT	0x18	/* user text (used with RPL 3: 0x1b) */
#define GD_UD	0x20	/* user data (used with RPL 3: 0x23) */
#define GD_TSS	0x28	/* the task state segment */

#define KERNBASE	0xf0000000	/* all physical memory is mapped from here */
#define KERNLINK	0xf0100000	/* where the kernel is linked (loaded at physical 1 MiB) */

#define IOPHYSMEM	0x0a0000	/* the PC's I/O hole: 640 KiB .. 1 MiB */
#define EXTPHYSMEM	0x100000

#define KSTACKTOP	KERNBASE
#define KSTKSIZE	(8 * PGSIZE)	/* size of the kernel stack */
#define KSTKGAP		(8 * PGSIZE)	/* unmapped guard below it */

#define UVPT		(ULIM - PTSIZE)	/* 0xef400000: JOS's self-map slot; only UTIME is used */
#define UPAGES		(UVPT - PTSIZE)	/* 0xef000000: read-only pages[] */
#define UENVS		(UPAGES - PTSIZE)	/* 0xeec00000: read-only envs[] */
#define UXSTACKTOP	UTOP

#define USTACKMAX	(256 * PGSIZE)	/* the stack may grow to 1 MiB */
#define USTACKBOTTOM	(USTACKTOP - USTACKMAX)
#define UHEAPMAX	(USTACKBOTTOM - PGSIZE)	/* the heap stops a page below the stack */

#ifndef __ASSEMBLER__
#include "types.h"

typedef uint32_t pte_t;
typedef uint32_t pde_t;
#endif

#endif

/*
 * What the IA-32 hardware defines: page-table entries, control-register bits, EFLAGS bits,
 * segment descriptors, interrupt gates and the task state segment. Nothing in here is a
 * choice of this kernel; it is all in the Intel SDM, volume 3.
 */
#ifndef KERN_MMU_H
#define KERN_MMU_H

/*
 * A linear address splits into three fields:
 *
 *   +--------10------+-------10-------+---------12----------+
 *   | page directory |   page table   |  offset in the page |
 *   |     index      |     index      |                     |
 *   +----------------+----------------+---------------------+
 *    \--- PDX(la) --/ \--- PTX(la) --/ \--- PGOFF(la) ----/
 */
#define PGSIZE		4096		/* bytes mapped by a page-table entry */
#define PGSHIFT		12
#define PTSIZE		(PGSIZE * 1024)	/* bytes mapped by a page-directory entry: 4 MiB */
#define PTXSHIFT	12
#define PDXSHIFT	22
#define NPDENTRIES	1024
#define NPTENTRIES	1024

#define PDX(la)		((((uintptr_t) (la)) >> PDXSHIFT) & 0x3FF)
#define PTX(la)		((((uintptr_t) (la)) >> PTXSHIFT) & 0x3FF)
#define PGOFF(la)	(((uintptr_t) (la)) & 0xFFF)
#define PGNUM(la)	(((uintptr_t) (la)) >> PTXSHIFT)
#define PGADDR(d, t, o)	((void *) ((d) << PDXSHIFT | (t) << PTXSHIFT | (o)))

/* Page-table and page-directory entry flags (the hardware's). */
#define PTE_P		0x001	/* present */
#define PTE_W		0x002	/* writeable */
#define PTE_U		0x004	/* user may access */
#define PTE_PWT		0x008	/* write-through */
#define PTE_PCD		0x010	/* cache disable */
#define PTE_A		0x020	/* accessed: set by the CPU on any access */
#define PTE_D		0x040	/* dirty: set by the CPU on a write */
#define PTE_PS		0x080	/* in a PDE: this entry maps a 4 MiB page */
#define PTE_G		0x100	/* global */

/*
 * Bits 9-11 are free for the operating system. This kernel uses two of them:
 *   PTE_COW      (with P=1) the page is shared copy-on-write after fork: W is clear, and the
 *                first write faults and gets a private copy (fault.c).
 *   PTE_SWAPPED  (with P=0) the page is on the swap device; the frame-number field holds the
 *                swap slot instead of a physical page (swap.c). See PTE_SWAP_SLOT.
 */
#define PTE_AVAIL	0xE00
#define PTE_SWAPPED	0x400
#define PTE_COW		0x800

/* The permission bits a user mapping may carry. */
#define PTE_SYSCALL	(PTE_AVAIL | PTE_P | PTE_W | PTE_U)

#define PTE_ADDR(pte)	((physaddr_t) (pte) & ~0xFFF)
#define PTE_FLAGS(pte)	((pte) & 0xFFF)

/* A swapped-out page's PTE: (slot << 12) | PTE_SWAPPED | PTE_U [| PTE_W] [| PTE_COW], P = 0. */
#define PTE_SWAP_SLOT(pte)	((uint32_t) (pte) >> PGSHIFT)
#define PTE_IS_SWAPPED(pte)	(!((pte) & PTE_P) && ((pte) & PTE_SWAPPED))

/* Control register flags. */
#define CR0_PE		0x00000001	/* protection enable */
#define CR0_MP		0x00000002	/* monitor coprocessor */
#define CR0_EM		0x00000004	/* emulation */
#define CR0_TS		0x00000008	/* task switched */
#define CR0_ET		0x00000010	/* extension type */
#define CR0_NE		0x00000020	/* numeric error */
#define CR0_WP		0x00010000	/* write protect: ring 0 obeys read-only pages too */
#define CR0_AM		0x00040000	/* alignment mask */
#define CR0_NW		0x20000000	/* not writethrough */
#define CR0_CD		0x40000000	/* cache disable */
#define CR0_PG		0x80000000	/* paging */

#define CR4_PSE		0x00000010	/* page size extensions: 4 MiB pages */

/* EFLAGS register. */
#define FL_CF		0x00000001
#define FL_PF		0x00000004
#define FL_AF		0x00000010
#define FL_ZF		0x00000040
#define FL_SF		0x00000080
#define FL_TF		0x00000100	/* trap flag (single step) */
#define FL_IF		0x00000200	/* interrupts enabled */
#define FL_DF		0x00000400
#define FL_OF		0x00000800
#define FL_IOPL_MASK	0x00003000
#define FL_IOPL_0	0x00000000
#define FL_IOPL_3	0x00003000
#define FL_NT		0x00004000
#define FL_RF		0x00010000
#define FL_VM		0x00020000
#define FL_AC		0x00040000

/* Page-fault error code bits (pushed by the CPU for vector 14). */
#define FEC_PR		0x1	/* 1: protection violation; 0: page not present */
#define FEC_WR		0x2	/* 1: the access was a write */
#define FEC_U		0x4	/* 1: the access came from ring 3 */
#define FEC_RSV		0x8	/* 1: a reserved bit was set in a paging entry */
#define FEC_ID		0x10	/* 1: the access was an instruction fetch */

/* Model-specific registers for sysenter/sysexit. */
#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176

#ifdef __ASSEMBLER__

/* A segment descriptor in assembly (entry.S's boot GDT). */
#define SEG_NULL \
	.word 0, 0; .byte 0, 0, 0, 0
#define SEG(type, base, lim) \
	.word (((lim) >> 12) & 0xffff), ((base) & 0xffff); \
	.byte (((base) >> 16) & 0xff), (0x90 | (type)), (0xC0 | (((lim) >> 28) & 0xf)), (((base) >> 24) & 0xff)

#else

#include "types.h"

/* A segment descriptor (GDT entry), bit by bit. */
struct Segdesc {
	unsigned sd_lim_15_0 : 16;	/* low bits of the segment limit */
	unsigned sd_base_15_0 : 16;	/* low bits of the base */
	unsigned sd_base_23_16 : 8;	/* middle bits of the base */
	unsigned sd_type : 4;		/* STA_ or STS_ below */
	unsigned sd_s : 1;		/* 0 = system, 1 = code or data */
	unsigned sd_dpl : 2;		/* descriptor privilege level */
	unsigned sd_p : 1;		/* present */
	unsigned sd_lim_19_16 : 4;	/* high bits of the limit */
	unsigned sd_avl : 1;		/* free for software */
	unsigned sd_rsv1 : 1;
	unsigned sd_db : 1;		/* 0 = 16-bit, 1 = 32-bit segment */
	unsigned sd_g : 1;		/* granularity: limit counts 4 KiB units */
	unsigned sd_base_31_24 : 8;	/* high bits of the base */
};

/* A normal 4 GiB segment with the given type, base, limit and privilege level. */
#define SEG(type, base, lim, dpl) (struct Segdesc)				\
{ ((lim) >> 12) & 0xffff, (base) & 0xffff, ((base) >> 16) & 0xff,	\
    type, 1, dpl, 1, (unsigned) (lim) >> 28, 0, 0, 1, 1,		\
    (unsigned) (base) >> 24 }
/* A 16-bit-granular system segment (the TSS). */
#define SEG16(type, base, lim, dpl) (struct Segdesc)			\
{ (lim) & 0xffff, (base) & 0xffff, ((base) >> 16) & 0xff,		\
    type, 1, dpl, 1, (unsigned) (lim) >> 16, 0, 0, 1, 0,		\
    (unsigned) (base) >> 24 }

#endif

/* Application segment type bits. */
#define STA_X		0x8	/* executable */
#define STA_E		0x4	/* expand down (data) */
#define STA_C		0x4	/* conforming (code) */
#define STA_W		0x2	/* writeable (data) */
#define STA_R		0x2	/* readable (code) */
#define STA_A		0x1	/* accessed */

/* System segment and gate types. */
#define STS_T32A	0x9	/* available 32-bit TSS */
#define STS_IG32	0xE	/* 32-bit interrupt gate: clears IF on entry */
#define STS_TG32	0xF	/* 32-bit trap gate: leaves IF alone */

#ifndef __ASSEMBLER__

/* The task state segment: the CPU only uses ss0:esp0 (the stack for ring 3 -> 0 entries). */
struct Taskstate {
	uint32_t ts_link;
	uintptr_t ts_esp0;	/* stack pointer loaded on a switch to ring 0 */
	uint16_t ts_ss0;	/* ... and its stack segment */
	uint16_t ts_padding1;
	uintptr_t ts_esp1;
	uint16_t ts_ss1;
	uint16_t ts_padding2;
	uintptr_t ts_esp2;
	uint16_t ts_ss2;
	uint16_t ts_padding3;
	physaddr_t ts_cr3;
	uintptr_t ts_eip;
	uint32_t ts_eflags;
	uint32_t ts_eax, ts_ecx, ts_edx, ts_ebx, ts_esp, ts_ebp, ts_esi, ts_edi;
	uint16_t ts_es, ts_padding4;
	uint16_t ts_cs, ts_padding5;
	uint16_t ts_ss, ts_padding6;
	uint16_t ts_ds, ts_padding7;
	uint16_t ts_fs, ts_padding8;
	uint16_t ts_gs, ts_padding9;
	uint16_t ts_ldt, ts_padding10;
	uint16_t ts_t;		/* trap on task switch */
	uint16_t ts_iomb;	/* offset of the I/O permission bitmap */
};

/* An interrupt or trap gate (IDT entry). */
struct Gatedesc {
	unsigned gd_off_15_0 : 16;	/* low 16 bits of the handler's offset */
	unsigned gd_sel : 16;		/* code segment selector of the handler */
	unsigned gd_args : 5;		/* 0 for interrupt and trap gates */
	unsigned gd_rsv1 : 3;
	unsigned gd_type : 4;		/* STS_IG32 or STS_TG32 */
	unsigned gd_s : 1;		/* must be 0 (system) */
	unsigned gd_dpl : 2;		/* the most a caller's CPL may be for `int n` */
	unsigned gd_p : 1;		/* present */
	unsigned gd_off_31_16 : 16;	/* high bits of the offset */
};

/*
 * Fill in a gate.
 *   istrap: 1 for a trap gate (interrupts stay enabled), 0 for an interrupt gate.
 *   sel:    the handler's code segment.
 *   off:    the handler's address.
 *   dpl:    software may use `int n` on this gate only if CPL <= dpl; otherwise the CPU
 *           raises #GP instead (that is what makes `int $14` from user mode a #GP).
 */
#define SETGATE(gate, istrap, sel, off, dpl)			\
{								\
	(gate).gd_off_15_0 = (uint32_t) (off) & 0xffff;		\
	(gate).gd_sel = (sel);					\
	(gate).gd_args = 0;					\
	(gate).gd_rsv1 = 0;					\
	(gate).gd_type = (istrap) ? STS_TG32 : STS_IG32;	\
	(gate).gd_s = 0;					\
	(gate).gd_dpl = (dpl);					\
	(gate).gd_p = 1;					\
	(gate).gd_off_31_16 = (uint32_t) (off) >> 16;		\
}

/* The operand of lgdt and lidt. */
struct Pseudodesc {
	uint16_t pd_lim;
	uint32_t pd_base;
} __attribute__((packed));

#endif

#endif

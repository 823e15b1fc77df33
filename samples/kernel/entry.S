/*
 * entry.S: the first instructions of the kernel.
 *
 * A multiboot boot loader (GRUB, QEMU's -kernel, Ringside's loader) finds the header below,
 * loads the kernel's segments at their physical addresses (1 MiB and up) and jumps to _start
 * with paging off, EAX = 0x2BADB002 and EBX = the physical address of the multiboot
 * information structure. The kernel is *linked* at 0xf0100000, though, so until paging maps
 * that address every reference to a symbol must be translated by hand: RELOC(x).
 */
#include "mmu.h"
#include "memlayout.h"

/* A link-time (virtual) address to the physical address it is loaded at. */
#define RELOC(x) ((x) - KERNBASE)

#define MULTIBOOT_HEADER_MAGIC	0x1BADB002
/* Flags: bit 0 = load modules page aligned, bit 1 = give us the memory size (mem_upper). */
#define MULTIBOOT_HEADER_FLAGS	0x00000003
#define MULTIBOOT_CHECKSUM	(-(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_HEADER_FLAGS))

/*
 * The multiboot header: a loader searches the first 8 KiB of the file for it. The linker
 * script puts this section first.
 */
.section .multiboot, "a"
.p2align 2
.globl multiboot_header
multiboot_header:
	.long MULTIBOOT_HEADER_MAGIC
	.long MULTIBOOT_HEADER_FLAGS
	.long MULTIBOOT_CHECKSUM

.text

/*
 * The ELF entry point is the *physical* address of `entry`: the loader jumps there before
 * paging is on.
 */
.globl _start
_start = RELOC(entry)

.globl entry
entry:
	/* Keep the loader's magic and info pointer for i386_init. */
	movl	%eax, %esi
	movl	%ebx, %edi

	/*
	 * Build a temporary page directory, entry_pgdir, with 4 MiB pages:
	 *   virtual [0, 4 MiB)            -> physical [0, 4 MiB)  (we are running here now)
	 *   virtual [KERNBASE, 4 GiB)     -> physical [0, 256 MiB)
	 * The first mapping lets the next few instructions keep running after paging is
	 * turned on; mem_init() replaces the whole directory with kern_pgdir later.
	 */
	movl	$(RELOC(entry_pgdir)), %ebx
	movl	$(PTE_P | PTE_W | PTE_PS), %eax
	movl	%eax, (%ebx)
	movl	$(KERNBASE >> PDXSHIFT), %ecx
1:	movl	%eax, (%ebx, %ecx, 4)
	addl	$PTSIZE, %eax
	incl	%ecx
	cmpl	$NPDENTRIES, %ecx
	jb	1b

	/* 4 MiB pages need CR4.PSE. */
	movl	%cr4, %eax
	orl	$CR4_PSE, %eax
	movl	%eax, %cr4

	/* Load the page directory and turn paging on (WP: the kernel obeys read-only pages too). */
	movl	%ebx, %cr3
	movl	%cr0, %eax
	orl	$(CR0_PE | CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0

	/*
	 * Now jump to the linked (high) address: an indirect jump, because a direct one would
	 * be PC-relative and stay in low memory.
	 */
	mov	$relocated, %eax
	jmp	*%eax
relocated:
	/* ebp = 0 ends the chain of frame pointers: a debugger's backtrace stops here. */
	movl	$0x0, %ebp
	movl	$(bootstacktop), %esp

	/* i386_init(multiboot magic, physical address of the multiboot info); never returns. */
	pushl	%edi
	pushl	%esi
	call	i386_init

	/* Not reached. */
spin:	hlt
	jmp	spin


.data
/*
 * The boot page directory (4 KiB aligned, as CR3 requires) and the kernel stack. The same
 * stack is mapped again just below KERNBASE at KSTACKTOP (pmap.c), which is where traps
 * from user mode land, so a trap frame from ring 3 sits at KSTACKTOP - sizeof(Trapframe).
 */
	.p2align PGSHIFT
	.globl entry_pgdir
entry_pgdir:
	.space	PGSIZE

	.p2align PGSHIFT
	.globl bootstack
bootstack:
	.space	KSTKSIZE
	.globl bootstacktop
bootstacktop:

/* No executable stack needed (keeps ld quiet). */
.section .note.GNU-stack, "", @progbits

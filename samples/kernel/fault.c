/*
 * The page-fault handler (vector 14). When the MMU cannot translate an address it stops
 * the instruction, puts the address in CR2 and an error code on the stack, and traps here:
 *
 *   error code bit 0 (FEC_PR)  0: the page was not present    1: a protection violation
 *              bit 1 (FEC_WR)  0: a read                      1: a write
 *              bit 2 (FEC_U)   0: in kernel mode              1: in user mode
 *
 * A page fault is not always an error. Four kinds are resolved here and the instruction
 * is then simply run again (iret returns to the faulting instruction, not the next one):
 *
 *   1. swap-in:      the page is on the swap device (its PTE says PTE_SWAPPED): read it
 *                    back into a free page (swap.c).
 *   2. stack growth: a not-present page just below the stack, within USTACKMAX of
 *                    USTACKTOP: give it a fresh zeroed page. Programs start with one page
 *                    of stack; `char buf[8192]` simply faults its way down.
 *   3. heap:         a not-present page between the end of the program and the break
 *                    that sbrk() set: a fresh zeroed page, on first touch.
 *   4. copy-on-write: a write to a present, read-only page marked PTE_COW. fork() shared
 *                    the page read-only between parent and child; the first to write
 *                    gets a private copy (or, if it is the last user, the page itself).
 *
 * Anything else is a real violation: the environment is destroyed, with JOS's message
 * and the trap frame, e.g. a user write to kernel memory at 0xf0100064 gives
 * err 0x7 [user, write, protection].
 *
 * The kernel itself only faults on user addresses inside copyin/copyout (usercopy.S); it
 * gets the same service, and -EFAULT instead of death when the fault cannot be resolved.
 * Any other fault in the kernel is a kernel bug: panic.
 */
#include "kernel.h"
#include "x86.h"
#include "pmap.h"
#include "env.h"
#include "swap.h"
#include "trap.h"
#include "uaccess.h"

/* A fresh zeroed, user-writeable page at va (stack growth and heap). */
static int
map_zero_page(struct Env *e, uintptr_t va)
{
	struct PageInfo *pp = page_alloc(ALLOC_ZERO);

	if (!pp)
		return -ENOMEM;
	/* Mark it accessed: the swap clock should not pick a page before its first use. */
	if (page_insert(e->env_pgdir, pp, (void *) va, PTE_U | PTE_W | PTE_A) < 0) {
		page_free(pp);
		return -ENOMEM;
	}
	return 0;
}

/* A write to a copy-on-write page: give e its own writeable copy. */
static int
cow_fault(struct Env *e, uintptr_t va, pte_t *pte)
{
	struct PageInfo *old = pa2page(PTE_ADDR(*pte));
	struct PageInfo *copy;

	e->env_cow_faults++;
	if (old->pp_ref == 1) {
		/* Everyone else has copied or gone: the page is ours alone, just unprotect it. */
		*pte = (*pte & ~PTE_COW) | PTE_W;
		tlb_invalidate(e->env_pgdir, (void *) va);
		return 0;
	}
	/* The old page is shared (pp_ref >= 2), so page_alloc cannot swap it out under us. */
	if (!(copy = page_alloc(0)))
		return -ENOMEM;
	memcpy(page2kva(copy), page2kva(old), PGSIZE);
	/* page_insert drops our reference to the old page. */
	if (page_insert(e->env_pgdir, copy, (void *) va, PTE_U | PTE_W | PTE_A) < 0) {
		page_free(copy);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Try to make va accessible to e, for a read or a write. Returns 0 if the access can now
 * be retried, -EFAULT for a real violation, -ENOMEM when out of memory (and swap).
 */
int
vm_fault(struct Env *e, uintptr_t va, bool write)
{
	pte_t *pte;

	if (va >= UTOP)
		return -EFAULT;	/* kernel memory, or the read-only views above UTOP */

	pte = pgdir_walk(e->env_pgdir, (void *) va, 0);
	va = ROUNDDOWN(va, PGSIZE);

	if (pte && PTE_IS_SWAPPED(*pte))
		return swap_in(e, va, pte);

	if (pte && (*pte & PTE_P)) {
		if (write && (*pte & PTE_COW))
			return cow_fault(e, va, pte);
		if ((*pte & PTE_U) && (!write || (*pte & PTE_W))) {
			/* Already fine (a stale TLB entry): flush it and retry. */
			tlb_invalidate(e->env_pgdir, (void *) va);
			return 0;
		}
		return -EFAULT;	/* e.g. a write to the program's read-only text */
	}

	if (va >= USTACKBOTTOM && va < USTACKTOP) {
		e->env_stack_faults++;
		return map_zero_page(e, va);
	}
	if (va >= e->env_heap_start && va < e->env_brk) {
		e->env_heap_faults++;
		return map_zero_page(e, va);
	}
	return -EFAULT;
}

void
page_fault_handler(struct Trapframe *tf)
{
	uint32_t fault_va = rcr2();
	bool write = (tf->tf_err & FEC_WR) != 0;
	int r;

	if ((tf->tf_cs & 3) == 0) {
		/* In the kernel: only copyin/copyout may fault, and only on user addresses. */
		if (tf->tf_eip >= (uintptr_t) uaccess_start && tf->tf_eip < (uintptr_t) uaccess_end
		    && curenv && fault_va < ULIM) {
			if (vm_fault(curenv, fault_va, write) < 0)
				tf->tf_eip = (uintptr_t) uaccess_fault;	/* -EFAULT */
			return;
		}
		print_trapframe(tf);
		panic("page fault in kernel mode at va %08x, eip %08x", fault_va, tf->tf_eip);
	}

	r = vm_fault(curenv, fault_va, write);
	if (r == 0)
		return;

	if (r == -ENOMEM)
		cprintf("[%08x] out of memory (and swap) at va %08x\n", curenv->env_id, fault_va);
	/* A real violation: report it the way JOS does, and destroy the environment. */
	cprintf("[%08x] user fault va %08x ip %08x\n", curenv->env_id, fault_va, tf->tf_eip);
	print_trapframe(tf);
	env_destroy(curenv);
}

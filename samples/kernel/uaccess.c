/*
 * Checking and copying user memory (see uaccess.h for why).
 */
#include "kernel.h"
#include "pmap.h"
#include "uaccess.h"

/* Could the page-fault handler give e a page at va (stack growth or heap)? */
static bool
fault_would_map(struct Env *e, uintptr_t va)
{
	if (va >= USTACKBOTTOM && va < USTACKTOP)
		return true;
	return va >= e->env_heap_start && va < e->env_brk;
}

/*
 * May environment e read (or, if `write`, write) [va, va + len)? Returns 0 or -EFAULT.
 *
 * A user may read below ULIM (that includes the read-only UENVS, UPAGES and UTIME views)
 * and write below UTOP, but only pages its page table grants it (PTE_U, and PTE_W for a
 * write), or pages that are not in memory right now but that the page-fault handler would
 * bring in: swapped-out pages, copy-on-write pages, new stack and heap pages.
 */
int
user_mem_check(struct Env *e, uintptr_t va, size_t len, bool write)
{
	uintptr_t limit = write ? UTOP : ULIM;
	uintptr_t end = va + len;

	if (len == 0)
		return 0;
	if (end < va || end > limit)
		return -EFAULT;	/* wraps around, or reaches into the kernel */

	for (uintptr_t p = ROUNDDOWN(va, PGSIZE); p < end; p += PGSIZE) {
		pte_t *pte = pgdir_walk(e->env_pgdir, (void *) p, 0);
		pte_t entry = pte ? *pte : 0;

		if (entry & PTE_P) {
			if (!(entry & PTE_U))
				return -EFAULT;
			if (write && !(entry & (PTE_W | PTE_COW)))
				return -EFAULT;
		} else if (PTE_IS_SWAPPED(entry)) {
			if (write && !(entry & (PTE_W | PTE_COW)))
				return -EFAULT;
		} else if (p >= UTOP || !fault_would_map(e, p)) {
			return -EFAULT;
		}
	}
	return 0;
}

/* Copy len bytes from user address usrc (in curenv) to the kernel. 0 or -EFAULT. */
int
copyin(void *dst, uintptr_t usrc, size_t len)
{
	if (user_mem_check(curenv, usrc, len, false) < 0)
		return -EFAULT;
	return uaccess_copy(dst, (const void *) usrc, len);
}

/* Copy len bytes from the kernel to user address udst (in curenv). 0 or -EFAULT. */
int
copyout(uintptr_t udst, const void *src, size_t len)
{
	if (user_mem_check(curenv, udst, len, true) < 0)
		return -EFAULT;
	return uaccess_copy((void *) udst, src, len);
}

/*
 * Copy a NUL-terminated string of at most max - 1 characters from user address usrc.
 * Returns its length, -EFAULT, or -EINVAL when it is too long.
 */
int
copyinstr(char *dst, uintptr_t usrc, size_t max)
{
	int r;

	if (usrc >= ULIM)
		return -EFAULT;
	/* Never let the copy run past ULIM into kernel memory, which would not fault. */
	if (max > ULIM - usrc) {
		r = uaccess_copystr(dst, (const char *) usrc, ULIM - usrc);
		return r == -EINVAL ? -EFAULT : r;
	}
	return uaccess_copystr(dst, (const char *) usrc, max);
}

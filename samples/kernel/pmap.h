/*
 * Physical pages and page tables (pmap.c).
 */
#ifndef KERN_PMAP_H
#define KERN_PMAP_H

#include "memlayout.h"
#include "kernel.h"

/*
 * One entry per physical page, in pages[npages]: the page at physical address pa is
 * pages[pa / PGSIZE]. A free page is on page_free_list, linked through pp_link; a page in
 * use has pp_link == NULL and pp_ref counts the page-table entries (and kernel references)
 * that point at it. When pp_ref drops to 0 the page goes back on the free list.
 */
struct PageInfo {
	struct PageInfo *pp_link;	/* next page on the free list */
	uint16_t pp_ref;		/* number of mappings of this page */
};

extern char bootstacktop[], bootstack[];
extern struct PageInfo *pages;
extern size_t npages;
extern size_t npages_free;
extern pde_t *kern_pgdir;

/* The kernel virtual address of a physical address, and back. Both check their argument. */
#define PADDR(kva) _paddr(__FILE__, __LINE__, kva)
#define KADDR(pa) _kaddr(__FILE__, __LINE__, pa)

static inline physaddr_t
_paddr(const char *file, int line, void *kva)
{
	if ((uint32_t) kva < KERNBASE)
		_panic(file, line, "PADDR called with invalid kva %08x", (uint32_t) kva);
	return (physaddr_t) kva - KERNBASE;
}

static inline void *
_kaddr(const char *file, int line, physaddr_t pa)
{
	if (PGNUM(pa) >= npages)
		_panic(file, line, "KADDR called with invalid pa %08x", pa);
	return (void *) (pa + KERNBASE);
}

enum {
	ALLOC_ZERO = 1 << 0,	/* fill the page with zeros */
	ALLOC_NOSWAP = 1 << 1,	/* fail rather than swap a user page out to make room */
};

void mem_init(uint32_t mem_kib, physaddr_t reserved_end);
void page_init(void);
struct PageInfo *page_alloc(int alloc_flags);
void page_free(struct PageInfo *pp);
void page_decref(struct PageInfo *pp);
int page_insert(pde_t *pgdir, struct PageInfo *pp, void *va, int perm);
void page_remove(pde_t *pgdir, void *va);
struct PageInfo *page_lookup(pde_t *pgdir, void *va, pte_t **pte_store);
pte_t *pgdir_walk(pde_t *pgdir, const void *va, int create);
void tlb_invalidate(pde_t *pgdir, void *va);

static inline physaddr_t
page2pa(struct PageInfo *pp)
{
	return (pp - pages) << PGSHIFT;
}

static inline struct PageInfo *
pa2page(physaddr_t pa)
{
	if (PGNUM(pa) >= npages)
		panic("pa2page called with invalid pa %08x", pa);
	return &pages[PGNUM(pa)];
}

static inline void *
page2kva(struct PageInfo *pp)
{
	return KADDR(page2pa(pp));
}

#endif

/*
 * Physical memory management: the page allocator (with reference counts) and the page
 * tables.
 *
 * At boot, mem_init() builds kern_pgdir, the page directory every address space starts
 * from:
 *   - all physical memory at KERNBASE, with 4 MiB pages (one PDE each, no page tables);
 *   - the kernel stack just below KERNBASE (KSTACKTOP), with an unmapped guard below it;
 *   - read-only views of pages[] (UPAGES) and envs[] (UENVS) for user programs;
 *   - the clock page at UTIME (timer.c fills it).
 * Environments get their own page directory with the same entries from UTOP up (env.c).
 */
#include "pmap.h"
#include "x86.h"
#include "env.h"
#include "swap.h"

size_t npages;			/* amount of physical memory, in pages */
size_t npages_free;		/* pages on the free list */
pde_t *kern_pgdir;		/* the kernel's initial page directory */
struct PageInfo *pages;		/* physical page state array */
static struct PageInfo *page_free_list;

/* The kernel maps at most 256 MiB: KERNBASE .. 4 GiB. */
#define MAXPHYS (0x100000000ULL - KERNBASE)

static physaddr_t boot_reserved_end;	/* end of the kernel, the modules and the boot info */

/*
 * A simple allocator used only while the page allocator is being set up: it hands out
 * memory after the kernel image and the multiboot modules, which the loader put right after
 * the kernel. page_init() marks everything it gave out as in use.
 */
static char *nextfree;

static void *
boot_alloc(uint32_t n)
{
	extern char end[];	/* first address after the kernel: the linker provides it */
	char *result;

	if (!nextfree) {
		nextfree = (char *) ROUNDUP((char *) end, PGSIZE);
		if ((uint32_t) nextfree < (uint32_t) KADDR(boot_reserved_end))
			nextfree = (char *) ROUNDUP(KADDR(boot_reserved_end), PGSIZE);
	}
	result = nextfree;
	nextfree = (char *) ROUNDUP(nextfree + n, PGSIZE);
	if (PADDR(nextfree) > npages * PGSIZE)
		panic("boot_alloc: out of memory");
	return result;
}

/* Map [va, va+size) to [pa, pa+size) in pgdir with 4 KiB pages (boot time only). */
static void
boot_map_region(pde_t *pgdir, uintptr_t va, size_t size, physaddr_t pa, int perm)
{
	for (size_t off = 0; off < size; off += PGSIZE) {
		pte_t *pte = pgdir_walk(pgdir, (void *) (va + off), 1);
		if (!pte)
			panic("boot_map_region: out of memory");
		*pte = (pa + off) | perm | PTE_P;
	}
}

/*
 * mem_kib: physical memory above 1 MiB in KiB (the multiboot mem_upper field);
 * reserved_end: first physical address not used by the kernel, its modules or boot data.
 */
void
mem_init(uint32_t mem_kib, physaddr_t reserved_end)
{
	uint64_t bytes = (uint64_t) EXTPHYSMEM + (uint64_t) mem_kib * 1024;

	if (bytes > MAXPHYS)
		bytes = MAXPHYS;
	npages = bytes / PGSIZE;
	boot_reserved_end = reserved_end;

	kern_pgdir = (pde_t *) boot_alloc(PGSIZE);
	memset(kern_pgdir, 0, PGSIZE);

	pages = (struct PageInfo *) boot_alloc(npages * sizeof(struct PageInfo));
	memset(pages, 0, npages * sizeof(struct PageInfo));

	/* From here on, page_alloc and pgdir_walk work. */
	page_init();

	/* Read-only views for user programs (JOS's UPAGES and UENVS). */
	boot_map_region(kern_pgdir, UPAGES, ROUNDUP(npages * sizeof(struct PageInfo), PGSIZE),
			PADDR(pages), PTE_U);
	boot_map_region(kern_pgdir, UENVS, ROUNDUP(sizeof(envs), PGSIZE), PADDR(envs), PTE_U);

	/*
	 * The kernel stack, at KSTACKTOP: the TSS sends every trap from ring 3 here. It is the
	 * same physical memory as bootstack (entry.S); the KSTKGAP below it stays unmapped so
	 * that a kernel stack overflow faults instead of silently overwriting memory.
	 */
	boot_map_region(kern_pgdir, KSTACKTOP - KSTKSIZE, KSTKSIZE, PADDR(bootstack), PTE_W);

	/* All physical memory at KERNBASE, in 4 MiB pages: kernel only (no PTE_U). */
	for (uint64_t pa = 0; pa < MAXPHYS; pa += PTSIZE)
		kern_pgdir[PDX(KERNBASE + pa)] = (physaddr_t) pa | PTE_P | PTE_W | PTE_PS;

	/* Switch from entry_pgdir to kern_pgdir; entry.S already set CR4.PSE and CR0.WP. */
	lcr3(PADDR(kern_pgdir));
	lcr0(rcr0() | CR0_PE | CR0_PG | CR0_AM | CR0_WP | CR0_NE | CR0_MP);
}

/*
 * Build the free list. Free: low memory from page 1 to the I/O hole, the gap the linker
 * script leaves before envs[], and everything after the kernel, its modules and boot_alloc.
 * In use: page 0 (the BIOS's), the I/O hole, the kernel, envs[], the modules.
 */
void
page_init(void)
{
	extern char kernel_gap_start[], kernel_gap_end[];
	physaddr_t gap_lo = PADDR(kernel_gap_start), gap_hi = PADDR(kernel_gap_end);
	physaddr_t used_end = PADDR(boot_alloc(0));

	page_free_list = NULL;
	npages_free = 0;
	/* Walk downwards so the list hands out low addresses first. */
	for (size_t i = npages; i-- > 0;) {
		physaddr_t pa = i * PGSIZE;
		bool is_free;

		if (pa == 0)
			is_free = false;
		else if (pa < IOPHYSMEM)
			is_free = true;
		else if (pa < EXTPHYSMEM)
			is_free = false;
		else if (pa >= gap_lo && pa < gap_hi)
			is_free = true;
		else
			is_free = pa >= used_end;

		pages[i].pp_ref = 0;
		pages[i].pp_link = NULL;
		if (is_free) {
			pages[i].pp_link = page_free_list;
			page_free_list = &pages[i];
			npages_free++;
		} else {
			pages[i].pp_ref = 1;	/* never freed */
		}
	}
}

/*
 * Allocate a physical page (pp_ref stays 0: the caller's mapping counts it). With
 * ALLOC_ZERO the page is cleared. When no page is free, a user page is swapped out to make
 * one (swap.c), unless ALLOC_NOSWAP. Returns NULL when memory is exhausted.
 */
struct PageInfo *
page_alloc(int alloc_flags)
{
	struct PageInfo *pp;

	while (!page_free_list) {
		if ((alloc_flags & ALLOC_NOSWAP) || swap_out_one() < 0)
			return NULL;
	}
	pp = page_free_list;
	page_free_list = pp->pp_link;
	pp->pp_link = NULL;
	npages_free--;
	if (alloc_flags & ALLOC_ZERO)
		memset(page2kva(pp), 0, PGSIZE);
	return pp;
}

/* Return a page to the free list. Only when nothing refers to it any more. */
void
page_free(struct PageInfo *pp)
{
	if (pp->pp_ref != 0 || pp->pp_link != NULL)
		panic("page_free: page %08x is still in use (pp_ref %d)", page2pa(pp), pp->pp_ref);
	pp->pp_link = page_free_list;
	page_free_list = pp;
	npages_free++;
}

/* Drop one reference; free the page when it was the last. */
void
page_decref(struct PageInfo *pp)
{
	if (--pp->pp_ref == 0)
		page_free(pp);
}

/*
 * The page-table entry for va in pgdir. If the page table does not exist, create it when
 * `create` is set (returns NULL when out of memory), else return NULL.
 */
pte_t *
pgdir_walk(pde_t *pgdir, const void *va, int create)
{
	pde_t *pde = &pgdir[PDX(va)];

	if (!(*pde & PTE_P)) {
		struct PageInfo *pp;

		if (!create || !(pp = page_alloc(ALLOC_ZERO)))
			return NULL;
		pp->pp_ref++;
		/*
		 * The directory entry is permissive (user, writeable): the page-table entries
		 * below it decide the real permissions of each page.
		 */
		*pde = page2pa(pp) | PTE_P | PTE_W | PTE_U;
	}
	if (*pde & PTE_PS)
		panic("pgdir_walk: va %08x is inside a 4 MiB page", (uint32_t) va);
	return (pte_t *) KADDR(PTE_ADDR(*pde)) + PTX(va);
}

/*
 * The page mapped at va (NULL if none). If pte_store is not NULL, the address of the
 * page-table entry is stored there.
 */
struct PageInfo *
page_lookup(pde_t *pgdir, void *va, pte_t **pte_store)
{
	pte_t *pte = pgdir_walk(pgdir, va, 0);

	if (pte_store)
		*pte_store = pte;
	if (!pte || !(*pte & PTE_P))
		return NULL;
	return pa2page(PTE_ADDR(*pte));
}

/* Unmap va: drop the page's reference (or the swap slot's) and clear the entry. */
void
page_remove(pde_t *pgdir, void *va)
{
	pte_t *pte = pgdir_walk(pgdir, va, 0);

	if (!pte || !*pte)
		return;
	if (*pte & PTE_P)
		page_decref(pa2page(PTE_ADDR(*pte)));
	else if (PTE_IS_SWAPPED(*pte))
		swap_slot_decref(PTE_SWAP_SLOT(*pte));
	*pte = 0;
	tlb_invalidate(pgdir, va);
}

/*
 * Map pp at va with permissions perm | PTE_P, replacing whatever was there. Returns 0 or
 * -ENOMEM (no memory for a page table).
 */
int
page_insert(pde_t *pgdir, struct PageInfo *pp, void *va, int perm)
{
	pte_t *pte;

	/*
	 * Take the reference first: pgdir_walk may need a page table, and making room for it
	 * may swap out a page whose only reference is one mapping. A page we are about to
	 * map twice must not be that page.
	 */
	pp->pp_ref++;
	pte = pgdir_walk(pgdir, va, 1);
	if (!pte) {
		pp->pp_ref--;
		return -ENOMEM;
	}
	if (*pte)
		page_remove(pgdir, va);
	*pte = page2pa(pp) | perm | PTE_P;
	tlb_invalidate(pgdir, va);
	return 0;
}

/*
 * Forget the TLB's cached translation of va, if pgdir is the address space in use (the TLB
 * only ever holds the current one: loading CR3 flushes it).
 */
void
tlb_invalidate(pde_t *pgdir, void *va)
{
	if (rcr3() == PADDR(pgdir))
		invlpg(va);
}

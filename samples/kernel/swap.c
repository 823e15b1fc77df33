/*
 * Swapping: when no physical page is free, page_alloc() calls swap_out_one(), which picks
 * a user page that has not been used lately, writes it to the block device and frees it.
 * The page-table entry keeps where the page went:
 *
 *     31                              12 11  10  9   3  2  1  0
 *    +----------------------------------+---+---+-----+--+--+--+
 *    |           swap slot              |COW|SWP|  0  | U| W| 0|      P = 0: not present
 *    +----------------------------------+---+---+-----+--+--+--+
 *
 * The MMU ignores every other bit of a not-present entry, so the kernel may keep anything
 * there: the slot number, PTE_SWAPPED (0x400) to say "on the swap device", and the page's
 * old U/W/COW bits. (Rule of thumb: a PTE that is not present but not zero is swapped.)
 * The next access faults; fault.c sees PTE_SWAPPED and calls swap_in(), which reads the
 * page back into a free page and maps it as before.
 *
 * Choosing the victim: the clock algorithm. A "hand" sweeps over the user pages of all
 * environments in turn. The MMU sets a page's accessed bit (PTE_A) whenever it is used;
 * the hand clears it and moves on (a second chance), and takes the first page whose bit is
 * still clear when the hand comes round again: a page nobody used for a whole sweep.
 * Pages shared by several page tables (copy-on-write after fork) are skipped: evicting
 * one would mean finding and changing every PTE that maps it.
 *
 * The device: Ringside's PIO block device at port 0x5000, 512-byte sectors, so a page is 8
 * sectors. Commands complete at once; the data moves through one port with rep insl/outsl.
 */
#include "kernel.h"
#include "x86.h"
#include "pmap.h"
#include "env.h"
#include "swap.h"

#define BLK_BASE	0x5000
#define BLK_DATA	(BLK_BASE + 0x00)
#define BLK_LBA		(BLK_BASE + 0x04)
#define BLK_COUNT	(BLK_BASE + 0x08)
#define BLK_COMMAND	(BLK_BASE + 0x0C)
#define BLK_STATUS	(BLK_BASE + 0x10)
#define BLK_CAPACITY	(BLK_BASE + 0x14)
#define BLK_CONTROL	(BLK_BASE + 0x18)
#define BLK_ID		(BLK_BASE + 0x1C)
#define BLK_ID_VALUE	0x4B4C4252	/* "RBLK" */
#define BLK_CMD_READ	1
#define BLK_CMD_WRITE	2
#define BLK_ST_ERROR	0x08
#define SECTSIZE	512
#define SECTS_PER_PAGE	(PGSIZE / SECTSIZE)

#define MAXSLOTS	16384	/* at most 64 MiB of swap */

uint32_t swap_nslots;
uint32_t swap_slots_used;
uint32_t swap_total_outs, swap_total_ins;
/* How many page-table entries refer to each slot (fork shares swapped pages too). */
static uint8_t slot_ref[MAXSLOTS];
static uint32_t slot_hint;

/* The clock hand: an environment and a virtual address in it. */
static int hand_env;
static uintptr_t hand_va;

void
swap_init(void)
{
	uint32_t sectors;

	if (inl(BLK_ID) != BLK_ID_VALUE)
		return;	/* no device (e.g. under QEMU): no swapping */
	outl(BLK_CONTROL, 0);	/* no completion interrupts: we poll */
	sectors = inl(BLK_CAPACITY);
	swap_nslots = MIN(sectors / SECTS_PER_PAGE, (uint32_t) MAXSLOTS);
}

/* Read or write one page at a slot. 0 or -EIO. */
static int
swap_io(uint32_t slot, void *page, int command)
{
	outl(BLK_LBA, slot * SECTS_PER_PAGE);
	outl(BLK_COUNT, SECTS_PER_PAGE);
	outl(BLK_COMMAND, command);
	if (command == BLK_CMD_READ)
		insl(BLK_DATA, page, PGSIZE / 4);
	else
		outsl(BLK_DATA, page, PGSIZE / 4);
	return (inl(BLK_STATUS) & BLK_ST_ERROR) ? -EIO : 0;
}

static int
slot_alloc(void)
{
	for (uint32_t i = 0; i < swap_nslots; i++) {
		uint32_t s = (slot_hint + i) % swap_nslots;
		if (slot_ref[s] == 0) {
			slot_ref[s] = 1;
			slot_hint = s + 1;
			swap_slots_used++;
			return s;
		}
	}
	return -1;
}

void
swap_slot_incref(uint32_t slot)
{
	assert(slot < swap_nslots && slot_ref[slot] > 0 && slot_ref[slot] < 255);
	slot_ref[slot]++;
}

void
swap_slot_decref(uint32_t slot)
{
	assert(slot < swap_nslots && slot_ref[slot] > 0);
	if (--slot_ref[slot] == 0)
		swap_slots_used--;
}

/* May the clock take pages from e? Only from environments that are fully set up. */
static bool
clock_may_scan(struct Env *e)
{
	return e->env_pgdir && (e->env_status == ENV_RUNNABLE || e->env_status == ENV_RUNNING
				|| e->env_status == ENV_NOT_RUNNABLE);
}

/* Write the page at va in e (mapped by *pte) to a free slot and free the frame. */
static int
evict(struct Env *e, uintptr_t va, pte_t *pte)
{
	struct PageInfo *pp = pa2page(PTE_ADDR(*pte));
	int slot = slot_alloc();

	if (slot < 0)
		return -ENOMEM;	/* swap is full */
	if (swap_io(slot, page2kva(pp), BLK_CMD_WRITE) < 0) {
		swap_slot_decref(slot);
		return -EIO;
	}
	*pte = ((uint32_t) slot << PGSHIFT) | PTE_SWAPPED | (*pte & (PTE_U | PTE_W | PTE_COW));
	tlb_invalidate(e->env_pgdir, (void *) va);
	page_decref(pp);
	e->env_swap_outs++;
	swap_total_outs++;
	return 0;
}

/*
 * Free one physical page by swapping a user page out. Returns 0, or -ENOMEM if there is
 * no swap, swap is full, or no page can be evicted.
 */
int
swap_out_one(void)
{
	if (swap_nslots == 0 || swap_slots_used >= swap_nslots)
		return -ENOMEM;

	/*
	 * Go round at most three times: the first sweep may only clear accessed bits, the
	 * second then finds a page (the third covers the part of the first environment that
	 * was skipped at the start).
	 */
	for (int steps = 0; steps < 3 * (NENV + 1); steps++) {
		struct Env *e = &envs[hand_env];

		if (clock_may_scan(e)) {
			while (hand_va < UTOP) {
				uintptr_t va = hand_va;
				pde_t pde = e->env_pgdir[PDX(va)];
				pte_t *pte;
				struct PageInfo *pp;

				if (!(pde & PTE_P)) {
					hand_va = ROUNDDOWN(va, PTSIZE) + PTSIZE;	/* no page table: skip 4 MiB */
					continue;
				}
				hand_va += PGSIZE;
				pte = (pte_t *) KADDR(PTE_ADDR(pde)) + PTX(va);
				if ((*pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
					continue;
				pp = pa2page(PTE_ADDR(*pte));
				if (pp->pp_ref != 1)
					continue;	/* shared (copy-on-write): skip */
				if (*pte & PTE_A) {
					/* Used since the hand last passed: second chance. */
					*pte &= ~PTE_A;
					tlb_invalidate(e->env_pgdir, (void *) va);
					continue;
				}
				return evict(e, va, pte);
			}
		}
		hand_env = (hand_env + 1) % NENV;
		hand_va = 0;
	}
	return -ENOMEM;
}

/*
 * The page at va in e is swapped out (*pte says where): bring it back. The new page is
 * e's alone, so a page that was writeable or copy-on-write comes back writeable.
 */
int
swap_in(struct Env *e, uintptr_t va, pte_t *pte)
{
	struct PageInfo *pp = page_alloc(0);
	uint32_t slot, perm;

	if (!pp)
		return -ENOMEM;
	/* page_alloc may have swapped other pages out, but never this one: it is not present. */
	slot = PTE_SWAP_SLOT(*pte);
	perm = PTE_U | ((*pte & (PTE_W | PTE_COW)) ? PTE_W : 0);
	if (swap_io(slot, page2kva(pp), BLK_CMD_READ) < 0) {
		page_free(pp);
		return -EIO;
	}
	pp->pp_ref = 1;
	/* Accessed: it is about to be used, don't let the clock take it straight back. */
	*pte = page2pa(pp) | perm | PTE_P | PTE_A;
	tlb_invalidate(e->env_pgdir, (void *) va);
	swap_slot_decref(slot);
	e->env_swap_ins++;
	swap_total_ins++;
	return 0;
}

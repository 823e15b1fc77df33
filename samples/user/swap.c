/*
 * swap: using more memory than the machine has. Run with --memory 4M.
 *
 * The program asks for SWAP_BYTES of heap with sbrk(), more than all of the machine's RAM,
 * writes a pattern to every page, then reads every word back and checks it. The kernel cannot
 * keep all those pages in memory: when it runs out of free frames it writes a page to the swap
 * disk and clears its PTE's present bit; when the program touches that page again, the page
 * fault handler finds it on disk, reads it into a free frame (swapping another one out) and
 * maps it back. The program sees its data intact and never knows.
 *
 * The pattern is the word's own address, scrambled: a page brought back to the wrong place
 * or mixed up with another would not match.
 *
 * In the debugger: set an exception breakpoint on #PF with a condition on the error code
 * (not-present faults, err & 1 == 0) during the check loop: each stop is a swap-in; the Page
 * Tables view marks swapped-out entries.
 */
#include <stdio.h>
#include <unistd.h>

/* 5 MiB: more than a 4 MiB machine has. Not much more: the frames left for programs (about
 * 880 of 4 KiB) and the 4 MiB swap disk hold about 7 MiB, page tables included. */
#define SWAP_BYTES	(5u << 20)
#define PAGE_SIZE	4096u
#define PATTERN		0x5a5aa5a5u

int main(void)
{
	unsigned *heap, *p, *end;
	unsigned pages = SWAP_BYTES / PAGE_SIZE, bad = 0;

	heap = sbrk(SWAP_BYTES);
	if (heap == (void *)-1) {
		perror("sbrk");
		return 1;
	}
	end = heap + SWAP_BYTES / sizeof(unsigned);
	printf("swap: %u pages at %p..%p\n", pages, heap, (char *)end - 1);

	for (p = heap; p < end; p++)
		*p = (unsigned)p ^ PATTERN;
	printf("swap: wrote %u pages\n", pages);

	for (p = heap; p < end; p++) {
		if (*p != ((unsigned)p ^ PATTERN)) {
			if (bad++ < 5)
				printf("swap: wrong word at %p: %08x\n", p, *p);
		}
	}
	if (bad != 0) {
		printf("swap: %u words wrong\n", bad);
		return 1;
	}
	printf("swap: %u pages verified\n", pages);
	return 0;
}

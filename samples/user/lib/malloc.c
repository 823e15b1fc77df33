/*
 * malloc, free, calloc, realloc: a first-fit allocator on top of sbrk().
 *
 * The heap is a list of blocks in address order. Each block starts with a header; the caller's
 * memory follows it. malloc() takes the first free block that is big enough (splitting off
 * what it does not need) and asks the kernel for more heap with sbrk() only when none is.
 * free() marks the block free and merges it with free neighbours, so that the heap does not
 * crumble into small pieces.
 *
 * In the debugger: the page after the end of the heap is not mapped until sbrk() asks for it;
 * with many pages allocated and little memory (run with --memory 4M), the kernel swaps some out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALIGN 16		/* every block (and so every pointer malloc returns) is 16-aligned */
#define MAGIC 0x6d616c6cu	/* "mall": tells a block header from a pointer malloc never gave */

struct header {
	size_t size;		/* the whole block in bytes, header included */
	int free;
	struct header *next;	/* the next block in address order, NULL for the last */
	unsigned magic;
};

static struct header *first, *last;

static size_t round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* Two blocks can be merged only if one ends where the other starts: the program may have
 * called sbrk() itself, leaving a gap that is not ours. */
static int adjacent(struct header *a, struct header *b)
{
	return b != NULL && (char *)a + a->size == (char *)b;
}

/* Cuts block b down to `size` bytes and makes the rest a free block of its own, if the rest
 * is big enough to be worth a header. */
static void split(struct header *b, size_t size)
{
	if (b->size - size < sizeof(struct header) + ALIGN)
		return;
	struct header *rest = (struct header *)((char *)b + size);

	rest->size = b->size - size;
	rest->free = 1;
	rest->next = b->next;
	rest->magic = MAGIC;
	b->size = size;
	b->next = rest;
	if (last == b)
		last = rest;
}

/* Gets a new block of `size` bytes from the kernel and puts it at the end of the list. */
static struct header *grow(size_t size)
{
	char *end = sbrk(0);

	/* The first time, align the start of the heap (it begins right after .bss). */
	if (first == NULL && (unsigned long)end % ALIGN != 0) {
		if (sbrk(ALIGN - (unsigned long)end % ALIGN) == (void *)-1)
			return NULL;
	}
	struct header *b = sbrk(size);

	if (b == (void *)-1)
		return NULL;	/* errno is ENOMEM already */
	b->size = size;
	b->free = 0;
	b->next = NULL;
	b->magic = MAGIC;
	if (last != NULL)
		last->next = b;
	else
		first = b;
	last = b;
	return b;
}

void *malloc(size_t n)
{
	struct header *b;
	size_t size;

	/* Refuse sizes whose rounding would wrap around. */
	if (n > (size_t)-1 / 2)
		return NULL;
	size = sizeof(struct header) + round_up(n == 0 ? 1 : n);

	for (b = first; b != NULL; b = b->next) {
		if (b->free && b->size >= size) {
			split(b, size);
			b->free = 0;
			return b + 1;
		}
	}
	b = grow(size);
	return b != NULL ? b + 1 : NULL;
}

void free(void *ptr)
{
	struct header *b, *prev = NULL;

	if (ptr == NULL)
		return;
	b = (struct header *)ptr - 1;
	if (b->magic != MAGIC || b->free) {
		fprintf(stderr, "free(): invalid pointer %p\n", ptr);
		exit(EXIT_FAILURE);
	}
	b->free = 1;

	/* Merge with the block after, then with the block before. */
	if (adjacent(b, b->next) && b->next->free) {
		if (last == b->next)
			last = b;
		b->size += b->next->size;
		b->next = b->next->next;
	}
	for (struct header *p = first; p != b; p = p->next)
		prev = p;
	if (prev != NULL && prev->free && adjacent(prev, b)) {
		if (last == b)
			last = prev;
		prev->size += b->size;
		prev->next = b->next;
	}
}

void *calloc(size_t count, size_t size)
{
	void *p;

	/* count * size must not overflow. */
	if (size != 0 && count > (size_t)-1 / size)
		return NULL;
	p = malloc(count * size);
	if (p != NULL)
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *ptr, size_t n)
{
	struct header *b;
	void *p;

	if (ptr == NULL)
		return malloc(n);
	if (n == 0) {
		free(ptr);
		return NULL;
	}
	b = (struct header *)ptr - 1;
	if (b->size - sizeof(struct header) >= n)
		return ptr;	/* it already fits */
	p = malloc(n);
	if (p == NULL)
		return NULL;
	memcpy(p, ptr, b->size - sizeof(struct header));
	free(ptr);
	return p;
}

/* Memory allocation (a first-fit free list on top of sbrk), exit and atoi. */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void *malloc(size_t size);
void free(void *ptr);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);

/* Ends the program with `status` (SYS_exit). Never returns. */
void exit(int status) __attribute__((noreturn));

int atoi(const char *s);
int abs(int n);

#endif

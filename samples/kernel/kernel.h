/*
 * What every kernel file needs: printing, panicking, assertions and the string functions.
 */
#ifndef KERN_KERNEL_H
#define KERN_KERNEL_H

#include "types.h"

typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)

/* printf.c */
int cprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vcprintf(const char *fmt, va_list ap);
int snprintf(char *buf, int size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void vprintfmt(void (*putch)(int, void *), void *putdat, const char *fmt, va_list ap);

/* init.c */
void _panic(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void _warn(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void shutdown(int code) __attribute__((noreturn));

#define panic(...) _panic(__FILE__, __LINE__, __VA_ARGS__)
#define warn(...) _warn(__FILE__, __LINE__, __VA_ARGS__)

#define assert(x)							\
	do {								\
		if (!(x))						\
			panic("assertion failed: %s", #x);		\
	} while (0)

#define static_assert(x) _Static_assert(x, #x)

/* string.c (gcc may also call memcpy/memset/memmove itself, for struct copies). */
int strlen(const char *s);
int strnlen(const char *s, size_t size);
char *strncpy(char *dst, const char *src, size_t size);
size_t strlcpy(char *dst, const char *src, size_t size);
int strcmp(const char *p, const char *q);
int strncmp(const char *p, const char *q, size_t n);
char *strchr(const char *s, char c);
void *memset(void *dst, int c, size_t len);
void *memcpy(void *dst, const void *src, size_t len);
void *memmove(void *dst, const void *src, size_t len);
int memcmp(const void *s1, const void *s2, size_t len);

#endif

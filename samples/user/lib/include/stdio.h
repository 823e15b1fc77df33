/*
 * Formatted output. printf() formats into a small buffer and hands the result to write() in
 * one system call (one write per printf of a short line), so a trace of the system calls reads
 * like the lecture's strace: write(1, "Read to stack memory returns: 9\n", 32).
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with flags '-', '0', '#', a width and a
 * precision (numbers or '*'), and the length modifiers l, h, hh and z (on IA-32 long and
 * size_t are int-sized). No floating point and no %lld: the library uses integer code only.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

/* A stream is just a file descriptor: nothing is buffered between calls. */
typedef struct FILE {
	int fd;
} FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sprintf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vprintf(const char *fmt, va_list ap);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int vdprintf(int fd, const char *fmt, va_list ap);
int vsprintf(char *buf, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

int putchar(int c);
int puts(const char *s);
int fputc(int c, FILE *f);
int fputs(const char *s, FILE *f);
/* Reads one character from standard input; EOF at end of input or on error. */
int getchar(void);

/* Prints "s: <message for errno>\n" on stderr, e.g. "Reason for the error:: Bad address". */
void perror(const char *s);

#endif

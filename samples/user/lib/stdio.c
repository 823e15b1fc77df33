/* Streams and character output. A FILE is only a file descriptor: every call writes at once. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static FILE files[3] = { { STDIN_FILENO }, { STDOUT_FILENO }, { STDERR_FILENO } };

FILE *stdin = &files[0];
FILE *stdout = &files[1];
FILE *stderr = &files[2];

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	return write(f->fd, &ch, 1) == 1 ? ch : EOF;
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
	size_t n = strlen(s);

	return write(f->fd, s, n) == (ssize_t)n ? 0 : EOF;
}

/* The string and its newline in one write(), so that a line is never split. */
int puts(const char *s)
{
	return printf("%s\n", s) < 0 ? EOF : 0;
}

int getchar(void)
{
	unsigned char c;

	return read(STDIN_FILENO, &c, 1) == 1 ? c : EOF;
}

/*
 * The printf family. One formatter, format(), walks the format string and sends each output
 * character to a "sink"; the sinks differ only in where the characters go:
 *   - a file descriptor (printf, fprintf, dprintf): characters are collected in a buffer that
 *     is written with one write() system call when it fills and when the call ends;
 *   - a string (sprintf, snprintf).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct sink {
	void (*put)(struct sink *s, char c);
	int count;		/* characters produced so far: printf's return value */
	/* fd sinks */
	int fd;
	int failed;		/* a write() failed: printf returns -1 */
	size_t used;
	char buf[256];
	/* string sinks */
	char *str;
	size_t room;		/* bytes str can still take, including the final '\0' */
};

static void emit(struct sink *s, char c)
{
	s->put(s, c);
	s->count++;
}

static void fd_flush(struct sink *s)
{
	if (s->used > 0 && write(s->fd, s->buf, s->used) != (ssize_t)s->used)
		s->failed = 1;
	s->used = 0;
}

static void fd_put(struct sink *s, char c)
{
	s->buf[s->used++] = c;
	if (s->used == sizeof(s->buf))
		fd_flush(s);
}

static void str_put(struct sink *s, char c)
{
	/* Keep one byte for the terminating '\0'; what does not fit is counted, not stored. */
	if (s->room > 1) {
		*s->str++ = c;
		s->room--;
	}
}

/* How one conversion is to be printed: "%-08.3lx" gives left, zero, width 8, precision 3. */
struct spec {
	int left;		/* '-': pad on the right */
	int zero;		/* '0': pad numbers with zeros */
	int alt;		/* '#': 0x before hex, 0 before octal */
	int width;		/* minimum field width, 0 for none */
	int precision;		/* minimum digits / maximum string length, -1 for none */
};

static void pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		emit(s, c);
}

static void print_string(struct sink *s, const struct spec *sp, const char *str)
{
	int len = 0;

	if (str == NULL)
		str = "(null)";
	while (str[len] != '\0' && (sp->precision < 0 || len < sp->precision))
		len++;
	if (!sp->left)
		pad(s, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		emit(s, str[i]);
	if (sp->left)
		pad(s, ' ', sp->width - len);
}

/*
 * Prints an unsigned magnitude in base 8, 10 or 16, with a sign or prefix in front:
 * [spaces] [sign/prefix] [zeros] digits [spaces]. 32-bit division only: there is no 64-bit
 * division instruction on IA-32, and this library does not link gcc's helper for it.
 */
static void print_number(struct sink *s, const struct spec *sp, unsigned long value, unsigned base,
			 int upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[12];		/* 2^32 - 1 has 11 octal digits */
	int n = 0, zeros, len;

	do {
		tmp[n++] = digits[value % base];
		value /= base;
	} while (value != 0);
	if (sp->precision == 0 && n == 1 && tmp[0] == '0')
		n = 0;		/* printf("%.0d", 0) prints nothing */

	zeros = sp->precision > n ? sp->precision - n : 0;
	len = (int)strlen(prefix) + zeros + n;
	if (sp->zero && !sp->left && sp->precision < 0 && sp->width > len) {
		zeros += sp->width - len;
		len = sp->width;
	}
	if (!sp->left)
		pad(s, ' ', sp->width - len);
	while (*prefix != '\0')
		emit(s, *prefix++);
	pad(s, '0', zeros);
	while (n > 0)
		emit(s, tmp[--n]);
	if (sp->left)
		pad(s, ' ', sp->width - len);
}

static int read_number(const char **fmt)
{
	int n = 0;

	while (**fmt >= '0' && **fmt <= '9')
		n = n * 10 + (*(*fmt)++ - '0');
	return n;
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt != '\0'; fmt++) {
		struct spec sp = { 0, 0, 0, 0, -1 };
		int half = 0;	/* 'h': 1, 'hh': 2 */

		if (*fmt != '%') {
			emit(s, *fmt);
			continue;
		}
		const char *start = fmt++;

		/* Flags. */
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = 1;
			else if (*fmt == '0')
				sp.zero = 1;
			else if (*fmt == '#')
				sp.alt = 1;
			else
				break;
		}
		/* Width. */
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = 1;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			sp.width = read_number(&fmt);
		}
		/* Precision. */
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.precision = va_arg(ap, int);
				fmt++;
			} else {
				sp.precision = read_number(&fmt);
			}
		}
		/* Length: long, size_t and int are all 32 bits here; h and hh narrow the value. */
		for (;; fmt++) {
			if (*fmt == 'l' || *fmt == 'z')
				continue;
			if (*fmt == 'h') {
				half++;
				continue;
			}
			break;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			long v = va_arg(ap, long);

			if (half == 1)
				v = (short)v;
			else if (half >= 2)
				v = (signed char)v;
			/* Negate as unsigned: -(-2147483648) does not fit in a long. */
			print_number(s, &sp, v < 0 ? -(unsigned long)v : (unsigned long)v, 10, 0, v < 0 ? "-" : "");
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			unsigned long v = va_arg(ap, unsigned long);
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			const char *prefix = "";

			if (half == 1)
				v = (unsigned short)v;
			else if (half >= 2)
				v = (unsigned char)v;
			if (sp.alt && v != 0)
				prefix = base == 16 ? (*fmt == 'X' ? "0X" : "0x") : base == 8 ? "0" : "";
			print_number(s, &sp, v, base, *fmt == 'X', prefix);
			break;
		}
		case 'p': {
			/* As JOS prints pointers: 0x and all eight digits, so addresses line up
			 * with the lecture's (0xeebfcff0, 0xf0100064). */
			struct spec ptr = sp;

			ptr.precision = 8;
			print_number(s, &ptr, (unsigned long)va_arg(ap, void *), 16, 0, "0x");
			break;
		}
		case 's':
			print_string(s, &sp, va_arg(ap, const char *));
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			if (!sp.left)
				pad(s, ' ', sp.width - 1);
			emit(s, c);
			if (sp.left)
				pad(s, ' ', sp.width - 1);
			break;
		}
		case '%':
			emit(s, '%');
			break;
		default:
			/* Not a conversion we know (or the string ended): print it as written. */
			while (start < fmt)
				emit(s, *start++);
			if (*fmt == '\0')
				return;
			emit(s, *fmt);
			break;
		}
	}
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct sink s;

	s.put = fd_put;
	s.count = 0;
	s.fd = fd;
	s.failed = 0;
	s.used = 0;
	format(&s, fmt, ap);
	fd_flush(&s);
	return s.failed ? -1 : s.count;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return vdprintf(f->fd, fmt, ap);
}

int vprintf(const char *fmt, va_list ap)
{
	return vdprintf(STDOUT_FILENO, fmt, ap);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s;

	s.put = str_put;
	s.count = 0;
	s.str = buf;
	s.room = size;
	format(&s, fmt, ap);
	if (size > 0)
		*s.str = '\0';
	return s.count;	/* the length the whole output would have had, as the standard says */
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	/* No limit: the caller promised the buffer is big enough. */
	return vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

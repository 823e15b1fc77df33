/*
 * A small printf: the formatting engine (vprintfmt), cprintf to the console and snprintf.
 * It knows %d %i %u %x %X %o %p %s %c %%, a width, '-' and '0' flags, and a precision for %s.
 * No floating point: the kernel never uses the FPU.
 */
#include "kernel.h"
#include "console.h"

static const char digits_lower[] = "0123456789abcdef";
static const char digits_upper[] = "0123456789ABCDEF";

/* Print an unsigned number in the given base, padded to `width` with `padc`. */
static void
printnum(void (*putch)(int, void *), void *putdat, uint32_t num, unsigned base,
	 int width, int padc, bool left, bool upper)
{
	char buf[32];
	int n = 0;
	const char *digits = upper ? digits_upper : digits_lower;

	do {
		buf[n++] = digits[num % base];
		num /= base;
	} while (num != 0);

	if (!left)
		for (; width > n; width--)
			putch(padc, putdat);
	while (n > 0) {
		putch(buf[--n], putdat);
		width--;
	}
	for (; width > 0; width--)
		putch(' ', putdat);
}

void
vprintfmt(void (*putch)(int, void *), void *putdat, const char *fmt, va_list ap)
{
	int ch;

	for (;;) {
		while ((ch = *(unsigned char *) fmt++) != '%') {
			if (ch == '\0')
				return;
			putch(ch, putdat);
		}

		int padc = ' ', width = 0, precision = -1;
		bool left = false;

		/* Flags. */
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				padc = '0';
			else
				break;
		}
		/* Width. */
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		/* Precision. */
		if (*fmt == '.') {
			fmt++;
			precision = 0;
			if (*fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					precision = precision * 10 + (*fmt++ - '0');
			}
		}
		/* Length modifiers: everything is 32 bits here. */
		while (*fmt == 'l' || *fmt == 'h' || *fmt == 'z')
			fmt++;

		switch (ch = *(unsigned char *) fmt++) {
		case 'c':
			putch(va_arg(ap, int), putdat);
			break;

		case 's': {
			const char *s = va_arg(ap, const char *);
			int len;

			if (s == NULL)
				s = "(null)";
			len = precision >= 0 ? strnlen(s, precision) : strlen(s);
			if (!left)
				for (; width > len; width--)
					putch(' ', putdat);
			for (int i = 0; i < len; i++)
				putch(s[i], putdat);
			for (; width > len; width--)
				putch(' ', putdat);
			break;
		}

		case 'd':
		case 'i': {
			int v = va_arg(ap, int);
			uint32_t u = (uint32_t) v;

			if (v < 0) {
				u = -(uint32_t) v;
				if (padc == '0' && !left) {
					putch('-', putdat);
				} else if (!left) {
					/* Pad before the sign: count the sign in the width. */
					int n = 1;
					for (uint32_t t = u; t >= 10; t /= 10)
						n++;
					for (; width > n + 1; width--)
						putch(' ', putdat);
					putch('-', putdat);
					width = 0;
					printnum(putch, putdat, u, 10, 0, ' ', false, false);
					break;
				} else {
					putch('-', putdat);
				}
				width--;
			}
			printnum(putch, putdat, u, 10, width, padc, left, false);
			break;
		}

		case 'u':
			printnum(putch, putdat, va_arg(ap, uint32_t), 10, width, padc, left, false);
			break;

		case 'o':
			printnum(putch, putdat, va_arg(ap, uint32_t), 8, width, padc, left, false);
			break;

		case 'x':
		case 'X':
			printnum(putch, putdat, va_arg(ap, uint32_t), 16, width, padc, left, ch == 'X');
			break;

		case 'p':
			putch('0', putdat);
			putch('x', putdat);
			printnum(putch, putdat, (uint32_t) va_arg(ap, void *), 16, 8, '0', false, false);
			break;

		case '%':
			putch('%', putdat);
			break;

		case '\0':
			return;

		default:
			/* Unknown: print it literally so the mistake is visible. */
			putch('%', putdat);
			putch(ch, putdat);
			break;
		}
	}
}

static void
putch_console(int ch, void *cnt)
{
	cons_putc(ch);
	(*(int *) cnt)++;
}

int
vcprintf(const char *fmt, va_list ap)
{
	int cnt = 0;

	vprintfmt(putch_console, &cnt, fmt, ap);
	return cnt;
}

int
cprintf(const char *fmt, ...)
{
	va_list ap;
	int cnt;

	va_start(ap, fmt);
	cnt = vcprintf(fmt, ap);
	va_end(ap);
	return cnt;
}

struct sprintbuf {
	char *buf;
	char *ebuf;
	int cnt;
};

static void
putch_buffer(int ch, void *p)
{
	struct sprintbuf *b = p;

	b->cnt++;
	if (b->buf < b->ebuf)
		*b->buf++ = ch;
}

int
snprintf(char *buf, int n, const char *fmt, ...)
{
	struct sprintbuf b = { buf, buf + n - 1, 0 };
	va_list ap;

	if (buf == NULL || n < 1)
		return -1;
	va_start(ap, fmt);
	vprintfmt(putch_buffer, &b, fmt, ap);
	va_end(ap);
	*b.buf = '\0';
	return b.cnt;
}

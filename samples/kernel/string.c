/*
 * The string and memory functions the kernel uses. There is no C library in the kernel, and
 * gcc itself emits calls to memcpy and memset (for structure copies), so they must exist.
 */
#include "kernel.h"

int
strlen(const char *s)
{
	int n;

	for (n = 0; *s != '\0'; s++)
		n++;
	return n;
}

int
strnlen(const char *s, size_t size)
{
	int n;

	for (n = 0; size > 0 && *s != '\0'; s++, size--)
		n++;
	return n;
}

char *
strncpy(char *dst, const char *src, size_t size)
{
	size_t i;
	char *ret = dst;

	for (i = 0; i < size; i++) {
		*dst++ = *src;
		/* If strlen(src) < size, null-pad 'dst' out to 'size' chars. */
		if (*src != '\0')
			src++;
	}
	return ret;
}

/* Copy at most size - 1 characters and always terminate; return strlen(src). */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size > 0) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

int
strcmp(const char *p, const char *q)
{
	while (*p && *p == *q)
		p++, q++;
	return (int) ((unsigned char) *p - (unsigned char) *q);
}

int
strncmp(const char *p, const char *q, size_t n)
{
	while (n > 0 && *p && *p == *q)
		n--, p++, q++;
	if (n == 0)
		return 0;
	return (int) ((unsigned char) *p - (unsigned char) *q);
}

char *
strchr(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return (char *) s;
	return NULL;
}

/*
 * memset, memmove and memcpy use the string instructions (rep stos, rep movs): zeroing a
 * 4 KiB page is then 1024 iterations of one instruction instead of a loop of several.
 */
void *
memset(void *v, int c, size_t n)
{
	void *d = v;

	if ((uint32_t) v % 4 == 0 && n % 4 == 0) {
		uint32_t word = (c & 0xFF) * 0x01010101U;
		size_t words = n / 4;
		asm volatile("cld; rep stosl" : "+D" (d), "+c" (words) : "a" (word) : "cc", "memory");
	} else {
		asm volatile("cld; rep stosb" : "+D" (d), "+c" (n) : "a" (c) : "cc", "memory");
	}
	return v;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	const char *s = src;
	char *d = dst;

	if (s < d && s + n > d) {
		/* Overlapping, destination above the source: copy backwards. */
		s += n - 1;
		d += n - 1;
		asm volatile("std; rep movsb; cld" : "+D" (d), "+S" (s), "+c" (n) : : "cc", "memory");
	} else if ((uint32_t) s % 4 == 0 && (uint32_t) d % 4 == 0 && n % 4 == 0) {
		size_t words = n / 4;
		asm volatile("cld; rep movsl" : "+D" (d), "+S" (s), "+c" (words) : : "cc", "memory");
	} else {
		asm volatile("cld; rep movsb" : "+D" (d), "+S" (s), "+c" (n) : : "cc", "memory");
	}
	return dst;
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

int
memcmp(const void *v1, const void *v2, size_t n)
{
	const uint8_t *s1 = (const uint8_t *) v1;
	const uint8_t *s2 = (const uint8_t *) v2;

	while (n-- > 0) {
		if (*s1 != *s2)
			return (int) *s1 - (int) *s2;
		s1++, s2++;
	}
	return 0;
}

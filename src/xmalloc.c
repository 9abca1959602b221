/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xmalloc.c - allocation wrappers: on OOM, restore the terminal, say so in
 * one line and exit 3; the allocator's sizing at start-up.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

static void (*fatal_hook)(void);

void xmalloc_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

void xmalloc_init(void)
{
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 1);
#endif
}

static void out_of_memory(size_t size)
{
	char line[96];
	int n;

	if (fatal_hook != NULL)
		fatal_hook();
	/* No stdio: it may itself need memory, or hold a lock. */
	n = snprintf(line, sizeof(line), "bogus: out of memory (%zu bytes); giving up\n",
		     size);
	if (n > 0)
		(void)!write(STDERR_FILENO, line, (size_t)n);
	_exit(3);	/* EXIT_UNKNOWN; _exit: no atexit handler may run on a half state */
}

void *xmalloc(size_t size)
{
	void *p;

	if (size == 0)
		abort();	/* a zero-size allocation is a bug */
	if ((p = malloc(size)) == NULL)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		abort();
	if ((p = calloc(nmemb, size)) == NULL)
		out_of_memory(nmemb * size);
	return p;
}

void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		abort();
	if (nmemb > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	if ((p = realloc(ptr, nmemb * size)) == NULL)
		out_of_memory(nmemb * size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrdup_null(const char *s)
{
	return s == NULL ? NULL : xstrdup(s);
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	int len;
	char *p;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0)
		abort();
	p = xmalloc((size_t)len + 1);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

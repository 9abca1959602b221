/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xmalloc.h - allocation wrappers that never return NULL.
 *
 * Running out of memory mid-incident is not something the console can recover
 * from usefully: the wrappers restore the terminal (through the hook set with
 * xmalloc_set_fatal_hook), say so in one line on stderr and exit 3, from
 * whichever thread ran out. A zero-size request is a programming bug.
 */
#ifndef BOGUS_XMALLOC_H
#define BOGUS_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/** Like xstrdup, but NULL in gives NULL out. */
char *xstrdup_null(const char *s);
char *xstrndup(const char *s, size_t n);
/** Returns a new string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/**
 * Called on OOM before the message and the exit, to restore the terminal.
 * It may run on any thread, with the UI thread anywhere: it must only do
 * what is safe there (ui_restore_terminal). Set once at start-up.
 */
void xmalloc_set_fatal_hook(void (*hook)(void));

/**
 * Sizes the allocator for bogus before any thread starts: one glibc arena
 * (each further arena reserves 64 MB of address space, and bogus's few
 * threads allocate little), so that it runs in a 100 MB address space.
 * Main thread, first thing.
 */
void xmalloc_init(void);

/* Grow-by-one append for the (array, count) pairs used across bogus. */
#define XAPPEND(arr, n) \
	((arr) = xreallocarray((arr), (n) + 1, sizeof(*(arr))), &(arr)[(n)++])

#endif

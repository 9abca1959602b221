/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * log.h - the one log of bogus.
 *
 * Logs go to a file given with --log, and nowhere else: under curses stderr
 * is the screen. Libraries' own logs (libunbound, ldns) are routed here too.
 * Thread-safe: any thread may call log_msg().
 */
#ifndef BOGUS_LOG_H
#define BOGUS_LOG_H

#include <stdio.h>

enum log_level { LOG_ERR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

/** Opens @p path for appending. Returns 0 or -errno. NULL closes the log. */
int log_open(const char *path, enum log_level level);
void log_close(void);
/** The open log stream (for libraries that want a FILE *), or NULL. */
FILE *log_stream(void);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Check a pthread return value; log (never abort) on failure. */
#define LOCKRET(call) do { int lockret_ = (call); \
	if (lockret_ != 0) log_msg(LOG_ERR, "%s:%d: %s failed: %d", \
		__FILE__, __LINE__, #call, lockret_); } while (0)

#endif

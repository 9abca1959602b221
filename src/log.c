/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * log.c - a file logger shared by every thread.
 *
 * Never writes to stderr: under curses that is the screen. Without --log,
 * messages are dropped. Messages quote names and texts from the network,
 * and a log is read with tail -f: each one goes through escape_text().
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "escape.h"
#include "log.h"
#include "xmalloc.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;
static enum log_level log_max = LOG_INFO;

int log_open(const char *path, enum log_level level)
{
	FILE *f = NULL;

	if (path != NULL && (f = fopen(path, "a")) == NULL)
		return -errno;
	pthread_mutex_lock(&log_lock);
	if (log_file != NULL)
		fclose(log_file);
	log_file = f;
	log_max = level;
	if (f != NULL)
		setvbuf(f, NULL, _IOLBF, 0);
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void log_close(void)
{
	(void)log_open(NULL, LOG_INFO);
}

FILE *log_stream(void)
{
	FILE *f;

	pthread_mutex_lock(&log_lock);
	f = log_file;
	pthread_mutex_unlock(&log_lock);
	return f;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	struct timespec ts;
	struct tm tm;
	va_list ap;
	char *raw, *safe;

	pthread_mutex_lock(&log_lock);
	if (log_file != NULL && level <= log_max) {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		fprintf(log_file, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s: ",
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, names[level]);
		va_start(ap, fmt);
		raw = xvasprintf(fmt, ap);
		va_end(ap);
		safe = escape_text(raw, 0);
		fprintf(log_file, "%s\n", safe);
		free(safe);
		free(raw);
	}
	pthread_mutex_unlock(&log_lock);
}

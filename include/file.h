/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * file.h - opening the files a user names (anchors, hints, themes,
 * recordings, runbook state, resolv.conf) without blocking or reading
 * forever, and writing whole files so that they are never seen half
 * written.
 *
 * fopen() of a FIFO blocks until a writer comes, and /dev/zero or a
 * terminal never ends: a mistyped path would hang bogus. Every file it
 * reads goes through file_open_regular() instead.
 */
#ifndef BOGUS_FILE_H
#define BOGUS_FILE_H

#include <stdio.h>
#include <sys/types.h>

/**
 * Opens @p path for reading if it is a regular file of at most
 * @p max_bytes (0: any size). @p what names it in messages ("trust
 * anchor" gives "trust anchor file PATH is not a regular file").
 * Any thread.
 * @param[out] cause on error a new one-line message; caller frees.
 * @return a stream (caller fcloses), or NULL with @p cause set and errno
 *         from open(2), or EISDIR/EINVAL (not a regular file) or EFBIG.
 */
FILE *file_open_regular(const char *path, const char *what, off_t max_bytes,
			char **cause);

/** Writes the content of a file to @p f; returns 0, or -1 (errno set). */
typedef int (*file_write_cb)(FILE *f, const void *arg);

/**
 * Replaces @p path with what @p fill writes, all or nothing: @p fill
 * fills a new temporary file in the same directory (created with @p mode,
 * less the umask), which is flushed to disk and renamed onto @p path only
 * when every byte is there. On any error the temporary file is removed and
 * @p path is left as it was: a full disk never leaves a truncated file
 * that looks like a short one. Every file bogus writes whole (exports,
 * runbook state, copies, metrics) goes through here; recordings, which
 * grow by appended lines, do not. Any thread.
 * @param what names the file in messages ("runbook state"), or NULL.
 * @param[out] cause on error a new one-line message; caller frees.
 * @return 0, or -1 with @p cause set.
 */
int file_write_atomic(const char *path, const char *what, mode_t mode,
		      file_write_cb fill, const void *arg, char **cause);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * file.h - opening the files a user names (anchors, hints, themes,
 * recordings, runbook state, resolv.conf) without blocking or reading
 * forever.
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

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * file.c - opens a user's file for reading only if it is a regular file of
 * bounded size (see file.h).
 *
 * The file is opened with O_NONBLOCK, so that a FIFO without a writer does
 * not block the open itself, then checked with fstat() on that descriptor
 * (no race with a rename in between). Reads nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "xmalloc.h"

FILE *file_open_regular(const char *path, const char *what, off_t max_bytes,
			char **cause)
{
	struct stat st;
	FILE *f;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), e;

	if (fd < 0) {
		e = errno;
		*cause = xasprintf("cannot read %s file %s: %s", what, path,
				   strerror(e));
		errno = e;
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		*cause = xasprintf("%s file %s is not a regular file%s", what,
				   path, e == EISDIR ? " (Is a directory)" : "");
		close(fd);
		errno = e;
		return NULL;
	}
	if (max_bytes > 0 && st.st_size > max_bytes) {
		*cause = xasprintf("%s file %s is too large (%lld bytes)", what,
				   path, (long long)st.st_size);
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		e = errno;
		*cause = xasprintf("cannot read %s file %s: %s", what, path,
				   strerror(e));
		close(fd);
		errno = e;
	}
	return f;
}

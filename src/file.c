/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * file.c - opens a user's file for reading only if it is a regular file of
 * bounded size, and replaces a file whole or not at all (see file.h).
 *
 * The file is opened with O_NONBLOCK, so that a FIFO without a writer does
 * not block the open itself, then checked with fstat() on that descriptor
 * (no race with a rename in between). Reads nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
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

/* A new temporary file next to @p path: same directory, so that rename(2)
 * replaces atomically (no cross-device copy); hidden, and named so that a
 * leftover after a crash says whose it is. */
static int create_temp(const char *path, mode_t mode, char **tmp)
{
	static _Atomic unsigned serial;
	const char *slash = strrchr(path, '/');
	int dirlen = slash != NULL ? (int)(slash - path + 1) : 0, fd;

	for (int tries = 0; tries < 100; tries++) {
		*tmp = xasprintf("%.*s.%s.%ld-%u.tmp", dirlen, path, path + dirlen,
				 (long)getpid(), serial++);
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
		if (fd >= 0)
			return fd;
		free(*tmp);
		*tmp = NULL;
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* The rename itself is durable once the directory is synced (best effort). */
static void sync_directory(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") :
		    slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int file_write_atomic(const char *path, const char *what, mode_t mode,
		      file_write_cb fill, const void *arg, char **cause)
{
	char *tmp = NULL;
	FILE *f = NULL;
	int fd, e = 0;

	*cause = NULL;
	if ((fd = create_temp(path, mode, &tmp)) < 0) {
		e = errno;
		goto fail;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		e = errno;
		close(fd);
		goto fail;
	}
	errno = 0;
	/* errno as each step fails: a full disk is ENOSPC, not "Success". */
	if (fill(f, arg) != 0 || ferror(f))
		e = errno ? errno : EIO;
	else if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		e = errno;
	if (fclose(f) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) != 0)
		e = errno;
	if (e == 0) {
		sync_directory(path);
		free(tmp);
		return 0;
	}
fail:
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	*cause = xasprintf("cannot write %s%s%s: %s", what ? what : "",
			   what ? " " : "", path, strerror(e));
	return -1;
}

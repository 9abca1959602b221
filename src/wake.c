/*
 * wake.c - wake-up descriptors (see wake.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/eventfd.h>
#endif

#include "wake.h"

static int set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

int wake_open(struct wake *w)
{
	int fds[2], err;

#ifdef __linux__
	w->poll_fd = w->poke_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->poll_fd >= 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		goto fail;
#endif
	if (pipe(fds) != 0)
		goto fail;
	w->poll_fd = fds[0];
	w->poke_fd = fds[1];
	if ((err = set_flags(fds[0])) != 0 || (err = set_flags(fds[1])) != 0) {
		wake_close(w);
		return err;
	}
	return 0;
fail:
	err = -errno;
	w->poll_fd = w->poke_fd = -1;
	return err;
}

void wake_close(struct wake *w)
{
	if (w->poke_fd >= 0 && w->poke_fd != w->poll_fd)
		close(w->poke_fd);
	if (w->poll_fd >= 0)
		close(w->poll_fd);
	w->poll_fd = w->poke_fd = -1;
}

void wake_poke(const struct wake *w)
{
	uint64_t one = 1;	/* an eventfd takes 8 bytes, a pipe any */
	ssize_t n = write(w->poke_fd, &one, sizeof(one));

	(void)n;	/* EAGAIN: already awake */
}

void wake_drain(const struct wake *w)
{
	uint64_t buf[8];

	while (read(w->poll_fd, buf, sizeof(buf)) > 0)
		;
}

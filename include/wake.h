/*
 * wake.h - a wake-up descriptor: one thread pokes it, another has it in its
 * poll() set. An eventfd where the system has one: one descriptor where a
 * pipe takes two, and the console runs one per worker, one for the model
 * and one to cancel, which matters under a low ulimit -n. A pipe elsewhere.
 */
#ifndef BOGUS_WAKE_H
#define BOGUS_WAKE_H

struct wake {
	int poll_fd;	/* for poll() and wake_drain(); -1 when closed */
	int poke_fd;	/* the same descriptor as poll_fd for an eventfd */
};

/** Opens @p w non-blocking and close-on-exec. 0, or -errno (@p w closed). */
int wake_open(struct wake *w);

/** Closes @p w; harmless on a closed one. */
void wake_close(struct wake *w);

/** Makes @p w readable. Any thread; never blocks (a full pipe is awake). */
void wake_poke(const struct wake *w);

/** Reads every poke so far, so that poll() sleeps again. */
void wake_drain(const struct wake *w);

#endif

/*
 * thread.c - starts bogus's threads (see thread.h). The signal mask is
 * set around pthread_create() because a new thread inherits its creator's:
 * blocking it inside the thread would leave a window.
 */
#include <signal.h>
#include <string.h>

#include "log.h"
#include "thread.h"

int thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int err;

	if ((err = pthread_attr_init(&attr)) != 0)
		goto out;
	LOCKRET(pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES));
	sigfillset(&all);
	LOCKRET(pthread_sigmask(SIG_SETMASK, &all, &old));
	err = pthread_create(t, &attr, fn, arg);
	LOCKRET(pthread_sigmask(SIG_SETMASK, &old, NULL));
	LOCKRET(pthread_attr_destroy(&attr));
out:
	if (err != 0)
		log_msg(LOG_ERR, "cannot start a thread: %s", strerror(err));
	return err;
}

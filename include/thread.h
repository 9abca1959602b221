/*
 * thread.h - how bogus starts a thread: every signal blocked (signals are
 * the UI thread's), and a stack sized for what its threads do rather than
 * the 8 MB default, so that the console and --once fit a 100 MB address
 * space (ulimit -v).
 */
#ifndef BOGUS_THREAD_H
#define BOGUS_THREAD_H

#include <pthread.h>

/*
 * The deepest thread work is libunbound's validation and ldns parsing, a
 * few hundred KB at most (measured under ASan, whose frames are larger).
 * Under TSan, libunbound's first lookup overflowed 1 MB (a SIGSEGV in
 * test_probe_scan): TSan builds get more.
 */
#if defined(__SANITIZE_THREAD__)
#define THREAD_STACK_BYTES (8 * 1024 * 1024)
#else
#define THREAD_STACK_BYTES (1024 * 1024)
#endif

/**
 * pthread_create(@p t, fn, arg) with THREAD_STACK_BYTES of stack and every
 * signal blocked in the new thread. Any thread.
 * @return 0, or the error number from pthread_create() (logged).
 */
int thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif

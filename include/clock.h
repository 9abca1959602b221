/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * clock.h - the one monotonic clock the engine, the model and the local
 * validator measure waits with (never the wall clock, which jumps).
 */
#ifndef BOGUS_CLOCK_H
#define BOGUS_CLOCK_H

#include <stdint.h>

/** CLOCK_MONOTONIC in milliseconds. */
int64_t clock_mono_ms(void);

#endif

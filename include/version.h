/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * version.h - what --version prints: bogus's version and those of the
 * libraries it runs on, as loaded (not as compiled against).
 */
#ifndef BOGUS_VERSION_H
#define BOGUS_VERSION_H

#include <stdio.h>

/** Prints the --version text to @p out. Any thread. */
void version_print(FILE *out);

#endif

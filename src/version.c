/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * version.c - the --version text: bogus, ldns, libunbound, ncurses and
 * OpenSSL, each as the running binary loaded it, because a bug report about
 * a validation verdict needs the validator's real version.
 *
 * The one file outside probe_* and ui* that includes ldns, unbound and
 * curses headers: it asks each only for a version string.
 */
#include <curses.h>
#include <ldns/ldns.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <unbound.h>

#include "version.h"

void version_print(FILE *out)
{
	fprintf(out, "bogus %s\n", BOGUS_VERSION);
	fprintf(out, "ldns %s\n", ldns_version());
	fprintf(out, "libunbound %s\n", ub_version());
	fprintf(out, "%s\n", curses_version());
	fprintf(out, "%s\n", OpenSSL_version(OPENSSL_VERSION));
}

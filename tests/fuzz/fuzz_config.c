/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_config.c - the command line and /etc/resolv.conf.
 *
 * The input is split at NUL bytes: the first piece becomes the resolv.conf
 * read with --resolv-conf, the others are command-line arguments (at most
 * 16). cli_parse() either succeeds - a lower-case absolute zone, each
 * resolver with a numeric address - or fails with one line of cause, which
 * main() escapes before printing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz.h"

#define FUZZ_MAX_ARGS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/bogus-fuzz-resolv-XXXXXX";
	char *copy;
	char *argv[FUZZ_MAX_ARGS + 4];
	const uint8_t *nul = memchr(data, 0, size);
	size_t conf_len = nul ? (size_t)(nul - data) : size, off;
	int argc = 0, fd = mkstemp(path);
	struct options o;
	char *cause = NULL;

	if (fd < 0)
		abort();
	if (conf_len > 0 && write(fd, data, conf_len) != (ssize_t)conf_len)
		abort();
	close(fd);
	/* The pieces after the first NUL, each NUL-terminated in a copy. */
	copy = malloc(size + 1);
	if (copy == NULL)
		abort();
	if (size > 0)
		memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = (char *)"bogus";
	argv[argc++] = (char *)"--resolv-conf";
	argv[argc++] = path;
	for (off = conf_len + 1; off < size && argc < FUZZ_MAX_ARGS + 3;
	     off += strlen(copy + off) + 1)
		argv[argc++] = copy + off;
	argv[argc] = NULL;
	if (cli_parse(argc, argv, &o, &cause) == 0) {
		const struct scan_config *c = &o.scan;

		FUZZ_CHECK(cause == NULL, "no cause on success");
		if (o.show_help || o.show_version) {
			options_free(&o);
			goto out;
		}
		FUZZ_CHECK(c->zone != NULL && c->zone[strlen(c->zone) - 1] == '.',
			   "absolute zone");
		for (const char *p = c->zone; *p; p++)
			FUZZ_CHECK(*p > 0x20 && *p < 0x7f && !(*p >= 'A' && *p <= 'Z'),
				   "zone is lower-case printable ASCII");
		for (size_t i = 0; i < c->n_resolvers; i++)
			FUZZ_CHECK(strspn(c->resolvers[i].address,
					  "0123456789abcdefABCDEF.:") ==
				   strlen(c->resolvers[i].address),
				   "numeric resolver address");
		options_free(&o);
	} else {
		FUZZ_CHECK(cause != NULL, "a cause on failure");
		fuzz_check_escapes(cause);
		free(cause);
	}
out:
	free(copy);
	unlink(path);
	return 0;
}

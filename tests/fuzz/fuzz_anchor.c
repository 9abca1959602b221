/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_anchor.c - the trust anchor and root hints loaders on arbitrary files.
 *
 * The input is written to a temporary file and loaded with anchor_load() and
 * hints_load(), the way --trust-anchor and --root-hints read a user's file.
 * Each either succeeds with non-empty text or fails with one line of cause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchor.h"
#include "fuzz.h"

static void check(int ret, char *text, char *source, char *cause)
{
	if (ret == 0) {
		FUZZ_CHECK(text != NULL && *text != '\0', "text on success");
		FUZZ_CHECK(source != NULL && cause == NULL, "source, no cause");
	} else {
		FUZZ_CHECK(ret == -1 && cause != NULL, "a cause on failure");
		FUZZ_CHECK(text == NULL && source == NULL, "nothing else on failure");
		FUZZ_CHECK(strchr(cause, '\n') == NULL, "one-line cause");
		fuzz_check_escapes(cause);
	}
	free(text);
	free(source);
	free(cause);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/bogus-fuzz-anchor-XXXXXX";
	int fd = mkstemp(path);
	char *text, *source, *cause;
	int ret;

	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	ret = anchor_load(path, &text, &source, &cause);
	check(ret, text, source, cause);
	ret = hints_load(path, &text, &source, &cause);
	check(ret, text, source, cause);
	unlink(path);
	return 0;
}

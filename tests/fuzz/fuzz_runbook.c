/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_runbook.c - the runbook state file (--runbook memory across --once
 * runs) on arbitrary contents.
 *
 * The input is written to a temporary file and loaded for a runbook kind
 * chosen by its length (mod 3). A load either succeeds - and then what it
 * remembered saves and loads again - or fails with one line of cause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "runbook.h"

#define FUZZ_ZONE "example.test."

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/bogus-fuzz-runbook-XXXXXX";
	enum runbook_kind kind = (enum runbook_kind)(size % 3);
	struct runbook *rb = NULL, *again = NULL;
	char *cause = NULL, *saved;
	int fd = mkstemp(path);

	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (runbook_load(path, kind, FUZZ_ZONE, &rb, &cause) != 0) {
		FUZZ_CHECK(cause != NULL && rb == NULL, "a cause, no runbook");
		FUZZ_CHECK(strchr(cause, '\n') == NULL, "one-line cause");
		fuzz_check_escapes(cause);
		free(cause);
		unlink(path);
		return 0;
	}
	FUZZ_CHECK(rb != NULL && cause == NULL, "a runbook, no cause");
	saved = malloc(strlen(path) + 7);
	if (saved == NULL)
		abort();
	sprintf(saved, "%s.saved", path);
	FUZZ_CHECK(runbook_save(rb, FUZZ_ZONE, saved, &cause) == 0, "saves");
	FUZZ_CHECK(runbook_load(saved, kind, FUZZ_ZONE, &again, &cause) == 0,
		   "what was saved loads again");
	runbook_free(again);
	runbook_free(rb);
	unlink(saved);
	free(saved);
	unlink(path);
	return 0;
}

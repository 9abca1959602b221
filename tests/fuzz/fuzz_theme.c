/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_theme.c - the theme file parser on arbitrary text.
 *
 * theme_parse() must either succeed (every style in range) or fail with one
 * line of cause; it never crashes or leaks. The texts it returns (cause,
 * warnings) quote the file, so they are checked the way a report would show
 * them: escaped, nothing a terminal obeys survives.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	struct theme t = { 0 };
	char *cause = NULL;

	if (theme_parse(text, "fuzz.theme", &t, &cause) == 0) {
		FUZZ_CHECK(cause == NULL, "no cause on success");
		for (int r = 0; r < ROLE_COUNT; r++) {
			FUZZ_CHECK(t.style[r].fg >= C_DEF && t.style[r].fg <= 255,
				   "fg in range");
			FUZZ_CHECK(t.style[r].bg >= C_DEF && t.style[r].bg <= 255,
				   "bg in range");
		}
		for (size_t i = 0; i < t.n_warnings; i++) {
			FUZZ_CHECK(strchr(t.warnings[i], '\n') == NULL,
				   "one-line warning");
			fuzz_check_escapes(t.warnings[i]);
		}
	} else {
		FUZZ_CHECK(cause != NULL, "a cause on failure");
		FUZZ_CHECK(strchr(cause, '\n') == NULL, "one-line cause");
		fuzz_check_escapes(cause);
		free(cause);
	}
	theme_free(&t);
	free(text);
	return 0;
}

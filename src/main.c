/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - argv to options to app_run(), and whether the output got out.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "cli.h"
#include "version.h"
#include "xmalloc.h"

int main(int argc, char **argv)
{
	struct options o;
	char *cause;
	int ret;

	xmalloc_init();
	if (cli_parse(argc, argv, &o, &cause) != 0) {
		app_complain("", cause);
		free(cause);
		return EXIT_UNKNOWN;
	}
	if (o.show_help) {
		cli_usage(stdout);
		ret = EXIT_OK;
	} else if (o.show_version) {
		version_print(stdout);
		ret = EXIT_OK;
	} else {
		ret = app_run(&o);
	}
	options_free(&o);
	if (app_flush_stdout() != 0)
		ret = EXIT_UNKNOWN;
	if (ferror(stderr))	/* cannot be said there; the exit status says it */
		ret = EXIT_UNKNOWN;
	return ret;
}

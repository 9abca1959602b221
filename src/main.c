/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - argv to options to app_run(), nothing else.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "cli.h"
#include "version.h"

int main(int argc, char **argv)
{
	struct options o;
	char *cause;
	int ret;

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
	return ret;
}

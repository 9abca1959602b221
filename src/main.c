/*
 * main.c - argv to options to app_run(), nothing else.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "cli.h"
#include "escape.h"

int main(int argc, char **argv)
{
	struct options o;
	char *cause;
	int ret;

	if (cli_parse(argc, argv, &o, &cause) != 0) {
		/* The cause quotes argv and file names: never raw on a tty. */
		char *safe = escape_text(cause, 0);

		fprintf(stderr, "bogus: %s\n", safe);
		free(safe);
		free(cause);
		return EXIT_UNKNOWN;
	}
	if (o.show_help) {
		cli_usage(stdout);
		ret = EXIT_OK;
	} else if (o.show_version) {
		printf("bogus %s\n", BOGUS_VERSION);
		ret = EXIT_OK;
	} else {
		ret = app_run(&o);
	}
	options_free(&o);
	return ret;
}

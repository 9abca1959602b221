/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - the command line: options, their defaults, and their errors.
 *
 * cli_parse() never prints and never exits: it fills struct options or
 * returns an error with a one-line cause, so that it can be unit-tested.
 */
#ifndef BOGUS_CLI_H
#define BOGUS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "report_nagios.h"
#include "runbook.h"

/* Documented exit codes (Nagios-compatible). */
enum exit_code {
	EXIT_OK = 0,		/* secure, or insecure with no problem */
	EXIT_WARNING = 1,	/* degraded: warnings only */
	EXIT_CRITICAL = 2,	/* bogus or unreachable */
	EXIT_UNKNOWN = 3,	/* usage error or internal failure */
};

enum output_mode { OUTPUT_TUI = 0, OUTPUT_TEXT, OUTPUT_JSON, OUTPUT_NAGIOS };

/* --color WHEN */
enum colour_mode { COLOUR_AUTO = 0, COLOUR_ALWAYS, COLOUR_NEVER };

#define CLI_SYSTEM_CONFIG "/etc/bogus/config"

struct options {
	struct scan_config scan;
	enum output_mode mode;
	bool once;
	bool show_help;
	bool show_version;
	unsigned interval_s;	/* console refresh interval */
	char *theme;		/* name or file, NULL for the default */
	char *log_file;		/* --log FILE */
	char *resolv_conf;	/* --resolv-conf FILE (default /etc/resolv.conf) */
	bool has_runbook;	/* --runbook KIND given */
	enum runbook_kind runbook;
	/* The incident record (README "Incident record"). */
	char *record_file;	/* --record FILE: append JSON Lines */
	uint64_t record_max_size;	/* --record-max-size: rotate; 0 never */
	char *replay_file;	/* --replay FILE: play a recording back */
	char *export_file;	/* --export FILE.md: postmortem summary */
	bool has_at;		/* --at TIME given (with --replay) */
	int64_t at;		/* Unix time */
	char *runbook_state;	/* --runbook-state FILE */
	enum colour_mode colour;	/* --color */
	/* Monitoring (README "Monitoring"). */
	struct nagios_opts nagios;	/* -w, -c, --require-secure (--nagios) */
	unsigned deadline_s;	/* --deadline: bound on a --once run; 0 none */
	char *prometheus_file;	/* --prometheus FILE: textfile-collector metrics */
	char *serve_addr;	/* --serve [ADDR:]PORT: the exporter (serve.c) */
	unsigned max_probes;	/* --max-probes: the exporter's cap; 0 default */
};

/* --nagios without --deadline: NRPE's default check_timeout is 10 s. */
#define CLI_NAGIOS_DEADLINE_S 8

#define CLI_DEFAULT_INTERVAL_S 30

/**
 * Parses argv into @p o (which it zeroes first), on top of the config files
 * (/etc/bogus/config, then the user's; or --config FILE) and the --profile
 * chosen: the command line beats the profile, which beats the files'
 * defaults. Loads and checks the trust anchor and hints files.
 * @param[out] cause on error a new one-line message; caller frees.
 * @return 0 on success, -1 on a usage error (exit 3).
 */
int cli_parse(int argc, char **argv, struct options *o, char **cause);

/**
 * Whether to colour output: --color always/never, else (auto) only on a
 * terminal (@p is_terminal) without NO_COLOR and with TERM other than dumb.
 */
bool cli_colour(const struct options *o, bool is_terminal);

/**
 * Validates a domain name in presentation form (LDH labels, '_' allowed;
 * IDNs as A-labels) and returns it absolute and lower-cased, or NULL with
 * a one-line @p cause (caller frees). Also for the exporter's ?zone=.
 */
char *cli_zone_name(const char *in, char **cause);

/**
 * Adds the resolver [NAME=]ADDR[@PORT] (IPv6 may be bracketed: [::1]@5353)
 * to @p c, once. Also for the exporter's ?resolver=.
 * @return 0, or -1 with a one-line @p cause (caller frees).
 */
int cli_resolver(struct scan_config *c, const char *spec, char **cause);

/** Releases what @p o owns. */
void options_free(struct options *o);

/** The --help text. */
void cli_usage(FILE *out);

#endif

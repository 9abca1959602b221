/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: option parsing, defaults, and the one-line errors of exit 3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"

static char tmpdir[] = "/tmp/bogus-test-cli.XXXXXX";

/* Writes @p text to a file in the test's temp dir; returns its path. */
static const char *write_file(const char *name, const char *text)
{
	static char paths[16][256];	/* one slot per call: paths stay valid */
	static unsigned next;
	char *path = paths[next++ % 16];
	FILE *f;

	snprintf(path, sizeof(paths[0]), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Parses a NULL-terminated argument list; returns 0 or -1 and the cause. */
static int parse(struct options *o, char **cause, ...)
{
	char *argv[32] = { (char *)"bogus" };
	int argc = 1;
	va_list ap;
	const char *a;

	va_start(ap, cause);
	while ((a = va_arg(ap, const char *)) != NULL && argc < 31)
		argv[argc++] = (char *)a;
	va_end(ap);
	return cli_parse(argc, argv, o, cause);
}

/* Expects a usage error whose message contains @p needle. */
#define assert_usage_error(needle, ...) do { \
	struct options o_; char *cause_; \
	assert_int_equal(parse(&o_, &cause_, __VA_ARGS__, NULL), -1); \
	assert_non_null(cause_); \
	if (strstr(cause_, needle) == NULL) \
		fail_msg("cause \"%s\" lacks \"%s\"", cause_, needle); \
	assert_null(strchr(cause_, '\n')); \
	free(cause_); } while (0)

static const char *hints_text =
	". 3600 IN NS a.root.test.\n"
	"a.root.test. 3600 IN A 127.0.0.2\n";
static const char *anchor_text =
	"; a comment\n"
	". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_defaults(void **state)
{
	struct options o;
	char *cause;
	const char *rc = write_file("resolv.conf",
		"# comment\nnameserver 192.0.2.53\nnameserver fe80::1%eth0\n"
		"nameserver not-an-address\nsearch example\n");

	(void)state;
	assert_int_equal(parse(&o, &cause, "--resolv-conf", rc, "Example.COM", NULL), 0);
	assert_string_equal(o.scan.zone, "example.com.");
	assert_int_equal(o.mode, OUTPUT_TUI);
	assert_int_equal(o.scan.timeout_ms, 2000);
	assert_int_equal(o.scan.edns_bufsize, 1232);
	assert_string_equal(o.scan.canary, "dnssec-failed.org.");
	assert_string_equal(o.scan.decoy, "192.0.2.53");
	/* System resolvers first, then the four public ones. */
	assert_int_equal(o.scan.n_resolvers, 6);
	assert_string_equal(o.scan.resolvers[0].name, "system-1");
	assert_string_equal(o.scan.resolvers[0].address, "192.0.2.53");
	assert_true(o.scan.resolvers[0].from_system);
	assert_string_equal(o.scan.resolvers[1].address, "fe80::1");
	assert_string_equal(o.scan.resolvers[2].name, "Cloudflare");
	assert_string_equal(o.scan.resolvers[2].address, "1.1.1.1");
	assert_string_equal(o.scan.resolvers[3].address, "8.8.8.8");
	assert_string_equal(o.scan.resolvers[4].address, "9.9.9.9");
	assert_string_equal(o.scan.resolvers[5].address, "208.67.222.222");
	assert_non_null(o.scan.anchor_text);
	assert_non_null(o.scan.hints_text);
	options_free(&o);
}

static void test_builtin_anchors_when_no_file(void **state)
{
	struct options o;
	char *cause;

	(void)state;
	/* Whatever the default source, both IANA root KSKs must be there. */
	assert_int_equal(parse(&o, &cause, "--once", "example.com", NULL), 0);
	if (strcmp(o.scan.anchor_source, "built-in") == 0) {
		assert_non_null(strstr(o.scan.anchor_text, "20326"));
		assert_non_null(strstr(o.scan.anchor_text, "38696"));
	}
	assert_non_null(strstr(o.scan.hints_text, "NS"));
	options_free(&o);
}

static void test_resolvers_and_names(void **state)
{
	struct options o;
	char *cause;
	const char *anchor = write_file("anchor", anchor_text);
	const char *hints = write_file("hints", hints_text);

	(void)state;
	assert_int_equal(parse(&o, &cause, "--once", "--json",
			       "--resolver", "lab=127.0.10.1",
			       "--resolver", "127.0.10.2@5353",
			       "--resolver", "v6=[::1]@53",
			       "--resolver", "lab2=127.0.10.1",	/* duplicate */
			       "--name", "api", "--name", "login.example.test.",
			       "--trust-anchor", anchor, "--root-hints", hints,
			       "--timeout", "500", "--canary", "Bad.Test",
			       "example.test.", NULL), 0);

	assert_int_equal(o.mode, OUTPUT_JSON);
	assert_int_equal(o.scan.n_resolvers, 3);
	assert_string_equal(o.scan.resolvers[0].name, "lab");
	assert_int_equal(o.scan.resolvers[1].port, 5353);
	assert_string_equal(o.scan.resolvers[1].name, "127.0.10.2");
	assert_string_equal(o.scan.resolvers[2].address, "::1");
	assert_false(o.scan.resolvers[0].from_system);
	assert_int_equal(o.scan.n_names, 2);
	assert_string_equal(o.scan.names[0], "api.example.test.");
	assert_string_equal(o.scan.names[1], "login.example.test.");
	assert_int_equal(o.scan.timeout_ms, 500);
	assert_string_equal(o.scan.canary, "bad.test.");
	assert_string_equal(o.scan.anchor_source, anchor);
	assert_non_null(strstr(o.scan.anchor_text, "20326"));
	options_free(&o);
	assert_int_equal(parse(&o, &cause, "--decoy", "2001:db8::53", "x.test", NULL), 0);
	assert_string_equal(o.scan.decoy, "2001:db8::53");
	options_free(&o);
	assert_int_equal(parse(&o, &cause, "--decoy", "none", "x.test", NULL), 0);
	assert_null(o.scan.decoy);
	options_free(&o);
}

static void test_usage_errors(void **state)
{
	const char *garbage = write_file("garbage", "this is not a zone file\n");
	const char *wrong_type = write_file("wrong", ". IN A 127.0.0.1\n");
	const char *empty = write_file("empty", "; nothing\n\n");
	const char *wrong_owner = write_file("owner",
		"com. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
	const char *hints_no_addr = write_file("hints-noaddr", ". IN NS a.root.test.\n");

	(void)state;
	assert_usage_error("no zone", "--once");
	assert_usage_error("invalid zone", "exa mple.com");
	assert_usage_error("empty label", "example..com");
	assert_usage_error("A-label", "b\xc3\xbc" "cher.de");
	assert_usage_error("63", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com");
	assert_usage_error("invalid resolver address", "--resolver", "1.2.3", "example.com");
	assert_usage_error("invalid resolver address", "--resolver", "x=dns.google", "example.com");
	assert_usage_error("invalid port", "--resolver", "1.1.1.1@99999", "example.com");
	assert_usage_error("resolver name", "--resolver", "=1.1.1.1", "example.com");
	assert_usage_error("--timeout", "--timeout", "0", "example.com");
	assert_usage_error("--timeout", "--timeout", "12ms", "example.com");
	assert_usage_error("--interval", "--interval", "-5", "example.com");
	assert_usage_error("--decoy wants a numeric", "--decoy", "dns.example", "example.com");
	assert_usage_error("unknown option", "--frobnicate", "example.com");
	assert_usage_error("needs a value", "example.com", "--resolver");
	assert_usage_error("one zone at a time", "a.com", "b.com");
	assert_usage_error("not under the zone", "--name", "www.other.org.", "example.com");
	assert_usage_error("cannot read trust anchor", "--trust-anchor", "/nonexistent/x", "example.com");
	assert_usage_error("not a regular file", "--trust-anchor", "/tmp", "example.com");
	assert_usage_error("line 1", "--trust-anchor", garbage, "example.com");
	assert_usage_error("only DS and DNSKEY", "--trust-anchor", wrong_type, "example.com");
	assert_usage_error("no records", "--trust-anchor", empty, "example.com");
	assert_usage_error("root zone", "--trust-anchor", wrong_owner, "example.com");
	assert_usage_error("cannot read root hints", "--root-hints", "/nonexistent/x", "example.com");
	assert_usage_error("addresses", "--root-hints", hints_no_addr, "example.com");
}

static void test_monitoring_options(void **state)
{
	struct options o;
	char *cause = NULL;

	(void)state;
	assert_int_equal(parse(&o, &cause, "--nagios", "-w", "7d:", "--critical", "2d:",
			       "--require-secure", "--prometheus", "/tmp/x.prom", "example.com", NULL), 0);
	assert_int_equal(o.mode, OUTPUT_NAGIOS);
	assert_true(o.once);
	assert_true(o.nagios.warning.set && o.nagios.warning.start == 7 * 86400.0);
	assert_true(o.nagios.critical.set && o.nagios.critical.start == 2 * 86400.0);
	assert_true(o.nagios.require_secure);
	assert_int_equal(o.deadline_s, CLI_NAGIOS_DEADLINE_S);	/* inside NRPE's 10 s */
	assert_string_equal(o.prometheus_file, "/tmp/x.prom");
	options_free(&o);
	assert_int_equal(parse(&o, &cause, "--once", "--deadline", "30", "example.com", NULL), 0);
	assert_int_equal(o.deadline_s, 30);
	options_free(&o);
	assert_usage_error("not a Nagios range", "--nagios", "-w", "7x:", "example.com");
	assert_usage_error("--critical", "--nagios", "-c", "5:3", "example.com");
	assert_usage_error("go with --nagios", "-w", "7d:", "example.com");
	assert_usage_error("go with --nagios", "--require-secure", "example.com");
	assert_usage_error("does not go with --json", "--nagios", "--json", "example.com");
	assert_usage_error("--deadline wants", "--once", "--deadline", "0", "example.com");
	assert_usage_error("--deadline bounds", "--deadline", "5", "example.com");
}

/* --serve: no zone (each request names one), the base config still loaded. */
static void test_serve_options(void **state)
{
	struct options o;
	char *cause = NULL;

	(void)state;
	assert_int_equal(parse(&o, &cause, "--serve", "127.0.0.1:9553", "--max-probes", "2",
			       "--deadline", "5", "--resolver", "192.0.2.1", NULL), 0);
	assert_string_equal(o.serve_addr, "127.0.0.1:9553");
	assert_int_equal(o.max_probes, 2);
	assert_int_equal(o.deadline_s, 5);
	assert_null(o.scan.zone);
	assert_int_equal(o.scan.n_resolvers, 1);
	assert_non_null(o.scan.anchor_text);
	options_free(&o);
	assert_usage_error("--serve takes no zone", "--serve", "9553", "example.com");
	assert_usage_error("--serve does not go with --once", "--serve", "9553", "--once");
	assert_usage_error("--serve does not go with --record", "--serve", "9553", "--record", "/tmp/r");
	assert_usage_error("--max-probes goes with --serve", "--max-probes", "2", "example.com");
	assert_usage_error("--max-probes wants", "--serve", "9553", "--max-probes", "0");
}

/* The exporter validates ?zone= and ?resolver= with these. */
static void test_zone_and_resolver_checks(void **state)
{
	struct scan_config c = { 0 };
	char *cause = NULL, *z;

	(void)state;
	z = cli_zone_name("Example.COM", &cause);
	assert_string_equal(z, "example.com.");
	free(z);
	assert_null(cli_zone_name("a..b", &cause));
	assert_non_null(strstr(cause, "empty label"));
	free(cause);
	assert_null(cli_zone_name("a/../etc", &cause));
	assert_non_null(strstr(cause, "invalid character '/'"));
	free(cause);
	assert_int_equal(cli_resolver(&c, "office=[::1]@5353", &cause), 0);
	assert_int_equal(cli_resolver(&c, "::1@5353", &cause), 0);	/* the same: once */
	assert_int_equal(c.n_resolvers, 1);
	assert_string_equal(c.resolvers[0].name, "office");
	assert_int_equal(c.resolvers[0].port, 5353);
	assert_int_equal(cli_resolver(&c, "file:///etc/passwd", &cause), -1);
	assert_non_null(strstr(cause, "invalid resolver address"));
	free(cause);
	scan_config_free(&c);
}

static void test_help_version(void **state)
{
	struct options o;
	char *cause;

	(void)state;
	assert_int_equal(parse(&o, &cause, "--help", NULL), 0);
	assert_true(o.show_help);
	options_free(&o);
	assert_int_equal(parse(&o, &cause, "--version", NULL), 0);
	assert_true(o.show_version);
	options_free(&o);
	options_free(NULL);
}

/* Messages name the option as typed and the way it is written. */
static void test_option_messages(void **state)
{
	(void)state;
	assert_usage_error("option --once takes no value: write --once, not --once=yes",
			   "--once=yes", "example.com");
	assert_usage_error("option --json takes no value: write --json, not --json=1",
			   "--json=1", "example.com");
	assert_usage_error("ambiguous option --res: --resolver, --resolv-conf",
			   "--res", "1.1.1.1", "example.com");
	assert_usage_error("--resolver [::1]@53", "--resolver", "[::1]:53", "example.com");
	assert_usage_error("--resolver 192.0.2.1@53", "--resolver", "192.0.2.1:53", "example.com");
	assert_usage_error("unknown option -x", "-x", "example.com");
	assert_usage_error("--color wants auto, always or never, not 'blue'",
			   "--color", "blue", "example.com");
}

static void test_colour(void **state)
{
	struct options o;
	char *cause;

	(void)state;
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	assert_int_equal(parse(&o, &cause, "example.com", NULL), 0);
	assert_true(cli_colour(&o, true));
	assert_false(cli_colour(&o, false));
	setenv("TERM", "dumb", 1);
	assert_false(cli_colour(&o, true));	/* TERM=dumb: no colour */
	setenv("TERM", "xterm", 1);
	setenv("NO_COLOR", "1", 1);
	assert_false(cli_colour(&o, true));
	options_free(&o);
	assert_int_equal(parse(&o, &cause, "--color=always", "example.com", NULL), 0);
	assert_true(cli_colour(&o, false));
	options_free(&o);
	unsetenv("NO_COLOR");
	assert_int_equal(parse(&o, &cause, "--color", "never", "example.com", NULL), 0);
	assert_false(cli_colour(&o, true));
	options_free(&o);
}

/* Config: defaults, resolver sets, profiles; the command line beats them;
 * a bad line is named by file and line. */
static void test_config(void **state)
{
	const char *cfg = write_file("config",
		"# defaults\n"
		"timeout = 1500\n"
		"interval = 10\n"
		"theme = mono\n"
		"resolvers = lab\n"
		"\n"
		"[resolvers lab]\n"
		"resolver = unbound=127.0.10.1\n"
		"resolver = [::1]@5353\n"
		"\n"
		"[profile office]\n"
		"zone = example.test\n"
		"resolver = office=192.0.2.53\n"
		"name = api\n"
		"interval = 5\n");
	struct options o;
	char *cause;

	(void)state;
	assert_int_equal(parse(&o, &cause, "--config", cfg, "example.com", NULL), 0);
	assert_int_equal(o.scan.timeout_ms, 1500);
	assert_int_equal(o.interval_s, 10);
	assert_string_equal(o.theme, "mono");
	assert_int_equal(o.scan.n_resolvers, 2);	/* the set replaces the defaults */
	assert_string_equal(o.scan.resolvers[0].name, "unbound");
	assert_string_equal(o.scan.resolvers[1].address, "::1");
	assert_int_equal(o.scan.resolvers[1].port, 5353);
	options_free(&o);

	/* The profile: its zone, its resolvers, its names, its interval. */
	assert_int_equal(parse(&o, &cause, "--config", cfg, "--profile", "office", NULL), 0);
	assert_string_equal(o.scan.zone, "example.test.");
	assert_int_equal(o.scan.n_resolvers, 1);
	assert_string_equal(o.scan.resolvers[0].name, "office");
	assert_int_equal(o.scan.n_names, 1);
	assert_string_equal(o.scan.names[0], "api.example.test.");
	assert_int_equal(o.interval_s, 5);
	assert_int_equal(o.scan.timeout_ms, 1500);	/* global default still */
	options_free(&o);

	/* The command line beats both. */
	assert_int_equal(parse(&o, &cause, "--config", cfg, "--profile", "office",
			       "--interval", "60", "--resolver", "9.9.9.9",
			       "other.test", NULL), 0);
	assert_string_equal(o.scan.zone, "other.test.");
	assert_int_equal(o.interval_s, 60);
	assert_int_equal(o.scan.n_resolvers, 1);
	assert_string_equal(o.scan.resolvers[0].address, "9.9.9.9");
	options_free(&o);

	/* Mistakes: file:line. */
	assert_usage_error("--profile home: no [profile home]",
			   "--config", cfg, "--profile", "home");
	assert_usage_error(":2: --timeout wants milliseconds",
			   "--config", write_file("bad1", "# x\ntimeout = soon\n"), "example.com");
	assert_usage_error(":1: unknown key 'colour'",
			   "--config", write_file("bad2", "colour = never\n"), "example.com");
	assert_usage_error(":3: want 'key = value'",
			   "--config", write_file("bad3", "\n\ntheme mono\n"), "example.com");
	assert_usage_error(":1: no [resolvers work] section",
			   "--config", write_file("bad4", "resolvers = work\n"), "example.com");
	assert_usage_error(":2: invalid resolver address '[::1]:53'",
			   "--config", write_file("bad5", "[resolvers x]\nresolver = [::1]:53\n"),
			   "example.com");
	assert_usage_error(":1: unknown section",
			   "--config", write_file("bad6", "[zone x]\n"), "example.com");
	assert_usage_error(":2: 'zone' does not belong outside",
			   "--config", write_file("bad7", "\nzone = a.test\n"), "example.com");
	assert_usage_error("cannot read config file",
			   "--config", "/nonexistent/config", "example.com");
	/* --help still works with a broken config. */
	assert_int_equal(parse(&o, &cause, "--config", write_file("bad8", "x\n"), "--help", NULL), 0);
	options_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_builtin_anchors_when_no_file),
		cmocka_unit_test(test_resolvers_and_names),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_monitoring_options),
		cmocka_unit_test(test_serve_options),
		cmocka_unit_test(test_zone_and_resolver_checks),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_option_messages),
		cmocka_unit_test(test_colour),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}

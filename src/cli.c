/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.c - the command line: options, defaults and their errors.
 *
 * Every check a user can fail happens here, before any thread starts or any
 * library sees the input: a bad zone name, a bad address, an unreadable or
 * malformed anchor or hints file all come back as one line and exit code 3.
 * Nothing here prints or exits; main.c does.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "anchor.h"
#include "cli.h"
#include "config_file.h"
#include "file.h"
#include "xmalloc.h"

#define RESOLV_CONF "/etc/resolv.conf"
#define RESOLVER_NAME_MAX 32
#define MAX_NAMES 64

/* Well-known public validating resolvers asked by default. */
static const struct { const char *name, *address; } public_resolvers[] = {
	{ "Cloudflare", "1.1.1.1" },
	{ "Google", "8.8.8.8" },
	{ "Quad9", "9.9.9.9" },
	{ "OpenDNS", "208.67.222.222" },
};

enum {
	OPT_TRUST_ANCHOR = 256, OPT_ROOT_HINTS, OPT_CANARY, OPT_INTERVAL,
	OPT_THEME, OPT_LOG, OPT_RESOLV_CONF, OPT_TRIES, OPT_VERSION, OPT_RUNBOOK,
	OPT_RUNBOOK_STATE, OPT_RECORD, OPT_REPLAY, OPT_EXPORT, OPT_AT,
	OPT_COLOR, OPT_CONFIG, OPT_PROFILE,
	OPT_ZONE, OPT_RESOLVERS,	/* config file only: zone =, resolvers = */
	OPT_NAGIOS, OPT_REQUIRE_SECURE, OPT_DEADLINE, OPT_PROMETHEUS,
	OPT_SERVE, OPT_MAX_PROBES, OPT_RECORD_MAX_SIZE, OPT_DECOY,
};

static const struct option long_options[] = {
	{ "once", no_argument, NULL, '1' },
	{ "json", no_argument, NULL, 'j' },
	{ "resolver", required_argument, NULL, 'r' },
	{ "name", required_argument, NULL, 'n' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "tries", required_argument, NULL, OPT_TRIES },
	{ "trust-anchor", required_argument, NULL, OPT_TRUST_ANCHOR },
	{ "root-hints", required_argument, NULL, OPT_ROOT_HINTS },
	{ "canary", required_argument, NULL, OPT_CANARY },
	{ "decoy", required_argument, NULL, OPT_DECOY },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "resolv-conf", required_argument, NULL, OPT_RESOLV_CONF },
	{ "runbook", required_argument, NULL, OPT_RUNBOOK },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "record-max-size", required_argument, NULL, OPT_RECORD_MAX_SIZE },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "export", required_argument, NULL, OPT_EXPORT },
	{ "at", required_argument, NULL, OPT_AT },
	{ "runbook-state", required_argument, NULL, OPT_RUNBOOK_STATE },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "nagios", no_argument, NULL, OPT_NAGIOS },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "require-secure", no_argument, NULL, OPT_REQUIRE_SECURE },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "prometheus", required_argument, NULL, OPT_PROMETHEUS },
	{ "serve", required_argument, NULL, OPT_SERVE },
	{ "max-probes", required_argument, NULL, OPT_MAX_PROBES },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void cli_usage(FILE *out)
{
	fputs(
"usage: bogus [options] ZONE\n"
"       bogus --serve [ADDR:]PORT [options]\n"
"       bogus --replay FILE [--once [--json]] [--at TIME] [--export FILE.md]\n"
"\n"
"A war-room console for DNSSEC outages: resolvers, chain of trust,\n"
"nameservers and the repair runbook for ZONE, kept live.\n"
"\n"
"  --once                 probe once, print the diagnosis, exit\n"
"  --json                 with --once: print JSON instead of text\n"
"  --resolver [NAME=]ADDR[@PORT]\n"
"                         a resolver to compare (repeatable); replaces the\n"
"                         defaults: /etc/resolv.conf plus Cloudflare, Google,\n"
"                         Quad9 and OpenDNS\n"
"  --name LABEL           an extra name under ZONE to check (repeatable)\n"
"  --trust-anchor FILE    root DS/DNSKEY records (zone-file format); default\n"
"                         /usr/share/dns/root.key, else built-in IANA anchors\n"
"  --root-hints FILE      default /usr/share/dns/root.hints, else built-in\n"
"  --canary NAME          a name known to be bogus (default dnssec-failed.org)\n"
"  --decoy ADDR|none      an address with no DNS server, asked to catch a path\n"
"                         that answers DNS for every address (default\n"
"                         192.0.2.53, TEST-NET-1)\n"
"  --timeout MS           per-try query timeout (default 2000)\n"
"  --tries N              UDP tries per query (default 2)\n"
"  --interval SECONDS     console refresh interval (default 30)\n"
"  --runbook KIND         guide a planned change, gates checked live:\n"
"                         ksk-rollover, zsk-rollover, provider-migration,\n"
"                         algorithm-rollover\n"
"  --runbook-state FILE   remember the runbook's progress between --once runs\n"
"  --theme NAME|FILE      console theme (default, light, high-contrast,\n"
"                         colorblind, mono)\n"
"  --color WHEN           colour: auto (default: a terminal, no NO_COLOR,\n"
"                         TERM not dumb), always or never\n"
"  --log FILE             write a debug log to FILE\n"
"  --resolv-conf FILE     where to find the system resolvers\n"
"  --config FILE          read only this config file (default\n"
"                         /etc/bogus/config, then\n"
"                         $XDG_CONFIG_HOME/bogus/config)\n"
"  --profile NAME         apply the config file's [profile NAME]: zone,\n"
"                         resolvers, names, defaults\n"
"\n"
"Incident record:\n"
"  --record FILE          append every snapshot, event and checklist note\n"
"                         to FILE as JSON Lines (console and --once)\n"
"  --record-max-size SIZE with --record: past SIZE (bytes, k, M, G) FILE\n"
"                         becomes FILE.1 (3 kept) and a new FILE starts\n"
"  --replay FILE          play a recording back: no network; keys . , next/\n"
"                         previous, < > first/last, p play/pause, x speed\n"
"                         (1x 10x 60x); with --once: report its last snapshot\n"
"  --at TIME              with --replay: the snapshot at TIME (Unix seconds\n"
"                         or 2026-11-28T01:40:44Z) instead of the last\n"
"  --export FILE.md       write a postmortem summary in Markdown (with\n"
"                         --once or --replay; in the console: key e)\n"
"Monitoring:\n"
"  --nagios               one Nagios/Icinga status line with perfdata\n"
"  -w, --warning RANGE    with --nagios: warn when the time to the earliest\n"
"                         signature expiry is outside RANGE (Nagios range\n"
"                         syntax, units s m h d: -w 7d: warns under 7 days)\n"
"  -c, --critical RANGE   the same for CRITICAL (-c 2d:)\n"
"  --require-secure       with --nagios: an insecure zone is CRITICAL\n"
"  --prometheus FILE      with --once: also write Prometheus metrics to FILE\n"
"                         (atomically, for node_exporter's textfile collector)\n"
"  --deadline SECONDS     bound the whole --once run; report what was\n"
"                         established by then (default with --nagios: 8;\n"
"                         with --serve: each probe's bound, default 10)\n"
"  --serve [ADDR:]PORT    a Prometheus exporter (no ZONE): GET\n"
"                         /probe?zone=Z[&resolver=...] diagnoses Z, /metrics\n"
"                         the exporter's own; ADDR defaults to 127.0.0.1\n"
"  --max-probes N         with --serve: probes at once, beyond that 503\n"
"                         (default 4)\n"
"  --version, --help\n"
"\n"
"Exit status (--once): 0 secure (or insecure with no problem), 1 degraded,\n"
"2 bogus or unreachable, 3 usage error or internal failure; the console\n"
"exits 0 when quit. See bogus(1).\n",
	      out);
}

/*
 * Validates a domain name in presentation form and returns it absolute and
 * lower-cased. Only LDH labels (plus '_' and '*'-free) are accepted: a zone
 * typed by a human never needs escapes, and IDNs must be given as A-labels.
 */
char *cli_zone_name(const char *in, char **cause)
{
	size_t len = strlen(in), label = 0;
	char *out;

	if (len == 0) {
		*cause = xstrdup("empty domain name");
		return NULL;
	}
	if (strcmp(in, ".") == 0)
		return xstrdup(".");
	if (len > 253 + (in[len - 1] == '.')) {
		*cause = xasprintf("domain name too long (%zu characters)", len);
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '.') {
			if (label == 0) {
				*cause = xstrdup("empty label in domain name");
				return NULL;
			}
			label = 0;
			continue;
		}
		if (c >= 0x80) {
			*cause = xstrdup("non-ASCII domain name: give the A-label (xn--) form");
			return NULL;
		}
		if (!isalnum(c) && c != '-' && c != '_') {
			*cause = xasprintf("invalid character '%s%c' in domain name",
					   isprint(c) ? "" : "\\", isprint(c) ? c : '?');
			return NULL;
		}
		if (++label > 63) {
			*cause = xstrdup("label longer than 63 characters in domain name");
			return NULL;
		}
	}
	out = xasprintf("%s%s", in, in[len - 1] == '.' ? "" : ".");
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

static int parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static bool valid_address(const char *a)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, a, buf) == 1 || inet_pton(AF_INET6, a, buf) == 1;
}

static void add_resolver(struct scan_config *c, const char *name,
			 const char *address, uint16_t port, bool from_system)
{
	struct resolver_spec *r;

	for (size_t i = 0; i < c->n_resolvers; i++)
		if (strcmp(c->resolvers[i].address, address) == 0 &&
		    c->resolvers[i].port == port)
			return;	/* asked once is enough */
	r = XAPPEND(c->resolvers, c->n_resolvers);
	r->name = xstrdup(name);
	r->address = xstrdup(address);
	r->port = port;
	r->from_system = from_system;
}

/* Why ADDR is not an address, with the accepted spelling when the user
 * wrote the port the URL way ("[::1]:53", "192.0.2.1:53"). */
static char *resolver_syntax_hint(const char *addr)
{
	const char *close = strstr(addr, "]:"), *colon = strrchr(addr, ':');
	unsigned char buf[16];

	if (addr[0] == '[' && close != NULL)
		return xasprintf("invalid resolver address '%s': the port goes after"
				 " '@': --resolver %.*s]@%s", addr,
				 (int)(close - addr), addr, close + 2);
	if (colon != NULL && strchr(addr, ':') == colon) {
		char *v4 = xstrndup(addr, (size_t)(colon - addr));
		int ok = inet_pton(AF_INET, v4, buf) == 1;

		free(v4);
		if (ok)
			return xasprintf("invalid resolver address '%s': the port goes"
					 " after '@': --resolver %.*s@%s", addr,
					 (int)(colon - addr), addr, colon + 1);
	}
	return xasprintf("invalid resolver address '%s' (want [NAME=]ADDR[@PORT]:"
			 " 192.0.2.1, 192.0.2.1@5353, ::1 or [::1]@5353)", addr);
}

int cli_resolver(struct scan_config *c, const char *spec, char **cause)
{
	const char *eq = strchr(spec, '=');
	char *name = NULL, *addr, *at;
	unsigned port = 53;
	int ret = -1;

	if (eq != NULL) {
		name = xstrndup(spec, (size_t)(eq - spec));
		spec = eq + 1;
		if (*name == '\0' || strlen(name) > RESOLVER_NAME_MAX) {
			*cause = xasprintf("resolver name must be 1 to %d characters",
					   RESOLVER_NAME_MAX);
			goto out_name;
		}
		for (char *p = name; *p; p++) {
			if (!isgraph((unsigned char)*p)) {
				*cause = xstrdup("resolver name may hold only printable characters without spaces");
				goto out_name;
			}
		}
	}
	addr = xstrdup(spec);
	if ((at = strrchr(addr, '@')) != NULL) {
		*at = '\0';
		if (parse_uint(at + 1, 1, 65535, &port) != 0) {
			*cause = xasprintf("invalid port in resolver '%s'", spec);
			goto out;
		}
	}
	if (addr[0] == '[' && addr[strlen(addr) - 1] == ']') {
		memmove(addr, addr + 1, strlen(addr));
		addr[strlen(addr) - 1] = '\0';
	}
	if (!valid_address(addr)) {
		*cause = resolver_syntax_hint(addr);
		goto out;
	}
	add_resolver(c, name ? name : addr, addr, (uint16_t)port, false);
	ret = 0;
out:
	free(addr);
out_name:
	free(name);
	return ret;
}

/* The system's resolvers: "nameserver ADDR" lines; a bad line is skipped. */
static void add_system_resolvers(struct scan_config *c, const char *path)
{
	char line[512], *why = NULL;
	FILE *f = file_open_regular(path, "resolv.conf", 0, &why);
	int n = 0;

	free(why);	/* no system resolvers is not an error */
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL && n < 8) {
		char addr[INET6_ADDRSTRLEN + 1], *pct, name[32];

		if (sscanf(line, " nameserver %46s", addr) != 1)
			continue;
		if ((pct = strchr(addr, '%')) != NULL)
			*pct = '\0';	/* link-local zone index */
		if (!valid_address(addr))
			continue;
		snprintf(name, sizeof(name), "system-%d", ++n);
		add_resolver(c, name, addr, 53, true);
	}
	fclose(f);
}

/* A --name: a label (or labels) under the zone, or an absolute name in it. */
static int add_name(struct scan_config *c, const char *arg, char **cause)
{
	char *rel = cli_zone_name(arg, cause), *abs;
	size_t zl, rl;

	if (rel == NULL)
		return -1;
	zl = strlen(c->zone);
	rl = strlen(rel);
	if (arg[strlen(arg) - 1] == '.' &&
	    (strcmp(c->zone, ".") == 0 ||
	     (rl >= zl && strcmp(rel + rl - zl, c->zone) == 0 &&
	      (rl == zl || rel[rl - zl - 1] == '.')))) {
		abs = rel;	/* already absolute and inside the zone */
	} else if (arg[strlen(arg) - 1] == '.') {
		*cause = xasprintf("--name %s is not under the zone %s", arg, c->zone);
		free(rel);
		return -1;
	} else {
		rel[rl - 1] = '\0';
		abs = xasprintf("%s.%s", rel, strcmp(c->zone, ".") ? c->zone : "");
		free(rel);
		if (strlen(abs) > 254) {
			*cause = xasprintf("--name %s makes a name too long", arg);
			free(abs);
			return -1;
		}
	}
	if (c->n_names >= MAX_NAMES) {
		*cause = xasprintf("too many --name options (at most %d)", MAX_NAMES);
		free(abs);
		return -1;
	}
	*XAPPEND(c->names, c->n_names) = abs;
	return 0;
}

/* --at: Unix seconds, or ISO 8601 UTC "2026-11-28T01:40:44Z" (the 'T'
 * may be a space, the 'Z' may be left out). */
/*
 * --at: Unix seconds, or an RFC 3339 time: 2026-11-28T01:40:44Z, with
 * 'T' or a space, fractions of a second ignored, and Z or a +hh:mm/-hh:mm
 * offset. Impossible dates (February 30, hour 24) are errors, not
 * normalised into another day.
 */
static int parse_time(const char *s, int64_t *out)
{
	struct tm tm = { 0 }, back;
	const char *p;
	char sep;
	long long v;
	int n = 0, oh, om, year, mon;
	time_t t;
	int64_t offset = 0;

	if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &year, &mon,
		   &tm.tm_mday, &sep, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) == 7 &&
	    n == 19) {
		p = s + n;
		if (*p == '.') {	/* fraction: ignored */
			for (p++; isdigit((unsigned char)*p); p++)
				;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) &&
			   isdigit((unsigned char)p[2]) && p[3] == ':' &&
			   isdigit((unsigned char)p[4]) && isdigit((unsigned char)p[5])) {
			oh = (p[1] - '0') * 10 + (p[2] - '0');
			om = (p[4] - '0') * 10 + (p[5] - '0');
			if (oh > 23 || om > 59)
				return -1;
			offset = (oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
			p += 6;
		} else if (*p != '\0') {
			return -1;
		}
		if (*p != '\0' || (sep != 'T' && sep != 't' && sep != ' ') ||
		    year < 1970 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
			return -1;
		tm.tm_year = year - 1900;
		tm.tm_mon = mon - 1;
		if (tm.tm_sec == 60)
			tm.tm_sec = 59;	/* a leap second: its second's start */
		back = tm;
		t = timegm(&tm);
		/* timegm() normalises February 30 into March 2: refuse that. */
		if (tm.tm_mday != back.tm_mday || tm.tm_mon != back.tm_mon ||
		    tm.tm_year != back.tm_year)
			return -1;
		*out = (int64_t)t - offset;
		return 0;
	}
	if (isdigit((unsigned char)*s) && sscanf(s, "%lld%n", &v, &n) == 1 &&
	    s[n] == '\0') {
		*out = v;
		return 0;
	}
	return -1;
}

/*
 * Where a value comes from. A repeatable option (--resolver, --name) given
 * at a higher level replaces the lower level's list: the command line
 * beats the profile, which beats the config file's defaults.
 */
enum level { LEVEL_NONE, LEVEL_CONFIG, LEVEL_PROFILE, LEVEL_CLI };

struct parse_state {
	struct options *o;
	enum level level;
	const char *anchor_path, *hints_path, *canary, *decoy, *zone;
	const char **resolver_specs, **name_args;
	size_t n_resolver_specs, n_name_args;
	enum level resolvers_level, names_level;
	bool json, nagios;
	const char *config_path, *profile;
	struct config_file cf;
};

static void add_spec(const char ***v, size_t *n, enum level *at,
		     enum level level, const char *arg)
{
	if (level > *at) {
		*n = 0;	/* a higher level replaces the list */
		*at = level;
	}
	*XAPPEND(*v, *n) = arg;
}

/* One option's value, from the command line or a config line. */
static int apply_option(struct parse_state *ps, int opt, const char *arg,
			char **cause)
{
	struct options *o = ps->o;
	struct scan_config *c = &o->scan;
	unsigned v;

	switch (opt) {
	case '1': o->once = true; break;
	case 'j': ps->json = true; break;
	case 'r':
		if (ps->level != LEVEL_CLI) {
			/* Check it now, while its file and line are known. */
			struct scan_config scratch = { 0 };
			int r = cli_resolver(&scratch, arg, cause);

			scan_config_free(&scratch);
			if (r != 0)
				return -1;
		}
		add_spec(&ps->resolver_specs, &ps->n_resolver_specs,
			 &ps->resolvers_level, ps->level, arg);
		break;
	case 'n':
		add_spec(&ps->name_args, &ps->n_name_args, &ps->names_level,
			 ps->level, arg);
		break;
	case 'T':
		if (parse_uint(arg, 1, 60000, &c->timeout_ms) != 0) {
			*cause = xasprintf("--timeout wants milliseconds from 1 to 60000, not '%s'", arg);
			return -1;
		}
		break;
	case OPT_TRIES:
		if (parse_uint(arg, 1, 10, &c->tries) != 0) {
			*cause = xasprintf("--tries wants a number from 1 to 10, not '%s'", arg);
			return -1;
		}
		break;
	case OPT_TRUST_ANCHOR: ps->anchor_path = arg; break;
	case OPT_ROOT_HINTS: ps->hints_path = arg; break;
	case OPT_CANARY: ps->canary = arg; break;
	case OPT_DECOY:
		if (strcmp(arg, "none") != 0 && !valid_address(arg)) {
			*cause = xasprintf("--decoy wants a numeric IPv4/IPv6 address or 'none', not '%s'", arg);
			return -1;
		}
		ps->decoy = arg;
		break;
	case OPT_INTERVAL:
		if (parse_uint(arg, 1, 86400, &v) != 0) {
			*cause = xasprintf("--interval wants seconds from 1 to 86400, not '%s'", arg);
			return -1;
		}
		o->interval_s = v;
		break;
	case OPT_THEME: free(o->theme); o->theme = xstrdup(arg); break;
	case OPT_LOG: free(o->log_file); o->log_file = xstrdup(arg); break;
	case OPT_RESOLV_CONF: free(o->resolv_conf); o->resolv_conf = xstrdup(arg); break;
	case OPT_RUNBOOK:
		if (runbook_kind_parse(arg, &o->runbook) != 0) {
			*cause = xasprintf("unknown --runbook '%s' (ksk-rollover, zsk-rollover, provider-migration, algorithm-rollover)", arg);
			return -1;
		}
		o->has_runbook = true;
		break;
	case OPT_RECORD: free(o->record_file); o->record_file = xstrdup(arg); break;
	case OPT_RECORD_MAX_SIZE: {
		char *end;
		unsigned long long sz;

		errno = 0;
		sz = strtoull(arg, &end, 10);
		if (*end == 'k' || *end == 'K')
			sz <<= 10, end++;
		else if (*end == 'M')
			sz <<= 20, end++;
		else if (*end == 'G')
			sz <<= 30, end++;
		if (!isdigit((unsigned char)*arg) || errno != 0 || *end != '\0' ||
		    sz < 4096 || sz > (1ULL << 40)) {
			*cause = xasprintf("--record-max-size wants a size from 4k to 1024G (bytes, or k M G), not '%s'", arg);
			return -1;
		}
		o->record_max_size = sz;
		break;
	}
	case OPT_REPLAY: free(o->replay_file); o->replay_file = xstrdup(arg); break;
	case OPT_EXPORT: free(o->export_file); o->export_file = xstrdup(arg); break;
	case OPT_AT:
		if (parse_time(arg, &o->at) != 0) {
			*cause = xasprintf("--at wants Unix seconds or an RFC 3339 time like 2026-11-28T01:40:44Z or 2026-11-28T02:40:44+01:00, not '%s'", arg);
			return -1;
		}
		o->has_at = true;
		break;
	case OPT_RUNBOOK_STATE:
		free(o->runbook_state);
		o->runbook_state = xstrdup(arg);
		break;
	case OPT_COLOR:
		if (strcmp(arg, "auto") == 0)
			o->colour = COLOUR_AUTO;
		else if (strcmp(arg, "always") == 0)
			o->colour = COLOUR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			o->colour = COLOUR_NEVER;
		else {
			*cause = xasprintf("--color wants auto, always or never, not '%s'", arg);
			return -1;
		}
		break;
	case OPT_NAGIOS: ps->nagios = true; break;
	case 'w':
	case 'c':
		if (nagios_range_parse(arg, opt == 'w' ? &o->nagios.warning :
				       &o->nagios.critical, cause) != 0) {
			char *why = *cause;

			*cause = xasprintf("%s: %s", opt == 'w' ? "--warning" : "--critical", why);
			free(why);
			return -1;
		}
		break;
	case OPT_REQUIRE_SECURE: o->nagios.require_secure = true; break;
	case OPT_PROMETHEUS:
		free(o->prometheus_file);
		o->prometheus_file = xstrdup(arg);
		o->once = true;	/* metrics of one run; the exporter is --serve */
		break;
	case OPT_SERVE:
		free(o->serve_addr);
		o->serve_addr = xstrdup(arg);
		break;
	case OPT_MAX_PROBES:
		if (parse_uint(arg, 1, 64, &o->max_probes) != 0) {
			*cause = xasprintf("--max-probes wants a number from 1 to 64, not '%s'", arg);
			return -1;
		}
		break;
	case OPT_DEADLINE:
		if (parse_uint(arg, 1, 3600, &o->deadline_s) != 0) {
			*cause = xasprintf("--deadline wants seconds from 1 to 3600, not '%s'", arg);
			return -1;
		}
		break;
	case OPT_CONFIG: case OPT_PROFILE: break;	/* read before the others */
	case OPT_ZONE: ps->zone = arg; break;
	case OPT_VERSION: o->show_version = true; break;
	case 'h': o->show_help = true; break;
	default:
		*cause = xstrdup("internal error: unhandled option");
		return -1;
	}
	return 0;
}

/* Why getopt refused argv[optind - 1]: named as typed, with the way it
 * is written when the user only spelled it differently. */
static char *bad_option(const char *typed, int opt)
{
	const char *name, *match = NULL;
	char list[256] = "";
	size_t len, n = 0;
	bool exact = false;

	if (typed == NULL || strncmp(typed, "--", 2) != 0) {
		if (opt != 0 && isprint(opt))
			return xasprintf("unknown option -%c (try --help)", opt);
		return xasprintf("unknown option %s (try --help)", typed ? typed : "?");
	}
	name = typed + 2;
	len = strcspn(name, "=");
	for (const struct option *lo = long_options; lo->name != NULL; lo++) {
		if (strncmp(lo->name, name, len) != 0)
			continue;
		if (strlen(lo->name) == len) {
			exact = true;
			match = lo->name;
			break;
		}
		match = lo->name;
		n++;
		if (strlen(list) + strlen(lo->name) + 5 < sizeof(list)) {
			strcat(list, n > 1 ? ", --" : "--");
			strcat(list, lo->name);
		}
	}
	if (!exact && n > 1)
		return xasprintf("ambiguous option --%.*s: %s (write it out)",
				 (int)len, name, list);
	if ((exact || n == 1) && name[len] == '=')
		return xasprintf("option --%s takes no value: write --%s, not %s",
				 match, match, typed);
	return xasprintf("unknown option %s (try --help)", typed);
}

/* Config keys: the long options that make sense as defaults, plus zone
 * and resolvers (a [resolvers NAME] set) in profiles. */
static const struct {
	const char *key;
	int opt;
	unsigned where;		/* bits: 1 global, 2 profile, 4 resolver set */
} config_keys[] = {
	{ "theme", OPT_THEME, 3 }, { "interval", OPT_INTERVAL, 3 },
	{ "timeout", 'T', 3 }, { "tries", OPT_TRIES, 3 },
	{ "trust-anchor", OPT_TRUST_ANCHOR, 3 },
	{ "root-hints", OPT_ROOT_HINTS, 3 }, { "canary", OPT_CANARY, 3 },
	{ "decoy", OPT_DECOY, 3 },
	{ "color", OPT_COLOR, 3 }, { "resolv-conf", OPT_RESOLV_CONF, 3 },
	{ "resolver", 'r', 7 }, { "resolvers", OPT_RESOLVERS, 3 },
	{ "name", 'n', 2 }, { "zone", OPT_ZONE, 2 },
};

static int apply_entry(struct parse_state *ps, const struct config_entry *e,
		       char **cause);

/* resolvers = NAME: every resolver line of the [resolvers NAME] sections. */
static int apply_set(struct parse_state *ps, const struct config_entry *at,
		     char **cause)
{
	bool found = false;

	for (size_t i = 0; i < ps->cf.n_entries; i++) {
		const struct config_entry *e = &ps->cf.entries[i];

		if (e->section != CONFIG_RESOLVERS ||
		    strcmp(e->section_name, at->value) != 0)
			continue;
		found = true;
		if (apply_entry(ps, e, cause) != 0)
			return -1;
	}
	if (!found) {
		*cause = xasprintf("%s:%u: no [resolvers %s] section", at->file,
				   at->line, at->value);
		return -1;
	}
	return 0;
}

static int apply_entry(struct parse_state *ps, const struct config_entry *e,
		       char **cause)
{
	unsigned bit = e->section == CONFIG_GLOBAL ? 1 :
		       e->section == CONFIG_PROFILE ? 2 : 4;
	char *why = NULL;

	for (size_t i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++) {
		if (strcmp(config_keys[i].key, e->key) != 0)
			continue;
		if (!(config_keys[i].where & bit)) {
			*cause = xasprintf("%s:%u: '%s' does not belong %s", e->file,
					   e->line, e->key,
					   bit == 1 ? "outside a [profile NAME]" :
					   bit == 2 ? "in a [profile NAME]" :
					   "in a [resolvers NAME] set (only resolver = ...)");
			return -1;
		}
		if (config_keys[i].opt == OPT_RESOLVERS)
			return apply_set(ps, e, cause);
		if (apply_option(ps, config_keys[i].opt, e->value, &why) != 0) {
			*cause = xasprintf("%s:%u: %s", e->file, e->line, why);
			free(why);
			return -1;
		}
		return 0;
	}
	*cause = xasprintf("%s:%u: unknown key '%s' (see CONFIGURATION in bogus(1))",
			   e->file, e->line, e->key);
	return -1;
}

/* A line of a profile or set that may not be used this time, applied to
 * a scratch state so that its mistakes surface anyway. */
static int check_entry(const struct parse_state *ps,
		       const struct config_entry *e, char **cause)
{
	struct options scratch = { 0 };
	struct parse_state sps = { .o = &scratch, .level = LEVEL_PROFILE,
				   .cf = ps->cf };	/* borrowed */
	int r = apply_entry(&sps, e, cause);

	free(sps.resolver_specs);
	free(sps.name_args);
	options_free(&scratch);
	return r;
}

/* The config files, then the --profile; the command line comes after. */
static int apply_config(struct parse_state *ps, char **cause)
{
	bool have_profile = false;

	if (ps->config_path != NULL) {
		if (config_file_read(&ps->cf, ps->config_path, true, cause) != 0)
			return -1;
	} else {
		char *user = config_file_user_path();
		int r = config_file_read(&ps->cf, CLI_SYSTEM_CONFIG, false, cause);

		if (r == 0 && user != NULL)
			r = config_file_read(&ps->cf, user, false, cause);
		free(user);
		if (r != 0)
			return -1;
	}
	ps->level = LEVEL_CONFIG;
	for (size_t i = 0; i < ps->cf.n_entries; i++) {
		const struct config_entry *e = &ps->cf.entries[i];

		/* Every line is checked, used or not: a typo in a profile
		 * shows the day it is written, not the day it is needed. */
		if (e->section == CONFIG_GLOBAL) {
			if (apply_entry(ps, e, cause) != 0)
				return -1;
		} else if (check_entry(ps, e, cause) != 0) {
			return -1;
		}
	}
	if (ps->profile == NULL)
		return 0;
	ps->level = LEVEL_PROFILE;
	for (size_t i = 0; i < ps->cf.n_entries; i++) {
		const struct config_entry *e = &ps->cf.entries[i];

		if (e->section != CONFIG_PROFILE ||
		    strcmp(e->section_name, ps->profile) != 0)
			continue;
		have_profile = true;
		if (apply_entry(ps, e, cause) != 0)
			return -1;
	}
	if (!have_profile) {
		*cause = xasprintf("--profile %s: no [profile %s] in %s", ps->profile,
				   ps->profile, ps->cf.n_files > 0 ?
				   ps->cf.files[ps->cf.n_files - 1] :
				   "any config file (" CLI_SYSTEM_CONFIG
				   ", $XDG_CONFIG_HOME/bogus/config)");
		return -1;
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct options *o, char **cause)
{
	struct parse_state ps = { .o = o };
	struct scan_config *c = &o->scan;
	const char *shortopts = ":hjr:n:T:w:c:";
	char **first;
	int opt, ret = -1;

	*o = (struct options){ 0 };
	*cause = NULL;
	o->interval_s = CLI_DEFAULT_INTERVAL_S;
	c->timeout_ms = CONFIG_DEFAULT_TIMEOUT_MS;
	c->tries = CONFIG_DEFAULT_TRIES;
	c->edns_bufsize = CONFIG_DEFAULT_BUFSIZE;
	c->max_sig_checks = CONFIG_DEFAULT_MAX_SIG_CHECKS;
	c->max_nsec3_iterations = CONFIG_DEFAULT_NSEC3_ITERATIONS;

	/*
	 * First pass: which config and profile (errors wait for the second).
	 * On a copy: getopt permutes what it reads.
	 */
	first = xcalloc((size_t)argc + 1, sizeof(*first));
	memcpy(first, argv, (size_t)argc * sizeof(*first));
	optind = 0;	/* full re-initialisation: cli_parse may run twice */
	opterr = 0;
	while ((opt = getopt_long(argc, first, shortopts, long_options, NULL)) != -1) {
		if (opt == OPT_CONFIG)
			ps.config_path = optarg;
		else if (opt == OPT_PROFILE)
			ps.profile = optarg;
		else if (opt == 'h' || opt == OPT_VERSION)
			o->show_help |= opt == 'h', o->show_version |= opt == OPT_VERSION;
	}
	free(first);
	/* --help and --version work whatever the config files say. */
	if (!o->show_help && !o->show_version && apply_config(&ps, cause) != 0)
		goto out;

	ps.level = LEVEL_CLI;
	optind = 0;
	while ((opt = getopt_long(argc, argv, shortopts, long_options, NULL)) != -1) {
		switch (opt) {
		case ':':
			*cause = xasprintf("option %s needs a value", argv[optind - 1]);
			goto out;
		case '?':
			*cause = bad_option(argv[optind - 1], optopt);
			goto out;
		default:
			if (apply_option(&ps, opt, optarg, cause) != 0)
				goto out;
		}
	}
	if ((o->nagios.warning.set || o->nagios.critical.set ||
	     o->nagios.require_secure) && !ps.nagios) {
		*cause = xstrdup("-w, -c and --require-secure go with --nagios");
		goto out;
	}
	if (ps.nagios && (ps.json || o->has_runbook)) {
		*cause = xasprintf("--nagios does not go with %s", ps.json ? "--json" : "--runbook");
		goto out;
	}
	if (o->serve_addr != NULL) {
		const char *clash = ps.nagios ? "--nagios" : ps.json ? "--json" :
			o->once ? "--once" : o->has_runbook ? "--runbook" :
			o->record_file ? "--record" : o->replay_file ? "--replay" :
			o->export_file ? "--export" : ps.n_name_args ? "--name" : NULL;

		if (clash != NULL) {
			*cause = xasprintf("--serve does not go with %s (each request names its zone)", clash);
			goto out;
		}
		if (optind < argc) {
			*cause = xasprintf("--serve takes no zone: each request names one (/probe?zone=%s)", argv[optind]);
			goto out;
		}
	} else if (o->max_probes != 0) {
		*cause = xstrdup("--max-probes goes with --serve");
		goto out;
	}
	if (ps.nagios) {
		o->once = true;
		if (o->deadline_s == 0)
			o->deadline_s = CLI_NAGIOS_DEADLINE_S;
	}
	if (o->deadline_s != 0 && !o->once && !ps.json && o->serve_addr == NULL) {
		*cause = xstrdup("--deadline bounds a --once run (or --json, --nagios)");
		goto out;
	}
	if (o->runbook_state != NULL && !o->has_runbook) {
		*cause = xstrdup("--runbook-state needs --runbook");
		goto out;
	}
	if (o->show_help || o->show_version) {
		ret = 0;
		goto out;
	}
	if (o->record_max_size != 0 && o->record_file == NULL) {
		*cause = xstrdup("--record-max-size goes with --record FILE");
		goto out;
	}
	if (o->replay_file != NULL && o->record_file != NULL) {
		*cause = xstrdup("--record and --replay do not go together (a replay is already recorded)");
		goto out;
	}
	if (o->has_at && o->replay_file == NULL) {
		*cause = xstrdup("--at needs --replay FILE");
		goto out;
	}
	if (o->replay_file != NULL && optind >= argc) {
		/* The zone comes from the recording (app.c). */
		o->mode = ps.nagios ? OUTPUT_NAGIOS : ps.json ? OUTPUT_JSON :
			  o->once ? OUTPUT_TEXT : OUTPUT_TUI;
		o->once = o->once || ps.json;
		ret = 0;
		goto out;
	}
	if (optind < argc)
		ps.zone = argv[optind];
	if (o->serve_addr != NULL) {
		ps.zone = NULL;	/* a profile's zone: each request names its own */
		goto resolvers;
	}
	if (ps.zone == NULL) {
		*cause = xstrdup("no zone given (usage: bogus [options] ZONE, or a --profile with zone = ...)");
		goto out;
	}
	if (optind + 1 < argc) {
		*cause = xasprintf("one zone at a time: unexpected '%s'", argv[optind + 1]);
		goto out;
	}
	if ((c->zone = cli_zone_name(ps.zone, cause)) == NULL) {
		char *why = *cause;

		*cause = xasprintf("invalid zone '%s': %s", ps.zone, why);
		free(why);
		goto out;
	}
	o->mode = ps.nagios ? OUTPUT_NAGIOS : ps.json ? OUTPUT_JSON :
		  o->once ? OUTPUT_TEXT : OUTPUT_TUI;
	if (ps.json && !o->once)
		o->once = true;	/* JSON is a report: there is no JSON console */
resolvers:

	for (size_t i = 0; i < ps.n_resolver_specs; i++)
		if (cli_resolver(c, ps.resolver_specs[i], cause) != 0)
			goto out;
	if (ps.n_resolver_specs == 0) {
		add_system_resolvers(c, o->resolv_conf ? o->resolv_conf : RESOLV_CONF);
		for (size_t i = 0; i < sizeof(public_resolvers) / sizeof(public_resolvers[0]); i++)
			add_resolver(c, public_resolvers[i].name,
				     public_resolvers[i].address, 53, false);
	}
	for (size_t i = 0; i < ps.n_name_args; i++)
		if (add_name(c, ps.name_args[i], cause) != 0)
			goto out;
	if ((c->canary = cli_zone_name(ps.canary ? ps.canary : CONFIG_DEFAULT_CANARY,
					cause)) == NULL) {
		char *why = *cause;

		*cause = xasprintf("invalid --canary: %s", why);
		free(why);
		goto out;
	}
	if (ps.decoy == NULL || strcmp(ps.decoy, "none") != 0)
		c->decoy = xstrdup(ps.decoy ? ps.decoy : CONFIG_DEFAULT_DECOY);
	if (anchor_load(ps.anchor_path, &c->anchor_text, &c->anchor_source, cause) != 0)
		goto out;
	if (hints_load(ps.hints_path, &c->hints_text, &c->hints_source, cause) != 0)
		goto out;
	ret = 0;
out:
	free(ps.resolver_specs);
	free(ps.name_args);
	config_file_free(&ps.cf);
	if (ret != 0)
		options_free(o);
	return ret;
}

bool cli_colour(const struct options *o, bool is_terminal)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (o->colour == COLOUR_ALWAYS)
		return true;
	if (o->colour == COLOUR_NEVER)
		return false;
	return is_terminal && (no_color == NULL || *no_color == '\0') &&
	       (term == NULL || strcmp(term, "dumb") != 0);
}

void options_free(struct options *o)
{
	if (o == NULL)
		return;
	scan_config_free(&o->scan);
	free(o->theme);
	free(o->log_file);
	free(o->resolv_conf);
	free(o->record_file);
	free(o->replay_file);
	free(o->export_file);
	free(o->runbook_state);
	free(o->prometheus_file);
	free(o->serve_addr);
	*o = (struct options){ 0 };
}

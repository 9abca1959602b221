/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.h - what to probe and how, as decided by the command line.
 *
 * Built by cli.c, read (never written) by the probe engine. Owns its strings;
 * scan_config_free() releases them.
 */
#ifndef BOGUS_CONFIG_H
#define BOGUS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct resolver_spec {
	char *name;		/* readable: "Cloudflare", "system-1", user's NAME */
	char *address;		/* numeric IPv4 or IPv6, no brackets */
	uint16_t port;
	bool from_system;	/* taken from /etc/resolv.conf */
};

struct scan_config {
	char *zone;		/* absolute and lower-cased: "example.com." */
	struct resolver_spec *resolvers;
	size_t n_resolvers;
	/*
	 * The trust anchor in zone-file format (DS and/or DNSKEY RRs for "."),
	 * already checked by anchor_load(); anchor_source names where it came
	 * from ("/usr/share/dns/root.key" or "built-in").
	 */
	char *anchor_text;
	char *anchor_source;
	/* Root hints in zone-file format (NS + A/AAAA), checked likewise. */
	char *hints_text;
	char *hints_source;
	char **names;		/* extra absolute names under the zone */
	size_t n_names;
	char *canary;		/* absolute name known to be bogus */
	/* An address where no DNS server runs, asked ". SOA" to catch a path
	 * that answers DNS for every address; NULL: not asked. */
	char *decoy;
	unsigned timeout_ms;	/* per try */
	unsigned tries;		/* tries per query (UDP), >= 1 */
	unsigned edns_bufsize;	/* 1232 by default */
	unsigned max_sig_checks;	/* crypto verifications per RRset */
	unsigned max_nsec3_iterations;	/* RFC 9276 / Unbound: 150 */
	int64_t fixed_now;	/* tests: pretend it is this Unix time; 0 off */
};

#define CONFIG_DEFAULT_TIMEOUT_MS 2000
#define CONFIG_DEFAULT_TRIES 2
#define CONFIG_DEFAULT_BUFSIZE 1232
#define CONFIG_DEFAULT_MAX_SIG_CHECKS 16
#define CONFIG_DEFAULT_NSEC3_ITERATIONS 150
#define CONFIG_DEFAULT_CANARY "dnssec-failed.org."
/* TEST-NET-1 (RFC 5737): documentation only, never a DNS server. */
#define CONFIG_DEFAULT_DECOY "192.0.2.53"

void scan_config_free(struct scan_config *cfg);

#endif

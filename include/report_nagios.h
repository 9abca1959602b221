/*
 * report_nagios.h - the --nagios status line (Nagios plugin guidelines).
 *
 * One line, "DNSSEC STATUS - text | perfdata", and the plugin exit code:
 * 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. The text never holds a '|' or a
 * control byte (network strings are escaped). Thresholds apply to the time
 * left until the earliest signature on the zone expires, in Nagios range
 * syntax with unit suffixes (s, m, h, d). Pure: reads the evidence and the
 * diagnosis, writes only to the FILE it is given.
 */
#ifndef BOGUS_REPORT_NAGIOS_H
#define BOGUS_REPORT_NAGIOS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "evidence.h"

/*
 * A Nagios range: alert when the value is outside [start, end] (inside
 * when @inside). "10" is 0:10, "10:" is 10:inf, "~:10" is -inf:10,
 * "@10:20" alerts inside 10..20.
 */
struct nagios_range {
	bool set;
	bool inside;
	bool no_start;		/* "~": minus infinity */
	bool no_end;		/* "N:": plus infinity */
	double start, end;	/* seconds */
	char text[48];		/* as given, for the status line */
};

struct nagios_opts {
	struct nagios_range warning, critical;
	bool require_secure;	/* an insecure zone is CRITICAL */
	unsigned deadline_s;	/* the run's bound, for the text; 0 none */
	bool deadline_hit;	/* the deadline cut the probe short */
};

/**
 * Parses @p s ("7d:", "~:3600", "@1h:2h", "10") into @p r.
 * @param[out] cause on error a new one-line message; caller frees.
 * @return 0, or -1 on a malformed range.
 */
int nagios_range_parse(const char *s, struct nagios_range *r, char **cause);

/** Whether @p v is an alert under @p r (false when @p r is not set). */
bool nagios_range_alerts(const struct nagios_range *r, double v);

/**
 * The earliest RRSIG expiration seen on the zone itself (its nameservers'
 * signatures and its DNSKEY RRset's), or 0 when none was seen.
 */
int64_t nagios_earliest_expiry(const struct evidence *ev);

/**
 * Writes the status line for @p ev / @p d at @p now.
 * @return the plugin exit code (0-3); 3 also on a write error.
 */
int report_nagios(FILE *out, const struct evidence *ev,
		  const struct diagnosis *d, const struct nagios_opts *o,
		  int64_t now);

#endif

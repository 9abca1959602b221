/*
 * report_prom.h - the diagnosis as Prometheus metrics (text exposition
 * format 0.0.4), for the node_exporter textfile collector (--prometheus).
 *
 * Metric names and labels are made for alerting: bogus_verdict{zone,
 * verdict} (1 for the current verdict, 0 for the others),
 * bogus_finding{zone,id,severity,actor}, bogus_rrsig_expiry_timestamp_seconds
 * {zone,owner,type,key_tag}, bogus_resolver_answer{zone,resolver,
 * validating,rcode,ede} (answers counted), bogus_probe_duration_seconds
 * {zone} and bogus_last_run_timestamp_seconds{zone}. Label values from the
 * network are escaped (escape_text, then the format's own escapes).
 */
#ifndef BOGUS_REPORT_PROM_H
#define BOGUS_REPORT_PROM_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "evidence.h"

/** Writes the metrics. Returns 0, or -1 on a write error. */
int report_prometheus(FILE *out, const struct evidence *ev,
		      const struct diagnosis *d, int64_t now);

/**
 * Replaces @p path atomically: writes a temporary file beside it, fsyncs
 * it, renames it over @p path and fsyncs the directory, so that a
 * collector never reads half a file.
 * @param[out] cause on error a new one-line message; caller frees.
 * @return 0 or -1.
 */
int report_prometheus_file(const char *path, const struct evidence *ev,
			   const struct diagnosis *d, int64_t now, char **cause);

#endif

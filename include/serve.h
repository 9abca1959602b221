/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * serve.h - bogus --serve: a Prometheus exporter in the multi-target
 * pattern of blackbox_exporter, on libmicrohttpd.
 *
 *   GET /probe?zone=Z[&resolver=[NAME=]ADDR[@PORT]]...
 *       one diagnosis of Z, bounded by --deadline (default 10 s) and by
 *       Prometheus' X-Prometheus-Scrape-Timeout-Seconds, at most
 *       --max-probes at once (503 beyond); the metrics of --prometheus.
 *   GET /metrics   the exporter's own: requests, probe durations, errors.
 *   anything else  404 (405 for a method other than GET/HEAD).
 *
 * A request can only choose the zone and the resolvers asked (by DNS):
 * it cannot write a file or make bogus speak anything but DNS. Bad
 * parameters get 400 and one line saying why.
 */
#ifndef BOGUS_SERVE_H
#define BOGUS_SERVE_H

#include "cli.h"

/* Each probe's bound when --deadline is not given. */
#define SERVE_DEFAULT_DEADLINE_S 10
#define SERVE_DEFAULT_MAX_PROBES 4

/**
 * Listens on o->serve_addr ("[ADDR:]PORT", "[V6]:PORT"; loopback when
 * ADDR is left out) until SIGTERM or SIGINT, then stops: cancels the
 * probes in flight and joins every thread.
 * @return EXIT_OK, or EXIT_UNKNOWN (with one line on stderr) when it
 * cannot listen.
 */
int serve_run(const struct options *o);

#endif

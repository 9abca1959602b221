/*
 * probe_chain_stub.c - TEMPORARY: a weak, empty probe_ns_collect() until
 * the nameserver phase lands from branch `chain`.
 *
 * It collects nothing (ev->nameservers stays empty); the real definition
 * overrides it at link time. Delete this file once probe_ns.c is merged.
 */
#include "probe_phases.h"

__attribute__((weak)) void probe_ns_collect(struct probe_io *io,
					    const struct scan_config *cfg,
					    const struct probe_io_opts *opts,
					    const struct probe_plan *plan,
					    int64_t now, struct evidence *ev)
{
	(void)io;
	(void)cfg;
	(void)opts;
	(void)plan;
	(void)now;
	(void)ev;
}

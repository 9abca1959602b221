/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.c - releasing a scan configuration.
 */
#include <stdlib.h>

#include "config.h"

void scan_config_free(struct scan_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->zone);
	for (size_t i = 0; i < cfg->n_resolvers; i++) {
		free(cfg->resolvers[i].name);
		free(cfg->resolvers[i].address);
	}
	free(cfg->resolvers);
	free(cfg->anchor_text);
	free(cfg->anchor_source);
	free(cfg->hints_text);
	free(cfg->hints_source);
	for (size_t i = 0; i < cfg->n_names; i++)
		free(cfg->names[i]);
	free(cfg->names);
	free(cfg->canary);
	free(cfg->decoy);
	*cfg = (struct scan_config){ 0 };
}
